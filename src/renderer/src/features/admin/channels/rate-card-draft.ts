import type { RateCard, RatePeriod } from '../../../../../shared/pricing';

/**
 * The rate card editor's draft: the card with every period's rates as plain tables (country →
 * column → amount), so one table editor serves every channel and model. The draft is checked
 * with the shared `parseRateCard` before it is sent, and again by the hub.
 */
export interface DraftPeriod {
  readonly channel: RatePeriod['channel'];
  readonly model: RatePeriod['model'];
  readonly effectiveFrom: string;
  readonly currency: string;
  readonly source?: string;
  readonly rates: Readonly<Record<string, Readonly<Record<string, number>>>>;
  /** LINE: the plan's free push messages a month, and whether it allows more (priced). */
  readonly monthlyFreePushes?: number;
  readonly extraAllowed?: boolean;
}

export type DraftCard = Omit<RateCard, 'periods'> & { readonly periods: readonly DraftPeriod[] };

export const toDraft = (card: RateCard): DraftCard => ({
  ...card,
  periods: card.periods.map((period) => ({ ...period, rates: { ...period.rates } })),
});

const CHANNEL_LABELS: Record<RatePeriod['channel'], string> = {
  whatsapp: 'WhatsApp',
  viber: 'Viber',
  sms: 'SMS',
  wechat: 'WeChat',
  kakao: 'KakaoTalk',
  line: 'LINE',
};

export function periodLabel(period: DraftPeriod): string {
  const model =
    period.model === 'per_conversation'
      ? 'per conversation'
      : period.model === 'per_segment'
        ? 'per segment'
        : period.model === 'push_quota'
          ? 'push quota'
          : 'per message';
  return `${CHANNEL_LABELS[period.channel]} · ${model} · from ${period.effectiveFrom}`;
}

/** The price columns of a period, in a fixed order (its `default` row names them). */
export function columnsOf(period: DraftPeriod): string[] {
  const order = [
    'marketing',
    'utility',
    'authentication',
    'service',
    'session',
    'segment',
    'message',
    'push',
  ];
  const keys = Object.keys(period.rates['default'] ?? {});
  return order.filter((key) => keys.includes(key));
}

/** Countries of a period in alphabetical order, `default` last. */
export function countriesOf(period: DraftPeriod): string[] {
  return Object.keys(period.rates)
    .filter((key) => key !== 'default')
    .sort()
    .concat(period.rates['default'] ? ['default'] : []);
}

function updatePeriod(
  card: DraftCard,
  index: number,
  change: (period: DraftPeriod) => DraftPeriod,
): DraftCard {
  return {
    ...card,
    periods: card.periods.map((period, i) => (i === index ? change(period) : period)),
  };
}

export const setRate = (
  card: DraftCard,
  index: number,
  country: string,
  column: string,
  amount: number,
): DraftCard =>
  updatePeriod(card, index, (period) => ({
    ...period,
    rates: { ...period.rates, [country]: { ...period.rates[country], [column]: amount } },
  }));

export const setPeriodField = (
  card: DraftCard,
  index: number,
  field: 'effectiveFrom' | 'currency',
  value: string,
): DraftCard => updatePeriod(card, index, (period) => ({ ...period, [field]: value }));

/**
 * LINE's plan: its free push messages a month (as typed: a half-typed or negative figure stays,
 * and the check refuses it beside the field) and whether it allows additional messages.
 */
export const setLinePlan = (
  card: DraftCard,
  index: number,
  plan: { readonly monthlyFreePushes?: number; readonly extraAllowed?: boolean },
): DraftCard => updatePeriod(card, index, (period) => ({ ...period, ...plan }));

/** A new country row, priced like `default` until edited; null when the code is not new. */
export function addCountry(card: DraftCard, index: number, code: string): DraftCard | null {
  const country = code.trim().toUpperCase();
  const period = card.periods[index];
  if (!period || !/^[A-Z]{2}$/.test(country) || country in period.rates) return null;
  return updatePeriod(card, index, (p) => ({
    ...p,
    rates: { ...p.rates, [country]: { ...p.rates['default'] } },
  }));
}

export const removeCountry = (card: DraftCard, index: number, country: string): DraftCard =>
  updatePeriod(card, index, (period) => ({
    ...period,
    rates: Object.fromEntries(Object.entries(period.rates).filter(([key]) => key !== country)),
  }));

/**
 * A new period of the same channel and model starting on `effectiveFrom`, copying the rates:
 * prices change by date, so an admin adds the next period rather than rewriting the past.
 */
export function duplicatePeriod(card: DraftCard, index: number, effectiveFrom: string): DraftCard {
  const period = card.periods[index];
  if (!period) return card;
  // The copy's figures are the admin's to confirm: the old period's source does not carry over.
  const { source: _source, ...rest } = period;
  return { ...card, periods: [...card.periods, { ...rest, effectiveFrom }] };
}

export const removePeriod = (card: DraftCard, index: number): DraftCard => ({
  ...card,
  periods: card.periods.filter((_, i) => i !== index),
});
