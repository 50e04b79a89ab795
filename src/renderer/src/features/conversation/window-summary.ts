import { CHANNEL_INFO, DAY_MS, HOUR_MS, MINUTE_MS } from '../../../../shared/domain/channels';
import {
  formatPrice,
  priceNextMessage,
  PricingError,
  type MessageKind,
  type RateCard,
} from '../../../../shared/pricing';
import { formatDuration, type ReplyWindow } from '../../../../shared/reply-window';
import { formatWhen } from '../../format/dates';

/**
 * What the conversation header says about the reply window: the exact countdown, what may be
 * sent now and what the next message costs. Pure functions of the window and an instant.
 */

const pad = (n: number): string => String(n).padStart(2, '0');

/**
 * The exact time left, rounded down to the second: "23:12:05", "00:00:59", and with days for
 * the longer windows: "2d 23:59:59".
 */
export function formatCountdown(ms: number): string {
  const safe = Math.max(0, Math.floor(ms / 1000) * 1000);
  const days = Math.floor(safe / DAY_MS);
  const hours = Math.floor((safe % DAY_MS) / HOUR_MS);
  const minutes = Math.floor((safe % HOUR_MS) / MINUTE_MS);
  const seconds = Math.floor((safe % MINUTE_MS) / 1000);
  const clock = `${pad(hours)}:${pad(minutes)}:${pad(seconds)}`;
  return days > 0 ? `${days}d ${clock}` : clock;
}

export interface CountdownView {
  /** The big figure: "23:12:05", "Closed", "No window". */
  readonly value: string;
  /** The line beside it: "closes at 14:32", "closed 2h 5m ago, at Tue 14:32". */
  readonly caption: string;
}

/** The header's countdown at `now`. */
export function describeCountdown(window: ReplyWindow, now: number): CountdownView {
  if (window.state === 'unlimited') {
    return {
      value: 'No window',
      caption: `${CHANNEL_INFO[window.channel].label} has no reply window`,
    };
  }
  if (window.state !== 'closed' && window.closesAt !== null) {
    return {
      value: formatCountdown(window.closesAt - now),
      caption: `closes at ${formatWhen(window.closesAt, now)}`,
    };
  }
  if (window.closesAt !== null) {
    const ago = now - window.closesAt;
    return {
      value: 'Closed',
      caption:
        ago < MINUTE_MS
          ? 'closed just now'
          : `closed ${formatDuration(ago)} ago, at ${formatWhen(window.closesAt, now)}`,
    };
  }
  // No window was ever opened, or its message cap is used up (WeChat).
  return {
    value: 'Closed',
    caption:
      window.allowed.kind === 'none' ? 'no reply window now' : 'the customer has not written',
  };
}

export type Tone = 'ok' | 'warning' | 'blocked' | 'neutral';

export interface SendNowView {
  /** Short: "Free text", "Templates only", "Human-agent tag until Tue 14:00". */
  readonly label: string;
  /** A sentence for the tooltip: why, and what to do. */
  readonly detail: string;
  readonly tone: Tone;
}

const TAG_NAMES: Readonly<Record<string, string>> = {
  HUMAN_AGENT: 'Human-agent tag',
};

/** What may be sent now, in words, for the header. */
export function describeSendNow(window: ReplyWindow, now: number): SendNowView {
  const channel = CHANNEL_INFO[window.channel].label;
  const offer = window.entryPointOffer
    ? ` Reply before ${formatWhen(window.entryPointOffer.replyBy, now)} to open a free ` +
      `${formatDuration(window.entryPointOffer.freeWindowMs)} window.`
    : '';
  const allowed = window.allowed;
  switch (allowed.kind) {
    case 'free_form': {
      if (allowed.billable && window.channel === 'line') {
        // No fee: a push message counts against the plan's monthly quota (composer/cost.ts).
        return {
          label: 'Any message · push',
          detail: `The reply token is used or expired: LINE sends it as a push message, counted against the monthly quota.${offer}`,
          tone: 'warning',
        };
      }
      if (allowed.billable) {
        return {
          label: 'Any message · charged',
          detail: `${channel} delivers free text here but charges for each message.${offer}`,
          tone: 'warning',
        };
      }
      const left = window.messagesRemaining;
      if (left !== null) {
        return {
          label: `Free text · ${left} ${left === 1 ? 'message' : 'messages'} left`,
          detail: `${channel} caps the messages you may send until the customer writes again.${offer}`,
          tone: left <= 1 ? 'warning' : 'ok',
        };
      }
      return {
        label: window.freeEntryPoint ? 'Free text · everything free' : 'Free text',
        detail: window.freeEntryPoint
          ? `Inside the free entry-point window: every message, templates included, is free.${offer}`
          : `Any message may be sent while the reply window is open.${offer}`,
        tone: 'ok',
      };
    }
    case 'tag_only': {
      const tag = TAG_NAMES[allowed.tag] ?? `${allowed.tag} tag`;
      return {
        label: `${tag} until ${formatWhen(allowed.until, now)}`,
        detail:
          `The reply window has closed. ${channel} still accepts a reply from a person with the ` +
          `${allowed.tag} tag until ${formatWhen(allowed.until, now)}.`,
        tone: 'warning',
      };
    }
    case 'template_only':
      return {
        label: 'Templates only',
        detail:
          window.channel === 'whatsapp'
            ? 'Outside the 24 h customer-service window WhatsApp accepts only approved templates ' +
              '(error 131047) until the customer writes again.'
            : `${channel} accepts only approved templates until the customer writes again.`,
        tone: 'blocked',
      };
    case 'none':
      return {
        label: 'Nothing until the customer writes',
        detail: allowed.reason,
        tone: 'blocked',
      };
  }
}

export interface CostView {
  /** "Free", "€0.0456", "Price unknown", "—". */
  readonly price: string;
  /** What the price is for: "reply", "utility template". */
  readonly what: string;
  /** The pricing rule's sentence, and a warning when the card's prices are examples. */
  readonly detail: string;
  readonly tone: Tone;
}

/** The kind of message an agent sends next: free text where allowed, else a utility template. */
export function nextMessageKind(window: ReplyWindow): MessageKind | null {
  switch (window.allowed.kind) {
    case 'free_form':
    case 'tag_only':
      return { type: 'free_form' };
    case 'template_only':
      // Customer service re-opens a conversation with utility templates (order updates, …).
      return { type: 'template', category: 'utility' };
    case 'none':
      return null;
  }
}

/**
 * The cost of the next message from the rate card (DESIGN.md rule 6): free, a price with what
 * it is for, or "Price unknown" when there is no card or it cannot price this message.
 */
export function describeNextCost(
  window: ReplyWindow,
  rateCard: RateCard | null,
  at: number,
  recipientCountry: string | null,
  /** LINE: what the month's pushes counted so far (the quota the hub read), when known. */
  pushesThisMonth?: number,
): CostView {
  const kind = nextMessageKind(window);
  if (kind === null) {
    return { price: '—', what: 'nothing can be sent', detail: '', tone: 'neutral' };
  }
  const what = kind.type === 'free_form' ? 'reply' : `${kind.category} template`;
  if (rateCard === null) {
    return {
      price: 'Price unknown',
      what,
      detail: 'No rate card is loaded, so the price of this message is not known.',
      tone: 'neutral',
    };
  }
  let quote;
  try {
    quote = priceNextMessage(
      {
        window,
        kind,
        recipientCountry: recipientCountry ?? '',
        at,
        ...(pushesThisMonth === undefined ? {} : { pushesThisMonth }),
      },
      rateCard,
    );
  } catch (error) {
    if (!(error instanceof PricingError)) throw error;
    return { price: 'Price unknown', what, detail: error.message, tone: 'neutral' };
  }
  const example = quote.example ? ' Example prices, for illustration only.' : '';
  if (!quote.allowed) {
    return { price: '—', what, detail: quote.reason, tone: 'blocked' };
  }
  if (
    window.channel === 'line' &&
    window.allowed.kind === 'free_form' &&
    window.allowed.billable &&
    quote.amount === 0
  ) {
    // After the reply token: no fee, but not free — it counts against the monthly quota.
    return {
      price: 'Push',
      what: 'counts against the quota',
      detail: quote.reason,
      tone: 'warning',
    };
  }
  if (!quote.billable || quote.amount === 0) {
    return { price: 'Free', what, detail: quote.reason + example, tone: 'ok' };
  }
  if (window.channel === 'line') {
    // Beyond the plan's free pushes this month: the rate card's price for each (composer/cost.ts).
    return {
      price: formatPrice(quote.amount, quote.currency),
      what: 'push beyond the quota',
      detail: quote.reason + example,
      tone: 'warning',
    };
  }
  if (quote.segments !== null) {
    // SMS: the length of the next text decides the segments; the composer counts them live.
    return {
      price: formatPrice(quote.segments.unitAmount, quote.currency),
      what: 'per SMS segment',
      detail: `Every SMS segment is billable: 160 GSM-7 or 70 UCS-2 characters make one, 153 or 67 each when a text needs several (${quote.segments.country ?? 'other countries'} rate).${example}`,
      tone: 'warning',
    };
  }
  return {
    price: formatPrice(quote.amount, quote.currency),
    what,
    detail: quote.reason + example,
    tone: 'warning',
  };
}
