import type { MessageContent } from '../../../shared/domain/model';
import type { ChannelSettings } from '../connector';
import { failure, transportFailure, uncertain, type Failure } from '../meta/transport';
import type { ChannelSender, OutboundRequest, SendResult } from '../types';
import {
  apiUrl,
  DEFAULT_TIMEOUT_MS,
  readAnswer,
  withToken,
  WechatTokenError,
  type WechatAnswer,
} from './api';
import { scrubber } from './settings';

/**
 * Customer-service messages (客服消息, CHANNEL-API.md §7.4): `POST /cgi-bin/message/custom/send
 * ?access_token=…` with `{"touser","msgtype","text"|"image"|"voice"|"video":{…}}` → `{"errcode":0}`.
 *
 * - Files are uploaded first as temporary media (media.ts) and named by their `media_id`.
 *   Pictures and voice take no caption: the composer sends the words as a message of their own.
 * - WeChat answers no message id and sends no receipts, so a sent message is named by our id.
 * - The 48 h window and its 5 messages are the reply-window engine's (rules.ts `wechat`): the hub
 *   refuses a 6th before it comes here. 45015 and 45047 are still mapped, for a window WeChat
 *   counts differently (a reply sent from another system).
 * - A token WeChat refuses (40001, 42001) is refreshed once, shared with every concurrent send,
 *   and the message sent once more; a timeout after the request went out is uncertain, never
 *   retried.
 */

const api = 'the WeChat API';

type Built = { ok: true; payload: Record<string, unknown> } | { ok: false; result: Failure };

function payloadOf(content: MessageContent): Built {
  switch (content.type) {
    case 'text':
      if (content.body.trim() === '')
        return { ok: false, result: failure(false, 'empty_text', 'WeChat sends no empty text.') };
      return { ok: true, payload: { msgtype: 'text', text: { content: content.body } } };
    case 'image':
      return {
        ok: true,
        payload: { msgtype: 'image', image: { media_id: content.media.mediaId } },
      };
    case 'audio':
      return {
        ok: true,
        payload: { msgtype: 'voice', voice: { media_id: content.media.mediaId } },
      };
    case 'video':
      // thumb_media_id is not needed for customer-service video (and refused by some accounts).
      return {
        ok: true,
        payload: {
          msgtype: 'video',
          video: {
            media_id: content.media.mediaId,
            ...(content.media.caption ? { description: content.media.caption.slice(0, 1000) } : {}),
          },
        },
      };
    default:
      return {
        ok: false,
        result: failure(
          false,
          'unsupported_outbound',
          `Replydesk cannot send ${content.type} messages on WeChat; only text, pictures, voice and video.`,
        ),
      };
  }
}

/** What WeChat's `errcode` (other than 0) means for the message (§7.4, global return codes). */
export function refusal(errcode: number, errmsg: string): Failure {
  const code = `wechat_${errcode}`;
  const said = errmsg ? ` (${errmsg})` : '';
  switch (errcode) {
    case 45015:
      return failure(
        false,
        code,
        'WeChat refused it: out of the 48-hour window or the customer unfollowed (errcode 45015). You can write again when the customer writes.',
      );
    case 45047:
      return failure(
        false,
        code,
        'WeChat refused it: 5 messages already sent since the customer last wrote (errcode 45047). Wait for the customer to write again.',
      );
    case 43019:
      return failure(
        false,
        'blocked',
        'The customer is on the Official Account’s blacklist (errcode 43019): remove them from it on the Official Accounts Platform to write to them.',
      );
    case 40003:
      return failure(
        false,
        code,
        `WeChat does not know this customer’s OpenID for this Official Account (errcode 40003)${said}.`,
      );
    case 40007:
      return failure(
        false,
        code,
        'WeChat no longer has the file (invalid media_id, errcode 40007): temporary files last 3 days. Attach it again.',
      );
    case 45002:
      return failure(false, code, `WeChat says the message is too long (errcode 45002)${said}.`);
    case 45009:
      return failure(
        false,
        code,
        'WeChat refused it: the Official Account’s daily API quota is used up (errcode 45009). Send it again tomorrow.',
      );
    case 48001:
      return failure(
        false,
        code,
        'WeChat refused it: this Official Account may not send customer-service messages (errcode 48001, api unauthorized; it needs a verified service account).',
      );
    case -1:
      return failure(true, code, `WeChat is busy (errcode -1)${said}; will retry.`);
    default:
      return failure(
        false,
        code,
        errmsg
          ? `WeChat refused it: ${errmsg} (errcode ${errcode}).`
          : `WeChat refused it (errcode ${errcode}).`,
      );
  }
}

type Attempt =
  | { readonly kind: 'answer'; readonly status: number; readonly answer: WechatAnswer | null }
  | { readonly kind: 'thrown'; readonly error: unknown };

export function createWechatSender(deps: {
  readonly settings: () => ChannelSettings;
  readonly fetch?: typeof fetch;
  readonly timeoutMs?: number;
}): ChannelSender {
  const fetchImpl = deps.fetch ?? fetch;
  const timeoutMs = deps.timeoutMs ?? DEFAULT_TIMEOUT_MS;

  return {
    channel: 'wechat',
    async send(request: OutboundRequest): Promise<SendResult> {
      if (request.channel !== 'wechat')
        return failure(
          false,
          'wrong_channel',
          `A ${request.channel} message cannot go through WeChat.`,
        );
      const built = payloadOf(request.content);
      if (!built.ok) return built.result;
      const settings = deps.settings();
      const body = JSON.stringify({ touser: request.to, ...built.payload });
      let usedToken: string | null = null;
      let outcome: { result: Attempt; tokenRefusedTwice: boolean };
      try {
        outcome = await withToken<Attempt>(
          settings,
          { fetch: fetchImpl, timeoutMs },
          async (token) => {
            usedToken = token;
            try {
              const response = await fetchImpl(
                apiUrl(settings, '/cgi-bin/message/custom/send', token),
                {
                  method: 'POST',
                  headers: { 'Content-Type': 'application/json; charset=utf-8' },
                  body,
                  signal: AbortSignal.timeout(timeoutMs),
                },
              );
              const answer = readAnswer(await response.text());
              return {
                errcode: answer?.errcode ?? null,
                result: { kind: 'answer', status: response.status, answer },
              };
            } catch (error) {
              return { errcode: null, result: { kind: 'thrown', error } };
            }
          },
        );
      } catch (error) {
        if (error instanceof WechatTokenError)
          return failure(error.retryable, error.code, error.message);
        throw error;
      }
      const scrub = scrubber(settings, usedToken);
      const { result } = outcome;
      if (result.kind === 'thrown')
        return transportFailure(result.error, api, 'WeChat', timeoutMs, scrub);
      const { status, answer } = result;
      if (status === 429 || status >= 500)
        return failure(
          true,
          `http_${status}`,
          `${api} is temporarily unavailable (HTTP ${status}); will retry.`,
        );
      if (status < 200 || status >= 300)
        return failure(false, `http_${status}`, `${api} refused the message (HTTP ${status}).`);
      if (!answer)
        return uncertain(
          'bad_response',
          `${api} answered HTTP ${status} with something that is not its JSON; it may have been delivered, so it is not sent again.`,
        );
      if (outcome.tokenRefusedTwice)
        return failure(
          true,
          `wechat_${answer.errcode ?? 0}`,
          'WeChat refused a fresh access token too: another system using this AppID may be fetching tokens (each new one ends the last); will retry.',
        );
      const errcode = answer.errcode ?? 0;
      if (errcode !== 0) return refusal(errcode, scrub(answer.errmsg ?? ''));
      // No id comes back (and no receipt later): the message is named by our own id.
      const msgid = answer['msgid'];
      return {
        ok: true,
        externalId:
          typeof msgid === 'number' || typeof msgid === 'string'
            ? String(msgid)
            : `cs:${request.messageId}`,
      };
    },
  };
}
