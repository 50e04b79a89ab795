import type { ChannelKind } from '../../../../shared/domain/channels';
import { HOUR_MS } from '../../../../shared/domain/channels';
import {
  PricingError,
  priceNextMessage,
  type MessageKind,
  type PriceQuote,
  type RateCard,
} from '../../../../shared/pricing';
import {
  computeReplyWindow,
  type ConversationWindowFacts,
  type EntryPoint,
  type ReplyWindow,
} from '../../../../shared/reply-window';

/** A what-if conversation: the facts an agent can set to see the window and its prices. */
export interface Scenario {
  readonly channel: ChannelKind;
  /** When the customer last wrote; `null` when they never have. */
  readonly lastInboundAt: number | null;
  readonly entryPoint: EntryPoint;
  /** The business's first reply after an ad referral (WhatsApp free entry point). */
  readonly repliedAfterEntryAt: number | null;
  readonly sentSinceInbound: number;
  readonly lastPaymentAt: number | null;
  readonly country: string;
}

export function initialScenario(now: number): Scenario {
  return {
    channel: 'whatsapp',
    lastInboundAt: now - 2 * HOUR_MS,
    entryPoint: 'organic',
    repliedAfterEntryAt: null,
    sentSinceInbound: 0,
    lastPaymentAt: null,
    country: 'NL',
  };
}

export function scenarioFacts(scenario: Scenario): ConversationWindowFacts {
  return {
    lastInboundAt: scenario.lastInboundAt,
    entryPoint: scenario.entryPoint,
    entryPointAt: scenario.entryPoint === 'organic' ? null : scenario.lastInboundAt,
    firstReplyAfterEntryAt: scenario.repliedAfterEntryAt,
    sentSinceInbound: scenario.sentSinceInbound,
    sentSinceEntryPoint: scenario.sentSinceInbound,
    lastPaymentAt: scenario.lastPaymentAt,
  };
}

export const QUOTED_KINDS: readonly { readonly label: string; readonly kind: MessageKind }[] = [
  { label: 'Free-form reply', kind: { type: 'free_form' } },
  { label: 'Utility template', kind: { type: 'template', category: 'utility' } },
  { label: 'Marketing template', kind: { type: 'template', category: 'marketing' } },
  { label: 'Authentication template', kind: { type: 'template', category: 'authentication' } },
];

export type QuoteResult =
  | { readonly ok: true; readonly quote: PriceQuote }
  | { readonly ok: false; readonly error: string };

export interface ScenarioResult {
  readonly window: ReplyWindow;
  readonly quotes: readonly { readonly label: string; readonly result: QuoteResult }[];
}

export function evaluateScenario(scenario: Scenario, now: number, card: RateCard): ScenarioResult {
  const window = computeReplyWindow(scenario.channel, scenarioFacts(scenario), now);
  const quotes = QUOTED_KINDS.map(({ label, kind }) => {
    try {
      const quote = priceNextMessage(
        { window, kind, recipientCountry: scenario.country, at: now },
        card,
      );
      return { label, result: { ok: true, quote } as const };
    } catch (error) {
      if (error instanceof PricingError)
        return { label, result: { ok: false, error: error.message } as const };
      throw error;
    }
  });
  return { window, quotes };
}
