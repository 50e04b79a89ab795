import { z } from 'zod';
import type { MessageContent } from '../../../shared/domain/model';
import {
  settingOf,
  WebhookPayloadError,
  type ChannelSettings,
  type ParsedDelivery,
  type Refusal,
  type WebhookDelivery,
} from '../connector';
import type { InboundBlock, InboundCustomer, InboundEvent } from '../types';
import { parseExactJson, tokenText } from './exact-json';
import { viberAccountId, welcomeAnswer } from './settings';
import { verifyViberSignature } from './signature';

/**
 * Viber callbacks (CHANNEL-API.md §6.2): one event per POST, `{"event","timestamp",
 * "message_token",…}`. `message` → a message; `delivered` / `seen` / `failed` → the status of our
 * message with that token; `subscribed` / `unsubscribed` → blocked or not; `conversation_started`
 * and the `webhook` check at set_webhook → nothing stored.
 */

// --- Exact tokens ----------------------------------------------------------------------------

/**
 * The HTTP layer hands `parse` the body from `JSON.parse`, which has already rounded a 64-bit
 * `message_token` (exact-json.ts). `verify` has the raw bytes, and runs right before `parse` on
 * the same delivery, so it reads the exact token there and leaves it here under what `parse` will
 * see: the event, its timestamp and the rounded token. Bounded; an entry is taken once.
 * (A `raw` argument to `parse` would make this unnecessary: see docs/channels/viber.md.)
 */
const exactTokens = new Map<string, string>();
const MAX_REMEMBERED = 1000;

const tokenKey = (event: unknown, timestamp: unknown, rounded: number): string =>
  `${String(event)}|${String(timestamp)}|${String(rounded)}`;

function rememberExactToken(raw: Buffer): void {
  let exact: unknown;
  try {
    exact = parseExactJson(raw.toString('utf8'));
  } catch {
    return; // parse will say what is wrong with it
  }
  if (typeof exact !== 'object' || exact === null) return;
  const { event, timestamp, message_token: token } = exact as Record<string, unknown>;
  if (typeof token !== 'string') return; // absent, or small enough to survive JSON.parse
  if (exactTokens.size >= MAX_REMEMBERED) {
    const oldest = exactTokens.keys().next().value;
    if (oldest !== undefined) exactTokens.delete(oldest);
  }
  exactTokens.set(tokenKey(event, timestamp, Number(token)), token);
}

function exactToken(
  token: string | number,
  event: string,
  timestamp: number,
  problems: string[],
): string {
  if (typeof token === 'string' || Number.isSafeInteger(token)) return tokenText(token);
  const key = tokenKey(event, timestamp, token);
  const exact = exactTokens.get(key);
  if (exact !== undefined) {
    exactTokens.delete(key);
    return exact;
  }
  problems.push(
    `message_token: ${BigInt(token).toString()} is above 2^53 and its exact digits were not available; used as rounded.`,
  );
  return BigInt(token).toString();
}

// --- Verification ----------------------------------------------------------------------------

export function viberVerify(
  delivery: WebhookDelivery,
  settings: ChannelSettings,
): { ok: true } | Refusal {
  const header = delivery.headers['x-viber-content-signature'];
  if (header === undefined) {
    return {
      ok: false,
      reason: 'A delivery without X-Viber-Content-Signature was refused.',
      message: 'The X-Viber-Content-Signature header is missing.',
    };
  }
  if (!verifyViberSignature(delivery.raw, header, settingOf(settings, 'authToken'))) {
    return {
      ok: false,
      reason:
        'A delivery with a wrong X-Viber-Content-Signature was refused (forged, or signed with another bot’s auth token).',
      message: 'The X-Viber-Content-Signature does not match the body.',
    };
  }
  rememberExactToken(delivery.raw);
  return { ok: true };
}

// --- Schemas ---------------------------------------------------------------------------------

/** Exact digits, or a number (rounded when above 2^53, which `z.number().int()` would refuse). */
const tokenSchema = z.union([
  z.string().regex(/^\d{1,20}$/),
  z.number().nonnegative().refine(Number.isInteger),
]);
const timestampSchema = z.number().int().nonnegative();

const envelopeSchema = z
  .object({
    event: z.string().min(1).max(100),
    timestamp: timestampSchema.optional(),
    message_token: tokenSchema.optional(),
  })
  .passthrough();

const userSchema = z
  .object({
    id: z.string().min(1).max(200),
    name: z.string().max(500).optional(),
    avatar: z.string().max(2048).optional(),
    country: z.string().max(10).optional(),
    language: z.string().max(20).optional(),
    api_version: z.number().int().optional(),
  })
  .passthrough();

const optionalText = z.string().max(65_536).optional();
const mediaUrl = z.string().url().max(2048);

const messageBodySchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('text'), text: z.string().max(65_536) }).passthrough(),
  z
    .object({
      type: z.literal('picture'),
      media: mediaUrl,
      text: optionalText,
      file_name: z.string().max(500).optional(),
      thumbnail: z.string().max(2048).optional(),
    })
    .passthrough(),
  z
    .object({
      type: z.literal('video'),
      media: mediaUrl,
      size: z.number().int().nonnegative().optional(),
      duration: z.number().nonnegative().optional(),
      text: optionalText,
      thumbnail: z.string().max(2048).optional(),
    })
    .passthrough(),
  z
    .object({
      type: z.literal('file'),
      media: mediaUrl,
      size: z.number().int().nonnegative().optional(),
      file_name: z.string().max(500).optional(),
    })
    .passthrough(),
  z
    .object({
      type: z.literal('sticker'),
      sticker_id: z.union([z.number().int(), z.string().max(100)]),
      media: mediaUrl.optional(),
    })
    .passthrough(),
  z
    .object({
      type: z.literal('contact'),
      contact: z.object({
        name: z.string().max(500).optional(),
        phone_number: z.string().max(100).optional(),
      }),
    })
    .passthrough(),
  z.object({ type: z.literal('url'), media: z.string().min(1).max(2048) }).passthrough(),
  z
    .object({
      type: z.literal('location'),
      location: z.object({
        lat: z.number().min(-90).max(90),
        lon: z.number().min(-180).max(180),
        address: z.string().max(1000).optional(),
      }),
    })
    .passthrough(),
]);

const messageEventSchema = z.object({
  timestamp: timestampSchema,
  message_token: tokenSchema,
  sender: userSchema,
  message: z.object({ type: z.string().min(1).max(100) }).passthrough(),
});
const statusEventSchema = z.object({
  timestamp: timestampSchema,
  message_token: tokenSchema,
  user_id: z.string().min(1).max(200),
  desc: z.string().max(2000).optional(),
});
const subscribedSchema = z.object({
  timestamp: timestampSchema,
  message_token: tokenSchema.optional(),
  user: userSchema,
});
const unsubscribedSchema = z.object({
  timestamp: timestampSchema,
  message_token: tokenSchema.optional(),
  user_id: z.string().min(1).max(200),
});
const conversationStartedSchema = z.object({
  timestamp: timestampSchema,
  type: z.string().max(100).optional(),
  context: z.string().max(1000).optional(),
  user: userSchema,
  subscribed: z.boolean().optional(),
});

// --- Mapping ---------------------------------------------------------------------------------

/** Viber writes the UK as `UK` (its docs' example); the rate card and ISO 3166 say `GB`. */
function countryOf(country: string | undefined): string | null {
  if (!country) return null;
  const upper = country.trim().toUpperCase();
  if (!/^[A-Z]{2}$/.test(upper)) return null;
  return upper === 'UK' ? 'GB' : upper;
}

function customerOf(user: z.infer<typeof userSchema>): InboundCustomer {
  return {
    externalId: user.id,
    name: user.name?.trim() ? user.name : null,
    phone: null,
    country: countryOf(user.country),
    language: user.language ?? null,
  };
}

const issueText = (error: z.ZodError): string =>
  error.issues
    .slice(0, 3)
    .map((issue) => `${issue.path.join('.') || '(body)'}: ${issue.message}`)
    .join('; ');

/** A message's content, or null with the reason when Viber's body for its type is not readable. */
export function contentOf(
  message: unknown,
  mediaId: string,
): { ok: true; content: MessageContent } | { ok: false; problem: string } {
  const type = (message as { type?: unknown }).type;
  const known = ['text', 'picture', 'video', 'file', 'sticker', 'contact', 'url', 'location'];
  if (typeof type === 'string' && !known.includes(type)) {
    // rich_media, keyboard replies of other bots…: shown as such, never dropped.
    return { ok: true, content: { type: 'unsupported', originalType: type.slice(0, 100) } };
  }
  const parsed = messageBodySchema.safeParse(message);
  if (!parsed.success) return { ok: false, problem: `message: ${issueText(parsed.error)}` };
  const m = parsed.data;
  switch (m.type) {
    case 'text':
      return { ok: true, content: { type: 'text', body: m.text } };
    case 'picture':
      return {
        ok: true,
        content: {
          type: 'image',
          media: {
            mediaId,
            url: m.media,
            ...(m.text ? { caption: m.text } : {}),
            ...(m.file_name ? { filename: m.file_name } : {}),
          },
        },
      };
    case 'video':
      return {
        ok: true,
        content: {
          type: 'video',
          media: { mediaId, url: m.media, ...(m.text ? { caption: m.text } : {}) },
        },
      };
    case 'file':
      return {
        ok: true,
        content: {
          type: 'document',
          media: { mediaId, url: m.media, ...(m.file_name ? { filename: m.file_name } : {}) },
        },
      };
    case 'sticker':
      return {
        ok: true,
        content: {
          type: 'sticker',
          media: { mediaId: String(m.sticker_id), ...(m.media ? { url: m.media } : {}) },
        },
      };
    case 'contact':
      return {
        ok: true,
        content: {
          type: 'contacts',
          contacts: [
            {
              name: m.contact.name ?? m.contact.phone_number ?? '',
              phones: m.contact.phone_number ? [m.contact.phone_number] : [],
              emails: [],
            },
          ],
        },
      };
    case 'url':
      return { ok: true, content: { type: 'share', url: m.media, originalType: 'url' } };
    case 'location':
      return {
        ok: true,
        content: {
          type: 'location',
          latitude: m.location.lat,
          longitude: m.location.lon,
          ...(m.location.address ? { address: m.location.address } : {}),
        },
      };
  }
}

const STATUS_OF = { delivered: 'delivered', seen: 'read', failed: 'failed' } as const;

/** Map one verified Viber callback to events. */
export function parseViberCallback(body: unknown, settings: ChannelSettings): ParsedDelivery {
  const envelope = envelopeSchema.safeParse(body);
  if (!envelope.success) {
    throw new WebhookPayloadError(
      `Not a Viber callback: ${issueText(envelope.error)}`,
      envelope.error.issues[0]?.path.join('.') || '(body)',
    );
  }
  const { event } = envelope.data;
  const channelAccountId = viberAccountId(settings);
  const events: InboundEvent[] = [];
  const problems: string[] = [];
  const lost: string[] = [];
  const base = { channel: 'viber', channelAccountId } as const;
  /** `subscribed` / `unsubscribed`: named by its message token (else its time), in order. */
  const blockEvent = (
    e: { readonly timestamp: number; readonly message_token?: z.infer<typeof tokenSchema> },
    customer: InboundCustomer,
    blocked: boolean,
  ): InboundBlock => {
    const token =
      e.message_token === undefined
        ? String(e.timestamp)
        : exactToken(e.message_token, event, e.timestamp, problems);
    return {
      ...base,
      kind: 'block',
      externalId: `${event}:${token}`,
      customer,
      blocked,
      at: e.timestamp,
    };
  };

  switch (event) {
    case 'webhook':
      // The check Viber sends at set_webhook: answered 200, nothing to store.
      break;

    case 'message': {
      const parsed = messageEventSchema.safeParse(body);
      if (!parsed.success) {
        lost.push(`message: ${issueText(parsed.error)}`);
        break;
      }
      const e = parsed.data;
      const externalId = exactToken(e.message_token, event, e.timestamp, problems);
      const content = contentOf(e.message, externalId);
      if (!content.ok) {
        lost.push(`message ${externalId}: ${content.problem}`);
        break;
      }
      events.push({
        ...base,
        kind: 'message',
        externalId,
        customer: customerOf(e.sender),
        sentAt: e.timestamp,
        content: content.content,
      });
      break;
    }

    case 'delivered':
    case 'seen':
    case 'failed': {
      const parsed = statusEventSchema.safeParse(body);
      if (!parsed.success) {
        problems.push(`${event}: ${issueText(parsed.error)}`);
        break;
      }
      const e = parsed.data;
      events.push({
        ...base,
        kind: 'status',
        externalId: exactToken(e.message_token, event, e.timestamp, problems),
        status: STATUS_OF[event],
        at: e.timestamp,
        recipientId: e.user_id,
        ...(event === 'failed'
          ? {
              error: {
                code: 'viber_failed',
                title: e.desc?.trim() ? e.desc : 'Viber could not deliver the message.',
              },
            }
          : {}),
      });
      break;
    }

    case 'subscribed': {
      const parsed = subscribedSchema.safeParse(body);
      if (!parsed.success) {
        problems.push(`subscribed: ${issueText(parsed.error)}`);
        break;
      }
      const e = parsed.data;
      events.push(blockEvent(e, customerOf(e.user), false));
      break;
    }

    case 'unsubscribed': {
      const parsed = unsubscribedSchema.safeParse(body);
      if (!parsed.success) {
        problems.push(`unsubscribed: ${issueText(parsed.error)}`);
        break;
      }
      const e = parsed.data;
      events.push(blockEvent(e, { externalId: e.user_id, name: null, phone: null }, true));
      break;
    }

    case 'conversation_started': {
      const parsed = conversationStartedSchema.safeParse(body);
      if (!parsed.success) {
        problems.push(`conversation_started: ${issueText(parsed.error)}`);
        break;
      }
      const e = parsed.data;
      const context = e.context ? ` (context "${e.context}")` : '';
      const welcome = e.subscribed === true ? null : welcomeAnswer(settings);
      if (!welcome) {
        problems.push(
          `conversation_started: ${e.user.id} opened the chat${context}; nothing stored.`,
        );
        break;
      }
      // The welcome goes out in the HTTP answer (index.ts `answer`); the conversation keeps it as
      // the business's message, so the agent sees what the customer was told.
      events.push({
        ...base,
        kind: 'echo',
        externalId: `welcome:${e.user.id}:${e.timestamp}`,
        customer: customerOf(e.user),
        sentAt: e.timestamp,
        content: { type: 'text', body: welcome.text },
      });
      break;
    }

    default:
      problems.push(`event: "${event}" is not one Replydesk reads; nothing stored.`);
  }
  return { events, problems, lost };
}
