import { HOUR_MS, MINUTE_MS } from '../../../../shared/domain/channels';
import type { Conversation } from '../../../../shared/domain/model';
import {
  priceNextMessage,
  PricingError,
  recipientCountryOf,
  type MessageKind,
  type RateCard,
} from '../../../../shared/pricing';
import type { ReplyWindow } from '../../../../shared/reply-window';
import type { SlaDue, SlaTarget } from '../../../../shared/sla';
import type { ClassifiedConversation } from '../inbox/inbox-view';

/**
 * The dashboard's "now" figures and its at-risk list, from the inbox's classification of the
 * cached conversations at one instant (`classify` in inbox-view.ts): the same window states the
 * agents see. Pure; the page feeds it the app clock, so the figures move as time passes.
 */

/** The customer's last message has no agent answer yet (the SLA fact, or the window's count). */
export function isWaitingForReply(conversation: Conversation): boolean {
  return (
    conversation.awaitingReplySince !== null ||
    (conversation.lastInboundAt !== null && conversation.sentSinceInbound === 0)
  );
}

/** Still in someone's queue: open or pending (a snooze that is over counts as open). */
const isActive = (item: ClassifiedConversation): boolean =>
  item.status === 'open' || item.status === 'pending';

/** The window is still open and closes at a known instant. */
const closesLater = (window: ReplyWindow): boolean =>
  (window.state === 'open' || window.state === 'closing') && window.closesAt !== null;

export interface NowFigures {
  /** Open and pending conversations whose customer wrote last. */
  readonly waiting: number;
  /** Waiting conversations whose window closed today (since `dayStart`). */
  readonly closedToday: number;
  /** What one reply to each of those would cost now, per currency. */
  readonly costToReply: readonly { readonly amount: number; readonly currency: string }[];
  /** Of those, the ones the rate card could not price (or that cannot be answered at all). */
  readonly unpriced: number;
}

/** The cheapest message that may go once the window is closed: a utility template, or a tagged reply. */
function replyKindAfterClose(window: ReplyWindow): MessageKind | null {
  switch (window.allowed.kind) {
    case 'template_only':
      return { type: 'template', category: 'utility' };
    case 'none':
      return null;
    default:
      return { type: 'free_form' };
  }
}

export function nowFigures(
  items: readonly ClassifiedConversation[],
  at: number,
  dayStart: number,
  rateCard: RateCard | null,
): NowFigures {
  let waiting = 0;
  let closedToday = 0;
  let unpriced = 0;
  const cost = new Map<string, number>();
  for (const item of items) {
    if (!isActive(item) || !isWaitingForReply(item.conversation)) continue;
    waiting += 1;
    const { window } = item;
    if (window.state !== 'closed' || window.closesAt === null || window.closesAt < dayStart) {
      continue;
    }
    closedToday += 1;
    const kind = replyKindAfterClose(window);
    if (kind === null || rateCard === null) {
      unpriced += 1;
      continue;
    }
    try {
      const quote = priceNextMessage(
        {
          window,
          kind,
          recipientCountry:
            recipientCountryOf(item.conversation.channel, item.conversation.customer) ?? 'default',
          at,
        },
        rateCard,
      );
      cost.set(quote.currency, (cost.get(quote.currency) ?? 0) + quote.amount);
    } catch (error) {
      if (!(error instanceof PricingError)) throw error;
      unpriced += 1;
    }
  }
  return {
    waiting,
    closedToday,
    costToReply: [...cost]
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([currency, amount]) => ({ currency, amount: Math.round(amount * 10_000) / 10_000 })),
    unpriced,
  };
}

/** What falls due in an at-risk conversation: its reply window closing, or an SLA target. */
export interface RiskDue {
  readonly kind: 'window' | SlaTarget;
  readonly dueAt: number;
}

export interface AtRiskItem {
  readonly conversation: Conversation;
  /** What falls due within the threshold, soonest first (at least one). */
  readonly due: readonly RiskDue[];
}

export interface AtRisk {
  /** The first `limit` at-risk conversations, by what falls due first. */
  readonly rows: readonly AtRiskItem[];
  /** Conversations at risk: a window closing or an SLA target due within the threshold. */
  readonly total: number;
  /** Of the waiting conversations, those whose reply window closes within the threshold. */
  readonly windowsClosing: number;
  /** Conversations with an SLA target due within the threshold (not yet missed). */
  readonly slaDue: number;
}

/** The at-risk thresholds a lead may pick; one hour unless they choose another. */
export const AT_RISK_THRESHOLDS_MS: readonly number[] = [
  15 * MINUTE_MS,
  30 * MINUTE_MS,
  HOUR_MS,
  2 * HOUR_MS,
  4 * HOUR_MS,
  8 * HOUR_MS,
];
export const DEFAULT_AT_RISK_THRESHOLD_MS = HOUR_MS;

/**
 * The conversations at risk at `at`: still in a queue (open or pending) with, due after `at` and
 * no later than `at + thresholdMs`, the closing of its reply window while the customer waits
 * for an answer, or one of its SLA targets (`dueOf`, the shared SLA evaluation). What already
 * passed is not "at risk" but lost: a closed window is counted in "Closed unanswered today", a
 * missed target in the breaches. Sorted by the first instant due, then by id, so the order is
 * fixed for fixed facts. A window with hours left is not at risk: that was every waiting
 * conversation (issue 12, item 11).
 */
export function atRisk(
  items: readonly ClassifiedConversation[],
  dueOf: (conversation: Conversation) => readonly SlaDue[],
  at: number,
  thresholdMs: number,
  limit: number,
): AtRisk {
  const until = at + thresholdMs;
  const within = (dueAt: number): boolean => dueAt > at && dueAt <= until;
  const risky: AtRiskItem[] = [];
  let windowsClosing = 0;
  let slaDue = 0;
  for (const item of items) {
    if (!isActive(item)) continue;
    const due: RiskDue[] = [];
    const { window, conversation } = item;
    if (
      isWaitingForReply(conversation) &&
      closesLater(window) &&
      window.closesAt !== null &&
      within(window.closesAt)
    ) {
      due.push({ kind: 'window', dueAt: window.closesAt });
      windowsClosing += 1;
    }
    const targets = dueOf(conversation).filter((target) => within(target.dueAt));
    if (targets.length > 0) slaDue += 1;
    for (const target of targets) due.push({ kind: target.target, dueAt: target.dueAt });
    if (due.length === 0) continue;
    risky.push({ conversation, due: due.sort((a, b) => a.dueAt - b.dueAt) });
  }
  risky.sort(
    (a, b) =>
      (a.due[0]?.dueAt ?? Infinity) - (b.due[0]?.dueAt ?? Infinity) ||
      a.conversation.id.localeCompare(b.conversation.id),
  );
  return { rows: risky.slice(0, limit), total: risky.length, windowsClosing, slaDue };
}
