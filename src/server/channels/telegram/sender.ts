import { z } from 'zod';
import type { MessageContent } from '../../../shared/domain/model';
import { formatBytes } from '../../../shared/media/limits';
import type { ChannelSettings } from '../connector';
import { failure, uncertain, type Failure } from '../meta/transport';
import type { ChannelSender, OutboundRequest, SendResult } from '../types';
import { callBotApi, type BotApiAnswer } from './bot-api';
import { createPacer, type Pacer, type PacingOptions } from './pacing';
import { scrubber } from './settings';
import { causeCode } from '../fetch-errors';

/**
 * Sending on Telegram (CHANNEL-API.md §4.3, §4.5):
 *
 * - Text: `sendMessage {chat_id, text}` with no `parse_mode`, so the text arrives exactly as the
 *   agent typed it (`<b>`, `&`, `*`, `_` are not markup); 4096 characters at most.
 * - Files go in the send request itself (the connector's media part is `inline`): multipart
 *   `sendPhoto` / `sendVideo` / `sendAudio` / `sendVoice` / `sendDocument` with the bytes the queue
 *   hands over (`OutboundRequest.file`) and the caption (1024 at most); the answer's `file_id`
 *   (the largest photo size) is handed back as `channelMediaId`, and a later send of the same
 *   file names it instead of the bytes.
 * - Errors: 429 waits `parameters.retry_after` seconds from the durable queue; 5xx and a
 *   connection never made are retried; a timeout after the request went out is uncertain (bots
 *   get no receipts, so it is never sent twice); 403 "bot was blocked by the user" is final,
 *   code `blocked`; other refusals carry Telegram's description.
 * - The bot token is in every URL's path: it is scrubbed from every reason.
 */

export const DEFAULT_SEND_TIMEOUT_MS = 15_000;
/** Telegram counts UTF-16 code units (its message entities are measured in them). */
export const TEXT_LIMIT = 4096;
export const CAPTION_LIMIT = 1024;
/** Multipart upload limits [official]: photos 10 MB, other files 50 MB. */
export const PHOTO_UPLOAD_LIMIT = 10 * 1024 * 1024;
export const FILE_UPLOAD_LIMIT = 50 * 1024 * 1024;

export interface TelegramSenderOptions {
  readonly settings: () => ChannelSettings;
  readonly fetch?: typeof fetch;
  readonly timeoutMs?: number;
  /** The flood-limit pacing (tests give their own clock or limits). */
  readonly pacing?: PacingOptions | Pacer;
}

type FileContent = Extract<MessageContent, { type: 'image' | 'video' | 'audio' | 'document' }>;
type FileMethod = 'sendPhoto' | 'sendVideo' | 'sendAudio' | 'sendVoice' | 'sendDocument';

/** The field of the method's request, and of the Message it answers, that holds the file. */
const FIELD: Readonly<Record<FileMethod, 'photo' | 'video' | 'audio' | 'voice' | 'document'>> = {
  sendPhoto: 'photo',
  sendVideo: 'video',
  sendAudio: 'audio',
  sendVoice: 'voice',
  sendDocument: 'document',
};

const base = (mimeType: string | undefined): string =>
  (mimeType ?? '').split(';')[0]?.trim().toLowerCase() ?? '';

/**
 * Which method sends a file: photos Telegram shows as photos (JPEG, PNG, WebP), MPEG-4 video,
 * MP3 / M4A audio, OGG/Opus as a voice message; anything else as a document.
 */
export function fileMethodFor(content: FileContent): FileMethod {
  const mime = base(content.media.mimeType);
  switch (content.type) {
    case 'image':
      return ['image/jpeg', 'image/png', 'image/webp'].includes(mime)
        ? 'sendPhoto'
        : 'sendDocument';
    case 'video':
      return mime === 'video/mp4' ? 'sendVideo' : 'sendDocument';
    case 'audio':
      if (mime === 'audio/ogg' || mime === 'audio/opus') return 'sendVoice';
      return ['audio/mpeg', 'audio/mp3', 'audio/mp4', 'audio/x-m4a', 'audio/m4a'].includes(mime)
        ? 'sendAudio'
        : 'sendDocument';
    case 'document':
      return 'sendDocument';
  }
}

const fileSchema = z.object({ file_id: z.string().min(1) });
const sentMessageSchema = z
  .object({
    message_id: z.number().int(),
    chat: z.object({ id: z.number().int() }),
    photo: z.array(fileSchema).min(1).optional(),
    video: fileSchema.optional(),
    audio: fileSchema.optional(),
    voice: fileSchema.optional(),
    document: fileSchema.optional(),
  })
  .passthrough();

/** The sent file's id: the largest photo size, else the method's field, else the document. */
function fileIdOf(
  message: z.infer<typeof sentMessageSchema>,
  method: FileMethod,
): string | undefined {
  if (method === 'sendPhoto' && message.photo) return message.photo.at(-1)?.file_id;
  return message[FIELD[method] as 'video']?.file_id ?? message.document?.file_id;
}

/** Telegram's chat ids are integers; the hub keeps them as strings. */
const chatIdOf = (to: string): number | string =>
  /^-?\d{1,16}$/.test(to) && Number.isSafeInteger(Number(to)) ? Number(to) : to;

type Built =
  | { ok: true; method: 'sendMessage' | FileMethod; body: Record<string, unknown> | FormData }
  | { ok: false; result: Failure };

/**
 * `reply_parameters` for a reply to one of the chat's messages (`<chat.id>:<message_id>`, as
 * webhook.ts names them): shown quoted above the agent's message. Sent even when the customer
 * deleted it meanwhile (`allow_sending_without_reply`): the answer still matters. Null for no
 * reply, or an id that is not a message of this chat (a button tap's).
 */
export function replyParametersFor(
  request: Pick<OutboundRequest, 'to' | 'replyToExternalId'>,
): { message_id: number; allow_sending_without_reply: true } | null {
  const match = /^(-?\d{1,16}):(\d{1,16})$/.exec(request.replyToExternalId ?? '');
  if (!match || match[1] !== request.to) return null;
  return { message_id: Number(match[2]), allow_sending_without_reply: true };
}

function build(request: OutboundRequest): Built {
  const built = buildContent(request);
  const reply = replyParametersFor(request);
  if (!built.ok || reply === null) return built;
  if (built.body instanceof FormData) {
    // Multipart fields are strings: objects go JSON-serialised (core.telegram.org/bots/api
    // #sending-files).
    built.body.set('reply_parameters', JSON.stringify(reply));
    return built;
  }
  return { ...built, body: { ...built.body, reply_parameters: reply } };
}

function buildContent(request: OutboundRequest): Built {
  const { content } = request;
  const chatId = chatIdOf(request.to);
  if (content.type === 'text') {
    if (content.body.trim() === '')
      return {
        ok: false,
        result: failure(false, 'empty_text', 'An empty message cannot be sent.'),
      };
    if (content.body.length > TEXT_LIMIT) {
      return {
        ok: false,
        result: failure(
          false,
          'text_too_long',
          `Telegram text messages are limited to ${TEXT_LIMIT} characters; this one has ${content.body.length}.`,
        ),
      };
    }
    return { ok: true, method: 'sendMessage', body: { chat_id: chatId, text: content.body } };
  }
  if (!['image', 'video', 'audio', 'document'].includes(content.type)) {
    return {
      ok: false,
      result: failure(
        false,
        'unsupported_outbound',
        `Replydesk cannot send ${content.type} messages on Telegram; only text and files.`,
      ),
    };
  }
  const file = content as FileContent;
  const method = fileMethodFor(file);
  const field = FIELD[method];
  const caption = file.media.caption ?? '';
  if (caption.length > CAPTION_LIMIT) {
    return {
      ok: false,
      result: failure(
        false,
        'caption_too_long',
        `Telegram captions are limited to ${CAPTION_LIMIT} characters; this one has ${caption.length}. Send the text as its own message.`,
      ),
    };
  }
  if (request.file) {
    const limit = method === 'sendPhoto' ? PHOTO_UPLOAD_LIMIT : FILE_UPLOAD_LIMIT;
    if (request.file.bytes.length > limit) {
      return {
        ok: false,
        result: failure(
          false,
          'too_large',
          `Telegram takes ${method === 'sendPhoto' ? 'photos' : 'files'} up to ${formatBytes(limit)} from a bot; this one is ${formatBytes(request.file.bytes.length)}.`,
        ),
      };
    }
    const form = new FormData();
    form.set('chat_id', String(chatId));
    if (caption !== '') form.set('caption', caption);
    form.set(
      field,
      new Blob([new Uint8Array(request.file.bytes)], { type: request.file.mimeType }),
      request.file.filename,
    );
    return { ok: true, method, body: form };
  }
  // No bytes: the content names the file by Telegram's id (a file sent before on this bot).
  const { mediaId, sha256 } = file.media;
  if (mediaId === '' || mediaId === sha256) {
    return {
      ok: false,
      result: failure(
        false,
        'media_missing',
        'The file was not handed to the Telegram sender; attach it again.',
      ),
    };
  }
  return {
    ok: true,
    method,
    body: { chat_id: chatId, [field]: mediaId, ...(caption === '' ? {} : { caption }) },
  };
}

/** Errors raised before a connection existed: the request cannot have reached Telegram. */
const NOT_CONNECTED = new Set([
  'ECONNREFUSED',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'UND_ERR_CONNECT_TIMEOUT',
]);

function transportFailure(
  error: unknown,
  timeoutMs: number,
  scrub: (t: string) => string,
): Failure {
  if (error instanceof Error && (error.name === 'TimeoutError' || error.name === 'AbortError')) {
    return uncertain(
      'timeout',
      `Telegram did not answer within ${timeoutMs >= 1000 ? `${timeoutMs / 1000} s` : `${timeoutMs} ms`}; it may have been delivered (bots get no receipts), so it is not sent again.`,
    );
  }
  const code = causeCode(error);
  const detail = code ?? (error instanceof Error ? error.message : String(error));
  if (code !== null && NOT_CONNECTED.has(code))
    return failure(
      true,
      'network_error',
      scrub(`Could not reach Telegram (${detail}); will retry.`),
    );
  return uncertain(
    'network_error',
    scrub(
      `The connection to Telegram broke (${detail}); it may have been delivered, so it is not sent again.`,
    ),
  );
}

/** A refusal as the agent reads it. */
export function classifyRefusal(
  answer: Extract<BotApiAnswer, { ok: false }>,
  scrub: (t: string) => string,
): Failure {
  const { status, error } = answer;
  const description = scrub(error?.description ?? '');
  const said = description ? ` (${description})` : '';
  const code = error?.error_code ?? status;
  if (code === 429) {
    const after = error?.parameters?.retry_after;
    return failure(
      true,
      'rate_limited',
      `Telegram asked the bot to slow down${after === undefined ? '' : ` for ${after} s`}; will retry.`,
      after === undefined ? undefined : Math.round(after * 1000),
    );
  }
  if (status >= 500 || code >= 500) {
    return failure(
      true,
      `telegram_${code}`,
      `Telegram is temporarily unavailable${said}; will retry.`,
    );
  }
  if (code === 403 && /blocked by the user/i.test(description)) {
    return failure(
      false,
      'blocked',
      'The customer blocked the bot on Telegram; you can write again when they unblock it.',
    );
  }
  if (code === 403 && /deactivated/i.test(description)) {
    return failure(
      false,
      'deactivated',
      'This Telegram account was deleted; it cannot be written to.',
    );
  }
  if (code === 403 && /initiate conversation/i.test(description)) {
    return failure(
      false,
      'not_started',
      'The customer has not started the bot on Telegram: a bot can write only to people who wrote to it first.',
    );
  }
  if (code === 401 || code === 404) {
    return failure(
      false,
      'bad_token',
      `Telegram refused the bot token (revoked or mistyped)${said}; save a new one on the Channels page.`,
    );
  }
  if (code === 400 && error?.parameters?.migrate_to_chat_id !== undefined) {
    return failure(
      false,
      'chat_migrated',
      `This group became a supergroup on Telegram (new chat id ${error.parameters.migrate_to_chat_id}); the conversation cannot be written to any more.`,
    );
  }
  return failure(
    false,
    `telegram_${code}`,
    description ? `Telegram refused it: ${description}.` : `Telegram refused it (HTTP ${status}).`,
  );
}

export function createTelegramSender(options: TelegramSenderOptions): ChannelSender {
  const fetchImpl = options.fetch ?? fetch;
  const timeoutMs = options.timeoutMs ?? DEFAULT_SEND_TIMEOUT_MS;
  const pacer =
    options.pacing !== undefined && 'take' in options.pacing
      ? options.pacing
      : createPacer(options.pacing);

  return {
    channel: 'telegram',
    async send(request: OutboundRequest): Promise<SendResult> {
      if (request.channel !== 'telegram') {
        return failure(
          false,
          'wrong_channel',
          `A ${request.channel} message cannot go through Telegram.`,
        );
      }
      const built = build(request);
      if (!built.ok) return built.result;
      const slot = await pacer.take(request.to);
      if ('later' in slot) {
        return failure(
          true,
          'paced',
          'Holding it back to stay within Telegram’s flood limits (1 message a second per chat, 30 per bot); will send shortly.',
          slot.later,
        );
      }
      const settings = options.settings();
      const scrub = scrubber(settings);
      let answer: BotApiAnswer;
      try {
        answer = await callBotApi(settings, built.method, built.body, {
          fetch: fetchImpl,
          signal: AbortSignal.timeout(timeoutMs),
        });
      } catch (error) {
        return transportFailure(error, timeoutMs, scrub);
      }
      if (!answer.ok) return classifyRefusal(answer, scrub);
      const sent = sentMessageSchema.safeParse(answer.result);
      if (!sent.success) {
        return uncertain(
          'bad_response',
          'Telegram answered without the sent message; it may have been delivered, so it is not sent again.',
        );
      }
      const externalId = `${sent.data.chat.id}:${sent.data.message_id}`;
      const fileId =
        request.file && built.method !== 'sendMessage'
          ? fileIdOf(sent.data, built.method)
          : undefined;
      return fileId === undefined
        ? { ok: true, externalId }
        : { ok: true, externalId, channelMediaId: fileId };
    },
  };
}
