import { failure } from '../meta/transport';
import type { ChannelSettings } from '../connector';
import type { ChannelSender, OutboundRequest, SendResult } from '../types';
import type { DealerMessage } from './dealer';
import { dealerOf } from './dealers';

/**
 * Agents' replies on KakaoTalk go through the consultation-talk dealer (dealer.ts): text, and
 * images and files by the URL the dealer's upload gave them (media.ts). Whether the session is
 * open is the hub's to check first (rules.ts `kakao`, the blocked state: 409 before any call);
 * the dealer's own "no open session" answer is `blocked`, which marks the conversation.
 */

export const DEFAULT_SEND_TIMEOUT_MS = 15_000;

function messageOf(request: OutboundRequest): DealerMessage | SendResult {
  const base = { serial: request.messageId, userKey: request.to };
  const { content } = request;
  switch (content.type) {
    case 'text':
      return { ...base, content: { type: 'text', text: content.body } };
    case 'image':
    case 'document': {
      const url = content.media.mediaId;
      if (!/^https?:\/\/\S+$/.test(url))
        return failure(
          false,
          'media_not_uploaded',
          'KakaoTalk sends files by the URL its dealer’s upload gives them; this one was not uploaded.',
        );
      return content.type === 'image'
        ? { ...base, content: { type: 'image', url } }
        : { ...base, content: { type: 'file', url, filename: content.media.filename ?? 'file' } };
    }
    default:
      return failure(
        false,
        'unsupported_outbound',
        `Replydesk cannot send ${content.type} messages on KakaoTalk; only text, images and files.`,
      );
  }
}

export function createKakaoSender(deps: {
  readonly settings: () => ChannelSettings;
  readonly fetch?: typeof fetch;
  readonly timeoutMs?: number;
}): ChannelSender {
  return {
    channel: 'kakao',
    async send(request: OutboundRequest): Promise<SendResult> {
      if (request.channel !== 'kakao')
        return failure(
          false,
          'wrong_channel',
          `A ${request.channel} message cannot go through KakaoTalk.`,
        );
      const message = messageOf(request);
      if ('ok' in message) return message;
      const settings = deps.settings();
      return dealerOf(settings).send(message, {
        settings,
        fetch: deps.fetch ?? fetch,
        timeoutMs: deps.timeoutMs ?? DEFAULT_SEND_TIMEOUT_MS,
      });
    },
  };
}
