import { HOUR_MS } from '../../../../shared/domain/channels';
import type { Conversation } from '../../../../shared/domain/model';
import {
  priceNextMessage,
  PricingError,
  type MessageKind,
  type RateCard,
} from '../../../../shared/pricing';
import type { ReplyWindow } from '../../../../shared/reply-window';
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
  readonly waiting: number;
  readonly closingWithin1h: number;
  readonly closingWithin4h: number;
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
  let within1h = 0;
  let within4h = 0;
  let closedToday = 0;
  let unpriced = 0;
  const cost = new Map<string, number>();
  for (const item of items) {
    if (!isActive(item) || !isWaitingForReply(item.conversation)) continue;
    waiting += 1;
    const { window } = item;
    if (closesLater(window) && window.closesAt !== null) {
      const left = window.closesAt - at;
      if (left <= HOUR_MS) within1h += 1;
      if (left <= 4 * HOUR_MS) within4h += 1;
      continue;
    }
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
        { window, kind, recipientCountry: item.conversation.customer.country ?? 'default', at },
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
    closingWithin1h: within1h,
    closingWithin4h: within4h,
    closedToday,
    costToReply: [...cost]
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([currency, amount]) => ({ currency, amount: Math.round(amount * 10_000) / 10_000 })),
    unpriced,
  };
}

/**
 * Conversations waiting for a reply whose window is still open, closing soonest first: what a
 * lead should move people onto. Its order depends on `closesAt` only, fixed for fixed facts.
 */
export function atRisk(
  items: readonly ClassifiedConversation[],
  limit: number,
): { readonly rows: readonly ClassifiedConversation[]; readonly total: number } {
  const risky = items
    .filter((item) => isActive(item) && isWaitingForReply(item.conversation))
    .filter((item) => closesLater(item.window))
    .sort(
      (a, b) =>
        (a.window.closesAt ?? Infinity) - (b.window.closesAt ?? Infinity) ||
        a.conversation.id.localeCompare(b.conversation.id),
    );
  return { rows: risky.slice(0, limit), total: risky.length };
}
