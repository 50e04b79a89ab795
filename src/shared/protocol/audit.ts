import { z } from 'zod';

/**
 * The audit log (issue #20 item 3): security-relevant actions with who, when and from where, for
 * admins. Parsed by the hub at its edge and by the app when it reads the answers.
 */

export const AUDIT_ACTIONS = [
  'auth.signed_in',
  'auth.sign_in_failed',
  'auth.signed_out',
  'user.invited',
  'user.role_changed',
  'user.disabled',
  'user.enabled',
  'user.password_reset',
  'channel.credentials_changed',
  'shop.connected',
  'shop.changed',
  'shop.removed',
  'template.approved',
  'template.deleted',
  'export.quick_replies',
  'export.audit_log',
  'export.conversations',
  'export.customers',
] as const;
export const auditActionSchema = z.enum(AUDIT_ACTIONS);
export type AuditAction = z.infer<typeof auditActionSchema>;

/** What each action is called on the admin page, filters and the exported file. */
export const AUDIT_ACTION_LABELS: Readonly<Record<AuditAction, string>> = {
  'auth.signed_in': 'Signed in',
  'auth.sign_in_failed': 'Sign-in failed',
  'auth.signed_out': 'Signed out',
  'user.invited': 'User added',
  'user.role_changed': 'Role changed',
  'user.disabled': 'User disabled',
  'user.enabled': 'User enabled',
  'user.password_reset': 'Password reset',
  'channel.credentials_changed': 'Channel credentials changed',
  'shop.connected': 'Shop connected',
  'shop.changed': 'Shop changed',
  'shop.removed': 'Shop removed',
  'template.approved': 'Template approved',
  'template.deleted': 'Template deleted',
  'export.quick_replies': 'Quick replies exported',
  'export.audit_log': 'Audit log exported',
  'export.conversations': 'Conversations exported',
  'export.customers': 'Customers exported',
};

export const auditEntrySchema = z.object({
  id: z.string(),
  at: z.number(),
  action: auditActionSchema,
  /** Who did it; null where nobody was signed in (a failed sign-in: see `detail.email`). */
  actor: z.object({ id: z.string(), name: z.string() }).nullable(),
  /** What it was done to, named as it was then (a user, a channel, a shop, a template). */
  target: z.object({ type: z.string(), id: z.string(), label: z.string() }).nullable(),
  /** A short account of the change: "agent → lead", the setting names changed, an e-mail. */
  detail: z.string(),
  /** The client's address as the hub saw it (behind a trusted proxy, the forwarded one). */
  address: z.string().nullable(),
  userAgent: z.string().nullable(),
});
export type AuditEntry = z.infer<typeof auditEntrySchema>;

/** `GET /api/admin/audit` (and `.csv`): filters; a page is newest first. */
export const auditQuerySchema = z.object({
  action: z
    .string()
    .max(2_000)
    .optional()
    .transform((value, ctx) => {
      if (value === undefined || value === '') return undefined;
      const actions = value.split(',');
      for (const action of actions) {
        if (!auditActionSchema.safeParse(action).success) {
          ctx.addIssue({ code: 'custom', message: `Unknown action "${action}".` });
          return z.NEVER;
        }
      }
      return actions as AuditAction[];
    }),
  actor: z.string().max(100).optional(),
  from: z.coerce.number().int().min(0).optional(),
  to: z.coerce.number().int().min(0).optional(),
  limit: z.coerce.number().int().min(1).max(500).default(100),
  /** The `next` of the previous page. */
  before: z.string().max(200).optional(),
});
export type AuditQuery = z.input<typeof auditQuerySchema>;

export const auditPageSchema = z.object({
  entries: z.array(auditEntrySchema),
  /** Pass as `before` for the next (older) page; null at the end. */
  next: z.string().nullable(),
});
export type AuditPage = z.infer<typeof auditPageSchema>;
