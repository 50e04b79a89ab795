import { afterAll, describe, expect, it, vi } from 'vitest';

const restoreTz = vi.hoisted(() => {
  const previous = process.env['TZ'];
  process.env['TZ'] = 'Europe/Berlin';
  return () => {
    if (previous === undefined) delete process.env['TZ'];
    else process.env['TZ'] = previous;
  };
});

import { HOUR_MS, MINUTE_MS } from '../../../src/shared/domain/channels';
import { parseRateCard } from '../../../src/shared/pricing';
import { computeReplyWindow } from '../../../src/shared/reply-window';
import {
  describeCountdown,
  describeNextCost,
  describeSendNow,
  formatCountdown,
} from '../../../src/renderer/src/features/conversation/window-summary';
import { conversation } from '../fixtures';
import { at } from './fixtures';

afterAll(restoreTz);

const NOW = at('2026-11-21T15:00:00+01:00'); // Saturday

const card = parseRateCard({
  schemaVersion: 1,
  example: false,
  notice: 'test card',
  currency: 'EUR',
  periods: [
    {
      channel: 'whatsapp',
      model: 'per_message',
      effectiveFrom: '2025-07-01',
      currency: 'EUR',
      rates: { default: { marketing: 0.0625, utility: 0.0456, authentication: 0.0401 } },
    },
  ],
  ruleSets: [],
});

const windowOf = (overrides: Parameters<typeof conversation>[1], now = NOW) => {
  const c = conversation('c', overrides);
  return computeReplyWindow(c.channel, c, now);
};

describe('the countdown', () => {
  it('shows hours, minutes and seconds, rounded down', () => {
    expect(formatCountdown(23 * HOUR_MS + 12 * MINUTE_MS + 5_999)).toBe('23:12:05');
    expect(formatCountdown(59_000)).toBe('00:00:59');
    expect(formatCountdown(-5)).toBe('00:00:00');
    expect(formatCountdown(50 * HOUR_MS + 1_000)).toBe('2d 02:00:01');
  });

  it('says when an open window closes', () => {
    const window = windowOf({ lastInboundAt: NOW - 47 * MINUTE_MS - 55_000 });
    expect(describeCountdown(window, NOW)).toEqual({
      value: '23:12:05',
      caption: 'closes at Sun 14:12',
    });
    const later = NOW + 23 * HOUR_MS;
    expect(
      describeCountdown(windowOf({ lastInboundAt: NOW - 47 * MINUTE_MS - 55_000 }, later), later),
    ).toEqual({ value: '00:12:05', caption: 'closes at 14:12' });
  });

  it('says how long ago a closed window closed', () => {
    const window = windowOf({ lastInboundAt: NOW - 26 * HOUR_MS - 5 * MINUTE_MS });
    expect(describeCountdown(window, NOW)).toEqual({
      value: 'Closed',
      caption: 'closed 2h 5m ago, at 12:55',
    });
  });

  it('has no limit on channels without a window, and none before the customer wrote', () => {
    expect(describeCountdown(windowOf({ channel: 'telegram' }), NOW).value).toBe('No window');
    expect(describeCountdown(windowOf({ lastInboundAt: null }), NOW)).toEqual({
      value: 'Closed',
      caption: 'the customer has not written',
    });
  });
});

describe('what may be sent now', () => {
  it('is free text while a WhatsApp window is open', () => {
    expect(describeSendNow(windowOf({ lastInboundAt: NOW - HOUR_MS }), NOW)).toMatchObject({
      label: 'Free text',
      tone: 'ok',
    });
  });

  it('is templates only once it has closed, naming the WhatsApp error', () => {
    const view = describeSendNow(windowOf({ lastInboundAt: NOW - 25 * HOUR_MS }), NOW);
    expect(view.label).toBe('Templates only');
    expect(view.detail).toContain('131047');
  });

  it('is the human-agent tag with its end on Messenger after 24 h', () => {
    // Last customer message Tue 17 Nov 14:00: the tag runs for 7 days, until Tue 24 Nov 14:00.
    const window = windowOf({
      channel: 'messenger',
      lastInboundAt: at('2026-11-17T14:00:00+01:00'),
    });
    expect(describeSendNow(window, NOW)).toMatchObject({
      label: 'Human-agent tag until Tue 14:00',
      tone: 'warning',
    });
  });

  it('is nothing on WeChat after 48 h, with the channel’s reason', () => {
    const view = describeSendNow(
      windowOf({ channel: 'wechat', lastInboundAt: NOW - 49 * HOUR_MS }),
      NOW,
    );
    expect(view.label).toBe('Nothing until the customer writes');
    expect(view.detail).toContain('45015');
    expect(view.tone).toBe('blocked');
  });

  it('counts the WeChat messages left', () => {
    const window = windowOf({
      channel: 'wechat',
      lastInboundAt: NOW - HOUR_MS,
      sentSinceInbound: 4,
    });
    expect(describeSendNow(window, NOW)).toMatchObject({
      label: 'Free text · 1 message left',
      tone: 'warning',
    });
  });

  it('offers a free window when an ad referral is still unanswered', () => {
    const window = windowOf({
      lastInboundAt: NOW - HOUR_MS,
      entryPoint: 'ad_referral',
      entryPointAt: NOW - HOUR_MS,
    });
    expect(describeSendNow(window, NOW).detail).toMatch(/Reply before .* free 3d window/);
  });
});

describe('the cost of the next message', () => {
  it('is free for a reply inside the window', () => {
    const window = windowOf({ lastInboundAt: NOW - HOUR_MS });
    expect(describeNextCost(window, card, NOW, 'DE')).toMatchObject({
      price: 'Free',
      what: 'reply',
      tone: 'ok',
    });
  });

  it('is the utility template price once the window has closed', () => {
    const window = windowOf({ lastInboundAt: NOW - 25 * HOUR_MS });
    const view = describeNextCost(window, card, NOW, null);
    expect(view).toMatchObject({ what: 'utility template', tone: 'warning' });
    expect(view.price).toMatch(/0\.0456/);
    expect(view.price).toMatch(/€/);
  });

  it('is unknown without a rate card, or when the card has no rates for that day', () => {
    const window = windowOf({ lastInboundAt: NOW - 25 * HOUR_MS });
    expect(describeNextCost(window, null, NOW, 'DE').price).toBe('Price unknown');
    const early = describeNextCost(window, card, at('2025-01-01T12:00:00Z'), 'DE');
    expect(early.price).toBe('Price unknown');
    expect(early.detail).toContain('no WhatsApp rates');
  });

  it('on LINE, a free reply with the token; after it, a push against the quota, not a charge', () => {
    const fresh = windowOf({ channel: 'line', lastInboundAt: NOW - 10_000 });
    expect(describeNextCost(fresh, card, NOW, null)).toMatchObject({
      price: 'Free',
      what: 'reply',
    });
    const after = windowOf({ channel: 'line', lastInboundAt: NOW - 2 * MINUTE_MS });
    expect(describeNextCost(after, card, NOW, null)).toMatchObject({
      price: 'Push',
      what: 'counts against the quota',
      tone: 'warning',
    });
    expect(describeSendNow(after, NOW)).toMatchObject({
      label: 'Any message · push',
      tone: 'warning',
    });
  });

  it('on LINE with the card’s plan: free pushes within its quota, then its price beyond it', () => {
    const lineCard = parseRateCard({
      ...card,
      periods: [
        ...card.periods,
        {
          channel: 'line',
          model: 'push_quota',
          effectiveFrom: '2026-01-01',
          currency: 'JPY',
          monthlyFreePushes: 5000,
          extraAllowed: true,
          rates: { default: { push: 3 } },
        },
      ],
    });
    const after = windowOf({ channel: 'line', lastInboundAt: NOW - 2 * MINUTE_MS });
    expect(describeNextCost(after, lineCard, NOW, null, 4999)).toEqual({
      price: 'Push',
      what: 'counts against the quota',
      detail: 'Free: LINE push within the plan’s 5,000 free messages a month',
      tone: 'warning',
    });
    expect(describeNextCost(after, lineCard, NOW, null, 5000)).toEqual({
      price: '¥3',
      what: 'push beyond the quota',
      detail:
        'Charged: LINE push beyond the plan’s 5,000 free messages this month at the default rate',
      tone: 'warning',
    });
  });

  it('is free on channels without per-message fees, and nothing when nothing may be sent', () => {
    expect(describeNextCost(windowOf({ channel: 'telegram' }), card, NOW, null).price).toBe('Free');
    const wechat = windowOf({ channel: 'wechat', lastInboundAt: NOW - 49 * HOUR_MS });
    expect(describeNextCost(wechat, card, NOW, null)).toMatchObject({
      price: '—',
      what: 'nothing can be sent',
    });
  });
});
