import { settingOf, type ChannelConnector } from '../connector';
import { kakaoDemoDelivery } from './demo';
import { dealerOf } from './dealers';
import { createKakaoMedia } from './media';
import { createKakaoSender, DEFAULT_SEND_TIMEOUT_MS } from './sender';
import { KAKAO_SETTINGS } from './settings';
import { answerKakao, kakaoVerify, parseKakao } from './webhook';

/**
 * KakaoTalk (CHANNEL-API.md §8; docs/channels/kakao.md): agents' chat through a BizMessage
 * consultation-talk dealer behind a small adapter (dealer.ts; the first is HappyTalk's API,
 * happytalk.ts), and Kakao i Open Builder skill calls answered with order statuses and a hand-over
 * to an agent (skill.ts), both on `/webhooks/kakao`, told apart by shape (webhook.ts). The
 * folder's parts: settings, shared-secret check (secret.ts), sender, media, the demo's delivery.
 * Its fake dealer is test/support/fake-kakao-dealer.ts, its deliveries test/support/kakao-webhooks.ts.
 * The 30-day session is the reply-window engine's (rules.ts `kakao`); an ended one is the
 * conversation's blocked state.
 */
export const kakaoConnector: ChannelConnector = {
  channel: 'kakao',
  name: 'KakaoTalk',
  provider: 'kakao_bizmessage',
  settings: KAKAO_SETTINGS,
  receives: (settings) =>
    settingOf(settings, 'webhookSecret') !== '' || settingOf(settings, 'skillSecret') !== '',
  verify: kakaoVerify,
  parse: parseKakao,
  answer: answerKakao,
  createSender: ({ settings, timeoutMs, fetch }) =>
    createKakaoSender({
      settings,
      ...(timeoutMs === undefined ? {} : { timeoutMs }),
      ...(fetch === undefined ? {} : { fetch }),
    }),
  createMedia: (deps) => createKakaoMedia(deps),
  endSession: (to, settings, deps) =>
    dealerOf(settings).endSession(to, {
      settings,
      fetch: deps.fetch ?? fetch,
      timeoutMs: deps.timeoutMs ?? DEFAULT_SEND_TIMEOUT_MS,
    }),
  testConnection: (settings, deps) =>
    dealerOf(settings).testConnection({
      settings,
      fetch: deps.fetch ?? fetch,
      timeoutMs: deps.timeoutMs ?? DEFAULT_SEND_TIMEOUT_MS,
    }),
  demoDelivery: kakaoDemoDelivery,
};
