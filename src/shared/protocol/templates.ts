import { z } from 'zod';
import { channelKindSchema } from '../domain/channels';
import {
  quickReplyFileSchema,
  templateButtonSchema,
  templateSchema,
  type Template,
} from '../domain/model';
import { checkQuickReply, checkWhatsAppTemplate } from '../templates/checks';
import { sha256Schema } from './commands';

/** Empty or blank text means "none". */
const optionalText = (max: number) =>
  z
    .string()
    .max(max)
    .nullable()
    .default(null)
    .transform((text) => (text === null || text.trim() === '' ? null : text));

const baseInputSchema = z.object({
  kind: z.enum(['quick_reply', 'whatsapp']),
  /** A quick reply's title, or a WhatsApp template's name (lower case, digits and _). */
  name: z.string().trim().min(1).max(512),
  shortcut: z
    .string()
    .trim()
    .regex(/^[a-z0-9][a-z0-9_-]{0,39}$/, 'Use lower-case letters, digits, _ and - (no spaces)')
    .nullable()
    .default(null),
  body: z.string().min(1).max(20_000),
  language: z.string().trim().min(2).max(20).default('en'),
  category: z.enum(['marketing', 'utility', 'authentication']).nullable().default(null),
  channels: z.array(channelKindSchema).min(1).max(8),
  status: z.enum(['draft', 'pending', 'approved', 'rejected', 'paused']).default('approved'),
  folder: z
    .string()
    .trim()
    .max(100)
    .nullable()
    .default(null)
    .transform((folder) => (folder === '' ? null : folder)),
  tags: z
    .array(z.string().trim().min(1).max(40))
    .max(20)
    .default([])
    .transform((tags) => [...new Set(tags)]),
  // Lengths are checked by `checkWhatsAppTemplate` with WhatsApp's own limits; these caps only
  // keep a hostile body small.
  header: optionalText(1000),
  footer: optionalText(1000),
  buttons: z
    .array(
      z.discriminatedUnion('type', [
        z.object({ type: z.literal('quick_reply'), text: z.string().max(200) }),
        z.object({ type: z.literal('url'), text: z.string().max(200), url: z.string().max(4000) }),
        z.object({
          type: z.literal('phone'),
          text: z.string().max(200),
          phone: z.string().max(40),
        }),
      ]),
    )
    .max(50)
    .default([]),
  examples: z.array(z.string().max(500)).max(100).default([]),
  rejectionReason: optionalText(1000),
  /** Quick replies: a file uploaded with `POST /api/media`, sent with the reply. */
  attachment: z
    .object({
      sha256: sha256Schema,
      mimeType: z.string().trim().min(3).max(200),
      filename: z.string().trim().min(1).max(255),
      /** Ignored on input: the hub writes the stored file's size. */
      size: z.number().int().nonnegative().optional(),
    })
    .strict()
    .nullable()
    .default(null),
});

/**
 * What an admin submits to create or change a template; checked the same in app and hub (the
 * checks of `src/shared/templates/checks.ts`). Quick replies drop the WhatsApp-only parts.
 */
export const templateInputSchema = baseInputSchema
  .transform((input) =>
    input.kind === 'quick_reply'
      ? {
          ...input,
          header: null,
          footer: null,
          buttons: [],
          examples: [],
          rejectionReason: null,
        }
      : { ...input, attachment: null as typeof input.attachment },
  )
  .superRefine((input, ctx) => {
    for (const problem of checkTemplateInput(input)) {
      ctx.addIssue({
        code: 'custom',
        path: problem.index === undefined ? [problem.field] : [problem.field, problem.index],
        message: problem.message,
      });
    }
  });
export type TemplateInput = z.infer<typeof templateInputSchema>;
/** What a caller may leave out (defaults fill it). */
export type TemplateInputDraft = z.input<typeof templateInputSchema>;

/** The checks of a template as a whole: WhatsApp's rules or a quick reply's variables. */
export function checkTemplateInput(
  input: Pick<
    TemplateInput,
    'kind' | 'name' | 'category' | 'header' | 'body' | 'footer' | 'buttons' | 'examples' | 'status'
  >,
) {
  return input.kind === 'whatsapp' ? checkWhatsAppTemplate(input) : checkQuickReply(input.body);
}

/** The editable fields of a template, as `TemplateInput` has them. */
export function inputOf(template: Template): TemplateInput {
  return {
    kind: template.kind,
    name: template.name,
    shortcut: template.shortcut,
    body: template.body,
    language: template.language,
    category: template.category,
    channels: template.channels,
    status: template.status,
    folder: template.folder,
    tags: template.tags,
    header: template.header,
    footer: template.footer,
    buttons: template.buttons,
    examples: template.examples,
    rejectionReason: template.rejectionReason,
    attachment: template.attachment ?? null,
  };
}

export const TEMPLATE_FIELD_LABELS: Readonly<Record<keyof TemplateInput, string>> = {
  kind: 'kind',
  name: 'name',
  shortcut: 'shortcut',
  body: 'body',
  language: 'language',
  category: 'category',
  channels: 'channels',
  status: 'status',
  folder: 'folder',
  tags: 'tags',
  header: 'header',
  footer: 'footer',
  buttons: 'buttons',
  examples: 'examples',
  rejectionReason: 'rejection reason',
  attachment: 'attachment',
};

/** The editable fields that differ between two snapshots, in form order ("who changed what"). */
export function changedFields(
  before: TemplateInput | null,
  after: TemplateInput,
): (keyof TemplateInput)[] {
  const keys = Object.keys(TEMPLATE_FIELD_LABELS) as (keyof TemplateInput)[];
  if (before === null) return [];
  return keys.filter((key) => JSON.stringify(before[key]) !== JSON.stringify(after[key]));
}

// ---------------------------------------------------------------------------------------------
// Versions
// ---------------------------------------------------------------------------------------------

export const templateVersionSchema = z.object({
  version: z.number().int().positive(),
  action: z.enum(['created', 'updated', 'restored', 'imported']),
  /** For `restored`: the version it copies. */
  restoredFrom: z.number().int().positive().nullable(),
  at: z.number(),
  by: z.object({ id: z.string(), name: z.string() }).nullable(),
  /** The full template as saved. */
  template: templateSchema,
  /** Fields that differ from the previous version (empty for the first). */
  changed: z.array(z.string()),
});
export type TemplateVersion = z.infer<typeof templateVersionSchema>;

export const templateVersionsAnswerSchema = z.object({ versions: z.array(templateVersionSchema) });
export const restoreTemplateSchema = z.object({ version: z.number().int().positive() });
export const templateAnswerSchema = z.object({ template: templateSchema });

// ---------------------------------------------------------------------------------------------
// Import and export of quick replies
// ---------------------------------------------------------------------------------------------

export const QUICK_REPLY_EXPORT_FORMAT = 'replydesk.quick-replies';

/** One quick reply in an export file: its editable fields, and its id on the hub it came from. */
export const quickReplyExportEntrySchema = z.object({
  id: z.string().optional(),
  name: z.string(),
  shortcut: z.string().nullable(),
  body: z.string(),
  language: z.string(),
  channels: z.array(channelKindSchema),
  status: z.enum(['draft', 'pending', 'approved', 'rejected', 'paused']),
  folder: z.string().nullable(),
  tags: z.array(z.string()),
  /**
   * The reply's file by reference: its sha256, type, name and size, not its bytes. An import
   * takes it when the hub it goes to has that file (else the entry is refused, saying so); an
   * entry without the field keeps the file of the reply it updates.
   */
  attachment: quickReplyFileSchema.nullable().optional(),
});

export const quickReplyExportSchema = z.object({
  format: z.literal(QUICK_REPLY_EXPORT_FORMAT),
  version: z.literal(1),
  exportedAt: z.string(),
  quickReplies: z.array(quickReplyExportEntrySchema),
});
export type QuickReplyExport = z.infer<typeof quickReplyExportSchema>;

/** An import: the entries are validated one by one, so one bad entry does not refuse the file. */
export const quickReplyImportSchema = z.object({
  quickReplies: z.array(z.unknown()).min(1).max(1000),
});

export const importSummarySchema = z.object({
  added: z.array(z.object({ index: z.number(), id: z.string(), name: z.string() })),
  updated: z.array(z.object({ index: z.number(), id: z.string(), name: z.string() })),
  refused: z.array(
    z.object({ index: z.number(), name: z.string().nullable(), reasons: z.array(z.string()) }),
  ),
});
export type ImportSummary = z.infer<typeof importSummarySchema>;

export { templateButtonSchema };
