import { WebhookPayloadError } from '../connector';
import { z } from 'zod';
import { messageContentSchema, type MessageContent } from '../../../shared/domain/model';
import type { InboundCustomer, InboundEvent, InboundMessage, InboundStatus } from '../types';
import { compact, describe, joinPath } from '../meta/paths';

/**
 * WhatsApp Cloud API `messages` webhooks → our InboundEvents (CHANNELS.md, "WhatsApp Cloud API
 * shapes"; Meta's "messages webhook reference").
 *
 * Strictness is layered on purpose:
 * - The envelope (`object`, `entry[].changes[]`) must be a WhatsApp webhook, or the whole body is
 *   refused with a WebhookPayloadError (the HTTP layer answers 400 and stores nothing).
 * - Inside it, every message and status is checked on its own. Meta retries a delivery that we
 *   refuse, with the same bytes, so one odd element must not make us refuse (and keep losing) the
 *   valid ones next to it: an element we cannot store is skipped and reported in `problems`.
 * - A message whose envelope fields (id, sender, timestamp) are fine but whose content we cannot
 *   read is kept as `unsupported` rather than dropped: the customer did write to us.
 * Unknown extra fields are ignored everywhere (zod objects strip them); the types of the fields we
 * read are checked.
 */

// One error class for every connector: the HTTP layer answers it 400 and stores nothing.
export { WebhookPayloadError };

export interface WhatsAppWebhookResult {
  readonly events: InboundEvent[];
  /** Human-readable notes on what was skipped or degraded, each naming its path in the body. */
  readonly problems: string[];
}

// ---------------------------------------------------------------------------------------------
// Schemas
// ---------------------------------------------------------------------------------------------

/** Meta sends unix seconds as a string of digits (`"1749416383"`). */
const unixSecondsSchema = z
  .string()
  .regex(/^\d{1,12}$/, 'expected unix seconds as a string of digits');

const idSchema = z.string().min(1).max(512);

/** The outer shape: anything failing this is not a WhatsApp webhook at all. */
export const whatsAppWebhookEnvelopeSchema = z.object({
  object: z.literal('whatsapp_business_account'),
  entry: z.array(
    z.object({
      /** The WhatsApp Business Account id. */
      id: z.string().optional(),
      changes: z.array(z.object({ field: z.string().max(100), value: z.unknown() })),
    }),
  ),
});

/** `entry[].changes[].value` for `field: "messages"`. Elements are checked one by one below. */
export const whatsAppMessagesValueSchema = z.object({
  messaging_product: z.literal('whatsapp').optional(),
  metadata: z.object({
    display_phone_number: z.string().optional(),
    phone_number_id: z.string().min(1).max(100),
  }),
  contacts: z.array(z.unknown()).optional(),
  messages: z.array(z.unknown()).optional(),
  statuses: z.array(z.unknown()).optional(),
  errors: z.array(z.unknown()).optional(),
});

export const whatsAppContactSchema = z.object({
  wa_id: z.string().optional(),
  /** Business-scoped user id, sent alongside (or, for username users, instead of) `wa_id`. */
  user_id: z.string().optional(),
  profile: z.object({ name: z.string().optional() }).optional(),
});

/** The fields every inbound message has, whatever its type. */
export const whatsAppMessageBaseSchema = z
  .object({
    from: z.string().min(1).max(200).optional(),
    /** Business-scoped user id: WhatsApp may withhold `from` for users who adopted a username. */
    from_user_id: z.string().min(1).max(200).optional(),
    id: idSchema,
    timestamp: unixSecondsSchema,
    type: z.string().min(1).max(100),
  })
  .refine((m) => m.from !== undefined || m.from_user_id !== undefined, {
    message: 'expected a sender (`from` or `from_user_id`)',
    path: ['from'],
  });

const contextSchema = z.object({ id: idSchema.optional(), from: z.string().optional() });
const referralSchema = z.object({
  source_type: z.string().optional(),
  source_id: z.string().optional(),
  source_url: z.string().optional(),
  ctwa_clid: z.string().optional(),
});

const mediaFields = {
  id: z.string().min(1),
  mime_type: z.string().optional(),
  sha256: z.string().optional(),
};
const captionedMediaSchema = z.object({ ...mediaFields, caption: z.string().optional() });
const documentSchema = z.object({
  ...mediaFields,
  caption: z.string().optional(),
  filename: z.string().optional(),
});
const audioSchema = z.object({ ...mediaFields, voice: z.boolean().optional() });
const stickerSchema = z.object({ ...mediaFields, animated: z.boolean().optional() });

const textSchema = z.object({ body: z.string() });
const locationSchema = z.object({
  latitude: z.number(),
  longitude: z.number(),
  name: z.string().optional(),
  address: z.string().optional(),
  url: z.string().optional(),
});
/** Shared contact cards: Meta notes many properties may be omitted by the user's device. */
const contactsSchema = z
  .array(
    z.object({
      name: z
        .object({
          formatted_name: z.string().optional(),
          first_name: z.string().optional(),
          last_name: z.string().optional(),
        })
        .optional(),
      phones: z
        .array(z.object({ phone: z.string().optional(), wa_id: z.string().optional() }))
        .optional(),
      emails: z.array(z.object({ email: z.string().optional() })).optional(),
      org: z.object({ company: z.string().optional() }).optional(),
    }),
  )
  .min(1);
const interactiveSchema = z.object({
  type: z.string(),
  button_reply: z.object({ id: z.string(), title: z.string() }).optional(),
  list_reply: z
    .object({ id: z.string(), title: z.string(), description: z.string().optional() })
    .optional(),
});
const buttonSchema = z.object({ payload: z.string(), text: z.string() });
const reactionSchema = z.object({
  message_id: idSchema,
  /** Omitted (or empty) when the customer removed their reaction. */
  emoji: z.string().optional(),
});
/** Catalog prices and quantities are JSON numbers; older examples showed them as strings. */
const numberLike = z.union([
  z.number(),
  z
    .string()
    .regex(/^\d+(\.\d+)?$/, 'expected a number')
    .transform(Number),
]);
const orderSchema = z.object({
  catalog_id: z.string(),
  text: z.string().optional(),
  product_items: z.array(
    z.object({
      product_retailer_id: z.string(),
      quantity: numberLike,
      item_price: numberLike,
      currency: z.string(),
    }),
  ),
});
const unsupportedDetailSchema = z.object({ type: z.string().min(1).max(100) });

export const whatsAppErrorSchema = z.object({
  code: z.number().int(),
  title: z.string().optional(),
  message: z.string().optional(),
  error_data: z.object({ details: z.string().optional() }).optional(),
});

export const whatsAppStatusSchema = z.object({
  id: idSchema,
  status: z.string().max(50),
  timestamp: unixSecondsSchema,
  recipient_id: z.string().max(200).optional(),
  recipient_user_id: z.string().max(200).optional(),
  errors: z.array(z.unknown()).optional(),
  pricing: z.unknown().optional(),
  /** What we attached to the send (our message id), echoed back. */
  biz_opaque_callback_data: z.string().max(512).optional(),
});

/**
 * Per-message pricing (since 2025-07-01): `billable` is deprecated in favour of `type`
 * (`regular` is charged; `free_customer_service` and `free_entry_point` are not).
 */
export const whatsAppPricingSchema = z.object({
  billable: z.boolean().optional(),
  category: z.string().min(1),
  pricing_model: z.string().min(1),
  type: z.string().optional(),
});

const TRACKED_STATUSES = new Set<InboundStatus['status']>(['sent', 'delivered', 'read', 'failed']);

// ---------------------------------------------------------------------------------------------
// Paths and messages
// ---------------------------------------------------------------------------------------------

function describeError(raw: unknown, path: string): string {
  const parsed = whatsAppErrorSchema.safeParse(raw);
  if (!parsed.success) return `${path}: malformed error object`;
  const e = parsed.data;
  const title = e.title ?? e.message ?? 'unknown error';
  const details = e.error_data?.details;
  return `${path}: WhatsApp error ${e.code} ${title}${details ? ` (${details})` : ''}`;
}

// ---------------------------------------------------------------------------------------------
// Mapping
// ---------------------------------------------------------------------------------------------

type ContentResult = { ok: true; content: MessageContent } | { ok: false; reason: string };

function unsupported(originalType: string): MessageContent {
  return { type: 'unsupported', originalType: originalType.slice(0, 100) };
}

/** Reads `message[type]` with `schema`, reporting the issue path relative to the message. */
function read<S extends z.ZodType>(
  schema: S,
  message: Record<string, unknown>,
  key: string,
  path: string,
): { ok: true; data: z.output<S> } | { ok: false; reason: string } {
  const parsed = schema.safeParse(message[key]);
  if (parsed.success) return { ok: true, data: parsed.data };
  return { ok: false, reason: describe(parsed.error, `${path}.${key}`).text };
}

function mapContent(type: string, message: Record<string, unknown>, path: string): ContentResult {
  switch (type) {
    case 'text': {
      const r = read(textSchema, message, 'text', path);
      return r.ok ? { ok: true, content: { type: 'text', body: r.data.body } } : r;
    }
    case 'image':
    case 'video': {
      const r = read(captionedMediaSchema, message, type, path);
      if (!r.ok) return r;
      const media = compact({
        mediaId: r.data.id,
        mimeType: r.data.mime_type,
        sha256: r.data.sha256,
        caption: r.data.caption,
      });
      return { ok: true, content: { type, media } };
    }
    case 'audio': {
      const r = read(audioSchema, message, 'audio', path);
      if (!r.ok) return r;
      const media = compact({
        mediaId: r.data.id,
        mimeType: r.data.mime_type,
        sha256: r.data.sha256,
        voice: r.data.voice,
      });
      return { ok: true, content: { type: 'audio', media } };
    }
    case 'document': {
      const r = read(documentSchema, message, 'document', path);
      if (!r.ok) return r;
      const media = compact({
        mediaId: r.data.id,
        mimeType: r.data.mime_type,
        sha256: r.data.sha256,
        caption: r.data.caption,
        filename: r.data.filename,
      });
      return { ok: true, content: { type: 'document', media } };
    }
    case 'sticker': {
      const r = read(stickerSchema, message, 'sticker', path);
      if (!r.ok) return r;
      const media = compact({
        mediaId: r.data.id,
        mimeType: r.data.mime_type,
        sha256: r.data.sha256,
        animated: r.data.animated,
      });
      return { ok: true, content: { type: 'sticker', media } };
    }
    case 'location': {
      const r = read(locationSchema, message, 'location', path);
      if (!r.ok) return r;
      const { latitude, longitude, name, address, url } = r.data;
      return {
        ok: true,
        content: compact({ type: 'location' as const, latitude, longitude, name, address, url }),
      };
    }
    case 'contacts': {
      const r = read(contactsSchema, message, 'contacts', path);
      if (!r.ok) return r;
      const contacts = r.data.map((card) => {
        const fullName = [card.name?.first_name, card.name?.last_name].filter(Boolean).join(' ');
        const phones = (card.phones ?? [])
          .map((p) => p.phone ?? (p.wa_id ? `+${p.wa_id}` : undefined))
          .filter((p): p is string => p !== undefined && p !== '');
        const emails = (card.emails ?? [])
          .map((e) => e.email)
          .filter((e): e is string => e !== undefined && e !== '');
        return compact({
          name: card.name?.formatted_name || fullName || phones[0] || '',
          phones,
          emails,
          organization: card.org?.company || undefined,
        });
      });
      return { ok: true, content: { type: 'contacts', contacts } };
    }
    case 'interactive': {
      const r = read(interactiveSchema, message, 'interactive', path);
      if (!r.ok) return r;
      const { type: kind, button_reply: button, list_reply: row } = r.data;
      if (kind === 'button_reply' && button) {
        return {
          ok: true,
          content: { type: 'interactive_reply', replyId: button.id, title: button.title },
        };
      }
      if (kind === 'list_reply' && row) {
        return {
          ok: true,
          content: compact({
            type: 'interactive_reply' as const,
            replyId: row.id,
            title: row.title,
            description: row.description,
          }),
        };
      }
      // Flow replies (`nfm_reply`) and future kinds: shown as unsupported, named precisely.
      return { ok: true, content: unsupported(`interactive.${kind}`) };
    }
    case 'button': {
      const r = read(buttonSchema, message, 'button', path);
      if (!r.ok) return r;
      return {
        ok: true,
        content: { type: 'button_reply', payload: r.data.payload, text: r.data.text },
      };
    }
    case 'reaction': {
      const r = read(reactionSchema, message, 'reaction', path);
      if (!r.ok) return r;
      return {
        ok: true,
        content: {
          type: 'reaction',
          emoji: r.data.emoji ?? '',
          targetExternalId: r.data.message_id,
        },
      };
    }
    case 'order': {
      const r = read(orderSchema, message, 'order', path);
      if (!r.ok) return r;
      return {
        ok: true,
        content: compact({
          type: 'order' as const,
          catalogId: r.data.catalog_id,
          items: r.data.product_items.map((item) => ({
            productRetailerId: item.product_retailer_id,
            quantity: item.quantity,
            itemPrice: item.item_price,
            currency: item.currency,
          })),
          note: r.data.text,
        }),
      };
    }
    case 'unsupported': {
      // Newer payloads name what the customer actually sent (e.g. `poll_creation`, `edit`): more
      // useful to the agent than the word "unsupported".
      const detail = unsupportedDetailSchema.safeParse(message['unsupported']);
      return { ok: true, content: unsupported(detail.success ? detail.data.type : type) };
    }
    default:
      // `system`, `request_welcome`, `unknown` and anything Meta adds later.
      return { ok: true, content: unsupported(type) };
  }
}

function mapMessage(
  raw: unknown,
  path: string,
  channelAccountId: string,
  names: ReadonlyMap<string, string>,
  problems: string[],
): InboundMessage | null {
  const base = whatsAppMessageBaseSchema.safeParse(raw);
  if (!base.success) {
    problems.push(`${describe(base.error, path).text} (message skipped)`);
    return null;
  }
  const record = raw as Record<string, unknown>;
  const { from, from_user_id: fromUserId, id, timestamp, type } = base.data;

  for (const [i, error] of (Array.isArray(record['errors']) ? record['errors'] : []).entries()) {
    problems.push(describeError(error, `${path}.errors[${i}]`));
  }

  let content: MessageContent;
  const mapped = mapContent(type, record, path);
  if (mapped.ok) {
    // The model has its own bounds (caption length, coordinates, order quantities…): anything
    // outside them is kept as unsupported rather than stored in a shape the app cannot trust.
    const checked = messageContentSchema.safeParse(mapped.content);
    if (checked.success) {
      content = checked.data;
    } else {
      const issues = checked.error.issues
        .slice(0, 3)
        .map((issue) => `${joinPath('', issue.path)}: ${issue.message}`)
        .join('; ');
      problems.push(
        `${path}: ${type} content is outside our model (${issues}); kept as unsupported`,
      );
      content = unsupported(type);
    }
  } else {
    problems.push(`${mapped.reason} (kept as unsupported)`);
    content = unsupported(type);
  }

  let replyTo: string | undefined;
  if (record['context'] !== undefined) {
    const context = contextSchema.safeParse(record['context']);
    if (context.success) replyTo = context.data.id;
    else problems.push(`${describe(context.error, `${path}.context`).text} (context ignored)`);
  }

  let fromAd = false;
  if (record['referral'] !== undefined) {
    const referral = referralSchema.safeParse(record['referral']);
    // Any referral means the chat came from a click-to-WhatsApp ad or Page button: the free
    // entry-point window applies (CHANNELS.md), whatever the ad details say.
    if (referral.success) fromAd = true;
    else problems.push(`${describe(referral.error, `${path}.referral`).text} (referral ignored)`);
  }

  const externalId = from ?? fromUserId ?? '';
  const customer: InboundCustomer = {
    externalId,
    name:
      (from !== undefined ? names.get(from) : undefined) ??
      (fromUserId !== undefined ? names.get(fromUserId) : undefined) ??
      null,
    // `wa_id` is the customer's number in international format without the `+`.
    phone: from !== undefined && /^\d{5,20}$/.test(from) ? `+${from}` : null,
  };

  return {
    kind: 'message',
    channel: 'whatsapp',
    channelAccountId,
    externalId: id,
    customer,
    sentAt: Number(timestamp) * 1000,
    content,
    ...(replyTo !== undefined ? { replyToExternalId: replyTo } : {}),
    ...(fromAd ? { entryPoint: 'ad_referral' as const } : {}),
  };
}

function mapPricing(raw: unknown, path: string, problems: string[]): InboundStatus['pricing'] {
  const parsed = whatsAppPricingSchema.safeParse(raw);
  if (!parsed.success) {
    problems.push(`${describe(parsed.error, path).text} (pricing ignored)`);
    return undefined;
  }
  const { billable, category, pricing_model: model, type } = parsed.data;
  const derived = billable ?? (type === undefined ? undefined : type === 'regular');
  if (derived === undefined) {
    problems.push(
      `${path}: neither billable nor type says whether it is charged (pricing ignored)`,
    );
    return undefined;
  }
  return { billable: derived, category, model };
}

function mapStatus(
  raw: unknown,
  path: string,
  channelAccountId: string,
  problems: string[],
): InboundStatus | null {
  const parsed = whatsAppStatusSchema.safeParse(raw);
  if (!parsed.success) {
    problems.push(`${describe(parsed.error, path).text} (status skipped)`);
    return null;
  }
  const s = parsed.data;
  const status = s.status as InboundStatus['status'];
  if (!TRACKED_STATUSES.has(status)) {
    // e.g. `played` (voice notes, 2026) or `deleted`: not a delivery state we show.
    problems.push(`${path}.status: "${s.status}" is not tracked (status skipped)`);
    return null;
  }

  let error: InboundStatus['error'];
  const firstError = s.errors?.[0];
  if (firstError !== undefined) {
    const e = whatsAppErrorSchema.safeParse(firstError);
    if (e.success) {
      const detail = e.data.error_data?.details ?? e.data.message;
      error = compact({
        code: String(e.data.code),
        title: e.data.title ?? e.data.message ?? `WhatsApp error ${e.data.code}`,
        detail,
      });
    } else {
      problems.push(`${describe(e.error, `${path}.errors[0]`).text} (error ignored)`);
    }
  }

  const pricing =
    s.pricing === undefined ? undefined : mapPricing(s.pricing, `${path}.pricing`, problems);

  return {
    kind: 'status',
    channel: 'whatsapp',
    channelAccountId,
    externalId: s.id,
    status,
    at: Number(s.timestamp) * 1000,
    recipientId: s.recipient_id ?? s.recipient_user_id ?? '',
    ...(s.biz_opaque_callback_data ? { ourMessageId: s.biz_opaque_callback_data } : {}),
    ...(error !== undefined ? { error } : {}),
    ...(pricing !== undefined ? { pricing } : {}),
  };
}

/**
 * Maps one webhook body (already JSON-parsed, signature already verified) to events, in payload
 * order: entries, then changes, then the messages and statuses of each change.
 *
 * @throws WebhookPayloadError when the body is not a WhatsApp Business Account webhook.
 */
export function parseWhatsAppWebhook(body: unknown): WhatsAppWebhookResult {
  const envelope = whatsAppWebhookEnvelopeSchema.safeParse(body);
  if (!envelope.success) {
    const { path, text } = describe(envelope.error, '');
    throw new WebhookPayloadError(`Not a WhatsApp Cloud API webhook: ${text}`, path);
  }

  const events: InboundEvent[] = [];
  const problems: string[] = [];

  envelope.data.entry.forEach((entry, e) => {
    entry.changes.forEach((change, c) => {
      const changePath = `entry[${e}].changes[${c}]`;
      if (change.field !== 'messages') {
        problems.push(`${changePath}.field: "${change.field}" is not handled (change ignored)`);
        return;
      }
      const value = whatsAppMessagesValueSchema.safeParse(change.value);
      if (!value.success) {
        problems.push(`${describe(value.error, `${changePath}.value`).text} (change skipped)`);
        return;
      }
      const valuePath = `${changePath}.value`;
      const { metadata, contacts = [], messages = [], statuses = [], errors = [] } = value.data;
      const channelAccountId = metadata.phone_number_id;

      const names = new Map<string, string>();
      contacts.forEach((raw, i) => {
        const contact = whatsAppContactSchema.safeParse(raw);
        if (!contact.success) {
          problems.push(`${describe(contact.error, `${valuePath}.contacts[${i}]`).text} (ignored)`);
          return;
        }
        const name = contact.data.profile?.name;
        if (!name) return;
        if (contact.data.wa_id) names.set(contact.data.wa_id, name);
        if (contact.data.user_id) names.set(contact.data.user_id, name);
      });

      messages.forEach((raw, i) => {
        const event = mapMessage(
          raw,
          `${valuePath}.messages[${i}]`,
          channelAccountId,
          names,
          problems,
        );
        if (event) events.push(event);
      });
      statuses.forEach((raw, i) => {
        const event = mapStatus(raw, `${valuePath}.statuses[${i}]`, channelAccountId, problems);
        if (event) events.push(event);
      });
      errors.forEach((raw, i) => problems.push(describeError(raw, `${valuePath}.errors[${i}]`)));
    });
  });

  return { events, problems };
}
