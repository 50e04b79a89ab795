import { z } from 'zod';
import { channelKindSchema } from '../domain/channels';
import { positionalNames, validateTemplate } from '../templates';

/** What an admin submits to create or change a template; checked the same in app and hub. */
export const templateInputSchema = z
  .object({
    kind: z.enum(['quick_reply', 'whatsapp']),
    name: z.string().trim().min(1).max(512),
    shortcut: z
      .string()
      .trim()
      .regex(/^[a-z0-9][a-z0-9_-]{0,39}$/, 'lower-case letters, digits, _ and - (no spaces)')
      .nullable()
      .default(null),
    body: z.string().min(1),
    language: z.string().trim().min(2).max(20).default('en'),
    category: z.enum(['marketing', 'utility', 'authentication']).nullable().default(null),
    channels: z.array(channelKindSchema).min(1).max(8),
    status: z.enum(['draft', 'pending', 'approved', 'rejected', 'paused']).default('approved'),
  })
  .superRefine((input, ctx) => {
    if (input.kind === 'whatsapp') {
      // WhatsApp limits a template body to 1,024 characters and numbers variables {{1}}, {{2}}…
      if (input.body.length > 1024) {
        ctx.addIssue({
          code: 'custom',
          path: ['body'],
          message: `is ${input.body.length} characters; WhatsApp allows 1024`,
        });
      }
      for (const problem of positionalNames(input.body).problems) {
        ctx.addIssue({ code: 'custom', path: ['body'], message: problem.message });
      }
      if (input.category === null) {
        ctx.addIssue({
          code: 'custom',
          path: ['category'],
          message: 'is required for WhatsApp templates',
        });
      }
      if (!/^[a-z0-9_]{1,512}$/.test(input.name)) {
        ctx.addIssue({
          code: 'custom',
          path: ['name'],
          message: 'WhatsApp template names use lower-case letters, digits and _',
        });
      }
    } else {
      if (input.body.length > 4096) {
        ctx.addIssue({
          code: 'custom',
          path: ['body'],
          message: `is ${input.body.length} characters; the limit is 4096`,
        });
      }
      for (const problem of validateTemplate(input.body)) {
        ctx.addIssue({ code: 'custom', path: ['body'], message: problem.message });
      }
    }
  });
export type TemplateInput = z.infer<typeof templateInputSchema>;
