import { z } from 'zod';
import type { MessageContent } from '../../../shared/domain/model';
import { checkedContent, unsupported } from '../content';
import { LINE_REPLY_TOKEN_MS } from '../../../shared/reply-window/rules';
import { WebhookPayloadError, type ParsedDelivery } from '../connector';
import { compact, describe } from '../meta/paths';
import type { InboundCustomer, InboundEvent, InboundMessage } from '../types';

/**
 * LINE webhooks → our InboundEvents (CHANNEL-API.md §5.2, LINE's `webhook.yml`). A delivery is
 * `{"destination":"<bot user id>","events":[…]}`; the console's Verify button sends `events: []`.
 *
 * - `message` (text, image, video, audio, file, location, sticker) → a message whose id is
 *   LINE's `message.id` (the deduplication key, so a redelivery is stored once), from
 *   `source.userId`, with LINE's reply token and the instant it stops being worth using
 *   (`timestamp` + 50 s). A redelivered event's token is not attached: it is likely stale.
 * - `postback` (a button the customer tapped) → a `button_reply` with its data, keyed by its
 *   `webhookEventId`, with its reply token.
 * - `follow` / `unfollow` → unblocked / blocked; `unsend` → the message shows as removed.
 * - Group and room chats (`source.type` `group` / `room`) are one conversation per chat: its
 *   customer is the group (`groupId` / `roomId`, named from the group's summary by the hub's
 *   profile lookup), and each message names the member who wrote it (`sender`, `source.userId`;
 *   the hub looks up their display name). Replies go to the chat: the reply token, else a push
 *   to the group id.
 * - `join` / `leave` (the account added to or removed from a group or room) → unblocked /
 *   blocked with the reason, so a left group's composer says why it is closed.
 * - `memberJoined` / `memberLeft` are noted and ignored: a member's next message names them,
 *   and the hub's timeline has no activity lines yet.
 * - Everything else (`beacon`, `accountLink`, …) is noted as a problem.
 *
 * A body that is not LINE's webhook is refused whole (400); inside it each event is read alone.
 */

/**
 * How long after the customer's message the hub still uses its reply token (CHANNEL-API.md §5.6):
 * the reply window's own figure, so the countdown and the token end together.
 */
export const REPLY_TOKEN_LIFE_MS = LINE_REPLY_TOKEN_MS;

/** LINE's stickers as its CDN serves them (static PNG; not part of the Messaging API). */
export const stickerImageUrl = (stickerId: string): string =>
  `https://stickershop.line-scdn.net/stickershop/v1/sticker/${encodeURIComponent(stickerId)}/android/sticker.png`;

const id = z.string().min(1).max(200);

export const lineEnvelopeSchema = z.object({
  destination: id,
  events: z.array(z.unknown()),
});

const sourceSchema = z.object({
  type: z.enum(['user', 'group', 'room']),
  userId: id.optional(),
  groupId: id.optional(),
  roomId: id.optional(),
});

export const lineEventBaseSchema = z.object({
  type: z.string().min(1).max(100),
  timestamp: z.number().int().nonnegative(),
  mode: z.enum(['active', 'standby']).optional(),
  source: sourceSchema.optional(),
  webhookEventId: id,
  deliveryContext: z.object({ isRedelivery: z.boolean() }).optional(),
  replyToken: z.string().min(1).max(500).optional(),
});

const contentProviderSchema = z.object({
  type: z.enum(['line', 'external']),
  originalContentUrl: z.string().max(2048).optional(),
  previewImageUrl: z.string().max(2048).optional(),
});

export const lineMessageSchema = z.discriminatedUnion('type', [
  z.object({
    type: z.literal('text'),
    id,
    text: z.string(),
    quoteToken: z.string().optional(),
    quotedMessageId: id.optional(),
  }),
  z.object({
    type: z.literal('image'),
    id,
    contentProvider: contentProviderSchema,
    imageSet: z
      .object({
        id: z.string(),
        index: z.number().int().optional(),
        total: z.number().int().optional(),
      })
      .optional(),
  }),
  z.object({
    type: z.literal('video'),
    id,
    duration: z.number().int().nonnegative().optional(),
    contentProvider: contentProviderSchema,
  }),
  z.object({
    type: z.literal('audio'),
    id,
    duration: z.number().int().nonnegative().optional(),
    contentProvider: contentProviderSchema,
  }),
  z.object({
    type: z.literal('file'),
    id,
    fileName: z.string().max(500),
    fileSize: z.number().int().nonnegative(),
  }),
  z.object({
    type: z.literal('location'),
    id,
    title: z.string().max(1000).nullish(),
    address: z.string().max(1000).nullish(),
    latitude: z.number(),
    longitude: z.number(),
  }),
  z.object({
    type: z.literal('sticker'),
    id,
    packageId: id,
    stickerId: id,
    stickerResourceType: z.string().max(100).optional(),
    keywords: z.array(z.string().max(100)).max(100).optional(),
    text: z.string().max(1000).optional(),
    quotedMessageId: id.optional(),
  }),
]);

const postbackSchema = z.object({
  data: z.string().max(1000),
  params: z.record(z.string(), z.unknown()).optional(),
});
const unsendSchema = z.object({ messageId: id });
const followSchema = z.object({ isUnblocked: z.boolean().optional() }).optional();

/** Message types LINE may add later: kept as unsupported rather than dropped. */
const anyMessageSchema = z.object({ id, type: z.string().min(1).max(100) });

/** The file of an image, video or audio: LINE's (by message id) or an external URL. */
function mediaOf(
  messageId: string,
  provider: z.infer<typeof contentProviderSchema>,
  mimeType: string | undefined,
): { mediaId: string; mimeType?: string; url?: string } {
  return compact({
    mediaId: messageId,
    mimeType,
    url: provider.type === 'external' ? provider.originalContentUrl : undefined,
  });
}

function contentOf(message: z.infer<typeof lineMessageSchema>): MessageContent {
  switch (message.type) {
    case 'text':
      return { type: 'text', body: message.text };
    case 'image':
      return { type: 'image', media: mediaOf(message.id, message.contentProvider, undefined) };
    // LINE's videos are MP4 and its voice and audio messages M4A (MPEG-4 audio); the types also
    // tell the download to wait for LINE's transcoding.
    case 'video':
      return { type: 'video', media: mediaOf(message.id, message.contentProvider, 'video/mp4') };
    case 'audio':
      return { type: 'audio', media: mediaOf(message.id, message.contentProvider, 'audio/mp4') };
    case 'file':
      return { type: 'document', media: { mediaId: message.id, filename: message.fileName } };
    case 'location':
      return compact({
        type: 'location' as const,
        latitude: message.latitude,
        longitude: message.longitude,
        name: message.title ?? undefined,
        address: message.address ?? undefined,
      });
    case 'sticker': {
      const caption = message.text ?? message.keywords?.slice(0, 5).join(', ');
      return {
        type: 'sticker',
        media: compact({
          mediaId: `line-sticker:${message.packageId}:${message.stickerId}`,
          url: stickerImageUrl(message.stickerId),
          caption: caption === '' ? undefined : caption,
          animated: /ANIMATION|POPUP/.test(message.stickerResourceType ?? '') ? true : undefined,
        }),
      };
    }
  }
}

/** A postback's data, with the date or time the customer picked (datetime pickers). */
function postbackText(postback: z.infer<typeof postbackSchema>): string {
  const picked = Object.entries(postback.params ?? {})
    .filter(([, value]) => typeof value === 'string')
    .map(([key, value]) => `${key}: ${String(value)}`);
  const text = picked.length > 0 ? `${postback.data} (${picked.join(', ')})` : postback.data;
  return text.slice(0, 1000);
}

interface Context {
  readonly destination: string;
  readonly problems: string[];
  readonly events: InboundEvent[];
}

function mapEvent(ctx: Context, raw: unknown, path: string): void {
  const { destination, problems, events } = ctx;
  const base = lineEventBaseSchema.safeParse(raw);
  if (!base.success) {
    problems.push(`${describe(base.error, path).text} (event skipped)`);
    return;
  }
  const event = base.data;
  const record = raw as Record<string, unknown>;
  if (event.type === 'memberJoined' || event.type === 'memberLeft') {
    problems.push(
      `${path}: "${event.type}" events are not shown: a member's next message names them (event ignored)`,
    );
    return;
  }
  const known = ['message', 'postback', 'follow', 'unfollow', 'unsend', 'join', 'leave'];
  if (!known.includes(event.type)) {
    problems.push(`${path}: "${event.type}" events are not handled (event ignored)`);
    return;
  }
  const source = event.source;
  // A group or room is the conversation; the member who wrote is the message's sender.
  const chatId =
    source?.type === 'group'
      ? source.groupId
      : source?.type === 'room'
        ? source.roomId
        : source?.userId;
  if (!source || !chatId) {
    problems.push(
      `${path}.source: ${source ? `a ${source.type} chat without its ${source.type === 'user' ? 'userId' : `${source.type}Id`} is` : 'an event without a source is'} not handled (event ignored)`,
    );
    return;
  }
  const group = source.type !== 'user';
  const sender = group && source.userId ? { externalId: source.userId } : undefined;
  const customer: InboundCustomer = { externalId: chatId, name: null, phone: null };
  const redelivered = event.deliveryContext?.isRedelivery === true;
  // Standby events (another module owns the chat) carry no token; a redelivery's is stale.
  const replyToken =
    event.replyToken && event.mode !== 'standby' && !redelivered
      ? { token: event.replyToken, expiresAt: event.timestamp + REPLY_TOKEN_LIFE_MS }
      : undefined;
  const message = (
    externalId: string,
    content: MessageContent,
    replyTo: string | undefined,
    at: string,
  ): InboundMessage =>
    compact({
      kind: 'message' as const,
      channel: 'line' as const,
      channelAccountId: destination,
      externalId,
      customer,
      sentAt: event.timestamp,
      content: checkedContent(content, at, problems),
      replyToExternalId: replyTo,
      replyToken,
      sender,
    });

  switch (event.type) {
    case 'message': {
      const parsed = lineMessageSchema.safeParse(record['message']);
      if (!parsed.success) {
        const other = anyMessageSchema.safeParse(record['message']);
        const knownType = lineMessageSchema.options.some(
          (option) => option.shape.type.value === other.data?.type,
        );
        if (other.success && !knownType) {
          events.push(
            message(other.data.id, unsupported(other.data.type), undefined, `${path}.message`),
          );
          return;
        }
        problems.push(`${describe(parsed.error, `${path}.message`).text} (message skipped)`);
        return;
      }
      const m = parsed.data;
      const quoted = m.type === 'text' || m.type === 'sticker' ? m.quotedMessageId : undefined;
      events.push(message(m.id, contentOf(m), quoted, `${path}.message`));
      return;
    }
    case 'postback': {
      const parsed = postbackSchema.safeParse(record['postback']);
      if (!parsed.success) {
        problems.push(`${describe(parsed.error, `${path}.postback`).text} (event skipped)`);
        return;
      }
      const content: MessageContent = {
        type: 'button_reply',
        payload: parsed.data.data,
        text: postbackText(parsed.data),
      };
      events.push(message(event.webhookEventId, content, undefined, `${path}.postback`));
      return;
    }
    case 'follow':
    case 'unfollow': {
      const follow = followSchema.safeParse(record['follow']);
      if (!follow.success) {
        problems.push(`${describe(follow.error, `${path}.follow`).text} (event skipped)`);
        return;
      }
      // A follow is a new friend or an unblock (`follow.isUnblocked`): unblocked either way.
      events.push({
        kind: 'block',
        channel: 'line',
        channelAccountId: destination,
        externalId: event.webhookEventId,
        customer,
        blocked: event.type === 'unfollow',
        at: event.timestamp,
      });
      return;
    }
    case 'join':
    case 'leave': {
      if (!group) {
        problems.push(`${path}.source: "${event.type}" outside a group or room (event ignored)`);
        return;
      }
      // Added to the chat (again): it can be written to; removed: nothing reaches it any more.
      const chat = source.type === 'group' ? 'group' : 'chat';
      events.push(
        compact({
          kind: 'block' as const,
          channel: 'line' as const,
          channelAccountId: destination,
          externalId: event.webhookEventId,
          customer,
          blocked: event.type === 'leave',
          at: event.timestamp,
          reason:
            event.type === 'leave'
              ? `The LINE account was removed from this ${chat}: messages cannot be sent here until a member adds it again.`
              : undefined,
        }),
      );
      return;
    }
    case 'unsend': {
      const parsed = unsendSchema.safeParse(record['unsend']);
      if (!parsed.success) {
        problems.push(`${describe(parsed.error, `${path}.unsend`).text} (event skipped)`);
        return;
      }
      events.push({
        kind: 'removal',
        channel: 'line',
        channelAccountId: destination,
        externalId: parsed.data.messageId,
        at: event.timestamp,
      });
      return;
    }
  }
}

/**
 * Maps one verified, JSON-parsed delivery to events, in payload order.
 * @throws WebhookPayloadError when the body is not a LINE webhook.
 */
export function parseLineWebhook(body: unknown): ParsedDelivery {
  const envelope = lineEnvelopeSchema.safeParse(body);
  if (!envelope.success) {
    const { path, text } = describe(envelope.error, '');
    throw new WebhookPayloadError(`Not a LINE webhook: ${text}`, path);
  }
  const ctx: Context = { destination: envelope.data.destination, problems: [], events: [] };
  envelope.data.events.forEach((raw, i) => mapEvent(ctx, raw, `events[${i}]`));
  const lost = ctx.problems.filter((problem) => /\((message|event) skipped\)$/.test(problem));
  return { events: ctx.events, problems: ctx.problems, lost };
}
