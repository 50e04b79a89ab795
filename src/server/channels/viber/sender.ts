import type { MessageContent } from '../../../shared/domain/model';
import { settingOf, type ChannelSettings } from '../connector';
import { failure, transportFailure, uncertain, type Failure } from '../meta/transport';
import type { ChannelSender, OutboundRequest, SendResult } from '../types';
import { readAnswer, scrubber, viberRequest } from './api';
import { tokenText } from './exact-json';
import { parseViberMediaId } from './media';

/**
 * `POST /pa/send_message` (CHANNEL-API.md §6.3): `{"receiver","min_api_version":1,"sender":
 * {"name","avatar"?},"tracking_data","type",…}` → `{"status":0,"message_token":<64-bit>}`.
 *
 * - `tracking_data` is our message id: Viber hands it back with the customer's next message.
 * - Files go by URL only: the media part publishes them at the hub (`publishFile`) and names them
 *   `<size>|<url>` (media.ts), because Viber's `video` and `file` need the size.
 * - Errors arrive as HTTP 200 with `status != 0` (§6.5); 12 (100 messages per user per hour
 *   without a reply) is retried after a minute; HTTP 5xx and connections never made are retried;
 *   a timeout after the request went out is uncertain, never retried.
 * - Cost is the reply-window engine's (viber.session_24h / viber.billable_outside_session): the
 *   send itself does not change it, so no `billing` is answered.
 */

export const DEFAULT_SEND_TIMEOUT_MS = 15_000;
/** Text ≤ 7,000 characters; the whole request ≤ 30 KB (§6.3). */
export const MAX_TEXT = 7000;
export const MAX_REQUEST_BYTES = 30 * 1024;
/**
 * Picture captions: Viber's docs say 768 characters, Infobip 512 (§6.3, unconfirmed). We refuse
 * over 512 so a caption is never cut or refused on the stricter reading.
 */
export const MAX_CAPTION = 512;
/** Viber's per-user rule: 100 messages an hour without a reply; retried a minute later. */
export const TOO_MANY_REQUESTS_RETRY_MS = 60_000;

const chars = (text: string): number => [...text].length;

function payloadOf(
  content: MessageContent,
): { ok: true; payload: Record<string, unknown> } | { ok: false; result: Failure } {
  const refuse = (code: string, reason: string) => ({
    ok: false as const,
    result: failure(false, code, reason),
  });
  switch (content.type) {
    case 'text': {
      const size = chars(content.body);
      if (size > MAX_TEXT)
        return refuse(
          'text_too_long',
          `Viber text messages are limited to ${MAX_TEXT} characters; this one has ${size}.`,
        );
      return { ok: true, payload: { type: 'text', text: content.body } };
    }
    case 'image':
    case 'video':
    case 'document': {
      const file = parseViberMediaId(content.media.mediaId, content.media.url);
      if (!file)
        return refuse(
          'media_not_published',
          'Viber takes files by URL only, and this file has no public URL at the hub.',
        );
      if (content.type === 'image') {
        const caption = content.media.caption ?? '';
        if (chars(caption) > MAX_CAPTION)
          return refuse(
            'caption_too_long',
            `Viber picture captions are limited to ${MAX_CAPTION} characters; this one has ${chars(caption)}.`,
          );
        return { ok: true, payload: { type: 'picture', media: file.url, text: caption } };
      }
      if (file.size === null)
        return refuse(
          'media_size_unknown',
          `Viber needs the size of a ${content.type === 'video' ? 'video' : 'file'}; attach it through the hub.`,
        );
      if (content.type === 'video')
        return { ok: true, payload: { type: 'video', media: file.url, size: file.size } };
      return {
        ok: true,
        payload: {
          type: 'file',
          media: file.url,
          size: file.size,
          file_name: (content.media.filename ?? 'file').slice(0, 256),
        },
      };
    }
    default:
      return refuse(
        'unsupported_outbound',
        `Replydesk cannot send ${content.type} messages on Viber; only text, pictures, videos and files.`,
      );
  }
}

/** What Viber's `status` (§6.5) means for the message, when not 0. */
function refusal(status: number, message: string): Failure {
  const code = `viber_${status}`;
  const said = message ? ` (${message})` : '';
  switch (status) {
    case 12:
      return failure(
        true,
        code,
        `Viber rate limit: at most 100 messages to one customer per hour without a reply${said}; will retry.`,
        TOO_MANY_REQUESTS_RETRY_MS,
      );
    case 6:
      return failure(
        false,
        'blocked',
        `The customer is not subscribed to the bot (unsubscribed or never subscribed); you can write again when they message you.`,
      );
    case 2:
      return failure(
        false,
        code,
        `Viber refused the auth token${said}: check the auth token on the Channels page.`,
      );
    case 23:
      return failure(
        false,
        code,
        `Viber refused it: the bot’s free messages are used up${said}. Check the bot’s billing with Viber or your partner.`,
      );
    case 24:
      return failure(
        false,
        code,
        `Viber refused it: the bot’s account has no balance left${said}. Top it up with Viber or your partner.`,
      );
    default:
      return failure(
        false,
        code,
        message
          ? `Viber refused it: ${message} (status ${status}).`
          : `Viber refused it (status ${status}).`,
      );
  }
}

export function createViberSender(deps: {
  readonly settings: () => ChannelSettings;
  readonly fetch?: typeof fetch;
  readonly timeoutMs?: number;
}): ChannelSender {
  const fetchImpl = deps.fetch ?? fetch;
  const timeoutMs = deps.timeoutMs ?? DEFAULT_SEND_TIMEOUT_MS;
  const api = 'the Viber API';

  return {
    channel: 'viber',
    async send(request: OutboundRequest): Promise<SendResult> {
      if (request.channel !== 'viber')
        return failure(
          false,
          'wrong_channel',
          `A ${request.channel} message cannot go through Viber.`,
        );
      const settings = deps.settings();
      const scrub = scrubber(settings);
      const built = payloadOf(request.content);
      if (!built.ok) return built.result;
      const avatar = settingOf(settings, 'senderAvatar');
      const body = JSON.stringify({
        receiver: request.to,
        min_api_version: 1,
        sender: {
          name: settingOf(settings, 'senderName').slice(0, 28),
          ...(avatar ? { avatar } : {}),
        },
        tracking_data: request.messageId,
        ...built.payload,
      });
      const size = Buffer.byteLength(body, 'utf8');
      if (size > MAX_REQUEST_BYTES)
        return failure(
          false,
          'request_too_large',
          `Viber takes at most 30 KB per message; this one is ${Math.ceil(size / 1024)} KB.`,
        );

      let status: number;
      let text: string;
      try {
        const response = await viberRequest(settings, 'send_message', body, {
          fetch: fetchImpl,
          timeoutMs,
        });
        status = response.status;
        text = await response.text();
      } catch (error) {
        return transportFailure(error, api, 'Viber', timeoutMs, scrub);
      }
      if (status === 429 || status >= 500)
        return failure(
          true,
          `http_${status}`,
          `${api} is temporarily unavailable (HTTP ${status}); will retry.`,
        );
      if (status < 200 || status >= 300)
        return failure(false, `http_${status}`, `${api} refused the message (HTTP ${status}).`);
      const answer = readAnswer(text);
      if (!answer)
        return uncertain(
          'bad_response',
          `${api} answered HTTP ${status} with something that is not its JSON; waiting for Viber to confirm whether it was sent.`,
        );
      if (answer.status !== 0) return refusal(answer.status, scrub(answer.status_message ?? ''));
      if (answer.message_token === undefined)
        return uncertain(
          'bad_response',
          `${api} answered status 0 without a message_token; waiting for Viber to confirm whether it was sent.`,
        );
      return { ok: true, externalId: tokenText(answer.message_token) };
    },
  };
}
