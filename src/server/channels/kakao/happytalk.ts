import { z } from 'zod';
import { formatBytes } from '../../../shared/media/limits';
import type { MessageContent } from '../../../shared/domain/model';
import {
  WebhookPayloadError,
  settingOf,
  type ChannelSettings,
  type ParsedDelivery,
  type WebhookRegistration,
} from '../connector';
import { checkedContent, unsupported } from '../content';
import { mediaUnreachable } from '../fetch-errors';
import { failure, transportFailure, uncertain } from '../meta/transport';
import {
  ChannelMediaError,
  type InboundCustomer,
  type InboundEvent,
  type SendResult,
} from '../types';
import type {
  DealerContext,
  DealerFile,
  DealerMessage,
  EndSessionResult,
  KakaoDealer,
} from './dealer';
import { dealerBase, kakaoScrubber, kakaoSetting, sessionEndedCodes } from './settings';

/**
 * The first dealer adapter: HappyTalk's consultation-talk API as CHANNEL-API.md §8.2 gives it
 * ([partner], HappyTalk's dealer docs), with what the appendix leaves open written down here as
 * assumptions (docs/channels/kakao.md). Confirm each against your dealer's contract.
 *
 * Documented [partner]:
 * - `POST {base}/v1/chat/write` with `HT-Client-Id` / `HT-Client-Secret` (header names are
 *   settings), body `{user_key, sender_key, serial_number, message_type: "TX"|"IM"|"FI"|"LI",
 *   message, image_url, file_url}`; text ≤ 1,000 characters; images ≤ 5 MB (jpg, png, gif) and
 *   files ≤ 300 MB, uploaded to Kakao's server first through the dealer's upload API.
 *
 * Assumed (unconfirmed, not in the appendix):
 * - the answer is JSON `{"code": "0000", "message": …}` (`0000` success, any other code a
 *   refusal); the codes meaning "no open session" are the `sessionEndedCodes` setting;
 * - upload: `POST {base}/v1/upload`, multipart `type` (`image`|`file`) and `file` → `{"url"}`;
 * - end session: `POST {base}{endSessionPath}` (default `/v1/chat/end`) `{user_key, sender_key}`
 *   → `{"code": "0000"}`;
 * - the sender profile (the connection test): `GET {base}{profilePath}?sender_key=…` (default
 *   `/v1/profile`) → `{"code": "0000", "sender_key", "name", "status"}`;
 * - the dealer's webhook: one JSON event per POST, `{"event": "message"|"session_start"|
 *   "session_end", "sender_key", "user_key", "created_at": <epoch ms>, …}`; a message adds
 *   `serial_number`, `message_type` (`TX` text, `IM` image, `FI` file, `LI` link, `VI` video,
 *   `AU` audio), `content` (the text, or the file's URL), `file_name`, `file_size`, `nickname`;
 *   `session_end` adds `reason` (`agent`, `customer`, `block`, `expired`, `deleted`).
 */

/** Text messages ≤ 1,000 characters (CHANNEL-API.md §8.2, official consult page). */
export const MAX_TEXT = 1000;
export const MAX_IMAGE_BYTES = 5 * 1024 * 1024;
export const IMAGE_TYPES = ['image/jpeg', 'image/png', 'image/gif'] as const;
export const MAX_FILE_BYTES = 300 * 1024 * 1024;

const SUCCESS = '0000';
/** The outbound queue's code for "nothing reaches this customer": it marks the conversation. */
const BLOCKED = 'blocked';
const NAME = 'HappyTalk';

const chars = (text: string): number => [...text].length;

const answerSchema = z
  .object({
    code: z.union([z.string().max(50), z.number().int()]).transform(String),
    message: z.string().max(2000).optional(),
    url: z.string().max(2048).optional(),
  })
  .passthrough();

function readAnswer(text: string): z.infer<typeof answerSchema> | null {
  try {
    const parsed = answerSchema.safeParse(JSON.parse(text));
    return parsed.success ? parsed.data : null;
  } catch {
    return null;
  }
}

function headersOf(settings: ChannelSettings): Record<string, string> {
  return {
    [kakaoSetting(settings, 'clientIdHeader')]: settingOf(settings, 'clientId'),
    [kakaoSetting(settings, 'clientSecretHeader')]: settingOf(settings, 'clientSecret'),
    Accept: 'application/json',
  };
}

function postJson(path: string, body: unknown, context: DealerContext): Promise<Response> {
  return context.fetch(`${dealerBase(context.settings)}${path}`, {
    method: 'POST',
    headers: { ...headersOf(context.settings), 'Content-Type': 'application/json' },
    body: JSON.stringify(body),
    signal: AbortSignal.timeout(context.timeoutMs),
  });
}

/** The dealer's refusal (`code` not 0000) as the agent reads it. */
function refusal(code: string, message: string, settings: ChannelSettings): SendResult {
  const said = message ? `: ${message}` : '';
  if (sessionEndedCodes(settings).has(code))
    return failure(
      false,
      BLOCKED,
      `KakaoTalk: the customer has no open consultation session (${NAME} code ${code}${said}). It ended or expired; the customer must write to the channel again.`,
    );
  return failure(false, `happytalk_${code}`, `${NAME} refused the message (code ${code}${said}).`);
}

function payloadOf(message: DealerMessage, settings: ChannelSettings): Record<string, unknown> {
  const base = {
    user_key: message.userKey,
    sender_key: settingOf(settings, 'senderKey'),
    serial_number: message.serial,
  };
  switch (message.content.type) {
    case 'text':
      return { ...base, message_type: 'TX', message: message.content.text };
    case 'image':
      return { ...base, message_type: 'IM', image_url: message.content.url };
    case 'file':
      return { ...base, message_type: 'FI', file_url: message.content.url };
  }
}

async function send(message: DealerMessage, context: DealerContext): Promise<SendResult> {
  const { settings, timeoutMs } = context;
  if (message.content.type === 'text' && chars(message.content.text) > MAX_TEXT)
    return failure(
      false,
      'text_too_long',
      `KakaoTalk consultation-talk messages are limited to ${MAX_TEXT} characters; this one has ${chars(message.content.text)}.`,
    );
  const scrub = kakaoScrubber(settings);
  const api = `the ${NAME} API`;
  let status: number;
  let text: string;
  try {
    const response = await postJson('/v1/chat/write', payloadOf(message, settings), context);
    status = response.status;
    text = await response.text();
  } catch (error) {
    return transportFailure(error, api, NAME, timeoutMs, scrub);
  }
  if (status === 429 || status >= 500)
    return failure(
      true,
      `http_${status}`,
      `${api} is temporarily unavailable (HTTP ${status}); will retry.`,
    );
  const answer = readAnswer(text);
  if (status === 401 || status === 403)
    return failure(
      false,
      `http_${status}`,
      `${NAME} refused the client id or secret (HTTP ${status}): check them on the Channels page.`,
    );
  if (answer && answer.code !== SUCCESS)
    return refusal(answer.code, scrub(answer.message ?? ''), settings);
  if (status < 200 || status >= 300)
    return failure(false, `http_${status}`, `${api} refused the message (HTTP ${status}).`);
  if (!answer)
    return uncertain(
      'bad_response',
      `${api} answered HTTP ${status} with something that is not its JSON; it may have been sent.`,
    );
  // The dealer names the message by our serial_number: it is the message's id there.
  return { ok: true, externalId: message.serial };
}

async function upload(
  file: DealerFile,
  kind: 'image' | 'file',
  context: DealerContext,
): Promise<string> {
  const mime = file.mimeType.toLowerCase();
  if (kind === 'image' && !(IMAGE_TYPES as readonly string[]).includes(mime))
    throw new ChannelMediaError(
      `KakaoTalk sends images only as JPEG, PNG or GIF; this one is ${file.mimeType}.`,
      false,
      'unsupported_type',
    );
  const max = kind === 'image' ? MAX_IMAGE_BYTES : MAX_FILE_BYTES;
  if (file.bytes.length > max)
    throw new ChannelMediaError(
      `KakaoTalk takes ${kind === 'image' ? 'images' : 'files'} up to ${formatBytes(max)}; this one is ${formatBytes(file.bytes.length)}.`,
      false,
      'too_large',
    );
  const scrub = kakaoScrubber(context.settings, 500);
  const form = new FormData();
  form.set('type', kind);
  form.set('file', new Blob([new Uint8Array(file.bytes)], { type: file.mimeType }), file.filename);
  let response: Response;
  try {
    response = await context.fetch(`${dealerBase(context.settings)}/v1/upload`, {
      method: 'POST',
      headers: headersOf(context.settings),
      body: form,
      signal: context.signal ?? AbortSignal.timeout(context.timeoutMs),
    });
  } catch (error) {
    mediaUnreachable(`${NAME}'s upload API`, error, scrub);
  }
  const text = await response.text();
  const answer = readAnswer(text);
  if (response.status === 429 || response.status >= 500)
    throw new ChannelMediaError(
      `${NAME} could not take the file now (HTTP ${response.status}); will retry.`,
      true,
      `http_${response.status}`,
    );
  if (!response.ok || !answer || answer.code !== SUCCESS || !answer.url)
    throw new ChannelMediaError(
      scrub(
        `${NAME} refused the upload (HTTP ${response.status}${answer ? `, code ${answer.code}${answer.message ? `: ${answer.message}` : ''}` : ''}).`,
      ),
      false,
      answer ? `happytalk_${answer.code}` : `http_${response.status}`,
    );
  return answer.url;
}

async function endSession(userKey: string, context: DealerContext): Promise<EndSessionResult> {
  const scrub = kakaoScrubber(context.settings);
  let response: Response;
  try {
    response = await postJson(
      kakaoSetting(context.settings, 'endSessionPath'),
      { user_key: userKey, sender_key: settingOf(context.settings, 'senderKey') },
      context,
    );
  } catch (error) {
    return {
      ok: false,
      retryable: true,
      reason: scrub(`Could not reach ${NAME}: ${String(error)}`),
    };
  }
  const answer = readAnswer(await response.text());
  if (response.ok && answer?.code === SUCCESS) return { ok: true };
  // Ending a session that is not open leaves it ended: the wanted outcome.
  if (answer && sessionEndedCodes(context.settings).has(answer.code)) return { ok: true };
  return {
    ok: false,
    retryable: response.status === 429 || response.status >= 500,
    reason: scrub(
      `${NAME} did not end the session (HTTP ${response.status}${answer ? `, code ${answer.code}` : ''}).`,
    ),
  };
}

const profileSchema = z
  .object({ name: z.string().max(500).optional(), status: z.string().max(100).optional() })
  .passthrough();

async function testConnection(context: DealerContext): Promise<WebhookRegistration> {
  const { settings } = context;
  const scrub = kakaoScrubber(settings, 500);
  const senderKey = settingOf(settings, 'senderKey');
  const said = (text: string): WebhookRegistration => ({
    ok: false,
    reason: text,
    message: text,
  });
  let status: number;
  let text: string;
  try {
    const response = await context.fetch(
      `${dealerBase(settings)}${kakaoSetting(settings, 'profilePath')}?sender_key=${encodeURIComponent(senderKey)}`,
      {
        method: 'GET',
        headers: headersOf(settings),
        signal: AbortSignal.timeout(context.timeoutMs),
      },
    );
    status = response.status;
    text = await response.text();
  } catch (error) {
    return said(scrub(`Could not reach the ${NAME} API (${String(error)}).`));
  }
  const answer = readAnswer(text);
  const code = answer
    ? `, code ${answer.code}${answer.message ? `: ${scrub(answer.message)}` : ''}`
    : '';
  if (status === 401 || status === 403)
    return said(`${NAME} refused the client id or secret (HTTP ${status}${code}).`);
  if (!answer) return said(`The ${NAME} API answered HTTP ${status} without its JSON.`);
  if (answer.code !== SUCCESS || status < 200 || status >= 300)
    return said(`${NAME} refused sender key ${senderKey} (HTTP ${status}${code}).`);
  const profile = profileSchema.parse(answer);
  const name = profile.name ? ` is “${scrub(profile.name)}”` : ' is known';
  const state = profile.status ? ` (status ${scrub(profile.status)})` : '';
  return {
    ok: true,
    detail: `${NAME} accepts client id ${settingOf(settings, 'clientId')}: sender key ${senderKey}${name}${state}.`,
  };
}

// --- The dealer's webhook (assumed shape, see above) ----------------------------------------

const keySchema = z.string().min(1).max(200);
const base = {
  sender_key: z.string().min(1).max(100),
  user_key: keySchema,
  created_at: z.number().int().nonnegative(),
  nickname: z.string().max(500).optional(),
};
const messageSchema = z
  .object({
    event: z.literal('message'),
    ...base,
    serial_number: z
      .union([z.string().min(1).max(200), z.number().int().nonnegative()])
      .transform(String),
    message_type: z.string().min(1).max(20),
    content: z.string().max(65_536).optional(),
    file_name: z.string().max(500).optional(),
    file_size: z.number().int().nonnegative().optional(),
  })
  .passthrough();
const sessionSchema = z
  .object({
    event: z.enum(['session_start', 'session_end']),
    ...base,
    session_id: z.string().min(1).max(200).optional(),
    reason: z.string().max(100).optional(),
  })
  .passthrough();
const envelopeSchema = z
  .object({ event: z.string().min(1).max(100), sender_key: z.string(), user_key: z.string() })
  .passthrough();

const issueText = (error: z.ZodError): string =>
  error.issues
    .slice(0, 3)
    .map((issue) => `${issue.path.join('.') || '(body)'}: ${issue.message}`)
    .join('; ');

function customerOf(e: { user_key: string; nickname?: string | undefined }): InboundCustomer {
  return {
    externalId: e.user_key,
    name: e.nickname?.trim() ? e.nickname : null,
    phone: null,
    language: 'ko',
    country: 'KR',
  };
}

const isUrl = (value: string | undefined): value is string =>
  value !== undefined && /^https?:\/\/\S{1,2040}$/.test(value);

function contentOf(e: z.infer<typeof messageSchema>, problems: string[]): MessageContent | null {
  const media = (type: 'image' | 'video' | 'audio' | 'document'): MessageContent | null => {
    if (!isUrl(e.content)) return null;
    return {
      type,
      media: {
        mediaId: e.serial_number,
        url: e.content,
        ...(e.file_name ? { filename: e.file_name } : {}),
      },
    } as MessageContent;
  };
  switch (e.message_type) {
    case 'TX':
      return e.content === undefined ? null : { type: 'text', body: e.content };
    case 'IM':
      return media('image');
    case 'FI':
      return media('document');
    case 'VI':
      return media('video');
    case 'AU':
      return media('audio');
    case 'LI':
      return isUrl(e.content) ? { type: 'share', url: e.content, originalType: 'LI' } : null;
    default:
      problems.push(
        `message ${e.serial_number}: message_type "${e.message_type}" is not one Replydesk reads; kept as unsupported`,
      );
      return unsupported(e.message_type);
  }
}

function parseWebhook(body: unknown, _settings: ChannelSettings): ParsedDelivery {
  const envelope = envelopeSchema.safeParse(body);
  if (!envelope.success)
    throw new WebhookPayloadError(
      `Not a ${NAME} webhook: ${issueText(envelope.error)}`,
      envelope.error.issues[0]?.path.join('.') || '(body)',
    );
  const events: InboundEvent[] = [];
  const problems: string[] = [];
  const lost: string[] = [];
  const { event } = envelope.data;

  if (event === 'message') {
    const parsed = messageSchema.safeParse(body);
    if (!parsed.success) {
      lost.push(`message: ${issueText(parsed.error)}`);
      return { events, problems, lost };
    }
    const e = parsed.data;
    const content = contentOf(e, problems);
    if (content === null) {
      lost.push(`message ${e.serial_number}: ${e.message_type} without a usable content`);
      return { events, problems, lost };
    }
    events.push({
      kind: 'message',
      channel: 'kakao',
      channelAccountId: e.sender_key,
      externalId: e.serial_number,
      customer: customerOf(e),
      sentAt: e.created_at,
      content: checkedContent(content, 'content', problems, e.message_type),
    });
    return { events, problems, lost };
  }

  if (event === 'session_start' || event === 'session_end') {
    const parsed = sessionSchema.safeParse(body);
    if (!parsed.success) {
      problems.push(`${event}: ${issueText(parsed.error)}`);
      return { events, problems, lost };
    }
    const e = parsed.data;
    // An ended session is the conversation's blocked state (rules.ts `kakao`); a new session, or
    // the customer's next message, clears it.
    events.push({
      kind: 'block',
      channel: 'kakao',
      channelAccountId: e.sender_key,
      externalId: `${event}:${e.session_id ?? e.created_at}`,
      customer: customerOf(e),
      blocked: event === 'session_end',
      at: e.created_at,
    });
    return { events, problems, lost };
  }

  problems.push(`event: "${event}" is not one Replydesk reads; nothing stored.`);
  return { events, problems, lost };
}

export const happyTalkDealer: KakaoDealer = {
  id: 'happytalk',
  name: NAME,
  send,
  upload,
  endSession,
  testConnection,
  parseWebhook,
};
