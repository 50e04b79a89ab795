import { describe, expect, it } from 'vitest';
import exampleJson from '../../../resources/pricing/rate-card.example.json';
import { costLine } from '../../../src/renderer/src/features/composer/cost';
import { parseRateCard } from '../../../src/shared/pricing';
import { computeReplyWindow } from '../../../src/shared/reply-window';

/** Issue #15: a LINE push is free but counts against the plan's monthly quota. */
const card = parseRateCard(exampleJson);
const T0 = Date.parse('2026-12-04T09:00:00Z');
const wrote = { lastInboundAt: T0, sentSinceInbound: 0 };

function line(at: number, quota: { limit: number | null; left: number | null } | null) {
  return costLine({
    window: computeReplyWindow('line', wrote, at),
    kind: { type: 'free_form' },
    rateCard: card,
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
});
