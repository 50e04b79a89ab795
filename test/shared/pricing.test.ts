import { describe, expect, it } from 'vitest';
import exampleJson from '../../resources/pricing/rate-card.example.json';
import type { ChannelKind } from '../../src/shared/domain/channels';
import {
  formatPrice,
  parseRateCard,
  priceNextMessage,
  PricingError,
  RateCardError,
  type MessageKind,
  type PriceInput,
  type RateCard,
} from '../../src/shared/pricing';
import type { ReplyWindow, SendAllowance, WindowState } from '../../src/shared/reply-window/types';

// Parsing the shipped example here also proves it is a valid rate card.
const card = parseRateCard(exampleJson);

const HOUR = 3_600_000;
const AT = Date.parse('2025-11-10T12:00:00Z'); // per-message period, before the reported rule set
const AFTER_RULE = Date.parse('2026-11-10T12:00:00Z');
const BEFORE_RULE = Date.parse('2026-09-30T23:59:59Z');
const PER_CONVERSATION_AT = Date.parse('2025-06-30T23:59:59Z');

const FREE_FORM: MessageKind = { type: 'free_form' };
const MARKETING: MessageKind = { type: 'template', category: 'marketing' };
const UTILITY: MessageKind = { type: 'template', category: 'utility' };
const AUTHENTICATION: MessageKind = { type: 'template', category: 'authentication' };

/** A ReplyWindow as the engine would return it; only the fields pricing reads matter. */
function replyWindow(
  channel: ChannelKind,
  state: WindowState,
  overrides: Partial<ReplyWindow> = {},
): ReplyWindow {
  const inside = state === 'open' || state === 'closing' || state === 'unlimited';
  const allowed: SendAllowance = inside
    ? { kind: 'free_form', billable: channel === 'sms' || channel === 'viber' }
    : channel === 'viber' || channel === 'sms'
      ? { kind: 'free_form', billable: true }
      : { kind: 'template_only' };
  return {
    channel,
    state,
    closesAt: state === 'unlimited' ? null : AT + (inside ? 5 * HOUR : -HOUR),
    remainingMs: state === 'unlimited' ? null : inside ? 5 * HOUR : 0,
    allowed,
    messagesRemaining: null,
    freeEntryPoint: false,
    basis: 'test',
    ...overrides,
  };
}

const waOpen = replyWindow('whatsapp', 'open');
const waClosed = replyWindow('whatsapp', 'closed');

function quote(overrides: Partial<PriceInput> & Pick<PriceInput, 'window' | 'kind'>, c = card) {
  return priceNextMessage({ recipientCountry: 'US', at: AT, ...overrides }, c);
}

function withRuleSetEnabled(base: RateCard): RateCard {
  return { ...base, ruleSets: base.ruleSets.map((set) => ({ ...set, enabled: true })) };
}

describe('example rate card', () => {
  it('is marked as an example with a notice for admins, and the reported rule set is off', () => {
    expect(card.example).toBe(true);
    expect(card.notice).toMatch(/example/i);
    expect(card.notice).toMatch(/edited by an admin/);
    const reported = card.ruleSets.find((set) => set.id === 'meta-2026-10-01-reported');
    expect(reported).toMatchObject({
      enabled: false,
      effectiveFrom: '2026-10-01',
      source: 'reported, not confirmed by Meta',
      serviceFreeTierPerMonth: 1000,
      utilityChargedInsideWindow: true,
    });
  });

  it('quotes late replies in the US-cents range of the seed document where plausible', () => {
    const late = quote({ window: waClosed, kind: UTILITY, recipientCountry: 'GB' });
    expect(late.amount).toBeGreaterThanOrEqual(0.01);
    expect(late.amount).toBeLessThanOrEqual(0.09);
    const marketing = quote({ window: waClosed, kind: MARKETING, recipientCountry: 'BR' });
    expect(marketing.amount).toBeGreaterThanOrEqual(0.05);
    expect(marketing.amount).toBeLessThanOrEqual(0.09);
  });
});

describe('WhatsApp per-message pricing (since 2025-07-01)', () => {
  it('a free-form reply inside the 24 h window is a free service message', () => {
    expect(quote({ window: waOpen, kind: FREE_FORM })).toEqual({
      amount: 0,
      currency: 'USD',
      billable: false,
      category: 'service',
      reason: 'Free: reply inside the 24 h customer-service window',
      allowed: true,
      example: true,
      effectiveFrom: '2025-07-01',
      ruleSetId: null,
      segments: null,
    });
  });

  it('a free-form reply is still free while the window is closing', () => {
    const closing = replyWindow('whatsapp', 'closing');
    expect(quote({ window: closing, kind: FREE_FORM }).billable).toBe(false);
  });

  it('a utility template is free inside the open window', () => {
    const q = quote({ window: waOpen, kind: UTILITY });
    expect(q).toMatchObject({ amount: 0, billable: false, category: 'utility', allowed: true });
    expect(q.reason).toMatch(/^Free: utility template inside/);
  });

  it('a utility template is charged outside the window at the recipient country rate', () => {
    const q = quote({ window: waClosed, kind: UTILITY, recipientCountry: 'GB' });
    expect(q).toMatchObject({
      amount: 0.022,
      currency: 'USD',
      billable: true,
      category: 'utility',
      allowed: true,
      effectiveFrom: '2025-07-01',
    });
    expect(q.reason).toBe(
      'Charged: utility template outside the 24 h customer-service window at the GB rate',
    );
  });

  it('a marketing template is charged inside and outside the window', () => {
    for (const window of [waOpen, waClosed]) {
      expect(quote({ window, kind: MARKETING, recipientCountry: 'DE' })).toMatchObject({
        amount: 0.1365,
        billable: true,
        category: 'marketing',
      });
    }
  });

  it('an authentication template is charged inside and outside the window', () => {
    for (const window of [waOpen, waClosed]) {
      expect(quote({ window, kind: AUTHENTICATION, recipientCountry: 'FR' })).toMatchObject({
        amount: 0.0689,
        billable: true,
        category: 'authentication',
      });
    }
  });

  it('the 72 h free entry point makes every kind of message free', () => {
    const entry = replyWindow('whatsapp', 'open', { freeEntryPoint: true });
    const afterCustomerWindow = replyWindow('whatsapp', 'closed', { freeEntryPoint: true });
    for (const kind of [FREE_FORM, UTILITY, MARKETING, AUTHENTICATION]) {
      const q = quote({ window: entry, kind, recipientCountry: 'NL' });
      expect(q).toMatchObject({ amount: 0, billable: false, allowed: true });
      expect(q.reason).toMatch(/72 h free entry point/);
    }
    expect(quote({ window: afterCustomerWindow, kind: MARKETING })).toMatchObject({
      amount: 0,
      billable: false,
    });
  });

  it('an unknown or missing country gets the default rates; country case does not matter', () => {
    const unknown = quote({ window: waClosed, kind: MARKETING, recipientCountry: 'ZZ' });
    expect(unknown.amount).toBe(0.0604);
    expect(unknown.reason).toMatch(/default rate/);
    expect(quote({ window: waClosed, kind: MARKETING, recipientCountry: '' }).amount).toBe(0.0604);
    expect(quote({ window: waClosed, kind: MARKETING, recipientCountry: ' gb ' }).amount).toBe(
      0.0529,
    );
  });

  it('a free-form message after the window closes is not allowed (error 131047) and costs nothing', () => {
    const q = quote({ window: waClosed, kind: FREE_FORM });
    expect(q).toMatchObject({ allowed: false, billable: false, amount: 0, category: 'service' });
    expect(q.reason).toMatch(/^Not allowed: .*only approved templates.*131047/);
  });
});

describe('WhatsApp per-conversation pricing (before 2025-07-01)', () => {
  it('selects the per-conversation period by date and charges the category that opens it', () => {
    const q = quote({ window: waClosed, kind: MARKETING, at: PER_CONVERSATION_AT });
    expect(q).toMatchObject({
      amount: 0.025,
      billable: true,
      category: 'marketing',
      effectiveFrom: '2024-01-01',
    });
    expect(q.reason).toMatch(/^Charged per 24 h conversation: opens a marketing conversation/);
  });

  it('charges a service conversation for a free-form reply and a utility one inside the window', () => {
    expect(
      quote({ window: waOpen, kind: FREE_FORM, at: PER_CONVERSATION_AT, recipientCountry: 'IN' }),
    ).toMatchObject({ amount: 0.004, billable: true, category: 'service' });
    expect(quote({ window: waOpen, kind: UTILITY, at: PER_CONVERSATION_AT })).toMatchObject({
      amount: 0.015,
      billable: true,
    });
  });

  it('switches to the per-message period at midnight UTC on 2025-07-01', () => {
    const at = Date.parse('2025-07-01T00:00:00Z');
    expect(quote({ window: waOpen, kind: UTILITY, at })).toMatchObject({
      billable: false,
      effectiveFrom: '2025-07-01',
    });
  });

  it('throws a PricingError naming the date when no period is in force yet', () => {
    const at = Date.parse('2023-06-01T00:00:00Z');
    expect(() => quote({ window: waOpen, kind: UTILITY, at })).toThrow(PricingError);
    expect(() => quote({ window: waOpen, kind: UTILITY, at })).toThrow(/WhatsApp.*2023-06-01/);
  });
});

describe('reported 2026-10-01 rule set', () => {
  const enabled = withRuleSetEnabled(card);

  it('does nothing while disabled, as shipped, even after its date', () => {
    expect(
      quote({ window: waOpen, kind: FREE_FORM, at: AFTER_RULE, serviceMessagesThisMonth: 5000 }),
    ).toMatchObject({ billable: false, amount: 0, ruleSetId: null });
    expect(quote({ window: waOpen, kind: UTILITY, at: AFTER_RULE })).toMatchObject({
      billable: false,
    });
  });

  it('does nothing when enabled but before 2026-10-01', () => {
    expect(
      quote(
        { window: waOpen, kind: FREE_FORM, at: BEFORE_RULE, serviceMessagesThisMonth: 5000 },
        enabled,
      ),
    ).toMatchObject({ billable: false, ruleSetId: null });
    expect(quote({ window: waOpen, kind: UTILITY, at: BEFORE_RULE }, enabled)).toMatchObject({
      billable: false,
    });
  });

  it('when enabled and in force, keeps the first 1,000 service messages a month free', () => {
    for (const used of [0, 999]) {
      const q = quote(
        { window: waOpen, kind: FREE_FORM, at: AFTER_RULE, serviceMessagesThisMonth: used },
        enabled,
      );
      expect(q).toMatchObject({
        billable: false,
        amount: 0,
        ruleSetId: 'meta-2026-10-01-reported',
      });
    }
    // No count given: assumed within the tier, and the reason says so.
    const unknown = quote({ window: waOpen, kind: FREE_FORM, at: AFTER_RULE }, enabled);
    expect(unknown).toMatchObject({ billable: false });
    expect(unknown.reason).toMatch(/count not given/);
  });

  it('when enabled and in force, charges service messages beyond 1,000 this month', () => {
    const q = quote(
      {
        window: waOpen,
        kind: FREE_FORM,
        at: AFTER_RULE,
        serviceMessagesThisMonth: 1000,
        recipientCountry: 'gb',
      },
      enabled,
    );
    expect(q).toMatchObject({
      amount: 0.022,
      currency: 'USD',
      billable: true,
      category: 'service',
      allowed: true,
      effectiveFrom: '2026-10-01',
      ruleSetId: 'meta-2026-10-01-reported',
    });
    expect(q.reason).toMatch(/beyond the 1,000 free this month/);
  });

  it('when enabled and in force, charges utility templates inside the window too', () => {
    const q = quote({ window: waOpen, kind: UTILITY, at: AFTER_RULE }, enabled);
    expect(q).toMatchObject({
      amount: 0.004,
      billable: true,
      category: 'utility',
      ruleSetId: 'meta-2026-10-01-reported',
    });
  });

  it('still lets the free entry point make everything free', () => {
    const entry = replyWindow('whatsapp', 'open', { freeEntryPoint: true });
    expect(
      quote(
        { window: entry, kind: FREE_FORM, at: AFTER_RULE, serviceMessagesThisMonth: 5000 },
        enabled,
      ),
    ).toMatchObject({ billable: false, amount: 0 });
  });
});

describe('other channels', () => {
  it('Viber is free inside the 24 h session and billable outside it at the session rate', () => {
    const inside = quote({ window: replyWindow('viber', 'open'), kind: FREE_FORM });
    expect(inside).toMatchObject({ billable: false, amount: 0, category: 'session' });
    const outside = quote({
      window: replyWindow('viber', 'closed'),
      kind: FREE_FORM,
      recipientCountry: 'DE',
    });
    expect(outside).toMatchObject({
      amount: 0.0175,
      currency: 'EUR',
      billable: true,
      category: 'session',
      allowed: true,
    });
  });

  it('SMS bills every message, inside any window (one segment when no text is given)', () => {
    const q = quote({ window: replyWindow('sms', 'unlimited'), kind: FREE_FORM });
    expect(q).toMatchObject({ amount: 0.0083, billable: true, category: 'sms', allowed: true });
    expect(q.reason).toBe(
      'Charged: every SMS segment is billable, 1 segment × $0.0083 (US) at the US rate',
    );
  });

  it.each(['messenger', 'instagram', 'wechat', 'telegram'] as const)(
    '%s charges nothing per message when the window allows it',
    (channel) => {
      const q = quote({
        window: replyWindow(channel, channel === 'telegram' ? 'unlimited' : 'open'),
        kind: FREE_FORM,
      });
      expect(q).toMatchObject({ amount: 0, billable: false, allowed: true, currency: 'USD' });
    },
  );

  it('a window that allows nothing (WeChat after 48 h) refuses with the window reason', () => {
    const window = replyWindow('wechat', 'closed', {
      allowed: { kind: 'none', reason: 'the 48 h customer-service window has closed (45015)' },
    });
    const q = quote({ window, kind: FREE_FORM });
    expect(q.allowed).toBe(false);
    expect(q.reason).toBe('Not allowed: the 48 h customer-service window has closed (45015)');
  });

  it('Messenger outside 24 h is free and allowed with the human-agent tag', () => {
    const window = replyWindow('messenger', 'closed', {
      allowed: { kind: 'tag_only', tag: 'HUMAN_AGENT', until: AT + 100 * HOUR },
    });
    const q = quote({ window, kind: FREE_FORM });
    expect(q).toMatchObject({ allowed: true, billable: false });
    expect(q.reason).toMatch(/HUMAN_AGENT/);
  });
});

describe('WeChat and KakaoTalk rows (dated examples from 2026-12-01)', () => {
  const DEC = Date.parse('2026-12-04T10:00:00Z');

  it('WeChat customer-service messages are free inside the 48 h window, by the example row', () => {
    const q = quote({
      window: replyWindow('wechat', 'open'),
      kind: FREE_FORM,
      recipientCountry: 'CN',
      at: DEC,
    });
    expect(q).toEqual({
      amount: 0,
      currency: 'CNY',
      billable: false,
      category: 'service',
      reason:
        'Free: WeChat customer-service message inside the 48 h window (at most 5 per customer message)',
      allowed: true,
      example: true,
      effectiveFrom: '2026-12-01',
      ruleSetId: null,
      segments: null,
    });
    // Before the row's date, or on a card without one, the quote is the same free one.
    expect(quote({ window: replyWindow('wechat', 'open'), kind: FREE_FORM, at: AT })).toMatchObject(
      { amount: 0, currency: 'USD', effectiveFrom: null, reason: q.reason },
    );
  });

  it('a WeChat row an admin prices is charged inside the window; outside, the window refuses', () => {
    const priced = parseRateCard({
      ...exampleJson,
      periods: [
        ...exampleJson.periods,
        {
          channel: 'wechat',
          model: 'per_message',
          effectiveFrom: '2026-12-03',
          currency: 'CNY',
          rates: { CN: { service: 0.05 }, default: { service: 0.08 } },
        },
      ],
    });
    const open = replyWindow('wechat', 'open');
    expect(
      quote({ window: open, kind: FREE_FORM, recipientCountry: 'CN', at: DEC }, priced),
    ).toMatchObject({
      amount: 0.05,
      currency: 'CNY',
      billable: true,
      reason: 'Charged: WeChat customer-service message at the CN rate',
      effectiveFrom: '2026-12-03',
    });
    const closed = replyWindow('wechat', 'closed', {
      allowed: { kind: 'none', reason: 'the 48 h customer-service window has closed (45015)' },
    });
    expect(quote({ window: closed, kind: FREE_FORM, at: DEC }, priced)).toMatchObject({
      amount: 0,
      allowed: false,
      billable: false,
    });
  });

  it('KakaoTalk consultation talk is charged per message at the dealer’s example price in KRW', () => {
    const q = quote({
      window: replyWindow('kakao', 'open'),
      kind: FREE_FORM,
      recipientCountry: 'KR',
      at: DEC,
    });
    expect(q).toEqual({
      amount: 10,
      currency: 'KRW',
      billable: true,
      category: 'service',
      reason: 'Charged by your dealer: KakaoTalk consultation-talk message at the KR rate',
      allowed: true,
      example: true,
      effectiveFrom: '2026-12-01',
      ruleSetId: null,
      segments: null,
    });
    expect(formatPrice(q.amount, q.currency, 'en-US')).toBe('₩10');
    // Before the row's date the card does not price it, as before.
    expect(quote({ window: replyWindow('kakao', 'open'), kind: FREE_FORM, at: AT })).toMatchObject({
      amount: 0,
      billable: false,
      reason:
        'Not priced: KakaoTalk consultation-talk fees are set by your dealer, not on the rate card',
    });
  });

  it('refuses a WeChat or KakaoTalk row with another column, or a negative price', () => {
    const bad = (period: Record<string, unknown>) => () =>
      parseRateCard({ ...exampleJson, periods: [...exampleJson.periods, period] });
    const kakao = {
      channel: 'kakao',
      model: 'per_message',
      effectiveFrom: '2027-01-01',
      currency: 'KRW',
    };
    expect(bad({ ...kakao, rates: { default: { segment: 10 } } })).toThrow(RateCardError);
    expect(bad({ ...kakao, rates: { default: { message: -1 } } })).toThrow(
      /periods\[\d+\]\.rates\.default\.message: A price cannot be negative/,
    );
  });
});

describe('parseRateCard', () => {
  type Json = Record<string, unknown>;
  type EditableCard = Json & { periods: Array<Json & { rates: Record<string, Json> }> };
  const clone = () => structuredClone(exampleJson) as unknown as EditableCard;

  it('rejects a malformed rate card with a RateCardError listing each problem path', () => {
    const bad = clone();
    const rates = bad.periods[1].rates;
    rates.US.marketing = '0.025';
    rates.gb = rates.GB;
    bad.currency = 'usd';
    let error: unknown;
    try {
      parseRateCard(bad);
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(RateCardError);
    const { issues, message } = error as RateCardError;
    expect(issues.map((issue) => issue.path).sort()).toEqual([
      'currency',
      'periods[1].rates.US.marketing',
      'periods[1].rates.gb',
    ]);
    expect(message).toMatch(/^Invalid rate card \(3 problems\)/);
    expect(message).toContain('periods[1].rates.US.marketing: ');
    expect(message).toContain('periods[1].rates.gb: Country must be an ISO 3166 alpha-2 code');
  });

  it('rejects a period without default rates, too many decimals and duplicate periods', () => {
    const bad = clone();
    const rates = bad.periods[3].rates;
    delete rates.default;
    rates.US.segment = 0.00831;
    bad.periods.push({ ...bad.periods[0] });
    expect(() => parseRateCard(bad)).toThrow(/periods\[3\]\.rates: Rates need a 'default' row/);
    expect(() => parseRateCard(bad)).toThrow(/periods\[3\]\.rates\.US\.segment: .*4 decimals/);
    const duplicate = bad.periods.length - 1;
    expect(() => parseRateCard(bad)).toThrow(
      new RegExp(`periods\\[${duplicate}\\]\\.effectiveFrom: Duplicate whatsapp`),
    );
  });

  it('rejects an unknown channel, a bad date and a misspelt category', () => {
    const bad = clone();
    bad.periods[2].channel = 'carrier-pigeon';
    bad.periods[0].effectiveFrom = '2024-02-30';
    bad.periods[1].rates.IT.marketting = 0.05;
    expect(() => parseRateCard(bad)).toThrow(/periods\[2\]\.channel: /);
    expect(() => parseRateCard(bad)).toThrow(/periods\[0\]\.effectiveFrom: /);
    expect(() => parseRateCard(bad)).toThrow(/periods\[1\]\.rates\.IT: Unknown field: marketting/);
  });

  it('rejects something that is not a rate card at all', () => {
    expect(() => parseRateCard(null)).toThrow(/\(root\): /);
    expect(() => parseRateCard({ ...clone(), schemaVersion: 2 })).toThrow(/schemaVersion: /);
  });
});

describe('formatPrice', () => {
  it('keeps sub-cent rates visible and uses the currency minimum digits', () => {
    expect(formatPrice(0.0625, 'USD', 'en-US')).toBe('$0.0625');
    expect(formatPrice(0.05, 'USD', 'en-US')).toBe('$0.05');
    expect(formatPrice(0, 'USD', 'en-US')).toBe('$0.00');
    expect(formatPrice(0.0175, 'EUR', 'en-US')).toBe('€0.0175');
    expect(formatPrice(12, 'JPY', 'en-US')).toBe('¥12');
  });
});

describe('amounts', () => {
  it('are rounded to 4 decimals, without float noise', () => {
    const noisy: RateCard = {
      ...card,
      periods: [
        {
          channel: 'sms',
          model: 'per_segment',
          effectiveFrom: '2024-01-01',
          currency: 'USD',
          rates: { default: { segment: 0.1 + 0.2 } },
        },
      ],
    };
    expect(quote({ window: replyWindow('sms', 'unlimited'), kind: FREE_FORM }, noisy).amount).toBe(
      0.3,
    );
  });
});

describe('SMS: segments × the per-segment price of the destination country', () => {
  const sms = replyWindow('sms', 'unlimited');
  // The example card's dated EUR period (2026-07-01): DE 0.07, GB 0.04, US 0.0075, others 0.06.
  const SMS_AT = Date.parse('2026-12-04T10:00:00Z');
  const smsQuote = (text: string, recipientCountry: string) =>
    priceNextMessage({ window: sms, kind: FREE_FORM, recipientCountry, at: SMS_AT, text }, card);

  it.each([
    // The §9.3 vectors, priced at DE (€0.07), GB (€0.04), US (€0.0075) and an unlisted country.
    {
      name: '160 × A',
      text: 'A'.repeat(160),
      to: 'DE',
      count: 1,
      amount: 0.07,
      unit: 0.07,
      row: 'DE',
    },
    {
      name: '161 × A',
      text: 'A'.repeat(161),
      to: 'DE',
      count: 2,
      amount: 0.14,
      unit: 0.07,
      row: 'DE',
    },
    {
      name: '80 × €',
      text: '€'.repeat(80),
      to: 'GB',
      count: 1,
      amount: 0.04,
      unit: 0.04,
      row: 'GB',
    },
    {
      name: '81 × € (76 + 5)',
      text: '€'.repeat(81),
      to: 'GB',
      count: 2,
      amount: 0.08,
      unit: 0.04,
      row: 'GB',
    },
    {
      name: '160 × é',
      text: 'é'.repeat(160),
      to: 'US',
      count: 1,
      amount: 0.0075,
      unit: 0.0075,
      row: 'US',
    },
    {
      name: '70 × á',
      text: 'á'.repeat(70),
      to: 'US',
      count: 1,
      amount: 0.0075,
      unit: 0.0075,
      row: 'US',
    },
    {
      name: '71 × á',
      text: 'á'.repeat(71),
      to: 'US',
      count: 2,
      amount: 0.015,
      unit: 0.0075,
      row: 'US',
    },
    { name: '1 × 😀', text: '😀', to: 'ZA', count: 1, amount: 0.06, unit: 0.06, row: null },
    {
      name: '307 × A',
      text: 'A'.repeat(307),
      to: 'DE',
      count: 3,
      amount: 0.21,
      unit: 0.07,
      row: 'DE',
    },
  ])('$name to $to', ({ text, to, count, amount, unit, row }) => {
    const q = smsQuote(text, to);
    expect(q).toMatchObject({
      amount,
      currency: 'EUR',
      billable: true,
      allowed: true,
      category: 'sms',
      effectiveFrom: '2026-07-01',
      example: true,
    });
    expect(q.segments).toEqual({
      count,
      unitAmount: unit,
      country: row,
      label: `${count} segment${count === 1 ? '' : 's'} × ${formatPrice(unit, 'EUR', 'en-US')} (${row ?? 'other countries'})`,
    });
  });

  it('words the price as "3 segments × €0.07 (DE)"', () => {
    const q = smsQuote('A'.repeat(307), 'de');
    expect(q.segments?.label).toBe('3 segments × €0.07 (DE)');
    expect(q.reason).toBe(
      'Charged: every SMS segment is billable, 3 segments × €0.07 (DE) at the DE rate',
    );
  });

  it('takes a segment count instead of the text, and refuses a count that is not one', () => {
    const q = priceNextMessage(
      { window: sms, kind: FREE_FORM, recipientCountry: 'DE', at: SMS_AT, segments: 4 },
      card,
    );
    expect(q.amount).toBe(0.28);
    expect(() =>
      priceNextMessage(
        { window: sms, kind: FREE_FORM, recipientCountry: 'DE', at: SMS_AT, segments: 1.5 },
        card,
      ),
    ).toThrow(PricingError);
  });

  it('prices the empty text at nothing (nothing is sent)', () => {
    expect(smsQuote('', 'DE')).toMatchObject({ amount: 0, segments: { count: 0 } });
  });

  it('uses the period in force: the 2024 USD rates before 2026-07-01', () => {
    const q = priceNextMessage(
      { window: sms, kind: FREE_FORM, recipientCountry: 'DE', at: AT, text: 'A'.repeat(161) },
      card,
    );
    expect(q).toMatchObject({ amount: 0.181, currency: 'USD', effectiveFrom: '2024-01-01' });
    expect(q.segments?.label).toBe('2 segments × $0.0905 (DE)');
  });
});

describe('rate cards stored before per-segment SMS prices', () => {
  const legacy = () => {
    const json = structuredClone(exampleJson) as unknown as {
      periods: Array<Record<string, unknown> & { rates: Record<string, Record<string, number>> }>;
    };
    json.periods = json.periods.filter((p) => p['channel'] !== 'sms');
    json.periods.push({
      channel: 'sms',
      model: 'per_message',
      effectiveFrom: '2024-01-01',
      currency: 'USD',
      rates: { DE: { message: 0.0905 }, default: { message: 0.06 } },
    });
    return json;
  };

  it('reads `message` as the per-segment price and `per_message` as `per_segment`', () => {
    const parsed = parseRateCard(legacy());
    const sms = parsed.periods.find((p) => p.channel === 'sms');
    expect(sms).toEqual({
      channel: 'sms',
      model: 'per_segment',
      effectiveFrom: '2024-01-01',
      currency: 'USD',
      rates: { DE: { segment: 0.0905 }, default: { segment: 0.06 } },
    });
    const q = priceNextMessage(
      {
        window: replyWindow('sms', 'unlimited'),
        kind: FREE_FORM,
        recipientCountry: 'DE',
        at: AT,
        text: '€'.repeat(81),
      },
      parsed,
    );
    expect(q.amount).toBe(0.181);
  });

  it('still checks the old field, and refuses a row naming both', () => {
    const negative = legacy();
    negative.periods[negative.periods.length - 1].rates['DE'] = { message: -1 };
    const last = negative.periods.length - 1;
    expect(() => parseRateCard(negative)).toThrow(
      new RegExp(`periods\\[${last}\\]\\.rates\\.DE\\.segment: A price cannot be negative`),
    );
    const both = legacy();
    both.periods[both.periods.length - 1].rates['DE'] = { message: 0.05, segment: 0.05 };
    expect(() => parseRateCard(both)).toThrow(
      new RegExp(`periods\\[${last}\\]\\.rates\\.DE: Unknown field: message`),
    );
  });
});
