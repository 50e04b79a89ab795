import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DAY_MS, HOUR_MS, MINUTE_MS, type ChannelKind } from '../../src/shared/domain/channels';
import {
  DEFAULT_CHANNEL_RULES,
  LINE_REPLY_TOKEN_RULE_SET,
  OPTIONAL_RULE_SETS,
  channelRuleSetSchema,
  channelRulesSchema,
  computeReplyWindow,
  maxWindowMs,
  resolveChannelRules,
  withChannelRules,
  type ConversationWindowFacts,
  type ReplyWindow,
  type WindowOptions,
} from '../../src/shared/reply-window';

/** The customer's message every scenario starts from. */
const T0 = Date.UTC(2026, 10, 2, 9, 0, 0);
const SECOND_MS = 1000;

interface Case {
  readonly name: string;
  readonly channel: ChannelKind;
  readonly facts: ConversationWindowFacts;
  readonly at: number;
  readonly options?: WindowOptions;
  readonly expected: Partial<ReplyWindow>;
}

function runCases(cases: readonly Case[]): void {
  it.each(cases.map((c) => [c.name, c] as const))('%s', (_name, c) => {
    const window = computeReplyWindow(c.channel, c.facts, c.at, c.options);
    expect(window).toMatchObject({ channel: c.channel, ...c.expected });
  });
}

const wrote = (
  at: number,
  more: Partial<ConversationWindowFacts> = {},
): ConversationWindowFacts => ({
  lastInboundAt: at,
  ...more,
});
const neverWrote: ConversationWindowFacts = { lastInboundAt: null };

describe('WhatsApp customer service window', () => {
  const closesAt = T0 + 24 * HOUR_MS;
  runCases([
    {
      name: 'keeps the WhatsApp window open for free-form replies during the 24 h',
      channel: 'whatsapp',
      facts: wrote(T0),
      at: T0 + HOUR_MS,
      expected: {
        state: 'open',
        closesAt,
        remainingMs: 23 * HOUR_MS,
        allowed: { kind: 'free_form', billable: false },
        messagesRemaining: null,
        freeEntryPoint: false,
        basis: 'whatsapp.customer_service_24h',
      },
    },
    {
      name: 'opens the WhatsApp window at the very instant the customer writes',
      channel: 'whatsapp',
      facts: wrote(T0),
      at: T0,
      expected: { state: 'open', remainingMs: 24 * HOUR_MS },
    },
    {
      name: 'keeps the WhatsApp window (closing) 1 ms before 24 h',
      channel: 'whatsapp',
      facts: wrote(T0),
      at: closesAt - 1,
      expected: {
        state: 'closing',
        remainingMs: 1,
        allowed: { kind: 'free_form', billable: false },
      },
    },
    {
      name: 'closes the WhatsApp window 24 h after the last customer message (templates only)',
      channel: 'whatsapp',
      facts: wrote(T0),
      at: closesAt,
      expected: {
        state: 'closed',
        closesAt,
        remainingMs: 0,
        allowed: { kind: 'template_only' },
        basis: 'whatsapp.templates_only_after_24h',
      },
    },
    {
      name: 'keeps the WhatsApp window closed long after 24 h, remainingMs never negative',
      channel: 'whatsapp',
      facts: wrote(T0),
      at: closesAt + 30 * DAY_MS,
      expected: { state: 'closed', remainingMs: 0, allowed: { kind: 'template_only' } },
    },
    {
      name: 'marks the window closing with exactly the threshold (1 h) remaining',
      channel: 'whatsapp',
      facts: wrote(T0),
      at: closesAt - HOUR_MS,
      expected: { state: 'closing', remainingMs: HOUR_MS },
    },
    {
      name: 'keeps the window open with the threshold + 1 ms remaining',
      channel: 'whatsapp',
      facts: wrote(T0),
      at: closesAt - HOUR_MS - 1,
      expected: { state: 'open', remainingMs: HOUR_MS + 1 },
    },
    {
      name: 'honours a custom closing threshold (closing at exactly 4 h left)',
      channel: 'whatsapp',
      facts: wrote(T0),
      at: closesAt - 4 * HOUR_MS,
      options: { closingThresholdMs: 4 * HOUR_MS },
      expected: { state: 'closing' },
    },
    {
      name: 'honours a custom closing threshold (open at 4 h + 1 ms left)',
      channel: 'whatsapp',
      facts: wrote(T0),
      at: closesAt - 4 * HOUR_MS - 1,
      options: { closingThresholdMs: 4 * HOUR_MS },
      expected: { state: 'open' },
    },
    {
      name: 'resets the WhatsApp window when the customer writes again',
      channel: 'whatsapp',
      facts: wrote(T0 + 20 * HOUR_MS),
      at: closesAt + HOUR_MS,
      expected: {
        state: 'open',
        closesAt: T0 + 44 * HOUR_MS,
        remainingMs: 19 * HOUR_MS,
        allowed: { kind: 'free_form', billable: false },
      },
    },
    {
      name: 'reopens a closed WhatsApp window when the customer writes days later',
      channel: 'whatsapp',
      facts: wrote(T0 + 3 * DAY_MS),
      at: T0 + 3 * DAY_MS + MINUTE_MS,
      expected: { state: 'open', closesAt: T0 + 4 * DAY_MS },
    },
    {
      name: 'offers only templates when the WhatsApp customer never wrote',
      channel: 'whatsapp',
      facts: neverWrote,
      at: T0,
      expected: {
        state: 'closed',
        closesAt: null,
        remainingMs: null,
        allowed: { kind: 'template_only' },
        basis: 'whatsapp.no_customer_message',
      },
    },
  ]);
});

describe('WhatsApp free entry point (72 h)', () => {
  const adClick = { entryPoint: 'ad_referral', entryPointAt: T0 } as const;
  const reply = T0 + 2 * HOUR_MS;
  runCases([
    {
      name: 'opens 72 free hours from the first reply to a click-to-WhatsApp ad conversation',
      channel: 'whatsapp',
      facts: wrote(T0, { ...adClick, firstReplyAfterEntryAt: reply }),
      at: reply + 30 * HOUR_MS,
      expected: {
        state: 'open',
        closesAt: reply + 72 * HOUR_MS,
        remainingMs: 42 * HOUR_MS,
        allowed: { kind: 'free_form', billable: false },
        freeEntryPoint: true,
        basis: 'whatsapp.free_entry_point_72h',
      },
    },
    {
      name: 'is still free (closing) 1 ms before the 72 h end',
      channel: 'whatsapp',
      facts: wrote(T0, { ...adClick, firstReplyAfterEntryAt: reply }),
      at: reply + 72 * HOUR_MS - 1,
      expected: { state: 'closing', remainingMs: 1, freeEntryPoint: true },
    },
    {
      name: 'closes to templates only when the 72 h end',
      channel: 'whatsapp',
      facts: wrote(T0, { ...adClick, firstReplyAfterEntryAt: reply }),
      at: reply + 72 * HOUR_MS,
      expected: {
        state: 'closed',
        remainingMs: 0,
        allowed: { kind: 'template_only' },
        freeEntryPoint: false,
      },
    },
    {
      name: 'keeps the ordinary 24 h and offers the entry point while nobody replied yet',
      channel: 'whatsapp',
      facts: wrote(T0, { ...adClick, firstReplyAfterEntryAt: null }),
      at: T0 + HOUR_MS,
      expected: {
        state: 'open',
        closesAt: T0 + 24 * HOUR_MS,
        freeEntryPoint: false,
        basis: 'whatsapp.customer_service_24h',
        entryPointOffer: {
          replyBy: T0 + 24 * HOUR_MS,
          freeWindowMs: 72 * HOUR_MS,
          basis: 'whatsapp.free_entry_point_72h',
        },
      },
    },
    {
      name: 'no longer offers the entry point once the 24 h to reply are over',
      channel: 'whatsapp',
      facts: wrote(T0, { ...adClick }),
      at: T0 + 24 * HOUR_MS,
      expected: { state: 'closed', allowed: { kind: 'template_only' }, entryPointOffer: null },
    },
    {
      name: 'grants no free window to a reply sent 24 h or more after the entry point',
      channel: 'whatsapp',
      facts: wrote(T0, { ...adClick, firstReplyAfterEntryAt: T0 + 24 * HOUR_MS }),
      at: T0 + 25 * HOUR_MS,
      expected: { state: 'closed', freeEntryPoint: false, allowed: { kind: 'template_only' } },
    },
    {
      name: 'grants the free window to a reply 1 ms inside the 24 h',
      channel: 'whatsapp',
      facts: wrote(T0, { ...adClick, firstReplyAfterEntryAt: T0 + 24 * HOUR_MS - 1 }),
      at: T0 + 25 * HOUR_MS,
      expected: { state: 'open', freeEntryPoint: true, closesAt: T0 + 96 * HOUR_MS - 1 },
    },
    {
      name: 'grants no free window to an organic conversation',
      channel: 'whatsapp',
      facts: wrote(T0, { entryPoint: 'organic', firstReplyAfterEntryAt: reply }),
      at: T0 + HOUR_MS,
      expected: { freeEntryPoint: false, closesAt: T0 + 24 * HOUR_MS, entryPointOffer: null },
    },
    {
      name: 'falls back to the ordinary window when a newer message outlasts the 72 h',
      channel: 'whatsapp',
      facts: wrote(reply + 71 * HOUR_MS, { ...adClick, firstReplyAfterEntryAt: reply }),
      at: reply + 72 * HOUR_MS,
      expected: {
        state: 'open',
        closesAt: reply + 95 * HOUR_MS,
        freeEntryPoint: false,
        basis: 'whatsapp.customer_service_24h',
      },
    },
    {
      name: 'stays free while both the 72 h and a newer 24 h window run',
      channel: 'whatsapp',
      facts: wrote(reply + 71 * HOUR_MS, { ...adClick, firstReplyAfterEntryAt: reply }),
      at: reply + 71 * HOUR_MS,
      expected: { closesAt: reply + 95 * HOUR_MS, freeEntryPoint: true },
    },
    {
      name: 'anchors the entry point at the customer message when its instant is missing',
      channel: 'whatsapp',
      facts: wrote(T0, { entryPoint: 'ad_referral', firstReplyAfterEntryAt: reply }),
      at: reply,
      expected: { freeEntryPoint: true, closesAt: reply + 72 * HOUR_MS },
    },
  ]);
});

describe('Messenger and Instagram: 24 h, then the HUMAN_AGENT tag for 7 days', () => {
  const sevenDays = T0 + 7 * DAY_MS;
  runCases([
    {
      name: 'keeps the Messenger window open for 24 h after the last customer message',
      channel: 'messenger',
      facts: wrote(T0),
      at: T0 + 23 * HOUR_MS - 1,
      expected: {
        state: 'open',
        closesAt: T0 + 24 * HOUR_MS,
        allowed: { kind: 'free_form', billable: false },
        basis: 'messenger.standard_24h',
      },
    },
    {
      name: 'allows only the HUMAN_AGENT tag once the Messenger 24 h close',
      channel: 'messenger',
      facts: wrote(T0),
      at: T0 + 24 * HOUR_MS,
      expected: {
        state: 'closed',
        remainingMs: 0,
        allowed: { kind: 'tag_only', tag: 'HUMAN_AGENT', until: sevenDays },
        basis: 'messenger.human_agent_7d',
      },
    },
    {
      name: 'still allows the HUMAN_AGENT tag 1 ms before 7 days',
      channel: 'messenger',
      facts: wrote(T0),
      at: sevenDays - 1,
      expected: { allowed: { kind: 'tag_only', tag: 'HUMAN_AGENT', until: sevenDays } },
    },
    {
      name: 'allows nothing on Messenger 7 days after the last customer message',
      channel: 'messenger',
      facts: wrote(T0),
      at: sevenDays,
      expected: {
        state: 'closed',
        allowed: {
          kind: 'none',
          reason: "Messenger allows no message more than 7 days after the customer's last message",
        },
        basis: 'messenger.closed_after_7d',
      },
    },
    {
      name: 'allows nothing after 24 h when the Page has no human_agent permission',
      channel: 'messenger',
      facts: wrote(T0),
      at: T0 + 24 * HOUR_MS,
      options: { humanAgentTag: false },
      expected: {
        state: 'closed',
        allowed: { kind: 'none', reason: expect.stringContaining('human_agent permission') },
        basis: 'messenger.closed_after_24h',
      },
    },
    {
      name: 'uses the HUMAN_AGENT tag when humanAgentTag is explicitly true',
      channel: 'messenger',
      facts: wrote(T0),
      at: T0 + 2 * DAY_MS,
      options: { humanAgentTag: true },
      expected: { allowed: { kind: 'tag_only', tag: 'HUMAN_AGENT', until: sevenDays } },
    },
    {
      name: 'restarts the 7-day tag period from a newer customer message',
      channel: 'messenger',
      facts: wrote(T0 + 3 * DAY_MS),
      at: sevenDays + HOUR_MS,
      expected: {
        allowed: { kind: 'tag_only', tag: 'HUMAN_AGENT', until: T0 + 10 * DAY_MS },
      },
    },
    {
      name: 'keeps a click-to-Messenger ad conversation open for 7 days',
      channel: 'messenger',
      facts: wrote(T0, { entryPoint: 'ad_referral', entryPointAt: T0 }),
      at: T0 + 6 * DAY_MS,
      expected: {
        state: 'open',
        closesAt: sevenDays,
        allowed: { kind: 'free_form', billable: false },
        freeEntryPoint: false,
        basis: 'messenger.ad_referral_7d',
      },
    },
    {
      name: 'closes a click-to-Messenger ad conversation after 7 days with nothing allowed',
      channel: 'messenger',
      facts: wrote(T0, { entryPoint: 'ad_referral', entryPointAt: T0 }),
      at: sevenDays,
      expected: { state: 'closed', allowed: { kind: 'none', reason: expect.any(String) } },
    },
    {
      name: 'allows nothing on Messenger before the customer writes',
      channel: 'messenger',
      facts: neverWrote,
      at: T0,
      expected: {
        state: 'closed',
        closesAt: null,
        allowed: { kind: 'none', reason: 'Messenger allows no message before the customer writes' },
      },
    },
    {
      name: 'allows only the HUMAN_AGENT tag once the Instagram 24 h close',
      channel: 'instagram',
      facts: wrote(T0),
      at: T0 + 24 * HOUR_MS,
      expected: {
        state: 'closed',
        allowed: { kind: 'tag_only', tag: 'HUMAN_AGENT', until: sevenDays },
        basis: 'instagram.human_agent_7d',
      },
    },
    {
      name: 'allows nothing on Instagram 7 days after the last customer message',
      channel: 'instagram',
      facts: wrote(T0),
      at: sevenDays,
      expected: {
        allowed: {
          kind: 'none',
          reason: "Instagram allows no message more than 7 days after the customer's last message",
        },
      },
    },
    {
      name: 'gives Instagram no 7-day window for ad referrals (Messenger only)',
      channel: 'instagram',
      facts: wrote(T0, { entryPoint: 'ad_referral', entryPointAt: T0 }),
      at: T0 + 2 * DAY_MS,
      expected: { state: 'closed', closesAt: T0 + 24 * HOUR_MS },
    },
    {
      name: 'allows nothing on Instagram after 24 h without the human_agent permission',
      channel: 'instagram',
      facts: wrote(T0),
      at: T0 + 24 * HOUR_MS,
      options: { humanAgentTag: false },
      expected: { allowed: { kind: 'none', reason: expect.stringContaining('Instagram') } },
    },
  ]);
});

describe('WeChat customer-service messages: 48 h, at most 5', () => {
  const closesAt = T0 + 48 * HOUR_MS;
  runCases([
    {
      name: 'allows 5 WeChat messages within 48 h of the customer message',
      channel: 'wechat',
      facts: wrote(T0, { sentSinceInbound: 0 }),
      at: T0 + HOUR_MS,
      expected: {
        state: 'open',
        closesAt,
        messagesRemaining: 5,
        messageLimit: 5,
        allowed: { kind: 'free_form', billable: false },
        basis: 'wechat.customer_service_48h',
      },
    },
    {
      name: 'counts 5 WeChat messages when sentSinceInbound is absent',
      channel: 'wechat',
      facts: wrote(T0),
      at: T0 + HOUR_MS,
      expected: { messagesRemaining: 5 },
    },
    {
      name: 'counts down the WeChat allowance with each message sent (4 sent → 1 left)',
      channel: 'wechat',
      facts: wrote(T0, { sentSinceInbound: 4 }),
      at: T0 + HOUR_MS,
      expected: { state: 'open', messagesRemaining: 1 },
    },
    {
      name: 'closes the WeChat window once 5 messages are sent (none allowed)',
      channel: 'wechat',
      facts: wrote(T0, { sentSinceInbound: 5 }),
      at: T0 + HOUR_MS,
      expected: {
        state: 'closed',
        closesAt: null,
        remainingMs: null,
        messagesRemaining: 0,
        messageLimit: 5,
        allowed: { kind: 'none', reason: expect.stringContaining('at most 5') },
        basis: 'wechat.message_limit_reached',
      },
    },
    {
      name: 'clamps the WeChat allowance at 0 when more than 5 were counted',
      channel: 'wechat',
      facts: wrote(T0, { sentSinceInbound: 9 }),
      at: T0 + HOUR_MS,
      expected: { state: 'closed', messagesRemaining: 0 },
    },
    {
      name: 'is closing 1 ms before 48 h',
      channel: 'wechat',
      facts: wrote(T0, { sentSinceInbound: 2 }),
      at: closesAt - 1,
      expected: { state: 'closing', remainingMs: 1, messagesRemaining: 3 },
    },
    {
      name: 'closes the WeChat window 48 h after the customer message (errcode 45015)',
      channel: 'wechat',
      facts: wrote(T0, { sentSinceInbound: 2 }),
      at: closesAt,
      expected: {
        state: 'closed',
        remainingMs: 0,
        messagesRemaining: 0,
        allowed: { kind: 'none', reason: expect.stringContaining('45015') },
        basis: 'wechat.out_of_time_limit',
      },
    },
    {
      name: 'gives a fresh WeChat allowance when the customer writes again',
      channel: 'wechat',
      facts: wrote(T0 + 10 * HOUR_MS, { sentSinceInbound: 0 }),
      at: T0 + 11 * HOUR_MS,
      expected: { state: 'open', messagesRemaining: 5, closesAt: T0 + 58 * HOUR_MS },
    },
    {
      name: 'allows nothing on WeChat before the customer writes',
      channel: 'wechat',
      facts: neverWrote,
      at: T0,
      expected: {
        state: 'closed',
        closesAt: null,
        messagesRemaining: 0,
        allowed: { kind: 'none', reason: expect.any(String) },
        basis: 'wechat.no_customer_message',
      },
    },
  ]);
});

describe('WeChat entry events: 3 messages within 1 minute', () => {
  runCases(
    (['menu_click', 'follow', 'qr_scan'] as const).flatMap((entryPoint): Case[] => [
      {
        name: `allows 3 messages within 1 minute after a ${entryPoint}`,
        channel: 'wechat',
        facts: { lastInboundAt: null, entryPoint, entryPointAt: T0, sentSinceEntryPoint: 0 },
        at: T0 + 30 * SECOND_MS,
        expected: {
          // 30 s left is well inside the 1 h threshold.
          state: 'closing',
          closesAt: T0 + MINUTE_MS,
          remainingMs: 30 * SECOND_MS,
          messagesRemaining: 3,
          allowed: { kind: 'free_form', billable: false },
          basis: 'wechat.entry_event_1min',
        },
      },
      {
        name: `allows nothing once 3 messages were sent after a ${entryPoint}`,
        channel: 'wechat',
        facts: { lastInboundAt: null, entryPoint, entryPointAt: T0, sentSinceEntryPoint: 3 },
        at: T0 + 30 * SECOND_MS,
        expected: {
          state: 'closed',
          closesAt: null,
          messagesRemaining: 0,
          allowed: { kind: 'none', reason: expect.stringContaining('3 messages within 1 minute') },
          basis: 'wechat.entry_event_limit_reached',
        },
      },
    ]),
  );
  runCases([
    {
      name: 'counts down the 3-message allowance (2 sent → 1 left)',
      channel: 'wechat',
      facts: {
        lastInboundAt: null,
        entryPoint: 'menu_click',
        entryPointAt: T0,
        sentSinceEntryPoint: 2,
      },
      at: T0 + MINUTE_MS - 1,
      expected: { state: 'closing', remainingMs: 1, messagesRemaining: 1 },
    },
    {
      name: 'closes the menu-click allowance exactly 1 minute after the click',
      channel: 'wechat',
      facts: {
        lastInboundAt: null,
        entryPoint: 'menu_click',
        entryPointAt: T0,
        sentSinceEntryPoint: 0,
      },
      at: T0 + MINUTE_MS,
      expected: {
        state: 'closed',
        remainingMs: 0,
        messagesRemaining: 0,
        allowed: { kind: 'none', reason: expect.stringContaining('45015') },
      },
    },
    {
      name: 'prefers the 48 h / 5-message window when the customer also wrote',
      channel: 'wechat',
      facts: wrote(T0, { entryPoint: 'menu_click', entryPointAt: T0, sentSinceInbound: 1 }),
      at: T0 + 10 * SECOND_MS,
      expected: {
        state: 'open',
        closesAt: T0 + 48 * HOUR_MS,
        messagesRemaining: 4,
        basis: 'wechat.customer_service_48h',
      },
    },
    {
      name: 'still allows the menu-click messages when the 5-message allowance is used up',
      channel: 'wechat',
      facts: wrote(T0, {
        entryPoint: 'menu_click',
        entryPointAt: T0 + HOUR_MS,
        sentSinceInbound: 5,
        sentSinceEntryPoint: 1,
      }),
      at: T0 + HOUR_MS + SECOND_MS,
      expected: { state: 'closing', closesAt: T0 + HOUR_MS + MINUTE_MS, messagesRemaining: 2 },
    },
  ]);
});

describe('WeChat after a payment: unlimited within 48 h', () => {
  runCases([
    {
      name: 'allows unlimited WeChat messages within 48 h after a payment',
      channel: 'wechat',
      facts: wrote(T0, { lastPaymentAt: T0 + HOUR_MS, sentSinceInbound: 12 }),
      at: T0 + 2 * HOUR_MS,
      expected: {
        state: 'open',
        closesAt: T0 + 49 * HOUR_MS,
        messagesRemaining: null,
        allowed: { kind: 'free_form', billable: false },
        basis: 'wechat.payment_48h',
      },
    },
    {
      name: 'allows unlimited messages after a payment even without a customer message',
      channel: 'wechat',
      facts: { lastInboundAt: null, lastPaymentAt: T0 },
      at: T0 + 47 * HOUR_MS,
      expected: { state: 'closing', messagesRemaining: null, basis: 'wechat.payment_48h' },
    },
    {
      name: 'closes the payment window 48 h after the payment',
      channel: 'wechat',
      facts: { lastInboundAt: null, lastPaymentAt: T0 },
      at: T0 + 48 * HOUR_MS,
      expected: {
        state: 'closed',
        remainingMs: 0,
        messagesRemaining: 0,
        allowed: { kind: 'none', reason: expect.stringContaining('45015') },
      },
    },
    {
      name: 'returns to the 5-message count once the payment window ends',
      channel: 'wechat',
      facts: wrote(T0 + 40 * HOUR_MS, { lastPaymentAt: T0, sentSinceInbound: 3 }),
      at: T0 + 48 * HOUR_MS,
      expected: {
        state: 'open',
        closesAt: T0 + 88 * HOUR_MS,
        messagesRemaining: 2,
        basis: 'wechat.customer_service_48h',
      },
    },
  ]);
});

describe('Viber, Telegram, SMS and LINE', () => {
  runCases([
    {
      name: 'keeps the Viber session free for 24 h',
      channel: 'viber',
      facts: wrote(T0),
      at: T0 + 24 * HOUR_MS - 1,
      expected: {
        state: 'closing',
        allowed: { kind: 'free_form', billable: false },
        basis: 'viber.session_24h',
      },
    },
    {
      name: 'allows billable free-form messages once the Viber session closes',
      channel: 'viber',
      facts: wrote(T0),
      at: T0 + 24 * HOUR_MS,
      expected: {
        state: 'closed',
        remainingMs: 0,
        allowed: { kind: 'free_form', billable: true },
        basis: 'viber.billable_outside_session',
      },
    },
    {
      name: 'allows billable free-form Viber messages before the customer writes',
      channel: 'viber',
      facts: neverWrote,
      at: T0,
      expected: { state: 'closed', closesAt: null, allowed: { kind: 'free_form', billable: true } },
    },
    ...(['telegram', 'sms'] as const).flatMap((channel): Case[] =>
      [neverWrote, wrote(T0 - 90 * DAY_MS)].map((facts) => ({
        name: `treats ${channel} as having no window (${facts.lastInboundAt === null ? 'never wrote' : 'wrote 90 days ago'})`,
        channel,
        facts,
        at: T0,
        expected: {
          state: 'unlimited',
          closesAt: null,
          remainingMs: null,
          messagesRemaining: null,
          freeEntryPoint: false,
        },
      })),
    ),
    {
      name: 'lets Telegram bots answer freely at no charge',
      channel: 'telegram',
      facts: wrote(T0),
      at: T0,
      expected: { allowed: { kind: 'free_form', billable: false }, basis: 'telegram.no_window' },
    },
    {
      name: 'charges every SMS',
      channel: 'sms',
      facts: wrote(T0),
      at: T0,
      expected: { allowed: { kind: 'free_form', billable: true }, basis: 'sms.no_window_billable' },
    },
    {
      name: 'gives LINE a free reply with the reply token for 50 s',
      channel: 'line',
      facts: wrote(T0),
      at: T0 + 5 * SECOND_MS,
      expected: {
        state: 'closing',
        remainingMs: 45 * SECOND_MS,
        messagesRemaining: 1,
        allowed: { kind: 'free_form', billable: false },
        basis: 'line.reply_token',
      },
    },
    {
      name: 'spends the LINE reply token on one message: the next is a push',
      channel: 'line',
      facts: { ...wrote(T0), sentSinceInbound: 1 },
      at: T0 + 5 * SECOND_MS,
      // Closed (not "no message yet": the customer did write), at the token's end.
      expected: {
        state: 'closed',
        closesAt: T0 + 50 * SECOND_MS,
        remainingMs: 0,
        allowed: { kind: 'free_form', billable: true },
        basis: 'line.push_quota',
      },
    },
    {
      name: 'pushes on LINE, counted against the quota, once the token is over',
      channel: 'line',
      facts: wrote(T0),
      at: T0 + 50 * SECOND_MS,
      expected: {
        state: 'closed',
        allowed: { kind: 'free_form', billable: true },
        basis: 'line.push_quota',
      },
    },
  ]);
});

describe('the unverified, stricter LINE reply-token rule set', () => {
  const enabled = { ...LINE_REPLY_TOKEN_RULE_SET, enabled: true };

  it('ships switched off, dated and marked unverified', () => {
    expect(LINE_REPLY_TOKEN_RULE_SET).toMatchObject({ enabled: false, status: 'unverified' });
    expect(LINE_REPLY_TOKEN_RULE_SET.recordedOn).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    expect(OPTIONAL_RULE_SETS).toContain(LINE_REPLY_TOKEN_RULE_SET);
    expect(resolveChannelRules(OPTIONAL_RULE_SETS, T0)).toEqual(DEFAULT_CHANNEL_RULES);
  });

  it('gives LINE a free 30 s reply window once an admin switches it on', () => {
    const rules = resolveChannelRules([enabled], T0);
    expect(computeReplyWindow('line', wrote(T0), T0 + 29_999, {}, rules)).toMatchObject({
      state: 'closing',
      remainingMs: 1,
      allowed: { kind: 'free_form', billable: false },
      basis: 'line.reply_token_30s',
    });
    expect(computeReplyWindow('line', wrote(T0), T0 + 30_000, {}, rules)).toMatchObject({
      state: 'closed',
      allowed: { kind: 'free_form', billable: true },
      basis: 'line.push_quota',
    });
    // Only LINE changes.
    expect(rules.whatsapp).toBe(DEFAULT_CHANNEL_RULES.whatsapp);
  });

  it('applies a switched-on rule set only from its effective date', () => {
    const dated = { ...enabled, effectiveFrom: '2026-12-01' };
    expect(resolveChannelRules([dated], Date.UTC(2026, 10, 30, 23, 59, 59, 999)).line).toBe(
      DEFAULT_CHANNEL_RULES.line,
    );
    expect(resolveChannelRules([dated], Date.UTC(2026, 11, 1)).line.kind).toBe('windowed');
  });

  it('never applies a rule set whose effective date cannot be read', () => {
    const broken = { ...enabled, effectiveFrom: 'soon' };
    expect(resolveChannelRules([broken], T0).line).toBe(DEFAULT_CHANNEL_RULES.line);
  });
});

describe('custom rules', () => {
  it('lets an admin shorten the WhatsApp window without touching other channels', () => {
    const rules = withChannelRules({
      whatsapp: {
        ...DEFAULT_CHANNEL_RULES.whatsapp,
        kind: 'windowed',
        window: { lengthMs: 12 * HOUR_MS, basis: 'whatsapp.custom_12h', messageLimit: null },
        extensions: [],
        afterClose: { kind: 'template_only', basis: 'whatsapp.custom_closed' },
        beforeFirstMessage: { kind: 'template_only', basis: 'whatsapp.custom_never' },
      },
    });
    expect(
      computeReplyWindow('whatsapp', wrote(T0), T0 + 12 * HOUR_MS - 1, {}, rules),
    ).toMatchObject({ state: 'closing', basis: 'whatsapp.custom_12h' });
    expect(computeReplyWindow('whatsapp', wrote(T0), T0 + 12 * HOUR_MS, {}, rules)).toMatchObject({
      state: 'closed',
      basis: 'whatsapp.custom_closed',
    });
    expect(rules.messenger).toBe(DEFAULT_CHANNEL_RULES.messenger);
    // The defaults are untouched.
    expect(computeReplyWindow('whatsapp', wrote(T0), T0 + 12 * HOUR_MS).state).toBe('open');
  });

  it('lets an admin give Telegram a window with a message cap', () => {
    const rules = withChannelRules({
      telegram: {
        kind: 'windowed',
        window: {
          lengthMs: 2 * HOUR_MS,
          basis: 'telegram.custom',
          messageLimit: { maxMessages: 2, basis: 'telegram.capped', reason: 'two only' },
        },
        extensions: [],
        afterClose: { kind: 'none', basis: 'telegram.closed', reason: 'closed' },
        beforeFirstMessage: { kind: 'none', basis: 'telegram.never', reason: 'never' },
      },
    });
    expect(
      computeReplyWindow('telegram', wrote(T0, { sentSinceInbound: 1 }), T0, {}, rules),
    ).toMatchObject({ state: 'open', messagesRemaining: 1, remainingMs: 2 * HOUR_MS });
    expect(
      computeReplyWindow('telegram', wrote(T0, { sentSinceInbound: 2 }), T0, {}, rules),
    ).toMatchObject({ state: 'closed', allowed: { kind: 'none', reason: 'two only' } });
  });

  it('parses the default table and the shipped rule sets with their schemas', () => {
    expect(channelRulesSchema.parse(JSON.parse(JSON.stringify(DEFAULT_CHANNEL_RULES)))).toEqual(
      DEFAULT_CHANNEL_RULES,
    );
    for (const set of OPTIONAL_RULE_SETS) {
      expect(channelRuleSetSchema.parse(JSON.parse(JSON.stringify(set)))).toEqual(set);
    }
  });

  it('rejects an edited table with a missing channel or an impossible window', () => {
    const { sms: _sms, ...withoutSms } = DEFAULT_CHANNEL_RULES;
    expect(channelRulesSchema.safeParse(withoutSms).success).toBe(false);
    const negative = withChannelRules({
      viber: {
        kind: 'windowed',
        window: { lengthMs: -1, basis: 'viber.broken', messageLimit: null },
        extensions: [],
        afterClose: { kind: 'billable_free_form', basis: 'x' },
        beforeFirstMessage: { kind: 'billable_free_form', basis: 'x' },
      },
    });
    expect(channelRulesSchema.safeParse(negative).success).toBe(false);
  });

  it('reports the longest window each rule can give', () => {
    expect(maxWindowMs(DEFAULT_CHANNEL_RULES.whatsapp)).toBe(72 * HOUR_MS);
    expect(maxWindowMs(DEFAULT_CHANNEL_RULES.messenger)).toBe(7 * DAY_MS);
    expect(maxWindowMs(DEFAULT_CHANNEL_RULES.instagram)).toBe(24 * HOUR_MS);
    expect(maxWindowMs(DEFAULT_CHANNEL_RULES.wechat)).toBe(48 * HOUR_MS);
    expect(maxWindowMs(DEFAULT_CHANNEL_RULES.telegram)).toBeNull();
  });
});

describe('engine hygiene', () => {
  it('does not modify the facts it is given', () => {
    const facts = Object.freeze(wrote(T0, { entryPoint: 'ad_referral', sentSinceInbound: 2 }));
    expect(() => computeReplyWindow('whatsapp', facts, T0)).not.toThrow();
    expect(facts).toEqual(wrote(T0, { entryPoint: 'ad_referral', sentSinceInbound: 2 }));
  });

  it('refuses a channel it has no rule for', () => {
    expect(() => computeReplyWindow('demo' as ChannelKind, wrote(T0), T0)).toThrow(/demo/);
  });

  it('imports nothing but zod and its own shared modules', () => {
    const dir = join(import.meta.dirname, '../../src/shared/reply-window');
    for (const file of readdirSync(dir).filter((name) => name.endsWith('.ts'))) {
      const source = readFileSync(join(dir, file), 'utf8');
      for (const [, specifier] of source.matchAll(/from\s+'([^']+)'/g)) {
        expect(specifier === 'zod' || specifier?.startsWith('.'), `${file}: ${specifier}`).toBe(
          true,
        );
      }
    }
  });
});
