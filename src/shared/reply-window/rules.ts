import { z } from 'zod';
import {
  CHANNEL_INFO,
  CHANNEL_KINDS,
  DAY_MS,
  HOUR_MS,
  MINUTE_MS,
  channelKindSchema,
  type ChannelKind,
} from '../domain/channels';
import type { EntryPoint, MessageTag } from './types';

/**
 * The reply-window rules of every channel, as data (CHANNELS.md). The engine in `engine.ts`
 * interprets this table and holds no per-channel knowledge, so an admin can change a rule (or
 * switch on a reported one) without a code change. Durations are milliseconds.
 */

// ---------------------------------------------------------------------------------------------
// Shape of the table
// ---------------------------------------------------------------------------------------------

/** What may be sent when no window applies: outside it, or before the customer ever wrote. */
export type ClosedAllowanceRule =
  | { readonly kind: 'template_only'; readonly basis: string }
  /** Free-form text is accepted but charged (Viber after the session, LINE push). */
  | { readonly kind: 'billable_free_form'; readonly basis: string }
  /** The channel refuses everything; `reason` is shown to the agent as is. */
  | { readonly kind: 'none'; readonly basis: string; readonly reason: string };

/** After the window: free-form only with a message tag, for a while after the last message. */
export interface TagAfterCloseRule {
  readonly kind: 'tag';
  readonly tag: MessageTag;
  /** The tag may be used until this long after the customer's last message. */
  readonly untilAfterInboundMs: number;
  /** The tag needs the Page's human_agent permission (`WindowOptions.humanAgentTag`). */
  readonly requiresHumanAgentPermission: boolean;
  readonly basis: string;
  /** What applies once the tag period is over. */
  readonly afterTag: ClosedAllowanceRule;
  /** What applies when the permission is missing. */
  readonly withoutPermission: ClosedAllowanceRule;
}

export type AfterCloseRule = ClosedAllowanceRule | TagAfterCloseRule;

/** A cap on business messages within one window (WeChat: 5 per customer message). */
export interface MessageLimitRule {
  readonly maxMessages: number;
  /** Basis and agent-facing reason once the cap is reached. */
  readonly basis: string;
  readonly reason: string;
  /**
   * What the cap leaves: `none` (WeChat refuses the sixth message; the default), or what the
   * channel allows after the window (`after_close`: LINE pushes once its reply token is used).
   */
  readonly afterLimit?: 'none' | 'after_close';
}

/** The ordinary window, opened and reset by every customer message (`lastInboundAt`). */
export interface BaseWindowRule {
  readonly lengthMs: number;
  readonly basis: string;
  /** Counted with `sentSinceInbound`; `null` when the channel does not count. */
  readonly messageLimit: MessageLimitRule | null;
}

/**
 * Extra windows some entry points grant. Each is anchored at `entryPointAt` (falling back to
 * `lastInboundAt`) and applies only when `facts.entryPoint` is one of `entryPoints`.
 */
export type WindowExtensionRule =
  /**
   * A business reply within `replyWithinMs` of the entry point opens `lengthMs` from that reply
   * in which everything is free (WhatsApp free entry point). Needs a customer message.
   */
  | {
      readonly kind: 'free_after_reply';
      readonly entryPoints: readonly EntryPoint[];
      readonly replyWithinMs: number;
      readonly lengthMs: number;
      readonly basis: string;
    }
  /** A longer ordinary window from the entry point (click-to-Messenger ad). Needs a customer message. */
  | {
      readonly kind: 'longer_window';
      readonly entryPoints: readonly EntryPoint[];
      readonly lengthMs: number;
      readonly basis: string;
    }
  /**
   * A short window opened by an interaction that is not a message (WeChat menu click, follow,
   * QR scan), counted with `sentSinceEntryPoint`. Does not need a customer message.
   */
  | {
      readonly kind: 'entry_event';
      readonly entryPoints: readonly EntryPoint[];
      readonly lengthMs: number;
      readonly messageLimit: MessageLimitRule | null;
      readonly basis: string;
    }
  /** A window opened by a payment (`lastPaymentAt`), without a message cap. */
  | { readonly kind: 'after_payment'; readonly lengthMs: number; readonly basis: string };

export interface WindowedChannelRule {
  readonly kind: 'windowed';
  readonly window: BaseWindowRule;
  readonly extensions: readonly WindowExtensionRule[];
  readonly afterClose: AfterCloseRule;
  readonly beforeFirstMessage: ClosedAllowanceRule;
}

/** No reply window at all: free-form is always allowed, possibly charged. */
export interface UnlimitedChannelRule {
  readonly kind: 'unlimited';
  readonly billable: boolean;
  readonly basis: string;
}

export type ChannelRule = WindowedChannelRule | UnlimitedChannelRule;

/** One rule per channel: the argument the engine takes to override the defaults. */
export type ChannelRules = Readonly<Record<ChannelKind, ChannelRule>>;

// ---------------------------------------------------------------------------------------------
// The defaults
// ---------------------------------------------------------------------------------------------

const humanAgentTag = (
  channel: ChannelKind,
  name = CHANNEL_INFO[channel].label,
): TagAfterCloseRule => ({
  kind: 'tag',
  tag: 'HUMAN_AGENT',
  // Meta: the HUMAN_AGENT tag allows a human reply up to 7 days after the user's last message.
  untilAfterInboundMs: 7 * DAY_MS,
  requiresHumanAgentPermission: true,
  basis: `${channel}.human_agent_7d`,
  afterTag: {
    kind: 'none',
    basis: `${channel}.closed_after_7d`,
    reason: `${name} allows no message more than 7 days after the customer's last message`,
  },
  withoutPermission: {
    kind: 'none',
    basis: `${channel}.closed_after_24h`,
    reason:
      `${name} allows no message more than 24 hours after the customer's last message ` +
      'without the HUMAN_AGENT tag, and this account lacks the human_agent permission',
  },
});

/**
 * How long after a LINE customer's message the hub still replies with its reply token (the
 * connector gives each token this life; LINE honours them for about a minute).
 */
export const LINE_REPLY_TOKEN_MS = 50_000;

/**
 * How long a KakaoTalk consultation session stays open after the customer's last message (the
 * dealer's session rule, CHANNEL-API.md §8.2 [partner]).
 */
export const KAKAO_SESSION_MS = 30 * DAY_MS;

/** A reply token is single use: one free reply, then pushes. */
const LINE_ONE_REPLY: MessageLimitRule = {
  maxMessages: 1,
  basis: 'line.reply_token_used',
  reason: 'The reply token was used: further messages go as push, counted against the quota',
  afterLimit: 'after_close',
};

export const DEFAULT_CHANNEL_RULES: ChannelRules = {
  whatsapp: {
    kind: 'windowed',
    // Customer service window: 24 h from each customer message (or call).
    window: { lengthMs: 24 * HOUR_MS, basis: 'whatsapp.customer_service_24h', messageLimit: null },
    extensions: [
      {
        // Free entry point: a reply within 24 h to a click-to-WhatsApp ad or Page button
        // conversation opens 72 h, counted from that reply, in which every message is free.
        kind: 'free_after_reply',
        entryPoints: ['ad_referral'],
        replyWithinMs: 24 * HOUR_MS,
        lengthMs: 72 * HOUR_MS,
        basis: 'whatsapp.free_entry_point_72h',
      },
    ],
    // WhatsApp refuses free-form replies after 24 h: error 131047 ("Re-engagement message").
    afterClose: { kind: 'template_only', basis: 'whatsapp.templates_only_after_24h' },
    // Templates are how a business starts a WhatsApp conversation.
    beforeFirstMessage: { kind: 'template_only', basis: 'whatsapp.no_customer_message' },
  },
  messenger: {
    kind: 'windowed',
    window: { lengthMs: 24 * HOUR_MS, basis: 'messenger.standard_24h', messageLimit: null },
    extensions: [
      {
        // Conversations started from a click-to-Messenger ad may be answered for up to 7 days.
        kind: 'longer_window',
        entryPoints: ['ad_referral'],
        lengthMs: 7 * DAY_MS,
        basis: 'messenger.ad_referral_7d',
      },
    ],
    // The other tags (CONFIRMED_EVENT_UPDATE, ...) are for automated updates, not agent replies.
    afterClose: humanAgentTag('messenger'),
    beforeFirstMessage: {
      kind: 'none',
      basis: 'messenger.no_customer_message',
      reason: 'Messenger allows no message before the customer writes',
    },
  },
  instagram: {
    kind: 'windowed',
    window: { lengthMs: 24 * HOUR_MS, basis: 'instagram.standard_24h', messageLimit: null },
    extensions: [],
    afterClose: humanAgentTag('instagram'),
    beforeFirstMessage: {
      kind: 'none',
      basis: 'instagram.no_customer_message',
      reason: 'Instagram allows no message before the customer writes',
    },
  },
  wechat: {
    kind: 'windowed',
    // Customer-service messages: within 48 h of a user message, at most 5 of them.
    window: {
      lengthMs: 48 * HOUR_MS,
      basis: 'wechat.customer_service_48h',
      messageLimit: {
        maxMessages: 5,
        basis: 'wechat.message_limit_reached',
        reason:
          'WeChat allows at most 5 customer-service messages per customer message; ' +
          'wait for the customer to write again',
      },
    },
    extensions: [
      {
        // A menu click, follow or QR scan allows 3 messages within 1 minute.
        kind: 'entry_event',
        entryPoints: ['menu_click', 'follow', 'qr_scan'],
        lengthMs: MINUTE_MS,
        messageLimit: {
          maxMessages: 3,
          basis: 'wechat.entry_event_limit_reached',
          reason: 'WeChat allows 3 messages within 1 minute after a menu click, follow or QR scan',
        },
        basis: 'wechat.entry_event_1min',
      },
      // After a payment: unlimited messages within 48 h.
      { kind: 'after_payment', lengthMs: 48 * HOUR_MS, basis: 'wechat.payment_48h' },
    ],
    // WeChat answers errcode 45015 ("response out of time limit") after 48 h.
    afterClose: {
      kind: 'none',
      basis: 'wechat.out_of_time_limit',
      reason:
        'WeChat refuses customer-service messages more than 48 hours after the customer last ' +
        'wrote (errcode 45015, response out of time limit)',
    },
    beforeFirstMessage: {
      kind: 'none',
      basis: 'wechat.no_customer_message',
      reason: 'WeChat allows no customer-service message before the customer writes',
    },
  },
  viber: {
    kind: 'windowed',
    window: { lengthMs: 24 * HOUR_MS, basis: 'viber.session_24h', messageLimit: null },
    extensions: [],
    // Viber still delivers business messages outside the session, but charges for them.
    afterClose: { kind: 'billable_free_form', basis: 'viber.billable_outside_session' },
    beforeFirstMessage: { kind: 'billable_free_form', basis: 'viber.billable_outside_session' },
  },
  // Telegram bots may always answer; only rate limits apply (not a window).
  telegram: { kind: 'unlimited', billable: false, basis: 'telegram.no_window' },
  // LINE's reply token (CHANNEL-API.md §5.3, official: single use, within a minute of the
  // webhook): the hub replies free with it for 50 s after the customer's message (a margin under
  // the minute), one message; after that, push messages count against the monthly quota.
  line: {
    kind: 'windowed',
    window: {
      lengthMs: LINE_REPLY_TOKEN_MS,
      basis: 'line.reply_token',
      messageLimit: LINE_ONE_REPLY,
    },
    extensions: [],
    afterClose: { kind: 'billable_free_form', basis: 'line.push_quota' },
    beforeFirstMessage: { kind: 'billable_free_form', basis: 'line.push_quota' },
  },
  sms: { kind: 'unlimited', billable: true, basis: 'sms.no_window_billable' },
  // KakaoTalk consultation talk (상담톡) through a BizMessage dealer (CHANNEL-API.md §8.2, the
  // dealer's session rule [partner]): agents may write while the customer's session is open,
  // 30 days after the customer's last message and extended by each one; never before the customer
  // opens one, and there are no templates to fall back on. The engine takes no window length from
  // a channel's settings (WindowOptions), so the dealer-reported 30 days is this rule's constant:
  // a dealer with another length is a rule set or an override, not a code change. A session ended
  // early (by the agent, the customer leaving or blocking the channel) is the conversation's
  // blocked state (`blockedAt`), set by the dealer's session-end webhook or its refusal of a send,
  // and cleared by the customer's next message.
  kakao: {
    kind: 'windowed',
    window: {
      lengthMs: KAKAO_SESSION_MS,
      basis: 'kakao.consultation_session_30d',
      messageLimit: null,
    },
    extensions: [],
    afterClose: {
      kind: 'none',
      basis: 'kakao.session_expired',
      reason:
        "The KakaoTalk consultation session expired 30 days after the customer's last message; " +
        'it opens again when the customer writes',
    },
    beforeFirstMessage: {
      kind: 'none',
      basis: 'kakao.no_session',
      reason:
        'KakaoTalk consultation talk allows no message before the customer opens a session by writing',
    },
  },
};

// ---------------------------------------------------------------------------------------------
// Overrides and dated, switchable rule sets
// ---------------------------------------------------------------------------------------------

/** The defaults (or `base`) with some channels' rules replaced. */
export function withChannelRules(
  overrides: Partial<Record<ChannelKind, ChannelRule>>,
  base: ChannelRules = DEFAULT_CHANNEL_RULES,
): ChannelRules {
  const merged = {} as Record<ChannelKind, ChannelRule>;
  for (const kind of CHANNEL_KINDS) merged[kind] = overrides[kind] ?? base[kind];
  return merged;
}

/**
 * Rules reported but not confirmed by the platform, kept as dated data an admin switches on
 * (CHANNELS.md) rather than as code.
 */
export interface ChannelRuleSet {
  readonly id: string;
  readonly description: string;
  /** `unverified` until the platform's own documentation confirms it. */
  readonly status: 'unverified' | 'verified';
  /** Where the rule was reported. */
  readonly source: string;
  /** When it was recorded (ISO date). */
  readonly recordedOn: string;
  /** Applies from this ISO date (UTC midnight); `null` as soon as it is enabled. */
  readonly effectiveFrom: string | null;
  /** The admin's switch. */
  readonly enabled: boolean;
  readonly channels: Partial<Record<ChannelKind, ChannelRule>>;
}

/**
 * LINE, stricter: reply tokens were seen to expire after about 30 s in older experiments
 * (unverified; LINE documents a minute). For accounts that see tokens refused sooner, an admin
 * can shorten the free reply to 30 s.
 */
export const LINE_REPLY_TOKEN_RULE_SET: ChannelRuleSet = {
  id: 'line.reply_token_30s',
  description:
    'LINE reply tokens expire about 30 seconds after each webhook event; after that only ' +
    'push messages, counted against the monthly quota',
  status: 'unverified',
  source: 'CHANNELS.md (integrators, November 2026)',
  recordedOn: '2026-11-01',
  effectiveFrom: null,
  enabled: false,
  channels: {
    line: {
      kind: 'windowed',
      window: { lengthMs: 30_000, basis: 'line.reply_token_30s', messageLimit: LINE_ONE_REPLY },
      extensions: [],
      afterClose: { kind: 'billable_free_form', basis: 'line.push_quota' },
      beforeFirstMessage: { kind: 'billable_free_form', basis: 'line.push_quota' },
    },
  },
};

/** The optional rule sets shipped with the app, all switched off. */
export const OPTIONAL_RULE_SETS: readonly ChannelRuleSet[] = [LINE_REPLY_TOKEN_RULE_SET];

/**
 * `base` with every enabled rule set in effect at `at` applied, in order (later sets win).
 * Invalid `effectiveFrom` dates never apply.
 */
export function resolveChannelRules(
  ruleSets: readonly ChannelRuleSet[],
  at: number,
  base: ChannelRules = DEFAULT_CHANNEL_RULES,
): ChannelRules {
  let rules = base;
  for (const set of ruleSets) {
    if (!set.enabled) continue;
    if (set.effectiveFrom !== null && !(Date.parse(set.effectiveFrom) <= at)) continue;
    rules = withChannelRules(set.channels, rules);
  }
  return rules;
}

/**
 * The longest free-reply window a rule can give, measured from an instant not after `now`;
 * `null` for channels without a window. Useful for progress bars and for tests.
 */
export function maxWindowMs(rule: ChannelRule): number | null {
  if (rule.kind === 'unlimited') return null;
  return Math.max(rule.window.lengthMs, ...rule.extensions.map((ext) => ext.lengthMs));
}

// ---------------------------------------------------------------------------------------------
// Schemas, to parse rules an admin edited (DESIGN.md rule 7: parse at the edge)
// ---------------------------------------------------------------------------------------------

const entryPointSchema = z.enum({
  organic: 'organic',
  ad_referral: 'ad_referral',
  menu_click: 'menu_click',
  follow: 'follow',
  qr_scan: 'qr_scan',
} as const satisfies { readonly [K in EntryPoint]: K });

const messageTagSchema = z.enum({
  HUMAN_AGENT: 'HUMAN_AGENT',
  CONFIRMED_EVENT_UPDATE: 'CONFIRMED_EVENT_UPDATE',
  POST_PURCHASE_UPDATE: 'POST_PURCHASE_UPDATE',
  ACCOUNT_UPDATE: 'ACCOUNT_UPDATE',
} as const satisfies { readonly [K in MessageTag]: K });

const durationSchema = z
  .number()
  .int()
  .positive()
  .max(365 * DAY_MS);
const basisSchema = z.string().min(1).max(100);

const closedAllowanceRuleSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('template_only'), basis: basisSchema }),
  z.object({ kind: z.literal('billable_free_form'), basis: basisSchema }),
  z.object({ kind: z.literal('none'), basis: basisSchema, reason: z.string().min(1).max(500) }),
]);

const afterCloseRuleSchema = z.discriminatedUnion('kind', [
  ...closedAllowanceRuleSchema.options,
  z.object({
    kind: z.literal('tag'),
    tag: messageTagSchema,
    untilAfterInboundMs: durationSchema,
    requiresHumanAgentPermission: z.boolean(),
    basis: basisSchema,
    afterTag: closedAllowanceRuleSchema,
    withoutPermission: closedAllowanceRuleSchema,
  }),
]);

const messageLimitRuleSchema = z.object({
  maxMessages: z.number().int().min(0).max(10_000),
  basis: basisSchema,
  reason: z.string().min(1).max(500),
  afterLimit: z.enum(['none', 'after_close']).optional(),
});

const entryPointsSchema = z.array(entryPointSchema).min(1);

const windowExtensionRuleSchema = z.discriminatedUnion('kind', [
  z.object({
    kind: z.literal('free_after_reply'),
    entryPoints: entryPointsSchema,
    replyWithinMs: durationSchema,
    lengthMs: durationSchema,
    basis: basisSchema,
  }),
  z.object({
    kind: z.literal('longer_window'),
    entryPoints: entryPointsSchema,
    lengthMs: durationSchema,
    basis: basisSchema,
  }),
  z.object({
    kind: z.literal('entry_event'),
    entryPoints: entryPointsSchema,
    lengthMs: durationSchema,
    messageLimit: messageLimitRuleSchema.nullable(),
    basis: basisSchema,
  }),
  z.object({ kind: z.literal('after_payment'), lengthMs: durationSchema, basis: basisSchema }),
]);

export const channelRuleSchema: z.ZodType<ChannelRule> = z.discriminatedUnion('kind', [
  z.object({
    kind: z.literal('windowed'),
    window: z.object({
      lengthMs: durationSchema,
      basis: basisSchema,
      messageLimit: messageLimitRuleSchema.nullable(),
    }),
    extensions: z.array(windowExtensionRuleSchema),
    afterClose: afterCloseRuleSchema,
    beforeFirstMessage: closedAllowanceRuleSchema,
  }),
  z.object({ kind: z.literal('unlimited'), billable: z.boolean(), basis: basisSchema }),
]);

/** A complete table: every channel must have a rule. */
export const channelRulesSchema: z.ZodType<ChannelRules> = z.record(
  channelKindSchema,
  channelRuleSchema,
);

export const channelRuleSetSchema: z.ZodType<ChannelRuleSet> = z.object({
  id: z.string().min(1).max(100),
  description: z.string().max(1000),
  status: z.enum(['unverified', 'verified']),
  source: z.string().max(1000),
  recordedOn: z.iso.date(),
  effectiveFrom: z.iso.date().nullable(),
  enabled: z.boolean(),
  channels: z.partialRecord(channelKindSchema, channelRuleSchema),
});
