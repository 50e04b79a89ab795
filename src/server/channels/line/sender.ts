import { createHash } from 'node:crypto';
import { z } from 'zod';
import { settingOf, type ChannelSettings, type SenderDeps } from '../connector';
import { failure, retryAfterMs, transportFailure, type Failure } from '../meta/transport';
import type { ChannelSender, OutboundRequest, SendBilling, SendResult } from '../types';
import { readLineConsumption } from './account';
import { DURATION_MARK } from './media';
import {
  lineCall,
  lineErrorSchema,
  lineErrorText,
  scrubber,
  transportDetail,
  type LineAnswer,
} from './client';

/**
 * Sending on LINE (CHANNEL-API.md §5.3, §5.5–5.6):
 *
 * - With the conversation's reply token (`request.replyToken`, offered once by the hub while it
 *   is fresh): `POST /v2/bot/message/reply {replyToken, messages}`, free. LINE refuses a used or
 *   expired token with 400 "Invalid reply token": the same send then goes out as a push.
 * - Otherwise `POST /v2/bot/message/push {to, messages}` (to a user, a group or a room id),
 *   counted against the monthly quota (what was counted before it is read first, for its cost), with
 *   `X-Line-Retry-Key`, a UUID derived from our message id: a push the queue retries (after a
 *   timeout, a 5xx) is sent once, and LINE's 409 for a key it accepted before means it went out.
 * - A 429 is LINE's rate limit (retried) unless its message says the monthly limit is reached
 *   (`quota_exhausted`, not retried: it lasts until next month or a plan upgrade).
 * - Files go by HTTPS URL only (the hub publishes them, `createLineMedia().upload`); bots cannot
 *   send files (documents are refused).
 */

export const LINE_TEXT_LIMIT = 5000;
/** The length an audio message states when Replydesk could not measure it. */
export const UNKNOWN_AUDIO_MS = 60_000;

export const REPLY_BILLING: SendBilling = {
  billable: false,
  basis: 'line.reply_free',
  label: 'Reply (free)',
};
export const PUSH_BILLING: SendBilling = {
  billable: true,
  basis: 'line.push_quota',
  label: 'Push (counts against the monthly quota)',
};

/** LINE's answer to a reply or push: the ids of the messages it sent. */
const sentSchema = z.object({
  sentMessages: z.array(z.object({ id: z.string().min(1) })).min(1),
});

/** Fixed namespace of Replydesk's retry keys (UUID version 5, RFC 9562 §5.5). */
const RETRY_KEY_NAMESPACE = Buffer.from('8c1f3c2e5a7b4d0e9f6a1b2c3d4e5f60', 'hex');

/** The `X-Line-Retry-Key` of our message: the same UUID on every attempt of it. */
export function retryKeyFor(messageId: string): string {
  const bytes = createHash('sha1')
    .update(RETRY_KEY_NAMESPACE)
    .update(messageId, 'utf8')
    .digest()
    .subarray(0, 16);
  bytes[6] = ((bytes[6] ?? 0) & 0x0f) | 0x50;
  bytes[8] = ((bytes[8] ?? 0) & 0x3f) | 0x80;
  const hex = bytes.toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

const isHttps = (value: string | undefined): value is string =>
  value !== undefined && /^https:\/\/\S+$/i.test(value);

/** LINE's message objects for our content (≤ 5 per request), or why it cannot go. */
export function lineMessagesOf(
  request: OutboundRequest,
): { ok: true; messages: Record<string, unknown>[] } | { ok: false; result: Failure } {
  const { content } = request;
  const refuse = (code: string, reason: string) => ({
    ok: false as const,
    result: failure(false, code, reason),
  });
  switch (content.type) {
    case 'text': {
      // LINE counts UTF-16 code units, as JavaScript's length does.
      if (content.body.length > LINE_TEXT_LIMIT)
        return refuse(
          'text_too_long',
          `LINE text messages are limited to ${LINE_TEXT_LIMIT} characters (UTF-16 units); this one has ${content.body.length}.`,
        );
      if (content.body.trim() === '') return refuse('empty_text', 'LINE does not send empty text.');
      return { ok: true, messages: [{ type: 'text', text: content.body }] };
    }
    case 'image':
    case 'video':
    case 'audio': {
      const [url, durationText] = (content.media.url ?? content.media.mediaId).split(DURATION_MARK);
      if (!isHttps(url))
        return refuse(
          'no_media_url',
          'LINE takes files by HTTPS URL only, and this file has none: the hub needs a public HTTPS address (REPLYDESK_PUBLIC_URL).',
        );
      const file =
        content.type === 'image'
          ? { type: 'image', originalContentUrl: url, previewImageUrl: url }
          : content.type === 'video'
            ? // LINE needs a preview image; Replydesk makes no thumbnail, so the video's own URL.
              { type: 'video', originalContentUrl: url, previewImageUrl: url }
            : // LINE needs the length (measured at upload for MP4 / M4A); it only labels the
              // bubble, so a minute when unknown (MP3).
              {
                type: 'audio',
                originalContentUrl: url,
                duration: Number(durationText) > 0 ? Number(durationText) : UNKNOWN_AUDIO_MS,
              };
      const caption = content.media.caption?.trim();
      if (caption && caption.length > LINE_TEXT_LIMIT)
        return refuse('text_too_long', `The caption is over LINE's ${LINE_TEXT_LIMIT} characters.`);
      // LINE has no captions: the text goes as a second message of the same request.
      return { ok: true, messages: caption ? [file, { type: 'text', text: caption }] : [file] };
    }
    case 'document':
      return refuse('file_not_supported', 'LINE bots cannot send files; send a link instead.');
    case 'location': {
      const title = (content.name ?? 'Location').slice(0, 100);
      const address = (
        content.address ?? `${content.latitude.toFixed(6)}, ${content.longitude.toFixed(6)}`
      ).slice(0, 100);
      return {
        ok: true,
        messages: [
          {
            type: 'location',
            title,
            address,
            latitude: content.latitude,
            longitude: content.longitude,
          },
        ],
      };
    }
    default:
      return refuse(
        'unsupported_outbound',
        `Replydesk cannot send ${content.type} messages on LINE; only text, images, video, audio and locations.`,
      );
  }
}

/** LINE's refusal as the queue's failure. */
function classify(answer: LineAnswer, scrub: (text: string) => string, push: boolean): Failure {
  const { status } = answer;
  const said = scrub(lineErrorText(answer.json));
  const message = lineErrorSchema.safeParse(answer.json).data?.message ?? '';
  const wait = retryAfterMs(answer.headers.get('retry-after'), Date.now());
  if (status === 429) {
    if (/monthly limit/i.test(message))
      return failure(
        false,
        'quota_exhausted',
        `LINE refused the push: this account has used its monthly message quota ("${scrub(message)}"). Pushes fail until next month or a plan upgrade; replies within about 50 seconds of the customer's message stay free.`,
      );
    return failure(
      true,
      'rate_limited',
      `LINE's rate limit was reached${said ? ` (${said})` : ''}; will retry.`,
      wait,
    );
  }
  if (status >= 500 || status === 408)
    return failure(
      true,
      `http_${status}`,
      `The LINE API is temporarily unavailable (HTTP ${status})${said ? `: ${said}` : ''}; will retry.`,
      wait,
    );
  if (status === 401)
    return failure(
      false,
      'unauthorized',
      'LINE refused the channel access token (expired, reissued or revoked); save a new one on the Channels page.',
    );
  return failure(
    false,
    `http_${status}`,
    `LINE refused the ${push ? 'push' : 'reply'} (HTTP ${status})${said ? `: ${said}` : ''}.`,
  );
}

const sentId = (json: unknown): string | null =>
  sentSchema.safeParse(json).data?.sentMessages[0]?.id ?? null;

export function createLineSender(deps: SenderDeps): ChannelSender {
  const timeoutMs = deps.timeoutMs ?? 15_000;
  const call = { timeoutMs, ...(deps.fetch ? { fetch: deps.fetch } : {}) };

  async function push(
    settings: ChannelSettings,
    request: OutboundRequest,
    messages: Record<string, unknown>[],
    scrub: (text: string) => string,
  ): Promise<SendResult> {
    const key = retryKeyFor(request.messageId);
    // What the month had counted before this push, for its price beyond the plan's free quota
    // (the rate card's); unknown when LINE cannot say, and the push goes out all the same.
    const countedBefore = await readLineConsumption(settings, call).catch(() => undefined);
    const billing: SendBilling =
      countedBefore === undefined ? PUSH_BILLING : { ...PUSH_BILLING, countedBefore };
    let answer: LineAnswer;
    try {
      answer = await lineCall(
        settings,
        call,
        'POST',
        '/v2/bot/message/push',
        { to: request.to, messages },
        { 'X-Line-Retry-Key': key },
      );
    } catch (error) {
      // The retry key makes another try safe: LINE sends a push with a key it accepted once.
      return failure(
        true,
        error instanceof Error && (error.name === 'TimeoutError' || error.name === 'AbortError')
          ? 'timeout'
          : 'network_error',
        scrub(
          `The LINE API did not answer the push (${transportDetail(error)}); will retry with the same retry key, so it is sent at most once.`,
        ),
      );
    }
    if (answer.status >= 200 && answer.status < 300)
      return {
        ok: true,
        externalId: sentId(answer.json) ?? `line-push:${key}`,
        billing,
      };
    if (answer.status === 409) {
      // "The retry key is already accepted": an earlier attempt of this message went out.
      const accepted = answer.headers.get('x-line-accepted-request-id');
      return {
        ok: true,
        externalId:
          sentId(answer.json) ?? (accepted ? `line-request:${accepted}` : `line-push:${key}`),
        billing,
      };
    }
    return classify(answer, scrub, true);
  }

  return {
    channel: 'line',
    async send(request: OutboundRequest): Promise<SendResult> {
      if (request.channel !== 'line')
        return failure(
          false,
          'wrong_channel',
          `A ${request.channel} message cannot go through LINE.`,
        );
      const settings = deps.settings();
      const scrub = scrubber(settings);
      if (settingOf(settings, 'channelAccessToken') === '')
        return failure(
          false,
          'bad_config',
          'LINE has no channel access token; set it on the Channels page.',
        );
      const built = lineMessagesOf(request);
      if (!built.ok) return built.result;
      const { messages } = built;
      if (!request.replyToken) return push(settings, request, messages, scrub);

      let answer: LineAnswer;
      try {
        answer = await lineCall(settings, call, 'POST', '/v2/bot/message/reply', {
          replyToken: request.replyToken,
          messages,
        });
      } catch (error) {
        // A reply has no retry key: after a timeout LINE may have sent it.
        return transportFailure(error, 'the LINE API', 'LINE', timeoutMs, scrub);
      }
      if (answer.status >= 200 && answer.status < 300)
        return {
          ok: true,
          externalId: sentId(answer.json) ?? `line-reply:${request.messageId}`,
          billing: REPLY_BILLING,
        };
      const message = lineErrorSchema.safeParse(answer.json).data?.message ?? '';
      // Used or expired (LINE does not say which): the same message goes out as a push.
      if (answer.status === 400 && /invalid reply token/i.test(message))
        return push(settings, request, messages, scrub);
      return classify(answer, scrub, false);
    },
  };
}
