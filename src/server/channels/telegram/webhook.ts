import { timingSafeEqual } from 'node:crypto';
import { z } from 'zod';
import type { MessageContent } from '../../../shared/domain/model';
import { checkedContent, unsupported } from '../content';
import {
  settingOf,
  WebhookPayloadError,
  type ChannelConnector,
  type ChannelSettings,
  type ParsedDelivery,
} from '../connector';
import { compact, describe } from '../meta/paths';
import type { InboundCustomer, InboundEvent } from '../types';
import { botIdOf } from './settings';

/**
 * Telegram Bot API webhooks → our InboundEvents (CHANNEL-API.md §4.1–4.2; core.telegram.org/
 * bots/api#update). Telegram POSTs one `Update` per request: `{"update_id", <one of> "message",
 * "edited_message", "callback_query", "my_chat_member", …}`.
 *
 * - A message's id is `<chat.id>:<message_id>` (message ids are per chat), so a redelivered
 *   update — and a reply naming the message — finds the same one.
 * - The customer is the chat: its id is what the bot sends to.
 * - An update of a type we do not handle is a problem, not a loss (answered 200; Telegram would
 *   otherwise retry it for nothing). A body that is not an Update is refused whole (400).
 */

export const SECRET_HEADER = 'x-telegram-bot-api-secret-token';

/**
 * `X-Telegram-Bot-Api-Secret-Token` must equal the secret given to setWebhook: a shared secret,
 * not an HMAC. Compared in constant time after a length check (timingSafeEqual needs equal
 * lengths); an unset secret never matches.
 */
export const telegramVerify: ChannelConnector['verify'] = ({ headers }, settings) => {
  const expected = Buffer.from(settingOf(settings, 'webhookSecret'), 'utf8');
  const header = headers[SECRET_HEADER];
  const given = Buffer.from(typeof header === 'string' ? header : '', 'utf8');
  const ok =
    expected.length > 0 && given.length === expected.length && timingSafeEqual(given, expected);
  return ok
    ? { ok: true }
    : {
        ok: false,
        reason: 'A delivery was refused: its X-Telegram-Bot-Api-Secret-Token was missing or wrong.',
        message: 'The X-Telegram-Bot-Api-Secret-Token header is missing or wrong.',
      };
};

// ---------------------------------------------------------------------------------------------
// Schemas (core.telegram.org/bots/api#available-types; only the fields we read)
// ---------------------------------------------------------------------------------------------

/** Chat and user ids fit in 52 bits; file ids and names are bounded by the model. */
const chatIdSchema = z.number().int().safe();
const fileIdSchema = z.string().min(1).max(200);
const dateSchema = z.number().int().nonnegative();

export const userSchema = z.object({
  id: chatIdSchema,
  is_bot: z.boolean().optional(),
  first_name: z.string().max(256).optional(),
  last_name: z.string().max(256).optional(),
  username: z.string().max(64).optional(),
  language_code: z.string().max(35).optional(),
});

export const chatSchema = z.object({
  id: chatIdSchema,
  type: z.string().max(32),
  title: z.string().max(256).optional(),
  username: z.string().max(64).optional(),
  first_name: z.string().max(256).optional(),
  last_name: z.string().max(256).optional(),
});

const fileSchema = z.object({
  file_id: fileIdSchema,
  file_unique_id: z.string().max(200).optional(),
  file_size: z.number().int().nonnegative().optional(),
});
const namedFileSchema = fileSchema.extend({
  file_name: z.string().max(500).optional(),
  mime_type: z.string().max(200).optional(),
});
const photoSizeSchema = fileSchema.extend({ width: z.number(), height: z.number() });

const inlineKeyboardSchema = z.object({
  inline_keyboard: z.array(
    z.array(z.object({ text: z.string(), callback_data: z.string().optional() }).passthrough()),
  ),
});

export const messageSchema = z
  .object({
    message_id: z.number().int().nonnegative(),
    date: dateSchema,
    edit_date: dateSchema.optional(),
    chat: chatSchema,
    from: userSchema.optional(),
    reply_to_message: z.object({ message_id: z.number().int().nonnegative() }).optional(),
    text: z.string().optional(),
    caption: z.string().optional(),
    photo: z.array(photoSizeSchema).min(1).optional(),
    voice: namedFileSchema.optional(),
    audio: namedFileSchema.extend({ title: z.string().optional() }).optional(),
    video: namedFileSchema.optional(),
    video_note: fileSchema.optional(),
    document: namedFileSchema.optional(),
    sticker: fileSchema
      .extend({
        is_animated: z.boolean().optional(),
        is_video: z.boolean().optional(),
        emoji: z.string().optional(),
      })
      .optional(),
    location: z.object({ latitude: z.number(), longitude: z.number() }).optional(),
    venue: z.object({ title: z.string().optional(), address: z.string().optional() }).optional(),
    contact: z
      .object({
        phone_number: z.string().max(100),
        first_name: z.string().max(256),
        last_name: z.string().max(256).optional(),
        user_id: chatIdSchema.optional(),
      })
      .optional(),
    reply_markup: inlineKeyboardSchema.optional(),
  })
  .passthrough();
type TelegramMessage = z.infer<typeof messageSchema>;

const callbackQuerySchema = z.object({
  id: z.string().min(1).max(200),
  from: userSchema,
  /** Absent for inline-mode messages; `date` 0 when the message is no longer accessible. */
  message: z.object({ message_id: z.number().int(), chat: chatSchema }).passthrough().optional(),
  data: z.string().max(1000).optional(),
});

const chatMemberUpdateSchema = z.object({
  chat: chatSchema,
  from: userSchema,
  date: dateSchema,
  new_chat_member: z.object({ status: z.string().max(32) }),
});

export const updateSchema = z.object({ update_id: z.number().int().nonnegative() }).passthrough();

// ---------------------------------------------------------------------------------------------
// Mapping
// ---------------------------------------------------------------------------------------------

/** Keys of an Update that are not the update itself. */
const HANDLED = ['message', 'edited_message', 'callback_query', 'my_chat_member'] as const;

/** What a `/start` deep link (`t.me/<bot>?start=<payload>`) names: its payload, 1–64 of these. */
const START = /^\/start(?:@[A-Za-z0-9_]{1,64})?(?:\s+([A-Za-z0-9_-]{1,64}))?\s*$/;

const fullName = (who: { first_name?: string; last_name?: string }): string =>
  [who.first_name, who.last_name].filter((part) => part !== undefined && part !== '').join(' ');

/** The chat as our customer: a private chat is the user; a group keeps its title. */
function customerOf(
  chat: z.infer<typeof chatSchema>,
  from: z.infer<typeof userSchema> | undefined,
): InboundCustomer {
  const person = chat.type === 'private' ? (from ?? chat) : null;
  const name =
    (person ? fullName(person) : (chat.title ?? '')) ||
    (chat.username ? `@${chat.username}` : '') ||
    null;
  return {
    externalId: String(chat.id),
    name,
    phone: null,
    language: chat.type === 'private' ? (from?.language_code ?? null) : null,
  };
}

/** Other message kinds Telegram has (polls, dice, games, stories…): kept as unsupported. */
const OTHER_KINDS = [
  'animation',
  'poll',
  'dice',
  'game',
  'story',
  'invoice',
  'successful_payment',
  'paid_media',
  'giveaway',
];

/** Fields of a Message that describe it rather than being its content. */
const MESSAGE_METADATA = new Set([
  'message_id',
  'message_thread_id',
  'date',
  'edit_date',
  'chat',
  'from',
  'sender_chat',
  'reply_to_message',
  'external_reply',
  'quote',
  'forward_origin',
  'via_bot',
  'entities',
  'caption_entities',
  'caption',
  'link_preview_options',
  'reply_markup',
  'media_group_id',
  'has_protected_content',
  'has_media_spoiler',
  'show_caption_above_media',
  'is_topic_message',
  'is_from_offline',
  'author_signature',
  'effect_id',
  'business_connection_id',
  'sender_business_bot',
]);

/** A message's content; `caption` goes on the file. */
function contentOf(message: TelegramMessage, path: string, problems: string[]): MessageContent {
  const caption =
    message.caption !== undefined && message.caption !== '' ? message.caption : undefined;
  if (message.text !== undefined) return { type: 'text', body: message.text };
  if (message.photo) {
    // Sizes come smallest first: the last is the largest (CHANNEL-API.md §4.2).
    const largest = message.photo[message.photo.length - 1] as z.infer<typeof photoSizeSchema>;
    // Telegram re-encodes every photo as JPEG.
    return {
      type: 'image',
      media: compact({ mediaId: largest.file_id, mimeType: 'image/jpeg', caption }),
    };
  }
  if (message.voice) {
    return {
      type: 'audio',
      media: compact({
        mediaId: message.voice.file_id,
        mimeType: message.voice.mime_type ?? 'audio/ogg',
        voice: true,
        caption,
      }),
    };
  }
  if (message.audio) {
    return {
      type: 'audio',
      media: compact({
        mediaId: message.audio.file_id,
        mimeType: message.audio.mime_type,
        filename: message.audio.file_name,
        caption,
      }),
    };
  }
  if (message.video) {
    return {
      type: 'video',
      media: compact({
        mediaId: message.video.file_id,
        mimeType: message.video.mime_type,
        filename: message.video.file_name,
        caption,
      }),
    };
  }
  if (message.video_note) {
    // The round video message: always MPEG-4, never a caption.
    return { type: 'video', media: { mediaId: message.video_note.file_id, mimeType: 'video/mp4' } };
  }
  if (message.document) {
    // getFile may lose the name and type: they are kept from here (CHANNEL-API.md §4.4).
    return {
      type: 'document',
      media: compact({
        mediaId: message.document.file_id,
        mimeType: message.document.mime_type,
        filename: message.document.file_name,
        caption,
      }),
    };
  }
  if (message.sticker) {
    const { sticker } = message;
    const mimeType = sticker.is_animated
      ? 'application/x-tgsticker'
      : sticker.is_video
        ? 'video/webm'
        : 'image/webp';
    const animated = sticker.is_animated === true || sticker.is_video === true;
    return {
      type: 'sticker',
      media: compact({ mediaId: sticker.file_id, mimeType, animated: animated || undefined }),
    };
  }
  if (message.location) {
    return compact({
      type: 'location' as const,
      latitude: message.location.latitude,
      longitude: message.location.longitude,
      name: message.venue?.title,
      address: message.venue?.address,
    });
  }
  if (message.contact) {
    const { contact } = message;
    return {
      type: 'contacts',
      contacts: [{ name: fullName(contact), phones: [contact.phone_number], emails: [] }],
    };
  }
  const kind =
    OTHER_KINDS.find((key) => message[key] !== undefined) ??
    Object.keys(message).find((key) => !MESSAGE_METADATA.has(key)) ??
    'message';
  problems.push(`${path}: "${kind}" messages are not handled (kept as unsupported)`);
  return unsupported(kind);
}

interface Context {
  readonly account: string;
  readonly updateId: number;
  readonly problems: string[];
  readonly events: InboundEvent[];
}

const messageIdOf = (chatId: number, messageId: number): string => `${chatId}:${messageId}`;

/** A button tap's message id is `callback:<callback_query.id>` (answered by callbacks.ts). */
export const CALLBACK_PREFIX = 'callback:';

function mapMessage(ctx: Context, raw: unknown, path: string): void {
  const parsed = messageSchema.safeParse(raw);
  if (!parsed.success) {
    ctx.problems.push(`${describe(parsed.error, path).text} (message skipped)`);
    return;
  }
  const message = parsed.data;
  const externalId = messageIdOf(message.chat.id, message.message_id);
  const customer = customerOf(message.chat, message.from);
  // A shared contact that is the sender's own card gives us their phone.
  const phone =
    message.contact?.user_id !== undefined && message.contact.user_id === message.from?.id
      ? message.contact.phone_number
      : null;
  const common = {
    kind: 'message' as const,
    channel: 'telegram' as const,
    channelAccountId: ctx.account,
    customer: phone ? { ...customer, phone } : customer,
    sentAt: message.date * 1000,
    ...(message.reply_to_message
      ? { replyToExternalId: messageIdOf(message.chat.id, message.reply_to_message.message_id) }
      : {}),
  };
  const start = message.text === undefined ? null : START.exec(message.text);
  if (start?.[1] !== undefined) {
    // A deep link: how the customer reached the bot, shown as such before their /start.
    ctx.events.push({
      ...common,
      externalId: `${externalId}:start`,
      content: { type: 'referral', source: 't.me', ref: start[1] },
    });
  }
  ctx.events.push({
    ...common,
    externalId,
    content: checkedContent(contentOf(message, path, ctx.problems), path, ctx.problems),
  });
}

function mapEdit(ctx: Context, raw: unknown, path: string): void {
  const parsed = messageSchema.safeParse(raw);
  if (!parsed.success) {
    ctx.problems.push(`${describe(parsed.error, path).text} (edit skipped)`);
    return;
  }
  const message = parsed.data;
  ctx.events.push({
    kind: 'edit',
    channel: 'telegram',
    channelAccountId: ctx.account,
    externalId: messageIdOf(message.chat.id, message.message_id),
    content: checkedContent(contentOf(message, path, ctx.problems), path, ctx.problems),
    at: (message.edit_date ?? message.date) * 1000,
  });
}

function mapCallback(ctx: Context, raw: unknown, path: string): void {
  const parsed = callbackQuerySchema.safeParse(raw);
  if (!parsed.success) {
    ctx.problems.push(`${describe(parsed.error, path).text} (event skipped)`);
    return;
  }
  const query = parsed.data;
  if (query.data === undefined) {
    // A game's button: nothing the customer said.
    ctx.problems.push(`${path}: a callback query without data (a game) is not handled (ignored)`);
    return;
  }
  // In a private chat the chat's id is the user's; inline-mode messages name no chat.
  const chat = query.message?.chat ?? { id: query.from.id, type: 'private' };
  const keyboard = inlineKeyboardSchema.safeParse(query.message?.['reply_markup']);
  const button = keyboard.data?.inline_keyboard.flat().find((b) => b.callback_data === query.data);
  ctx.events.push({
    kind: 'message',
    channel: 'telegram',
    channelAccountId: ctx.account,
    externalId: `${CALLBACK_PREFIX}${query.id}`,
    customer: customerOf(chat, query.from),
    // A callback query carries no time of its own: it is now.
    sentAt: Date.now(),
    content: checkedContent(
      { type: 'button_reply', payload: query.data, text: button?.text ?? query.data },
      path,
      ctx.problems,
    ),
    ...(query.message ? { replyToExternalId: messageIdOf(chat.id, query.message.message_id) } : {}),
  });
}

function mapChatMember(ctx: Context, raw: unknown, path: string): void {
  const parsed = chatMemberUpdateSchema.safeParse(raw);
  if (!parsed.success) {
    ctx.problems.push(`${describe(parsed.error, path).text} (event skipped)`);
    return;
  }
  const update = parsed.data;
  const status = update.new_chat_member.status;
  if (update.chat.type !== 'private') {
    ctx.problems.push(
      `${path}: the bot's membership of a ${update.chat.type} chat changed to "${status}" (ignored)`,
    );
    return;
  }
  // Private chats: "received only when the bot is blocked or unblocked by the user".
  if (status !== 'kicked' && status !== 'member') {
    ctx.problems.push(`${path}.new_chat_member.status: "${status}" is not handled (ignored)`);
    return;
  }
  ctx.events.push({
    kind: 'block',
    channel: 'telegram',
    channelAccountId: ctx.account,
    externalId: `update:${ctx.updateId}`,
    customer: customerOf(update.chat, update.from),
    blocked: status === 'kicked',
    at: update.date * 1000,
  });
}

/**
 * Maps one verified, JSON-parsed Update to events.
 * @throws WebhookPayloadError when the body is not a Telegram Update.
 */
export function parseTelegramUpdate(body: unknown, settings: ChannelSettings): ParsedDelivery {
  const update = updateSchema.safeParse(body);
  if (!update.success) {
    const { path, text } = describe(update.error, '');
    throw new WebhookPayloadError(`Not a Telegram update: ${text}`, path);
  }
  const record = update.data as Record<string, unknown>;
  const ctx: Context = {
    account: botIdOf(settings),
    updateId: update.data.update_id,
    problems: [],
    events: [],
  };
  const kind = HANDLED.find((key) => record[key] !== undefined);
  switch (kind) {
    case 'message':
      mapMessage(ctx, record['message'], 'message');
      break;
    case 'edited_message':
      mapEdit(ctx, record['edited_message'], 'edited_message');
      break;
    case 'callback_query':
      mapCallback(ctx, record['callback_query'], 'callback_query');
      break;
    case 'my_chat_member':
      mapChatMember(ctx, record['my_chat_member'], 'my_chat_member');
      break;
    default: {
      const other = Object.keys(record).find((key) => key !== 'update_id');
      ctx.problems.push(
        other === undefined
          ? 'update: carries no update (ignored)'
          : `${other}: "${other.slice(0, 50)}" updates are not handled (ignored)`,
      );
    }
  }
  const lost = ctx.problems.filter((problem) => /\((message|edit|event) skipped\)$/.test(problem));
  return { events: ctx.events, problems: ctx.problems, lost };
}
