import {
  formatPrice,
  priceNextMessage,
  PricingError,
  type RateCard,
} from '../../../../shared/pricing';
import type { ReplyWindow } from '../../../../shared/reply-window/types';
import { smsSegments, type SmsSegments } from '../../../../shared/sms';

/**
 * What the next SMS costs as the agent types it: its encoding (and the character that forced
 * UCS-2), the segments by the shared packer, what is left in the last one and the price from the
 * rate card — the same `smsSegments` and `priceNextMessage` the hub records the cost with.
 * Pure: the hook memoises it, the view only shows it.
 */
export interface SmsCostView {
  readonly encoding: 'GSM-7' | 'UCS-2';
  /** The character that made it UCS-2, and where it is in the composer's text; null for GSM-7. */
  readonly forcedBy: string | null;
  readonly forcedAt: number | null;
  readonly segments: number;
  readonly remaining: number;
  /** `1 segment`, `2 segments`. */
  readonly segmentsLabel: string;
  /** `37 left`. */
  readonly leftLabel: string;
  /** `€0.14`, `€0.07 per segment` for the empty text, `Price unknown`. */
  readonly price: string;
  readonly priced: boolean;
  /** One sentence for the tooltip: the rule and the rate. */
  readonly detail: string;
  /** The card is the shipped example: its prices are illustrative. */
  readonly example: boolean;
  /** Look-alikes (’ “ ” – …) that have GSM-7 equivalents; what replacing them would give. */
  readonly lookalikes: {
    readonly count: number;
    readonly fixed: string;
    readonly after: SmsSegments;
  } | null;
  /** The whole line as text, e.g. `GSM-7 · 1 segment · 37 left · €0.07`. */
  readonly line: string;
}

export interface SmsCostInput {
  /** The text as in the box; the body sent is it trimmed (the hub trims too). */
  readonly text: string;
  readonly window: ReplyWindow;
  readonly rateCard: RateCard | null;
  readonly recipientCountry: string | null;
  readonly at: number;
  readonly locale?: string;
}

/** Typographic look-alikes with a GSM-7 equivalent (smart quotes from phones and word processors). */
const LOOKALIKES: Readonly<Record<string, string>> = {
  '\u2018': "'",
  '\u2019': "'",
  '\u201a': "'",
  '\u201b': "'",
  '\u2032': "'",
  '\u201c': '"',
  '\u201d': '"',
  '\u201e': '"',
  '\u2033': '"',
  '\u2013': '-',
  '\u2014': '-',
  '\u2212': '-',
  '\u2026': '...',
  '\u00a0': ' ',
  '\u2009': ' ',
  '\u202f': ' ',
};
const LOOKALIKE_PATTERN = new RegExp(`[${Object.keys(LOOKALIKES).join('')}]`, 'g');

/** The text with look-alikes replaced by their GSM-7 equivalents, and how many there were. */
export function replaceLookalikes(text: string): { readonly text: string; readonly count: number } {
  let count = 0;
  const replaced = text.replace(LOOKALIKE_PATTERN, (char) => {
    count += 1;
    return LOOKALIKES[char] ?? char;
  });
  return { text: replaced, count };
}

const plural = (n: number, word: string) => `${n.toLocaleString()} ${word}${n === 1 ? '' : 's'}`;

export function smsCostView({
  text,
  window,
  rateCard,
  recipientCountry,
  at,
  locale,
}: SmsCostInput): SmsCostView {
  const lead = text.length - text.trimStart().length;
  const body = text.trim();
  const counted = smsSegments(body);
  const encoding = counted.encoding === 'gsm7' ? 'GSM-7' : 'UCS-2';
  const segmentsLabel = plural(counted.segments, 'segment');
  const leftLabel = `${counted.remaining.toLocaleString()} left`;

  let price = 'Price unknown';
  let priced = false;
  let detail = 'No rate card is loaded, so this SMS cannot be priced.';
  let example = false;
  if (rateCard !== null) {
    try {
      const quote = priceNextMessage(
        {
          window,
          kind: { type: 'free_form' },
          recipientCountry: recipientCountry ?? 'default',
          at,
          segments: counted.segments,
        },
        rateCard,
      );
      const unit = quote.segments?.unitAmount ?? quote.amount;
      const perSegment = formatPrice(unit, quote.currency, locale);
      price =
        counted.segments === 0
          ? `${perSegment} per segment`
          : formatPrice(quote.amount, quote.currency, locale);
      priced = true;
      example = quote.example;
      detail =
        `${counted.segments === 0 ? `${perSegment} per segment (${quote.segments?.country ?? 'other countries'})` : (quote.segments?.label ?? perSegment)}. ` +
        `One SMS holds ${counted.encoding === 'gsm7' ? '160 GSM-7 characters (153 each when a text needs several; € ^ { } [ ] ~ | \\ count twice)' : '70 UCS-2 characters (67 each when a text needs several; an emoji counts twice)'}.` +
        (quote.example ? ' Example rate card: illustrative prices.' : '');
    } catch (error) {
      if (!(error instanceof PricingError)) throw error;
      detail = error.message;
    }
  }

  let lookalikes: SmsCostView['lookalikes'] = null;
  if (counted.encoding === 'ucs2') {
    const fixed = replaceLookalikes(text);
    if (fixed.count > 0) {
      lookalikes = { count: fixed.count, fixed: fixed.text, after: smsSegments(fixed.text.trim()) };
    }
  }

  const forcedBy = counted.forcedBy;
  const encodingPart =
    forcedBy === null ? encoding : `${encoding} (because of “${visible(forcedBy)}”)`;
  const parts =
    counted.segments === 0 ? [encoding, price] : [encodingPart, segmentsLabel, leftLabel, price];
  return {
    encoding,
    forcedBy,
    forcedAt: counted.forcedAt === null ? null : counted.forcedAt + lead,
    segments: counted.segments,
    remaining: counted.remaining,
    segmentsLabel,
    leftLabel,
    price,
    priced,
    detail,
    example,
    lookalikes,
    line: parts.join(' · '),
  };
}

/** A character as the agent can see it: invisible ones are named. */
export function visible(char: string): string {
  if (char === '\u00a0') return 'no-break space';
  if (/^\s$/u.test(char))
    return `U+${char.codePointAt(0)?.toString(16).toUpperCase().padStart(4, '0')}`;
  if (/^\p{C}$/u.test(char))
    return `U+${char.codePointAt(0)?.toString(16).toUpperCase().padStart(4, '0')}`;
  return char;
}
