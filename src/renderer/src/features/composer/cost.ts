import {
  effectiveFromMs,
  formatPrice,
  priceNextMessage,
  PricingError,
  type MessageKind,
  type RateCard,
} from '../../../../shared/pricing';
import type { ReplyWindow } from '../../../../shared/reply-window/types';

/**
 * The cost line shown before sending (DESIGN.md: agents see what the next message costs). All
 * figures come from the rate card through `priceNextMessage`; this only words the quote.
 */
export interface CostLine {
  /**
   * `charged`: has a price; `free`; `quota`: free but counted against the plan's monthly quota
   * (a LINE push); `unknown`: no card or the card cannot price it; `blocked`.
   */
  readonly tone: 'charged' | 'free' | 'quota' | 'unknown' | 'blocked';
  /** Short: `$0.0625`, `Free`, `Price unknown`, `Not allowed`. */
  readonly label: string;
  /** One sentence: why, from the pricing rules. */
  readonly detail: string;
  /** The card's prices are illustrative (the shipped example card): say so next to them. */
  readonly example: boolean;
}

export interface CostInput {
  readonly window: ReplyWindow;
  readonly kind: MessageKind;
  readonly rateCard: RateCard | null;
  /** The customer's country (ISO alpha-2); null prices at the card's default rate, as the hub does. */
  readonly recipientCountry: string | null;
  /** The instant of sending, epoch ms (the app clock). */
  readonly at: number;
  readonly locale?: string;
  /** The channel's monthly send quota, when it counts pushes (LINE), as the hub last read it. */
  readonly quota?: Quota | null;
}

/** LINE's quota as the hub read it: the sending limit, what is left of it, what was counted. */
type Quota = {
  readonly limit: number | null;
  readonly left: number | null;
  readonly used?: number;
};

export function costLine({
  window,
  kind,
  rateCard,
  recipientCountry,
  at,
  locale,
  quota,
}: CostInput): CostLine {
  if (rateCard === null) {
    return {
      tone: 'unknown',
      label: 'Price unknown',
      detail: 'No rate card is loaded, so this message cannot be priced.',
      example: false,
    };
  }
  try {
    const push =
      window.channel === 'line' && window.allowed.kind === 'free_form' && window.allowed.billable;
    const quote = priceNextMessage(
      {
        window,
        kind,
        recipientCountry: recipientCountry ?? 'default',
        at,
        ...(push && quota?.used !== undefined ? { pushesThisMonth: quota.used } : {}),
      },
      rateCard,
    );
    if (push && quota && quota.left === 0) return quotaUsedUp();
    if (!quote.allowed) {
      return push
        ? { ...quotaUsedUp(), detail: quote.reason }
        : { tone: 'blocked', label: 'Not allowed', detail: quote.reason, example: false };
    }
    if (push && quote.amount > 0) {
      // Beyond the plan's free messages, on a plan that allows more: the card's price each.
      return {
        tone: 'charged',
        // The composer reads it as "This message costs ¥3 as a push beyond the plan’s quota".
        label: `${formatPrice(quote.amount, quote.currency, locale)} as a push beyond the plan’s quota`,
        detail: quote.reason,
        example: quote.example,
      };
    }
    if (push) return quotaLine(quote.reason, quota ?? null, freePushesOf(rateCard, at), locale);
    if (quote.amount === 0) {
      return { tone: 'free', label: 'Free', detail: quote.reason, example: quote.example };
    }
    return {
      tone: 'charged',
      label: formatPrice(quote.amount, quote.currency, locale),
      detail: quote.reason,
      example: quote.example,
    };
  } catch (error) {
    if (!(error instanceof PricingError)) throw error;
    return { tone: 'unknown', label: 'Price unknown', detail: error.message, example: false };
  }
}

/** LINE refuses pushes until next month or a plan upgrade (its 429). */
const quotaUsedUp = (): CostLine => ({
  tone: 'blocked',
  label: 'Monthly quota used up',
  detail:
    'LINE refuses push messages until next month or a plan upgrade; reply while the customer’s reply token is valid.',
  example: false,
});

/** The plan's free pushes a month from the card's LINE period in force, null without one. */
function freePushesOf(card: RateCard, at: number): number | null {
  let best: { from: string; free: number } | null = null;
  for (const period of card.periods)
    if (
      period.channel === 'line' &&
      effectiveFromMs(period.effectiveFrom) <= at &&
      (best === null || period.effectiveFrom > best.from)
    )
      best = { from: period.effectiveFrom, free: period.monthlyFreePushes };
  return best?.free ?? null;
}

/**
 * A LINE push within the free messages: no fee, but it counts against the plan's monthly quota
 * — "Push: counts against the quota (4,950 of 5,000 left this month)", the free ones from the
 * card when it says the plan's quota ("(29,950 of 30,000 free left this month)").
 */
function quotaLine(
  reason: string,
  quota: Quota | null,
  freePushes: number | null,
  locale: string | undefined,
): CostLine {
  const n = (value: number) => value.toLocaleString(locale);
  // The card's free quota where the account's sending limit is above it (or has none); a
  // limit at or below it is the plan's own quota, and LINE's figures say it best.
  const free =
    freePushes !== null && quota?.used !== undefined && (quota.limit ?? Infinity) > freePushes
      ? freePushes
      : null;
  const left =
    free !== null && quota?.used !== undefined
      ? ` (${n(Math.max(0, free - quota.used))} of ${n(free)} free left this month)`
      : quota && quota.left !== null && quota.limit !== null
        ? ` (${n(quota.left)} of ${n(quota.limit)} left this month)`
        : quota && quota.limit === null
          ? ' (no monthly limit)'
          : '';
  return {
    tone: 'quota',
    label: `Push: counts against the quota${left}`,
    detail: reason,
    example: false,
  };
}
