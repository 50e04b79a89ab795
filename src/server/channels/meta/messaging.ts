import { createHash } from 'node:crypto';
import { z } from 'zod';
import type { MessageContent } from '../../../shared/domain/model';
import { checkedContent, unsupported } from '../content';
import type { EntryPoint } from '../../../shared/reply-window/types';
import { WebhookPayloadError, type ParsedDelivery } from '../connector';
import type {
  InboundCustomer,
  InboundEcho,
  InboundEvent,
  InboundMessage,
  InboundReceipt,
  InboundStatus,
} from '../types';
import { compact, describe } from './paths';

/**
 * Messenger Platform and Instagram Direct webhooks → our InboundEvents (CHANNEL-API.md §1.2–1.3,
 * §2.2; Meta's webhook-events reference). Both send
 * `{"object":"page"|"instagram","entry":[{"id","time","messaging":[<event>]}]}` where each event
 * has `sender`, `recipient`, `timestamp` and one of `message`, `postback`, `delivery`, `read`,
 * `reaction`, `referral`.
 *
 * As for WhatsApp: a body that is not this channel's webhook is refused whole (400, nothing
 * stored); inside it each event is read on its own, so one odd event never makes Meta retry (and
 * us refuse again) the good ones beside it; content we cannot read is kept as `unsupported`.
 *
 * Echoes (`message.is_echo`, the Page's own messages) are the business's: an echo of a message
 * this hub sent — its `metadata` names our message (`replydesk:<id>`, set by the sender), or its
 * `app_id` is ours — becomes a `sent` status of that message (it settles a send whose answer was
 * lost, and is never stored twice); any other echo (Meta Business Suite, another app) is stored
 * as an agent's message.
 */

/** What the sender puts in `message.metadata`, echoed back by Meta: `replydesk:<our id>`. */
export const OUR_METADATA_PREFIX = 'replydesk:';

export interface MetaMessagingOptions {
  readonly channel: 'messenger' | 'instagram';
  /** The envelope's `object`. */
  readonly object: 'page' | 'instagram';
  /** For messages: "Messenger", "Instagram". */
  readonly label: string;
  /** This hub's Meta app id (`appId` setting), '' when not set: echoes from it are ours. */
  readonly ourAppId: string;
}

// ---------------------------------------------------------------------------------------------
// Schemas
// ---------------------------------------------------------------------------------------------

/** Meta's ids are strings, but app ids and sticker ids come as JSON numbers. */
const idLike = z
  .union([z.string().min(1).max(512), z.number().int().nonnegative()])
  .transform(String);

export const metaEnvelopeSchema = z.object({
  object: z.string(),
  entry: z.array(
    z.object({
      id: idLike,
      time: z.number().optional(),
      messaging: z.array(z.unknown()).optional(),
      /** Events of threads another app controls (handover protocol). */
      standby: z.array(z.unknown()).optional(),
    }),
  ),
});

/** Milliseconds; a few older examples (postbacks) show seconds, which are scaled. */
const timestampSchema = z
  .number()
  .int()
  .nonnegative()
  .transform((t) => (t < 1e12 ? t * 1000 : t));

export const metaEventBaseSchema = z.object({
  sender: z.object({ id: idLike }),
  recipient: z.object({ id: idLike }),
  timestamp: timestampSchema,
});

const referralSchema = z.object({
  ref: z.string().max(1000).optional(),
  source: z.string().max(100).optional(),
  type: z.string().max(100).optional(),
  ad_id: idLike.optional(),
  ads_context_data: z.object({ ad_title: z.string().max(1000).optional() }).optional(),
});

const attachmentSchema = z.object({
  type: z.string().min(1).max(100),
  /** Fallback attachments put the link beside the payload. */
  title: z.string().max(1000).nullish(),
  url: z.string().max(2048).nullish(),
  payload: z
    .object({
      url: z.string().max(2048).optional(),
      title: z.string().max(1000).optional(),
      sticker_id: idLike.optional(),
      coordinates: z.object({ lat: z.number(), long: z.number() }).optional(),
    })
    .nullish(),
});

export const metaMessageSchema = z.object({
  mid: z.string().min(1).max(512),
  text: z.string().optional(),
  is_echo: z.boolean().optional(),
  is_deleted: z.boolean().optional(),
  app_id: idLike.optional(),
  metadata: z.string().max(1000).optional(),
  quick_reply: z.object({ payload: z.string().max(1000) }).optional(),
  reply_to: z
    .object({
      mid: z.string().max(512).optional(),
      story: z.object({ id: idLike.optional(), url: z.string().max(2048).optional() }).optional(),
    })
    .optional(),
  attachments: z.array(z.unknown()).optional(),
  referral: referralSchema.optional(),
});

export const metaPostbackSchema = z.object({
  mid: z.string().min(1).max(512).optional(),
  title: z.string().max(1000).default(''),
  payload: z.string().max(1000).default(''),
  referral: referralSchema.optional(),
});

const deliverySchema = z.object({
  mids: z.array(z.string()).optional(),
  watermark: timestampSchema,
});
/** Messenger gives a watermark; Instagram (`messaging_seen`) the mid of the message read. */
const readSchema = z.union([
  z.object({ watermark: timestampSchema }),
  z.object({ mid: z.string().min(1).max(512) }),
]);
const reactionSchema = z.object({
  mid: z.string().min(1).max(512),
  action: z.enum(['react', 'unreact']),
  emoji: z.string().max(32).optional(),
  reaction: z.string().max(100).optional(),
});

// ---------------------------------------------------------------------------------------------
// Mapping
// ---------------------------------------------------------------------------------------------

/**
 * Meta gives attachments no id of their own: the message's mid and the attachment's place name
 * it (hashed when that would not fit the model's 200 characters).
 */
function mediaIdOf(mid: string, index: number): string {
  const id = `${mid}.${index}`;
  return id.length <= 200 ? id : `sha256:${createHash('sha256').update(id).digest('hex')}`;
}

const MEDIA_TYPES: Readonly<Record<string, 'image' | 'video' | 'audio' | 'document'>> = {
  image: 'image',
  video: 'video',
  audio: 'audio',
  file: 'document',
};
const SHARE_TYPES = new Set(['fallback', 'share', 'ig_reel', 'reel', 'ig_post']);

function mapAttachment(
  raw: unknown,
  mid: string,
  index: number,
  path: string,
  problems: string[],
): MessageContent {
  const parsed = attachmentSchema.safeParse(raw);
  if (!parsed.success) {
    problems.push(`${describe(parsed.error, path).text} (kept as unsupported)`);
    return unsupported('attachment');
  }
  const { type, payload } = parsed.data;
  const url = payload?.url ?? parsed.data.url ?? undefined;
  const title = payload?.title ?? parsed.data.title ?? undefined;
  // Stickers: the legacy `image` item with a sticker_id, or (from 2026-06) type `sticker`.
  if (type === 'sticker' || (type === 'image' && payload?.sticker_id !== undefined)) {
    const media = compact({ mediaId: payload?.sticker_id ?? mediaIdOf(mid, index), url });
    return { type: 'sticker', media };
  }
  const mediaType = MEDIA_TYPES[type];
  if (mediaType) {
    if (url === undefined) {
      problems.push(`${path}.payload.url: expected the file's URL (kept as unsupported)`);
      return unsupported(type);
    }
    return { type: mediaType, media: { mediaId: mediaIdOf(mid, index), url } };
  }
  if (type === 'location') {
    const at = payload?.coordinates;
    if (!at) return unsupported(type);
    return compact({
      type: 'location' as const,
      latitude: at.lat,
      longitude: at.long,
      name: title,
      url,
    });
  }
  if (type === 'story_mention') return compact({ type: 'story' as const, mention: true, url });
  if (SHARE_TYPES.has(type)) {
    if (url === undefined) return unsupported(type);
    return compact({ type: 'share' as const, url, title, originalType: type });
  }
  // `template` (echoes of generic templates), `product`, and whatever Meta adds.
  return unsupported(type);
}

function entryPointOf(referral: z.infer<typeof referralSchema> | undefined): EntryPoint | null {
  if (!referral) return null;
  // Click-to-Messenger ads open the longer window (reply-window rules); links and codes do not.
  return referral.source === 'ADS' || referral.ad_id !== undefined ? 'ad_referral' : 'organic';
}

interface Context {
  readonly options: MetaMessagingOptions;
  readonly problems: string[];
  readonly events: InboundEvent[];
}

/** The contents of one `message` (one per attachment; the text beside them as its own). */
function contentsOf(
  message: z.infer<typeof metaMessageSchema>,
  path: string,
  problems: string[],
): { externalId: string; content: MessageContent }[] {
  const { mid, text } = message;
  const story = message.reply_to?.story;
  if (story) {
    return [
      {
        externalId: mid,
        content: compact({
          type: 'story' as const,
          mention: false,
          url: story.url,
          storyId: story.id,
          text,
        }),
      },
    ];
  }
  const attachments = message.attachments ?? [];
  // From 2026-06-01 a sticker comes twice: as `sticker` and as the legacy `image` with its id.
  const hasSticker = attachments.some(
    (a) => typeof a === 'object' && a !== null && (a as { type?: unknown }).type === 'sticker',
  );
  const contents: MessageContent[] = [];
  if (text !== undefined && text !== '') {
    contents.push(
      message.quick_reply
        ? { type: 'interactive_reply', replyId: message.quick_reply.payload, title: text }
        : { type: 'text', body: text },
    );
  }
  attachments.forEach((raw, i) => {
    const item = attachmentSchema.safeParse(raw).data;
    if (hasSticker && item?.type === 'image' && item.payload?.sticker_id !== undefined) return;
    contents.push(mapAttachment(raw, mid, i, `${path}.attachments[${i}]`, problems));
  });
  if (contents.length === 0) contents.push(unsupported('message'));
  // One message per part: the first is the mid itself, the others are named after it.
  const out = contents.map((content, k) => ({
    externalId: k === 0 ? mid : `${mid}#${k}`,
    content,
  }));
  return out;
}

function mapMessageEvent(
  ctx: Context,
  base: z.infer<typeof metaEventBaseSchema>,
  raw: Record<string, unknown>,
  path: string,
): void {
  const { options, problems, events } = ctx;
  const parsed = metaMessageSchema.safeParse(raw['message']);
  if (!parsed.success) {
    problems.push(`${describe(parsed.error, `${path}.message`).text} (message skipped)`);
    return;
  }
  const message = parsed.data;
  const { channel } = options;
  const echo = message.is_echo === true;
  // An echo goes from the business (sender) to the customer (recipient).
  const account = echo ? base.sender.id : base.recipient.id;
  const customerId = echo ? base.recipient.id : base.sender.id;

  if (message.is_deleted === true) {
    events.push({
      kind: 'removal',
      channel,
      channelAccountId: account,
      externalId: message.mid,
      at: base.timestamp,
    });
    return;
  }

  if (echo) {
    const ourId = message.metadata?.startsWith(OUR_METADATA_PREFIX)
      ? message.metadata.slice(OUR_METADATA_PREFIX.length)
      : null;
    const fromUs = options.ourAppId !== '' && message.app_id === options.ourAppId;
    if (ourId !== null || fromUs) {
      // Ours: it settles our message (and a send whose answer was lost), it is not stored again.
      const status: InboundStatus = {
        kind: 'status',
        channel,
        channelAccountId: account,
        externalId: message.mid,
        status: 'sent',
        at: base.timestamp,
        recipientId: customerId,
        ...(ourId ? { ourMessageId: ourId } : {}),
      };
      events.push(status);
      return;
    }
  }

  const customer: InboundCustomer = { externalId: customerId, name: null, phone: null };
  const replyTo = message.reply_to?.mid;
  const entryPoint = entryPointOf(message.referral);
  for (const { externalId, content } of contentsOf(message, `${path}.message`, problems)) {
    const common = {
      channel,
      channelAccountId: account,
      externalId,
      customer,
      sentAt: base.timestamp,
      content: checkedContent(content, `${path}.message`, problems, content.type),
      ...(replyTo ? { replyToExternalId: replyTo } : {}),
    };
    if (echo) events.push({ kind: 'echo', ...common } satisfies InboundEcho);
    else
      events.push({
        kind: 'message',
        ...common,
        ...(entryPoint ? { entryPoint } : {}),
      } satisfies InboundMessage);
  }
}

function mapEvent(ctx: Context, raw: unknown, path: string): void {
  const { options, problems, events } = ctx;
  const { channel } = options;
  const base = metaEventBaseSchema.safeParse(raw);
  if (!base.success) {
    problems.push(`${describe(base.error, path).text} (event skipped)`);
    return;
  }
  const record = raw as Record<string, unknown>;
  const { sender, recipient, timestamp } = base.data;
  const customer: InboundCustomer = { externalId: sender.id, name: null, phone: null };
  const inbound = (externalId: string, content: MessageContent, entryPoint: EntryPoint | null) =>
    events.push({
      kind: 'message',
      channel,
      channelAccountId: recipient.id,
      externalId,
      customer,
      sentAt: timestamp,
      content: checkedContent(content, path, problems, content.type),
      ...(entryPoint ? { entryPoint } : {}),
    });

  if (record['message'] !== undefined) return mapMessageEvent(ctx, base.data, record, path);

  if (record['postback'] !== undefined) {
    const postback = metaPostbackSchema.safeParse(record['postback']);
    if (!postback.success) {
      problems.push(`${describe(postback.error, `${path}.postback`).text} (event skipped)`);
      return;
    }
    const { mid, title, payload, referral } = postback.data;
    return void inbound(
      mid ?? `postback.${sender.id}.${timestamp}`,
      { type: 'button_reply', payload, text: title },
      entryPointOf(referral),
    );
  }

  if (record['reaction'] !== undefined) {
    const reaction = reactionSchema.safeParse(record['reaction']);
    if (!reaction.success) {
      problems.push(`${describe(reaction.error, `${path}.reaction`).text} (event skipped)`);
      return;
    }
    const { mid, action, emoji } = reaction.data;
    return void inbound(
      `reaction.${sender.id}.${timestamp}.${action}`,
      { type: 'reaction', emoji: action === 'unreact' ? '' : (emoji ?? ''), targetExternalId: mid },
      null,
    );
  }

  if (record['referral'] !== undefined) {
    const referral = referralSchema.safeParse(record['referral']);
    if (!referral.success) {
      problems.push(`${describe(referral.error, `${path}.referral`).text} (event skipped)`);
      return;
    }
    const r = referral.data;
    return void inbound(
      `referral.${sender.id}.${timestamp}`,
      compact({
        type: 'referral' as const,
        source: r.source ?? 'UNKNOWN',
        ref: r.ref,
        adId: r.ad_id,
        adTitle: r.ads_context_data?.ad_title,
      }),
      entryPointOf(r),
    );
  }

  const receipt = (status: InboundReceipt['status'], key: string, schema: z.ZodType) => {
    const parsed = schema.safeParse(record[key]);
    if (!parsed.success) {
      problems.push(`${describe(parsed.error, `${path}.${key}`).text} (receipt ignored)`);
      return;
    }
    const data = parsed.data as { watermark?: number; mid?: string };
    events.push({
      kind: 'receipt',
      channel,
      // A receipt goes from the customer (sender) about the business's messages.
      channelAccountId: recipient.id,
      customerExternalId: sender.id,
      externalId: `${status}.${sender.id}.${data.watermark ?? data.mid ?? timestamp}`,
      status,
      at: timestamp,
      ...(data.watermark !== undefined ? { watermark: data.watermark } : {}),
      ...(data.mid !== undefined ? { upToExternalId: data.mid } : {}),
    });
  };
  if (record['delivery'] !== undefined) return receipt('delivered', 'delivery', deliverySchema);
  if (record['read'] !== undefined) return receipt('read', 'read', readSchema);

  const kind = Object.keys(record).find(
    (key) => !['sender', 'recipient', 'timestamp'].includes(key),
  );
  problems.push(`${path}: "${kind ?? 'empty'}" events are not handled (event ignored)`);
}

/**
 * Maps one verified, JSON-parsed delivery to events, in payload order.
 * @throws WebhookPayloadError when the body is not this channel's webhook.
 */
export function parseMetaMessaging(body: unknown, options: MetaMessagingOptions): ParsedDelivery {
  const envelope = metaEnvelopeSchema.safeParse(body);
  if (!envelope.success) {
    const { path, text } = describe(envelope.error, '');
    throw new WebhookPayloadError(`Not a ${options.label} webhook: ${text}`, path);
  }
  if (envelope.data.object !== options.object) {
    throw new WebhookPayloadError(
      `Not a ${options.label} webhook: object is "${envelope.data.object.slice(0, 50)}", expected "${options.object}"`,
      'object',
    );
  }
  const ctx: Context = { options, problems: [], events: [] };
  envelope.data.entry.forEach((entry, e) => {
    (entry.messaging ?? []).forEach((raw, i) => mapEvent(ctx, raw, `entry[${e}].messaging[${i}]`));
    // Threads another app controls: their messages are the customer's all the same.
    (entry.standby ?? []).forEach((raw, i) => mapEvent(ctx, raw, `entry[${e}].standby[${i}]`));
  });
  const lost = ctx.problems.filter((problem) => /\((message|event) skipped\)$/.test(problem));
  return { events: ctx.events, problems: ctx.problems, lost };
}
