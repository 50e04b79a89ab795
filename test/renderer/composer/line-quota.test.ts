import { describe, expect, it } from 'vitest';
import exampleJson from '../../../resources/pricing/rate-card.example.json';
import { costLine } from '../../../src/renderer/src/features/composer/cost';
import { parseRateCard, type RateCard } from '../../../src/shared/pricing';
import { computeReplyWindow } from '../../../src/shared/reply-window';

/** Issue #15: a LINE push is free but counts against the plan's monthly quota. */
const card = parseRateCard(exampleJson);
/** A card without its LINE period: the quota the API reads is all there is to say. */
const cardWithoutLine: RateCard = {
  ...card,
  periods: card.periods.filter((p) => p.channel !== 'line'),
};
const T0 = Date.parse('2026-12-04T09:00:00Z');
const wrote = { lastInboundAt: T0, sentSinceInbound: 0 };

type Quota = { limit: number | null; left: number | null; used?: number };

function line(at: number, quota: Quota | null, rateCard: RateCard = cardWithoutLine) {
  return costLine({
    window: computeReplyWindow('line', wrote, at),
    kind: { type: 'free_form' },
    rateCard,
    recipientCountry: 'JP',
    at,
    locale: 'en-US',
    quota,
  });
}

describe('the composer cost line on LINE', () => {
  it('is free while the reply token is valid', () => {
    expect(line(T0 + 10_000, { limit: 5000, left: 4950 })).toMatchObject({
      tone: 'free',
      label: 'Free',
    });
  });

  it('says a push counts against the quota, with what is left this month', () => {
    expect(line(T0 + 60_000, { limit: 5000, left: 4950 })).toEqual({
      tone: 'quota',
      label: 'Push: counts against the quota (4,950 of 5,000 left this month)',
      detail: 'Free: no per-message fee, but LINE push messages count against the monthly quota',
      example: false,
    });
    expect(line(T0 + 60_000, { limit: null, left: null }).label).toBe(
      'Push: counts against the quota (no monthly limit)',
    );
    expect(line(T0 + 60_000, null).label).toBe('Push: counts against the quota');
  });

  it('warns when the quota is used up: LINE refuses pushes', () => {
    expect(line(T0 + 60_000, { limit: 200, left: 0 })).toMatchObject({
      tone: 'blocked',
      label: 'Monthly quota used up',
    });
  });

  it('with the rate card’s LINE row: free pushes left of the plan’s quota, then its price', () => {
    // The example card: Standard plan, 30,000 free a month, then JPY 3 each (example figures).
    expect(line(T0 + 60_000, { limit: 35_000, left: 5_050, used: 29_950 }, card)).toEqual({
      tone: 'quota',
      label: 'Push: counts against the quota (50 of 30,000 free left this month)',
      detail: 'Free: LINE push within the plan’s 30,000 free messages a month',
      example: false,
    });
    expect(line(T0 + 60_000, { limit: 35_000, left: 5_000, used: 30_000 }, card)).toEqual({
      tone: 'charged',
      label: '¥3 as a push beyond the plan’s quota',
      detail:
        'Charged: LINE push beyond the plan’s 30,000 free messages this month at the default rate',
      example: true,
    });
    // The reply token still valid: free whatever the month counted.
    expect(line(T0 + 10_000, { limit: 35_000, left: 5_000, used: 30_000 }, card)).toMatchObject({
      tone: 'free',
      label: 'Free',
    });
    // The sending limit reached: LINE refuses the push, whatever the price.
    expect(line(T0 + 60_000, { limit: 30_000, left: 0, used: 30_000 }, card).label).toBe(
      'Monthly quota used up',
    );
  });

  it('on a plan without additional messages, a push beyond its quota is refused', () => {
    const light: RateCard = {
      ...card,
      periods: card.periods.map((p) =>
        p.channel === 'line' ? { ...p, monthlyFreePushes: 5_000, extraAllowed: false } : p,
      ),
    };
    expect(line(T0 + 60_000, { limit: null, left: null, used: 5_000 }, light)).toEqual({
      tone: 'blocked',
      label: 'Monthly quota used up',
      detail:
        'Not allowed: the plan’s 5,000 free push messages this month are used and it allows no additional messages; LINE refuses pushes until next month',
      example: false,
    });
  });
});
