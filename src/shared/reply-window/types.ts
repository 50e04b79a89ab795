import type { ChannelKind } from '../domain/channels';

/**
 * How a conversation (or its current window) was opened. Several channels grant more than the
 * ordinary window for particular entry points (CHANNELS.md).
 * - `organic`: the customer simply wrote.
 * - `ad_referral`: click-to-WhatsApp / click-to-Messenger ad or a Page call-to-action button.
 * - `menu_click`, `follow`, `qr_scan`: WeChat events that allow 3 messages within 1 minute.
 */
export type EntryPoint = 'organic' | 'ad_referral' | 'menu_click' | 'follow' | 'qr_scan';

/** The facts about one conversation that decide its reply window. All instants are epoch ms. */
export interface ConversationWindowFacts {
  /** When the customer last wrote (or called). `null` if the customer has never written. */
  readonly lastInboundAt: number | null;
  /** How the window that `lastInboundAt` belongs to was opened. Defaults to `organic`. */
  readonly entryPoint?: EntryPoint;
  /** When that entry point happened (an ad click, a WeChat menu click / follow / scan). */
  readonly entryPointAt?: number | null;
  /**
   * For a WhatsApp / Messenger ad referral: when the business first replied after it. The 72 h
   * free entry-point window runs from that reply, which must come within the 24 h window.
   */
  readonly firstReplyAfterEntryAt?: number | null;
  /** Business messages already sent since `lastInboundAt` (WeChat counts them). */
  readonly sentSinceInbound?: number;
  /** Business messages sent since `entryPointAt` (WeChat's 3-in-1-minute allowance). */
  readonly sentSinceEntryPoint?: number;
  /** When the customer last paid (WeChat: unlimited messages within 48 h after a payment). */
  readonly lastPaymentAt?: number | null;
}

/** What the business may send right now. */
export type SendAllowance =
  /** Free-form messages of any kind. `billable` marks channels that charge for them (Viber, SMS). */
  | { readonly kind: 'free_form'; readonly billable: boolean }
  /** Free-form only with a message tag such as Messenger's `HUMAN_AGENT`, until `until`. */
  | { readonly kind: 'tag_only'; readonly tag: MessageTag; readonly until: number }
  /** Only pre-approved template messages. */
  | { readonly kind: 'template_only' }
  /** Nothing at all until the customer writes again (WeChat after 48 h or 5 messages). */
  | { readonly kind: 'none'; readonly reason: string };

export type MessageTag =
  'HUMAN_AGENT' | 'CONFIRMED_EVENT_UPDATE' | 'POST_PURCHASE_UPDATE' | 'ACCOUNT_UPDATE';

export type WindowState = 'open' | 'closing' | 'closed' | 'unlimited';

export interface ReplyWindow {
  readonly channel: ChannelKind;
  readonly state: WindowState;
  /** The instant the free-reply window closes; `null` when there is none (`unlimited`, or never opened). */
  readonly closesAt: number | null;
  /** Milliseconds until `closesAt`, never negative; `null` when `closesAt` is `null`. */
  readonly remainingMs: number | null;
  /** What may be sent now. */
  readonly allowed: SendAllowance;
  /** Messages left where the channel counts them (WeChat), otherwise `null`. */
  readonly messagesRemaining: number | null;
  /** The cap `messagesRemaining` counts down from while the window is open (WeChat's 5). */
  readonly messageLimit?: number | null;
  /** True while a free entry point (WhatsApp 72 h after an ad referral) makes everything free. */
  readonly freeEntryPoint: boolean;
  /** Short machine-readable name of the rule that decided this window, for display and logs. */
  readonly basis: string;
  /**
   * A free entry point the business can still unlock by replying in time (WhatsApp: an ad
   * referral not answered yet). `null` or absent when there is none.
   */
  readonly entryPointOffer?: EntryPointOffer | null;
}

/** Replying before `replyBy` opens a free window of `freeWindowMs` from that reply. */
export interface EntryPointOffer {
  readonly replyBy: number;
  readonly freeWindowMs: number;
  /** The basis the window will have once unlocked, e.g. `whatsapp.free_entry_point_72h`. */
  readonly basis: string;
}

export interface WindowOptions {
  /** `closing` starts this long before `closesAt`. Default 1 h. */
  readonly closingThresholdMs?: number;
  /** Whether the page holds Messenger's human_agent permission (the 7-day tag). Default true. */
  readonly humanAgentTag?: boolean;
}
