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
  /** `charged`: has a price; `free`; `unknown`: no card or the card cannot price it; `blocked`. */
  readonly tone: 'charged' | 'free' | 'unknown' | 'blocked';
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
}

export function costLine({
  window,
  kind,
  rateCard,
  recipientCountry,
  at,
  locale,
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
