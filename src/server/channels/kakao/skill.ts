import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import type { Order } from '../../../shared/domain/model';
import {
  settingOf,
  WebhookPayloadError,
  type ChannelSettings,
  type ParsedDelivery,
  type WebhookAnswer,
  type WebhookTools,
} from '../connector';
import type { InboundMessage } from '../types';
import { skillLookupMs } from './settings';

/**
 * Kakao i Open Builder skill calls (CHANNEL-API.md §8.1, official): Kakao POSTs a SkillPayload
 * when a block linked to the skill fires (the fallback block can forward all free text), and
 * shows the SkillResponse we answer, if it comes within 5 seconds. The utterance is stored as the
 * customer's message; the answer is an order's status from the hub's order store, or the
 * hand-over to an agent, who then replies through consultation talk (상담톡, the dealer).
 */

export const skillPayloadSchema = z
  .object({
    intent: z
      .object({ id: z.string().max(200), name: z.string().max(500) })
      .passthrough()
      .optional(),
    userRequest: z
      .object({
        timezone: z.string().max(100).optional(),
        utterance: z.string().max(65_536),
        lang: z.string().max(20).nullable().optional(),
        // v1 said `talk_user_id`, current docs `botUserKey`: the id is opaque either way.
        user: z
          .object({
            id: z.string().min(1).max(200),
            type: z.string().max(100).optional(),
            properties: z
              .object({ plusfriendUserKey: z.string().min(1).max(200).optional() })
              .passthrough()
              .optional(),
          })
          .passthrough(),
        callbackUrl: z.string().max(2048).optional(),
      })
      .passthrough(),
    bot: z
      .object({ id: z.string().min(1).max(200), name: z.string().max(500).optional() })
      .passthrough(),
    action: z
      .object({ id: z.string().max(200).optional(), name: z.string().max(500).optional() })
      .passthrough(),
  })
  .passthrough();
export type SkillPayload = z.infer<typeof skillPayloadSchema>;

/** Told apart from a dealer's webhook by its shape: a SkillPayload has these three. */
export function isSkillPayload(body: unknown): boolean {
  return (
    typeof body === 'object' &&
    body !== null &&
    'userRequest' in body &&
    'bot' in body &&
    'action' in body
  );
}

/**
 * The channel user key (`plusfriendUserKey`, stable per Kakao Talk Channel, the key consultation
 * talk knows the customer by) when Kakao gives it, else the bot's opaque user id.
 */
export const skillUserKey = (payload: SkillPayload): string =>
  payload.userRequest.user.properties?.plusfriendUserKey ?? payload.userRequest.user.id;

/**
 * Conversations are filed under the sender key, so a customer's skill utterances and their
 * consultation talk are one conversation; without a dealer, under the bot.
 */
export const skillAccountId = (payload: SkillPayload, settings: ChannelSettings): string =>
  settingOf(settings, 'senderKey') || `bot-${payload.bot.id}`;

const issueText = (error: z.ZodError): string =>
  error.issues
    .slice(0, 3)
    .map((issue) => `${issue.path.join('.') || '(body)'}: ${issue.message}`)
    .join('; ');

/**
 * The utterance as the customer's message. A SkillPayload carries no message id and Kakao does
 * not redeliver a skill call (the user sees the block's fallback text instead), so each call is
 * its own message, named by a random id.
 */
export function parseSkillPayload(
  body: unknown,
  settings: ChannelSettings,
  now: () => number = Date.now,
): ParsedDelivery {
  const parsed = skillPayloadSchema.safeParse(body);
  if (!parsed.success)
    throw new WebhookPayloadError(
      `Not an Open Builder SkillPayload: ${issueText(parsed.error)}`,
      parsed.error.issues[0]?.path.join('.') || '(body)',
    );
  const payload = parsed.data;
  const utterance = payload.userRequest.utterance;
  if (utterance.trim() === '')
    return { events: [], problems: ['userRequest.utterance is empty; nothing stored.'], lost: [] };
  const message: InboundMessage = {
    kind: 'message',
    channel: 'kakao',
    channelAccountId: skillAccountId(payload, settings),
    externalId: `skill:${randomUUID()}`,
    customer: {
      externalId: skillUserKey(payload),
      name: null,
      phone: null,
      language: 'ko',
      country: 'KR',
    },
    sentAt: now(),
    content: { type: 'text', body: utterance },
  };
  return { events: [message], problems: [], lost: [] };
}

// --- The answer ----------------------------------------------------------------------------

/** Open Builder's simpleText is limited to 1,000 characters (CHANNEL-API.md §8.1, unconfirmed). */
export const MAX_SIMPLE_TEXT = 1000;

export const AGENT_QUICK_REPLY = {
  label: '상담원 연결',
  action: 'message',
  messageText: '상담원 연결',
} as const;

export const SKILL_TEXT = {
  handOver: '상담원에게 연결해 드릴게요. 상담톡으로 상담원이 곧 답변드리겠습니다.',
  askNumber:
    '최근 주문을 찾지 못했어요. 주문 번호(예: #1001)를 보내 주시면 배송 상태를 알려 드릴게요.',
  slow: '지금은 주문 정보를 확인하기 어려워요. 잠시 후 다시 물어봐 주시거나 상담원을 연결해 주세요.',
  welcome: '안녕하세요! 주문 번호(예: #1001)를 보내 주시면 배송 상태를 알려 드려요.',
  notFound: (number: string) =>
    `주문 #${number}을(를) 찾지 못했어요. 번호를 다시 확인해 주시거나 상담원을 연결해 주세요.`,
} as const;

/** Order statuses as the hub's order store normalises them (orders/demo-store.ts), in Korean. */
const STATUS_KO: Readonly<Record<string, string>> = {
  pending: '결제 대기 중',
  processing: '상품 준비 중',
  on_hold: '보류 중',
  shipped: '배송 중',
  delivered: '배송 완료',
  completed: '구매 확정',
  returned: '반품 완료',
  refunded: '환불 완료',
  cancelled: '주문 취소',
  failed: '결제 실패',
};

export type SkillIntent =
  | { readonly kind: 'agent' }
  | { readonly kind: 'order'; readonly number: string | null }
  | { readonly kind: 'other' };

const AGENT =
  /상담원|상담사|상담\s*직원|사람(이랑|과|하고)?\s*(연결|통화|대화)|\bagent\b|\bhuman\b/i;
const ORDER_WORDS = /주문|배송|택배|운송장|order|deliver|shipping|parcel/i;
const ORDER_NUMBER =
  /#\s*(\d{1,20})\b|(?:주문|order)\s*(?:번호|no\.?|number)?\s*[:#]?\s*(\d{3,20})\b/i;

/** What the customer asks: an agent, an order's status (by number or their latest), or else. */
export function skillIntent(utterance: string): SkillIntent {
  if (AGENT.test(utterance)) return { kind: 'agent' };
  const match = ORDER_NUMBER.exec(utterance);
  const number = match ? (match[1] ?? match[2] ?? null) : null;
  if (number !== null || ORDER_WORDS.test(utterance)) return { kind: 'order', number };
  return { kind: 'other' };
}

/**
 * An order's status, for a customer who may be anyone who knows the number: the number and the
 * status only (no name, items or tracking number), as a shop's tracking page shows.
 */
export function orderStatusText(order: Order): string {
  const status = STATUS_KO[order.status] ?? order.status;
  const carrier = order.carrier && order.status === 'shipped' ? ` (${order.carrier})` : '';
  return `주문 #${order.number}의 상태는 '${status}'입니다${carrier}.`;
}

export interface SkillResponse {
  readonly version: '2.0';
  readonly template: {
    readonly outputs: readonly [{ readonly simpleText: { readonly text: string } }];
    readonly quickReplies: readonly (typeof AGENT_QUICK_REPLY)[];
  };
}

export function skillResponse(text: string, offerAgent: boolean): SkillResponse {
  const clipped = [...text].slice(0, MAX_SIMPLE_TEXT).join('');
  return {
    version: '2.0',
    template: {
      outputs: [{ simpleText: { text: clipped } }],
      quickReplies: offerAgent ? [AGENT_QUICK_REPLY] : [],
    },
  };
}

const TIMED_OUT = Symbol('timed out');

/** `promise`, or TIMED_OUT after `ms`: the skill must answer within Kakao's 5 seconds. */
async function within<T>(promise: Promise<T>, ms: number): Promise<T | typeof TIMED_OUT> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<typeof TIMED_OUT>((resolve) => {
    timer = setTimeout(() => resolve(TIMED_OUT), ms);
  });
  try {
    return await Promise.race([promise, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

/** The text the skill answers with (Korean), and whether to offer the agent. */
export async function skillAnswerText(
  payload: SkillPayload,
  settings: ChannelSettings,
  tools: WebhookTools,
): Promise<{ readonly text: string; readonly offerAgent: boolean }> {
  const intent = skillIntent(payload.userRequest.utterance);
  if (intent.kind === 'agent') return { text: SKILL_TEXT.handOver, offerAgent: false };
  if (intent.kind === 'other') return { text: SKILL_TEXT.welcome, offerAgent: true };
  const { ordersOf } = tools;
  if (!ordersOf) return { text: SKILL_TEXT.slow, offerAgent: true };
  const lookup = ordersOf({
    channel: 'kakao',
    channelAccountId: skillAccountId(payload, settings),
    customerExternalId: skillUserKey(payload),
    number: intent.number,
  });
  // A lookup that fails after the timeout must not surface as an unhandled rejection.
  lookup.catch(() => undefined);
  let orders: readonly Order[] | typeof TIMED_OUT;
  try {
    orders = await within(lookup, skillLookupMs(settings));
  } catch {
    return { text: SKILL_TEXT.slow, offerAgent: true };
  }
  if (orders === TIMED_OUT) return { text: SKILL_TEXT.slow, offerAgent: true };
  const order = orders[0];
  if (!order)
    return {
      text: intent.number === null ? SKILL_TEXT.askNumber : SKILL_TEXT.notFound(intent.number),
      offerAgent: true,
    };
  return { text: orderStatusText(order), offerAgent: true };
}

export async function answerSkill(
  payload: SkillPayload,
  settings: ChannelSettings,
  tools: WebhookTools,
): Promise<WebhookAnswer> {
  const { text, offerAgent } = await skillAnswerText(payload, settings, tools);
  return {
    status: 200,
    contentType: 'application/json; charset=utf-8',
    body: JSON.stringify(skillResponse(text, offerAgent)),
  };
}
