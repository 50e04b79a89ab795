import {
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
  readonly quota?: { readonly limit: number | null; readonly left: number | null } | null;
}

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
    const quote = priceNextMessage(
      { window, kind, recipientCountry: recipientCountry ?? 'default', at },
      rateCard,
    );
    if (!quote.allowed) {
      return { tone: 'blocked', label: 'Not allowed', detail: quote.reason, example: false };
    }
    if (
      quote.amount === 0 &&
      window.channel === 'line' &&
      window.allowed.kind === 'free_form' &&
      window.allowed.billable
    ) {
      return quotaLine(quote.reason, quota ?? null, locale);
    }
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

/**
 * A LINE push: no fee, but it counts against the plan's monthly quota — "Push: counts against
 * the quota (4,950 of 5,000 left this month)"; once used up, LINE refuses pushes (429).
 */
function quotaLine(
  reason: string,
  quota: { readonly limit: number | null; readonly left: number | null } | null,
  locale: string | undefined,
): CostLine {
  const n = (value: number) => value.toLocaleString(locale);
  if (quota && quota.left === 0)
    return {
      tone: 'blocked',
      label: 'Monthly quota used up',
      detail:
        'LINE refuses push messages until next month or a plan upgrade; reply while the customer’s reply token is valid.',
      example: false,
    };
  const left =
    quota && quota.left !== null && quota.limit !== null
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
