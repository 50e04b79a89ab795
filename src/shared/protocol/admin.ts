import { z } from 'zod';
import { channelKindSchema } from '../domain/channels';
import { roleSchema } from '../domain/model';

/**
 * The admin API's shapes (users, teams, channels, the rate card), parsed by the hub at its edge
 * and by the app when it reads the answers (DESIGN.md rule 7).
 */

export const availabilitySchema = z.enum(['available', 'away']);
export type Availability = z.infer<typeof availabilitySchema>;

export const assignmentRuleSchema = z.enum(['manual', 'round_robin']);
export type AssignmentRule = z.infer<typeof assignmentRuleSchema>;

/** A user as admins see them: never with a password hash or a token. */
export const adminUserSchema = z.object({
  id: z.string(),
  email: z.string(),
  name: z.string(),
  role: roleSchema,
  disabled: z.boolean(),
  availability: availabilitySchema,
  teamIds: z.array(z.string()),
  /** Invited and not yet accepted: they cannot sign in until they set a password. */
  invitePending: z.boolean(),
  createdAt: z.number(),
});
export type AdminUser = z.infer<typeof adminUserSchema>;

export const teamSchema = z.object({
  id: z.string(),
  name: z.string(),
  assignment: assignmentRuleSchema,
  /** New conversations on these channels belong to this team (round-robin assigns them). */
  channels: z.array(channelKindSchema),
  memberIds: z.array(z.string()),
  createdAt: z.number(),
  updatedAt: z.number(),
});
export type Team = z.infer<typeof teamSchema>;

const nameSchema = z.string().trim().min(1, 'A name is needed').max(100);
/** The same rule as the hub's passwords (`src/server/auth/users.ts`). */
export const newPasswordSchema = z.string().min(10, 'at least 10 characters').max(200);

export const createUserInputSchema = z.object({
  email: z.string().trim().toLowerCase().email('A valid e-mail address is needed').max(320),
  name: nameSchema,
  role: roleSchema,
  /** Omitted: the hub issues a one-time invite link instead. */
  password: newPasswordSchema.optional(),
});
export type CreateUserInput = z.infer<typeof createUserInputSchema>;

export const updateUserInputSchema = z
  .object({ name: nameSchema, role: roleSchema, disabled: z.boolean() })
  .partial()
  .refine((input) => Object.keys(input).length > 0, 'Give name, role or disabled.');
export type UpdateUserInput = z.infer<typeof updateUserInputSchema>;

/** Admin's password reset: a temporary password, or (omitted) a one-time reset link. */
export const resetPasswordInputSchema = z.object({ password: newPasswordSchema.optional() });

/** A one-time token (invite or reset), shown once to the admin who copies it to the user. */
export const setupTokenSchema = z.object({
  token: z.string(),
  purpose: z.enum(['invite', 'reset']),
  expiresAt: z.number(),
});
export type SetupToken = z.infer<typeof setupTokenSchema>;

export const acceptSetupInputSchema = z.object({
  token: z.string().min(20).max(200),
  password: newPasswordSchema,
});

export const teamInputSchema = z.object({
  name: nameSchema,
  assignment: assignmentRuleSchema,
  channels: z.array(channelKindSchema).max(20),
  memberIds: z.array(z.string().min(1).max(100)).max(500),
});
export type TeamInput = z.infer<typeof teamInputSchema>;

/**
 * Workspace-wide switches (`GET`/`PUT /api/workspace-settings`). `assignOnReply` (default on): a
 * reply to an unassigned conversation assigns it to the agent who replied, in the same
 * transaction (issue 12, item 13).
 */
export const workspaceSettingsSchema = z.object({ assignOnReply: z.boolean() });
export type WorkspaceSettings = z.infer<typeof workspaceSettingsSchema>;
export const DEFAULT_WORKSPACE_SETTINGS: WorkspaceSettings = { assignOnReply: true };

export const workspaceSettingsInputSchema = workspaceSettingsSchema
  .partial()
  .strict()
  .refine((input) => Object.keys(input).length > 0, 'Give at least one setting.');
export type WorkspaceSettingsInput = z.infer<typeof workspaceSettingsInputSchema>;

/**
 * One setting a channel connector declares (`SettingSpec` in src/server/channels/connector.ts),
 * as the admin API shows it: the Channels page renders its form from these.
 */
export const settingSpecSchema = z.object({
  name: z.string(),
  label: z.string(),
  /** Written only: the hub answers whether it is set, never its value. */
  secret: z.boolean(),
  required: z.boolean(),
  /** The environment variable that sets it when no admin has saved a value. */
  env: z.string().optional(),
  pattern: z.object({ source: z.string(), message: z.string() }).optional(),
  help: z.string().optional(),
  /** Several lines (a PEM key, a welcome text): the Channels page gives it a text area. */
  multiline: z.boolean().optional(),
  /** Longest value accepted; 1,000 characters when not given. */
  maxLength: z.number().int().positive().optional(),
});
export type SettingSpecShape = z.infer<typeof settingSpecSchema>;

/**
 * What an admin may write for a connector, from its settings: secrets of at least 8 characters,
 * other values non-empty and matching their pattern; `null` removes the saved value of a setting
 * that is not required (the environment's or the default is then in force); unknown names are
 * refused. The hub checks `PUT /api/admin/channels/:id` with it, the Channels page its form.
 */
export function channelSettingsInputSchema(specs: readonly SettingSpecShape[]) {
  const shape: Record<string, z.ZodType<string | null | undefined>> = {};
  for (const spec of specs) {
    const max = spec.maxLength ?? 1000;
    let field = z
      .string()
      .trim()
      .max(max, `at most ${max.toLocaleString('en')} characters`);
    field = spec.secret ? field.min(8, 'at least 8 characters') : field.min(1, 'required');
    if (spec.pattern) field = field.regex(new RegExp(spec.pattern.source), spec.pattern.message);
    shape[spec.name] = spec.required ? field.optional() : field.nullable().optional();
  }
  return z
    .object(shape)
    .strict()
    .refine((input) => Object.keys(input).length > 0, 'Give at least one setting.');
}
export type ChannelSettingsInput = Record<string, string | null | undefined>;

/** Whether a secret is set, and where it comes from: never its value. */
export const secretStateSchema = z.object({
  set: z.boolean(),
  source: z.enum(['settings', 'environment']).nullable(),
  updatedAt: z.number().nullable(),
});
export type SecretState = z.infer<typeof secretStateSchema>;

/** A setting of a connection as admins see it: its spec, whether it is set, never a secret. */
export const channelSettingSchema = settingSpecSchema.extend({
  state: secretStateSchema,
  /** The value in force for a setting that is not secret; always null for a secret. */
  value: z.string().nullable(),
});
export type ChannelSetting = z.infer<typeof channelSettingSchema>;

export const channelConnectionSchema = z.object({
  /** The connector's channel (`whatsapp`, …), or `demo-<channel>` for the demo simulator's. */
  id: z.string(),
  channel: channelKindSchema,
  /** The connector's provider id (`whatsapp_cloud`, …), or `demo`. */
  provider: z.string(),
  name: z.string(),
  configured: z.boolean(),
  /** Whether the platform verifies the webhook URL with a GET handshake (most Meta channels). */
  webhookHandshake: z.boolean(),
  /** When the platform's webhook verification (GET handshake) last succeeded; null if never. */
  webhookVerifiedAt: z.number().nullable(),
  lastEventAt: z.number().nullable(),
  lastError: z.object({ message: z.string(), at: z.number() }).nullable(),
  /** Only for connectors: which secrets are set, by setting name. */
  secrets: z.record(z.string(), secretStateSchema).nullable(),
  /** Only for connectors: every setting an admin can write, in the connector's order. */
  settings: z.array(channelSettingSchema).nullable(),
  /** Where the platform delivers webhooks, on the hub's public address (`/webhooks/<channel>`). */
  webhookPath: z.string().nullable(),
  /**
   * The full webhook URL to give the platform: the hub's address as the admin reached it (https
   * except on loopback, as Meta accepts only https callbacks).
   */
  webhookUrl: z.string().nullable(),
  /** Signed deliveries (or parts) that could not be stored, kept for an admin. */
  deadLetters: z.object({ count: z.number(), lastAt: z.number().nullable() }),
  /**
   * The hub can tell the platform where to deliver (`POST /api/admin/channels/<id>/webhook`:
   * Telegram `setWebhook`, Viber `set_webhook`, LINE's endpoint and its test).
   */
  webhookRegistration: z.boolean().optional(),
  /** The hub can try the saved credentials (`POST /api/admin/channels/<id>/test`). */
  connectionTest: z.boolean().optional(),
});
export type ChannelConnection = z.infer<typeof channelConnectionSchema>;

/** `POST /api/admin/channels/<id>/webhook`: the URL the platform is to deliver to. */
export const webhookRegistrationInputSchema = z.strictObject({
  url: z
    .string()
    .max(2048)
    .regex(
      /^(https:\/\/[^\s/?#@]+|http:\/\/(127\.0\.0\.1|localhost|\[::1\])(:\d+)?)(\/[^\s#]*)?$/,
      'an https:// URL (platforms deliver webhooks only over HTTPS)',
    ),
});

/** The platform's answer: registered (with what it said), or refused with its reason. */
export const webhookRegistrationAnswerSchema = z.discriminatedUnion('ok', [
  z.object({ ok: z.literal(true), detail: z.string(), url: z.string() }),
  z.object({ ok: z.literal(false), reason: z.string(), url: z.string() }),
]);
export type WebhookRegistrationAnswer = z.infer<typeof webhookRegistrationAnswerSchema>;

/** `POST /api/admin/channels/<id>/test`: whose account the credentials open, or why not. */
export const connectionTestAnswerSchema = z.discriminatedUnion('ok', [
  z.object({ ok: z.literal(true), detail: z.string() }),
  z.object({ ok: z.literal(false), reason: z.string() }),
]);
export type ConnectionTestAnswer = z.infer<typeof connectionTestAnswerSchema>;

/** A delivery, or part of one, that was signed but could not be stored (issue #13). */
export const deadLetterSchema = z.object({
  id: z.string(),
  channel: z.string(),
  receivedAt: z.number(),
  reasons: z.array(z.string()),
  /** Bytes received. */
  size: z.number(),
  /** The start of the payload, as text. */
  preview: z.string(),
});
export type DeadLetter = z.infer<typeof deadLetterSchema>;

/** `GET /api/channels/<channel>/quota`: what the channel's plan still lets the business push. */
export const sendQuotaAnswerSchema = z.object({
  channel: channelKindSchema,
  quota: z
    .object({ limit: z.number().nullable(), used: z.number(), left: z.number().nullable() })
    .nullable(),
  /** When the hub read it from the platform. */
  readAt: z.number().nullable(),
  /** Why it could not be read (the platform refused or could not be reached). */
  error: z.string().nullable(),
});
export type SendQuotaAnswer = z.infer<typeof sendQuotaAnswerSchema>;
