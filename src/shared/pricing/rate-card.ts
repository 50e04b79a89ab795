import { z } from 'zod';
import { plainWords } from '../protocol/field-errors';

/**
 * The rate card: what each billable channel charges, as data with effective dates and currency
 * (DESIGN.md rule 6 — prices are never constants in code). It lives in
 * `resources/pricing/*.json`, admins edit it, and it is parsed with this schema at the edge
 * (rule 7) so a typo fails loudly with the path of the problem instead of pricing silently wrong.
 *
 * Shape, chosen so an editor can show each period as a table of countries × categories:
 * - `periods`: one per channel and start date. The period in force at an instant is the one of
 *   that channel with the latest `effectiveFrom` not after it (midnight UTC).
 * - `rates`: keyed by recipient country (ISO 3166-1 alpha-2, capitals) plus a required
 *   `default` row used for every country not listed.
 * - `ruleSets`: dated rule changes that are reported but not confirmed (CHANNELS.md); they do
 *   nothing until an admin sets `enabled: true`.
 * Amounts are decimal numbers in currency units (0.0625 = 6.25 US cents), at most 4 decimals.
 */

/** Schema version of the document; bump it (and migrate) when the shape changes. */
export const RATE_CARD_SCHEMA_VERSION = 1;

const currencySchema = z
  .string()
  .regex(/^[A-Z]{3}$/, 'Currency must be an ISO 4217 code in capitals, e.g. USD');

/** 'YYYY-MM-DD', a real calendar date, read as midnight UTC. */
const dateSchema = z.iso.date('Date must be a real calendar date written YYYY-MM-DD');

/** Decimal currency units, at most 4 decimals (Meta quotes rates like 0.0625). */
export const amountSchema = z
  .number({ error: 'Enter a price (0 when free)' })
  .finite()
  .nonnegative('A price cannot be negative')
  .refine((n) => Math.abs(n * 10_000 - Math.round(n * 10_000)) < 1e-6, {
    message: 'Use at most 4 decimals, in currency units (0.0625, not 6.25 cents)',
  });

/** Country keys: ISO 3166-1 alpha-2 in capitals, or `default` for every other country. */
export const DEFAULT_COUNTRY = 'default';
const countryKeySchema = z
  .string()
  .regex(
    /^(?:[A-Z]{2}|default)$/,
    "Country must be an ISO 3166 alpha-2 code in capitals or 'default'",
  );

/** A table of rows keyed by country that must contain the `default` row. */
function countryTable<Row extends z.ZodType>(row: Row) {
  return z.record(countryKeySchema, row).refine((table) => DEFAULT_COUNTRY in table, {
    message: "Rates need a 'default' row for countries not listed",
  });
}

const optionalNote = z.string().max(500).optional();

// WhatsApp per-conversation model (before 2025-07-01): every category, including `service`,
// opened a charged 24 h conversation.
const whatsappConversationRatesSchema = z.strictObject({
  marketing: amountSchema,
  utility: amountSchema,
  authentication: amountSchema,
  service: amountSchema,
});

// WhatsApp per-message model (since 2025-07-01): service messages are free by the platform's
// rule, so there is no service column to edit; a reported rule set carries its own service rate.
const whatsappMessageRatesSchema = z.strictObject({
  marketing: amountSchema,
  utility: amountSchema,
  authentication: amountSchema,
});

const periodBase = {
  effectiveFrom: dateSchema,
  currency: currencySchema,
  /** Where the admin took these figures from (for the editor; not used in pricing). */
  source: optionalNote,
};

const whatsappConversationPeriodSchema = z.strictObject({
  channel: z.literal('whatsapp'),
  model: z.literal('per_conversation'),
  ...periodBase,
  rates: countryTable(whatsappConversationRatesSchema),
});

const whatsappMessagePeriodSchema = z.strictObject({
  channel: z.literal('whatsapp'),
  model: z.literal('per_message'),
  ...periodBase,
  rates: countryTable(whatsappMessageRatesSchema),
});

// Viber: messages inside the 24 h session are free; `session` is the price of one sent outside.
const viberPeriodSchema = z.strictObject({
  channel: z.literal('viber'),
  model: z.literal('per_message'),
  ...periodBase,
  rates: countryTable(z.strictObject({ session: amountSchema })),
});

// SMS: every segment is billable (CHANNELS.md; CHANNEL-API.md §9.3: Vonage bills per segment), so
// `segment` is the price of one segment to that country; a message costs segments × this.
//
// Migration (same schema version): cards stored before per-segment pricing said
// `model: 'per_message'` and `rates.XX.message`. Both are read as the new shape, the old
// per-message price becoming the per-segment price (what it was in fact billed as: every
// message those cards priced was one segment or more, priced once). A row naming both fields
// is refused by the strict row, so nothing is silently dropped.
const legacySmsModel = (value: unknown): unknown =>
  value === 'per_message' ? 'per_segment' : value;
const legacySmsRow = (row: unknown): unknown => {
  if (typeof row !== 'object' || row === null || Array.isArray(row)) return row;
  if (!('message' in row) || 'segment' in row) return row;
  const { message, ...rest } = row as Record<string, unknown>;
  return { ...rest, segment: message };
};

const smsPeriodSchema = z.strictObject({
  channel: z.literal('sms'),
  model: z.preprocess(legacySmsModel, z.literal('per_segment')),
  ...periodBase,
  rates: countryTable(z.preprocess(legacySmsRow, z.strictObject({ segment: amountSchema }))),
});

// WeChat: customer-service messages may be sent only inside the 48 h window, at most 5 per
// customer message (CHANNELS.md), and no per-message fee is documented (CHANNEL-API.md §7.7):
// `service` is the price of one inside the window, 0 unless a reseller's contract says otherwise.
// Outside the window the reply-window engine refuses the send, so there is nothing to price.
const wechatPeriodSchema = z.strictObject({
  channel: z.literal('wechat'),
  model: z.literal('per_message'),
  ...periodBase,
  rates: countryTable(z.strictObject({ service: amountSchema })),
});

// KakaoTalk consultation talk: charged per message by the BizMessage dealer, at a price set in the
// dealer's contract and not public (CHANNEL-API.md §8.2, [partner]): `message` is that price.
const kakaoPeriodSchema = z.strictObject({
  channel: z.literal('kakao'),
  model: z.literal('per_message'),
  ...periodBase,
  rates: countryTable(z.strictObject({ message: amountSchema })),
});

// LINE: replies are free; a push counts against the plan's monthly message quota and is free
// within it (CHANNEL-API.md §5.6). `monthlyFreePushes` is the plan's quota (Japan: Communication
// 200, Light 5,000, Standard 30,000): LINE's quota API answers the account's sending limit, which
// on plans with additional messages may be set above it, so the card says where free ends.
// Beyond it a push costs `push` on plans that allow additional messages (`extraAllowed`,
// Standard: up to JPY 3, tiered); on the others LINE refuses it (429) until next month.
const linePeriodSchema = z.strictObject({
  channel: z.literal('line'),
  model: z.literal('push_quota'),
  ...periodBase,
  monthlyFreePushes: z
    .number({ error: 'Enter the plan’s monthly free messages (0 when none)' })
    .int('The monthly quota is a whole number of messages')
    .nonnegative('The monthly quota cannot be negative')
    .max(1_000_000_000, 'The monthly quota is at most 1,000,000,000 messages'),
  extraAllowed: z.boolean(),
  rates: countryTable(z.strictObject({ push: amountSchema })),
});

export const ratePeriodSchema = z.discriminatedUnion('channel', [
  z.discriminatedUnion('model', [whatsappConversationPeriodSchema, whatsappMessagePeriodSchema]),
  viberPeriodSchema,
  smsPeriodSchema,
  wechatPeriodSchema,
  kakaoPeriodSchema,
  linePeriodSchema,
]);

/**
 * Channels the rate card can price; every other channel has no per-message fee. WeChat,
 * KakaoTalk and LINE are priced when the card has a period for them, and quoted as before when
 * not.
 */
export const PRICED_CHANNELS = ['whatsapp', 'viber', 'sms', 'wechat', 'kakao', 'line'] as const;
export type PricedChannel = (typeof PRICED_CHANNELS)[number];

/**
 * A dated WhatsApp rule change, e.g. the reported (not confirmed by Meta) 2026-10-01 change:
 * service messages charged beyond a monthly free tier, utility templates charged inside the
 * window. Applies only to per-message periods, and only when `enabled` and in force.
 */
export const ruleSetSchema = z
  .strictObject({
    id: z
      .string()
      .regex(/^[a-z0-9][a-z0-9-]*$/, 'Id must be lower-case letters, digits and dashes'),
    label: z.string().min(1),
    /** Who says so, e.g. 'reported, not confirmed by Meta'. Shown to admins. */
    source: z.string().min(1),
    channel: z.literal('whatsapp'),
    effectiveFrom: dateSchema,
    enabled: z.boolean(),
    /** Free service messages per phone number per month; `null` = service stays free. */
    serviceFreeTierPerMonth: z.number().int().nonnegative().nullable(),
    /** Price of a service message beyond the free tier; required when there is a free tier. */
    serviceRate: z
      .strictObject({ currency: currencySchema, rates: countryTable(amountSchema) })
      .nullable(),
    /** Whether utility templates are charged inside an open window too. */
    utilityChargedInsideWindow: z.boolean(),
  })
  .refine((set) => set.serviceFreeTierPerMonth === null || set.serviceRate !== null, {
    message: 'serviceRate is required when serviceFreeTierPerMonth is set',
    path: ['serviceRate'],
  });

export const rateCardSchema = z
  .strictObject({
    schemaVersion: z.literal(RATE_CARD_SCHEMA_VERSION),
    /** True for the shipped example: the UI must say its prices are illustrative. */
    example: z.boolean(),
    /** Shown to admins and, for an example card, next to every price. */
    notice: z.string(),
    /** Default currency: used for quotes on channels without per-message fees. */
    currency: currencySchema,
    periods: z.array(ratePeriodSchema),
    ruleSets: z.array(ruleSetSchema),
  })
  .superRefine((card, ctx) => {
    // Two periods of one channel starting the same day would make the choice ambiguous.
    const seen = new Map<string, number>();
    card.periods.forEach((period, index) => {
      const key = `${period.channel} ${period.effectiveFrom}`;
      const first = seen.get(key);
      if (first !== undefined) {
        ctx.addIssue({
          code: 'custom',
          path: ['periods', index, 'effectiveFrom'],
          message: `Duplicate ${period.channel} period from ${period.effectiveFrom} (also periods[${first}])`,
        });
      } else {
        seen.set(key, index);
      }
    });
    const ids = new Set<string>();
    card.ruleSets.forEach((set, index) => {
      if (ids.has(set.id)) {
        ctx.addIssue({
          code: 'custom',
          path: ['ruleSets', index, 'id'],
          message: `Duplicate rule set id '${set.id}'`,
        });
      }
      ids.add(set.id);
    });
  });

export type RateCard = z.infer<typeof rateCardSchema>;
export type RatePeriod = z.infer<typeof ratePeriodSchema>;
export type WhatsAppRatePeriod = Extract<RatePeriod, { channel: 'whatsapp' }>;
export type ViberRatePeriod = Extract<RatePeriod, { channel: 'viber' }>;
export type SmsRatePeriod = Extract<RatePeriod, { channel: 'sms' }>;
export type WechatRatePeriod = Extract<RatePeriod, { channel: 'wechat' }>;
export type KakaoRatePeriod = Extract<RatePeriod, { channel: 'kakao' }>;
export type LineRatePeriod = Extract<RatePeriod, { channel: 'line' }>;
export type RuleSet = z.infer<typeof ruleSetSchema>;

/** One problem in a rate card: where (`periods[2].rates.US.marketing`) and what. */
export interface RateCardIssue {
  readonly path: string;
  /** The same place as a form field path (`periods.2.rates.US.marketing`): see field-errors. */
  readonly field: string;
  readonly message: string;
}

/** Thrown by `parseRateCard`; `issues` lists every problem, the message names each path. */
export class RateCardError extends Error {
  readonly issues: readonly RateCardIssue[];

  constructor(issues: readonly RateCardIssue[]) {
    super(
      `Invalid rate card (${issues.length} problem${issues.length === 1 ? '' : 's'}):\n` +
        issues.map((issue) => `  - ${issue.path}: ${issue.message}`).join('\n'),
    );
    this.name = 'RateCardError';
    this.issues = issues;
  }
}

function formatPath(path: readonly PropertyKey[]): string {
  if (path.length === 0) return '(root)';
  return path
    .map((key, i) => (typeof key === 'number' ? `[${key}]` : `${i === 0 ? '' : '.'}${String(key)}`))
    .join('');
}

function toIssues(error: z.ZodError): RateCardIssue[] {
  return error.issues.map((issue) => {
    // A bad record key reports "Invalid key in record"; the key's own message says what is wrong.
    const inner = issue.code === 'invalid_key' ? issue.issues[0]?.message : undefined;
    return {
      path: formatPath(issue.path),
      field: issue.path.map(String).join('.'),
      message: inner ?? issue.message,
    };
  });
}

/** Validates an unknown value (parsed JSON) as a rate card; throws `RateCardError` if invalid. */
export function parseRateCard(input: unknown): RateCard {
  const result = rateCardSchema.safeParse(input, { error: plainWords });
  if (!result.success) throw new RateCardError(toIssues(result.error));
  return result.data;
}

/** Midnight UTC of a 'YYYY-MM-DD' date, in epoch ms. */
export function effectiveFromMs(date: string): number {
  // Pricing runs for every visible conversation each clock tick: parse each date once.
  let ms = parsedDates.get(date);
  if (ms === undefined) {
    ms = Date.parse(`${date}T00:00:00Z`);
    if (parsedDates.size > 1_000) parsedDates.clear();
    parsedDates.set(date, ms);
  }
  return ms;
}
const parsedDates = new Map<string, number>();
