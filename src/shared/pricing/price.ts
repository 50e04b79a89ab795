import { CHANNEL_INFO, type ChannelKind } from '../domain/channels';
import type { ReplyWindow } from '../reply-window/types';
import { smsSegments } from '../sms/segments';
import {
  DEFAULT_COUNTRY,
  effectiveFromMs,
  type LineRatePeriod,
  type PricedChannel,
  type RateCard,
  type RatePeriod,
  type RuleSet,
} from './rate-card';

/**
 * What the next message in a conversation would cost, from its reply window and the rate card.
 * Rules from CHANNELS.md ("WhatsApp pricing" and the channel table); every figure comes from the
 * card (DESIGN.md rule 6). Pure: no clock, no I/O — the caller passes `at`.
 */

export type TemplateCategory = 'marketing' | 'utility' | 'authentication';

export type MessageKind =
  | { readonly type: 'free_form' }
  | { readonly type: 'template'; readonly category: TemplateCategory };

export type PriceCategory = 'service' | TemplateCategory | 'session' | 'sms';

export interface PriceInput {
  readonly window: ReplyWindow;
  readonly kind: MessageKind;
  /** Recipient's country, ISO 3166-1 alpha-2 in any case; unknown codes get the `default` rates. */
  readonly recipientCountry: string;
  /** The instant of sending, epoch ms: picks the period and the rule sets in force. */
  readonly at: number;
  /**
   * Service messages this phone number already sent this calendar month. Only read by a rule set
   * with a monthly free tier; when omitted the tier is assumed not yet used up.
   */
  readonly serviceMessagesThisMonth?: number;
  /**
   * SMS only: the text to send, whose segments are counted (`smsSegments`), or `segments` when
   * the caller counted them already. Neither: the quote is for one segment.
   */
  readonly text?: string;
  readonly segments?: number;
  /**
   * LINE only: messages the account's pushes counted this month so far (the quota API's
   * `totalUsage`). Read against the card's `monthlyFreePushes`; omitted: assumed within it.
   */
  readonly pushesThisMonth?: number;
}

/** How an SMS price was made: `count` segments × `unitAmount` to `country`. */
export interface SegmentPrice {
  readonly count: number;
  /** The card's price of one segment to that country. */
  readonly unitAmount: number;
  /** The country whose row priced it (capitals), or null for the card's `default` row. */
  readonly country: string | null;
  /** `3 segments × €0.07 (DE)`; `(other countries)` for the default row. */
  readonly label: string;
}

export interface PriceQuote {
  /** Decimal currency units, rounded to 4 decimals. 0 when free or not allowed. */
  readonly amount: number;
  readonly currency: string;
  /** Whether the channel bills this message under its rules (the card's rate may still be 0). */
  readonly billable: boolean;
  readonly category: PriceCategory;
  /** One sentence for the agent, e.g. 'Free: reply inside the 24 h customer-service window'. */
  readonly reason: string;
  /** False when the window forbids this kind of message now; `reason` says why. */
  readonly allowed: boolean;
  /** Copied from the card: an example card's prices are illustrative and the UI must say so. */
  readonly example: boolean;
  /** Start date ('YYYY-MM-DD') of the period or rule set that priced this; null if none did. */
  readonly effectiveFrom: string | null;
  /** Id of the enabled rule set that changed this price, if any. */
  readonly ruleSetId: string | null;
  /** SMS: segments × the per-segment price; null on other channels and when not allowed. */
  readonly segments: SegmentPrice | null;
}

/** The card cannot price this message (no period in force), or the input is unusable. */
export class PricingError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'PricingError';
  }
}

export function priceNextMessage(input: PriceInput, card: RateCard): PriceQuote {
  const { window, kind, at } = input;
  if (!Number.isFinite(at)) throw new PricingError(`'at' must be epoch milliseconds, got ${at}`);
  const channel = window.channel;
  const base = { example: card.example, ruleSetId: null, segments: null };
  const category = categoryOf(channel, kind);

  const refusal = refusalReason(window, kind);
  if (refusal !== null) {
    return {
      ...base,
      amount: 0,
      currency: card.currency,
      billable: false,
      category,
      reason: refusal,
      allowed: false,
      effectiveFrom: null,
    };
  }

  const country = input.recipientCountry.trim().toUpperCase();
  const free = (reason: string, period: RatePeriod | undefined): PriceQuote => ({
    ...base,
    amount: 0,
    currency: period?.currency ?? card.currency,
    billable: false,
    category,
    reason,
    allowed: true,
    effectiveFrom: period?.effectiveFrom ?? null,
  });
  const charged = (
    amount: number,
    currency: string,
    reason: string,
    effectiveFrom: string,
    ruleSet?: RuleSet,
  ): PriceQuote => ({
    ...base,
    amount: round4(amount),
    currency,
    billable: true,
    category,
    reason,
    allowed: true,
    effectiveFrom,
    ruleSetId: ruleSet?.id ?? null,
  });

  switch (channel) {
    case 'whatsapp': {
      // CHANNELS.md: a reply to a click-to-WhatsApp ad / Page button opens 72 h where all is free.
      if (window.freeEntryPoint) {
        return free(
          "Free: inside WhatsApp's 72 h free entry point window",
          findPeriod(card, channel, at),
        );
      }
      const period = requirePeriod(card, 'whatsapp', at);
      const inside = isInsideWindow(window);

      if (period.model === 'per_conversation') {
        // Before 2025-07-01 Meta billed per 24 h conversation, by the category that opened it.
        // We do not track which billing conversations are open, so quote the charge for opening
        // one: an upper bound, said so in the reason.
        const cat = kind.type === 'free_form' ? 'service' : kind.category;
        const { row, label } = lookupRow(period.rates, country);
        return charged(
          row[cat],
          period.currency,
          `Charged per 24 h conversation: opens a ${cat} conversation at the ${label} (no charge if one is already open)`,
          period.effectiveFrom,
        );
      }

      // Per-message model since 2025-07-01, optionally changed by an enabled dated rule set.
      const ruleSet = activeRuleSet(card, at);
      if (kind.type === 'free_form') {
        // Reported 2026-10-01 rule: service messages charged beyond a monthly free tier.
        if (
          ruleSet !== undefined &&
          ruleSet.serviceFreeTierPerMonth !== null &&
          ruleSet.serviceRate !== null
        ) {
          const tier = ruleSet.serviceFreeTierPerMonth;
          const used = input.serviceMessagesThisMonth;
          if (used !== undefined && used >= tier) {
            const { row, label } = lookupRow(ruleSet.serviceRate.rates, country);
            return charged(
              row,
              ruleSet.serviceRate.currency,
              `Charged: service message beyond the ${tier.toLocaleString('en-US')} free this month at the ${label} (${ruleSet.label})`,
              ruleSet.effectiveFrom,
              ruleSet,
            );
          }
          const count =
            used === undefined ? 'count not given, assumed within' : `${used} used so far`;
          return {
            ...free(
              `Free: reply inside the 24 h customer-service window, within ${tier.toLocaleString('en-US')} free service messages a month (${count})`,
              period,
            ),
            ruleSetId: ruleSet.id,
          };
        }
        // CHANNELS.md: service (free-form reply inside the window) is free.
        return free('Free: reply inside the 24 h customer-service window', period);
      }

      const { row, label } = lookupRow(period.rates, country);
      if (kind.category === 'utility') {
        if (inside && ruleSet?.utilityChargedInsideWindow) {
          return charged(
            row.utility,
            period.currency,
            `Charged: utility template inside the window at the ${label} (${ruleSet.label})`,
            ruleSet.effectiveFrom,
            ruleSet,
          );
        }
        // CHANNELS.md: utility templates are free inside an open window, charged outside.
        if (inside) {
          return free(
            'Free: utility template inside the open 24 h customer-service window',
            period,
          );
        }
        return charged(
          row.utility,
          period.currency,
          `Charged: utility template outside the 24 h customer-service window at the ${label}`,
          period.effectiveFrom,
        );
      }
      // CHANNELS.md: marketing and authentication templates are always charged.
      return charged(
        row[kind.category],
        period.currency,
        `Charged: ${kind.category} templates are always charged, at the ${label}`,
        period.effectiveFrom,
      );
    }

    case 'viber': {
      // CHANNELS.md: free inside the 24 h session, allowed but billable outside.
      if (isInsideWindow(window)) {
        return free('Free: reply inside the 24 h Viber session', findPeriod(card, channel, at));
      }
      const period = requirePeriod(card, 'viber', at);
      const { row, label } = lookupRow(period.rates, country);
      return charged(
        row.session,
        period.currency,
        `Charged: Viber message outside the 24 h session at the ${label}`,
        period.effectiveFrom,
      );
    }

    case 'sms': {
      // CHANNELS.md: every SMS is billable; CHANNEL-API.md §9.3: per segment, by destination.
      const period = requirePeriod(card, 'sms', at);
      const { row, label } = lookupRow(period.rates, country);
      const count = segmentCount(input);
      const unit = row.segment;
      const where = Object.hasOwn(period.rates, country) ? country : null;
      const segments: SegmentPrice = {
        count,
        unitAmount: unit,
        country: where,
        label: `${count} segment${count === 1 ? '' : 's'} × ${formatPrice(unit, period.currency, 'en-US')} (${where ?? 'other countries'})`,
      };
      return {
        ...charged(
          count * unit,
          period.currency,
          `Charged: every SMS segment is billable, ${segments.label} at the ${label}`,
          period.effectiveFrom,
        ),
        segments,
      };
    }

    case 'line': {
      // CHANNELS.md: replies are free; push messages count against a monthly quota, free
      // within the plan's (the card's `monthlyFreePushes`), then priced or refused.
      const period = findPeriod(card, 'line', at);
      if (isInsideWindow(window)) return free('Free: LINE reply, no per-message fee', period);
      const beyond = period ? linePushBeyondQuota(period, country, input.pushesThisMonth) : null;
      if (period === undefined || beyond === null)
        return free(
          period === undefined
            ? 'Free: no per-message fee, but LINE push messages count against the monthly quota'
            : `Free: LINE push within the plan’s ${period.monthlyFreePushes.toLocaleString('en-US')} free messages a month`,
          period,
        );
      if (!period.extraAllowed)
        return {
          ...free(
            `Not allowed: the plan’s ${period.monthlyFreePushes.toLocaleString('en-US')} free push messages this month are used and it allows no additional messages; LINE refuses pushes until next month`,
            period,
          ),
          allowed: false,
        };
      return charged(
        beyond.amount,
        period.currency,
        `Charged: LINE push beyond the plan’s ${period.monthlyFreePushes.toLocaleString('en-US')} free messages this month at the ${beyond.label}`,
        period.effectiveFrom,
      );
    }

    case 'kakao': {
      // CHANNEL-API.md §8.2: consultation-talk fees are set by the dealer and are not public; a
      // card with a kakao period holds the contract's price per message.
      const period = findPeriod(card, 'kakao', at);
      if (period === undefined)
        return free(
          'Not priced: KakaoTalk consultation-talk fees are set by your dealer, not on the rate card',
          undefined,
        );
      const { row, label } = lookupRow(period.rates, country);
      return charged(
        row.message,
        period.currency,
        `Charged by your dealer: KakaoTalk consultation-talk message at the ${label}`,
        period.effectiveFrom,
      );
    }

    case 'wechat': {
      // CHANNELS.md: customer-service messages only inside the 48 h window (at most 5); no
      // per-message fee is documented (CHANNEL-API.md §7.7). The window's refusal came first.
      const period = findPeriod(card, 'wechat', at);
      const rate = period === undefined ? null : lookupRow(period.rates, country);
      if (period === undefined || rate === null || rate.row.service === 0)
        return free(
          'Free: WeChat customer-service message inside the 48 h window (at most 5 per customer message)',
          period,
        );
      return charged(
        rate.row.service,
        period.currency,
        `Charged: WeChat customer-service message at the ${rate.label}`,
        period.effectiveFrom,
      );
    }

    case 'messenger':
    case 'instagram':
    case 'telegram': {
      // These channels restrict when a business may write, but charge nothing per message.
      const tag =
        window.allowed.kind === 'tag_only' ? ` (send with the ${window.allowed.tag} tag)` : '';
      return free(`Free: ${CHANNEL_INFO[channel].label} has no per-message fees${tag}`, undefined);
    }

    default:
      return assertNever(channel);
  }
}

/**
 * A LINE push's price when the month's count (`pushesThisMonth`, before it) has reached the
 * plan's free quota: the card's `push` rate; null within the quota or when the count is unknown.
 */
export function linePushBeyondQuota(
  period: LineRatePeriod,
  country: string,
  pushesThisMonth: number | undefined,
): { amount: number; label: string } | null {
  if (pushesThisMonth === undefined || pushesThisMonth < period.monthlyFreePushes) return null;
  const { row, label } = lookupRow(period.rates, country.trim().toUpperCase());
  return { amount: row.push, label };
}

/**
 * What the hub records for a LINE push that went out when the account had counted
 * `countedBefore` pushes this month: the card's price beyond the free quota, or null (free, or
 * no LINE period in force at `at`).
 */
export function linePushCost(
  card: RateCard,
  at: number,
  countedBefore: number,
  recipientCountry = DEFAULT_COUNTRY,
): { amount: number; currency: string } | null {
  const period = findPeriod(card, 'line', at);
  const beyond = period ? linePushBeyondQuota(period, recipientCountry, countedBefore) : null;
  if (!period || !beyond || !period.extraAllowed) return null;
  return { amount: round4(beyond.amount), currency: period.currency };
}

/** Formats an amount for display, keeping sub-cent rates visible (up to 4 decimals). */
export function formatPrice(amount: number, currency: string, locale?: string): string {
  const key = `${locale ?? ''}|${currency}`;
  let format = formatters.get(key);
  if (format === undefined) {
    // Keep the currency's own minimum digits (USD 2, JPY 0) but allow 4 for rates like 0.0625.
    const { minimumFractionDigits = 2 } = new Intl.NumberFormat(locale, {
      style: 'currency',
      currency,
    }).resolvedOptions();
    format = new Intl.NumberFormat(locale, {
      style: 'currency',
      currency,
      minimumFractionDigits,
      maximumFractionDigits: Math.max(4, minimumFractionDigits),
    });
    formatters.set(key, format);
  }
  return format.format(amount);
}

const formatters = new Map<string, Intl.NumberFormat>();

function categoryOf(channel: ChannelKind, kind: MessageKind): PriceCategory {
  if (channel === 'viber') return 'session';
  if (channel === 'sms') return 'sms';
  return kind.type === 'free_form' ? 'service' : kind.category;
}

/** Why the window forbids this message now, or null when it may be sent. */
function refusalReason(window: ReplyWindow, kind: MessageKind): string | null {
  const { allowed } = window;
  if (allowed.kind === 'none') return `Not allowed: ${allowed.reason}`;
  if (kind.type === 'free_form' && allowed.kind === 'template_only') {
    // CHANNELS.md: WhatsApp rejects free-form outside the window with error 131047.
    return window.channel === 'whatsapp'
      ? 'Not allowed: outside the 24 h customer-service window WhatsApp accepts only approved templates (error 131047)'
      : `Not allowed: outside the reply window ${CHANNEL_INFO[window.channel].label} accepts only templates`;
  }
  return null;
}

function isInsideWindow(window: ReplyWindow): boolean {
  return window.state === 'open' || window.state === 'closing';
}

type PeriodOf<C extends PricedChannel> = Extract<RatePeriod, { channel: C }>;

/** The period of `channel` in force at `at`: the latest `effectiveFrom` not after it. */
function findPeriod<C extends PricedChannel>(
  card: RateCard,
  channel: C,
  at: number,
): PeriodOf<C> | undefined {
  let best: PeriodOf<C> | undefined;
  for (const period of card.periods) {
    if (!isPeriodOf(period, channel) || effectiveFromMs(period.effectiveFrom) > at) continue;
    if (best === undefined || period.effectiveFrom > best.effectiveFrom) best = period;
  }
  return best;
}

function isPeriodOf<C extends PricedChannel>(
  period: RatePeriod,
  channel: C,
): period is PeriodOf<C> {
  return period.channel === channel;
}

function requirePeriod<C extends PricedChannel>(
  card: RateCard,
  channel: C,
  at: number,
): PeriodOf<C> {
  const period = findPeriod(card, channel, at);
  if (period === undefined) {
    const day = new Date(at).toISOString().slice(0, 10);
    throw new PricingError(
      `The rate card has no ${CHANNEL_INFO[channel].label} rates in force on ${day}; an admin must add a period starting on or before that date`,
    );
  }
  return period;
}

/**
 * The WhatsApp rule set in force at `at`: enabled, started, and of those the latest — rule sets
 * are successive revisions, not layers, so one decides.
 */
function activeRuleSet(card: RateCard, at: number): RuleSet | undefined {
  let best: RuleSet | undefined;
  for (const set of card.ruleSets) {
    if (!set.enabled || set.channel !== 'whatsapp' || effectiveFromMs(set.effectiveFrom) > at) {
      continue;
    }
    if (best === undefined || set.effectiveFrom > best.effectiveFrom) best = set;
  }
  return best;
}

/** The recipient country's row, or the `default` row for a country the card does not list. */
function lookupRow<Row>(
  rates: Readonly<Record<string, Row>>,
  country: string,
): { row: Row; label: string } {
  // `country` is upper-cased, so it can never select the lower-case `default` row by name.
  if (Object.hasOwn(rates, country)) {
    return { row: rates[country], label: `${country} rate` };
  }
  if (!Object.hasOwn(rates, DEFAULT_COUNTRY)) {
    throw new PricingError("The rate card has no 'default' rates; parse it with parseRateCard");
  }
  return { row: rates[DEFAULT_COUNTRY], label: 'default rate' };
}

/** Segments of the SMS to price: counted from `text`, or given; one when neither is. */
function segmentCount(input: PriceInput): number {
  if (input.segments !== undefined) {
    if (!Number.isSafeInteger(input.segments) || input.segments < 0) {
      throw new PricingError(`'segments' must be a whole number ≥ 0, got ${input.segments}`);
    }
    return input.segments;
  }
  return input.text === undefined ? 1 : smsSegments(input.text).segments;
}

/** Rates have at most 4 decimals; rounding removes float noise such as 0.30000000000000004. */
function round4(n: number): number {
  return Math.round(n * 10_000) / 10_000;
}

function assertNever(value: never): never {
  throw new PricingError(`Unknown channel: ${String(value)}`);
}
