/**
 * KakaoTalk deliveries for tests: the dealer's webhook in the HappyTalk-style shape the connector
 * assumes (src/server/channels/kakao/happytalk.ts), and Open Builder SkillPayloads as
 * CHANNEL-API.md §8.1 shows them, each with the shared-secret header its route needs.
 */

export const KAKAO = {
  clientId: 'ht-client-replydesk',
  clientSecret: 'ht-secret-3f9c2a7d51e04b88',
  senderKey: 'a1b2c3d4e5f60718293a4b5c6d7e8f9012345678',
  webhookSecret: 'dealer-webhook-secret-7c1e9b',
  skillSecret: 'open-builder-skill-secret-42aa',
  botId: '5f1a2b3c4d5e6f7a8b9c0d1e',
};

/** Settings as a hub is given them (env-only ones that tests need included). */
export function kakaoSettings(
  dealerUrl: string,
  extra: Record<string, string> = {},
): Record<string, string> {
  return {
    dealerUrl,
    clientId: KAKAO.clientId,
    clientSecret: KAKAO.clientSecret,
    senderKey: KAKAO.senderKey,
    webhookSecret: KAKAO.webhookSecret,
    skillSecret: KAKAO.skillSecret,
    ...extra,
  };
}

export interface SignedKakao {
  readonly body: string;
  readonly headers: Record<string, string>;
}

export const dealerDelivery = (body: unknown, secret = KAKAO.webhookSecret): SignedKakao => ({
  body: JSON.stringify(body),
  headers: { 'content-type': 'application/json', 'x-webhook-secret': secret },
});

export const skillDelivery = (body: unknown, secret = KAKAO.skillSecret): SignedKakao => ({
  body: JSON.stringify(body),
  headers: { 'content-type': 'application/json', 'x-skill-secret': secret },
});

export function dealerMessage(
  serial: string,
  userKey: string,
  at: number,
  type: string,
  content: string,
  extra: Record<string, unknown> = {},
): Record<string, unknown> {
  return {
    event: 'message',
    sender_key: KAKAO.senderKey,
    user_key: userKey,
    serial_number: serial,
    message_type: type,
    content,
    created_at: at,
    ...extra,
  };
}

export function sessionEvent(
  event: 'session_start' | 'session_end',
  userKey: string,
  at: number,
  sessionId: string,
  reason?: string,
): Record<string, unknown> {
  return {
    event,
    sender_key: KAKAO.senderKey,
    user_key: userKey,
    session_id: sessionId,
    created_at: at,
    ...(reason === undefined ? {} : { reason }),
  };
}

/** A SkillPayload (CHANNEL-API.md §8.1) for `utterance` by the channel user `userKey`. */
export function skillPayload(
  utterance: string,
  userKey: string | null,
  botUserKey = 'bot-user-7d3f',
): Record<string, unknown> {
  return {
    intent: { id: 'fallback-block', name: '폴백 블록', extra: {} },
    userRequest: {
      timezone: 'Asia/Seoul',
      params: { ignoreMe: 'true' },
      block: { id: 'fallback-block', name: '폴백 블록' },
      utterance,
      lang: 'ko',
      user: {
        id: botUserKey,
        type: 'botUserKey',
        properties: {
          ...(userKey === null ? {} : { plusfriendUserKey: userKey }),
          isFriend: true,
        },
      },
    },
    bot: { id: KAKAO.botId, name: '리플라이데스크 샵' },
    action: {
      id: 'order-skill',
      name: '주문 조회 스킬',
      params: {},
      detailParams: {},
      clientExtra: {},
    },
    contexts: [],
  };
}
