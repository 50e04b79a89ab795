import { afterAll, describe, expect, it, vi } from 'vitest';

// Local calendar days: run in a zone with daylight saving (set before any formatter exists).
const restoreTz = vi.hoisted(() => {
  const previous = process.env['TZ'];
  process.env['TZ'] = 'Europe/Berlin';
  return () => {
    if (previous === undefined) delete process.env['TZ'];
    else process.env['TZ'] = previous;
  };
});

import {
  dateLocale,
  formatClockTime,
  formatDate,
  formatDateTime,
  formatDayLabel,
  formatDayMonth,
  formatFullDateTime,
  formatPreciseTime,
  formatShortDate,
  formatWeekdayDateTime,
  formatWeekdayTime,
  formatWhen,
  resolveDateLocale,
  setDateLocale,
} from '../../../src/renderer/src/format/dates';
import { formatUntil } from '../../../src/renderer/src/features/composer/notices';
import {
  formatInstant,
  formatLastActivity,
} from '../../../src/renderer/src/features/inbox/inbox-format';
import { formatOrderDate } from '../../../src/renderer/src/features/orders/order-format';

afterAll(restoreTz);

const at = (iso: string): number => Date.parse(iso);
/** Monday 16 November 2026, 14:32:05 in Berlin. */
const AFTERNOON = at('2026-11-16T14:32:05+01:00');
/** Five past midnight: where `hour12: false` writes "24:05" in en-US. */
const MIDNIGHT = at('2026-11-17T00:05:00+01:00');
/** Saturday 21 November 2026, 15:00 in Berlin. */
const NOW = at('2026-11-21T15:00:00+01:00');

const GB = { locale: 'en-GB' } as const;
const US = { locale: 'en-US' } as const;

describe('one date and time format for the whole app', () => {
  it('writes every kind in en-GB with the day before the month and a 24-hour clock', () => {
    expect(formatClockTime(AFTERNOON, GB)).toBe('14:32');
    expect(formatClockTime(MIDNIGHT, GB)).toBe('00:05');
    expect(formatPreciseTime(AFTERNOON, GB)).toBe('14:32:05');
    expect(formatWeekdayTime(AFTERNOON, GB)).toBe('Mon 14:32');
    expect(formatDayMonth(AFTERNOON, GB)).toBe('16 Nov');
    expect(formatDate(AFTERNOON, GB)).toBe('16 Nov 2026');
    expect(formatDateTime(AFTERNOON, GB)).toBe('16 Nov 2026, 14:32');
    expect(formatWeekdayDateTime(AFTERNOON, GB)).toBe('Mon 16 Nov, 14:32');
    expect(formatFullDateTime(AFTERNOON, GB)).toBe('Mon, 16 Nov 2026, 14:32:05');
  });

  it('writes every kind in en-US with the month first, and the same 24-hour clock', () => {
    expect(formatClockTime(AFTERNOON, US)).toBe('14:32');
    expect(formatClockTime(MIDNIGHT, US)).toBe('00:05');
    expect(formatPreciseTime(AFTERNOON, US)).toBe('14:32:05');
    expect(formatWeekdayTime(AFTERNOON, US)).toBe('Mon 14:32');
    expect(formatDayMonth(AFTERNOON, US)).toBe('Nov 16');
    expect(formatDate(AFTERNOON, US)).toBe('Nov 16, 2026');
    expect(formatDateTime(AFTERNOON, US)).toBe('Nov 16, 2026, 14:32');
    expect(formatWeekdayDateTime(AFTERNOON, US)).toBe('Mon, Nov 16, 14:32');
    expect(formatFullDateTime(AFTERNOON, US)).toBe('Mon, Nov 16, 2026, 14:32:05');
  });

  it('writes a clock in another time zone', () => {
    expect(formatWeekdayTime(AFTERNOON, { locale: 'en-GB', timeZone: 'America/New_York' })).toBe(
      'Mon 08:32',
    );
  });

  it('labels days and nearby instants in either order', () => {
    const monday = at('2026-11-16T00:00:00+01:00');
    const lastYear = at('2025-11-17T00:00:00+01:00');
    expect(formatDayLabel(monday, NOW, GB)).toBe('Mon 16 Nov');
    expect(formatDayLabel(monday, NOW, US)).toBe('Mon, Nov 16');
    expect(formatDayLabel(lastYear, NOW, GB)).toBe('Mon, 17 Nov 2025');
    expect(formatDayLabel(lastYear, NOW, US)).toBe('Mon, Nov 17, 2025');

    const nextWeek = at('2026-12-01T09:00:00+01:00');
    expect(formatWhen(at('2026-11-21T17:32:00+01:00'), NOW, US)).toBe('17:32');
    expect(formatWhen(at('2026-11-24T14:00:00+01:00'), NOW, US)).toBe('Tue 14:00');
    expect(formatWhen(nextWeek, NOW, GB)).toBe('Tue 1 Dec, 09:00');
    expect(formatWhen(nextWeek, NOW, US)).toBe('Tue, Dec 1, 09:00');

    expect(formatShortDate(AFTERNOON, NOW, US)).toBe('Nov 16');
    expect(formatShortDate(lastYear, NOW, US)).toBe('Nov 17, 2025');
  });

  it('is what the inbox, the orders and the composer write, never a 12-hour clock', () => {
    // Each of these called Intl with its own options before: "Nov 16, 2026, 2:32 PM" in en-US.
    expect(formatInstant(AFTERNOON, 'en-US')).toBe('Nov 16, 2026, 14:32');
    expect(formatInstant(AFTERNOON, 'en-GB')).toBe('16 Nov 2026, 14:32');
    expect(formatUntil(AFTERNOON, 'en-US')).toBe('Mon, Nov 16, 14:32');
    expect(formatOrderDate(AFTERNOON, 'en-US')).toBe('Nov 16, 2026');
    expect(formatLastActivity(at('2025-11-17T12:00:00+01:00'), NOW, 'en-US')).toBe('Nov 17, 2025');
  });

  it('uses the app locale when none is given', () => {
    const before = dateLocale();
    try {
      setDateLocale('en-US');
      expect(formatDateTime(AFTERNOON)).toBe('Nov 16, 2026, 14:32');
      setDateLocale('en-GB');
      expect(formatDateTime(AFTERNOON)).toBe('16 Nov 2026, 14:32');
    } finally {
      setDateLocale(before);
    }
  });
});

describe('the app locale', () => {
  it('keeps an English locale, and writes another language in English with its region', () => {
    expect(resolveDateLocale(['en-US', 'en-GB'])).toBe('en-US');
    expect(resolveDateLocale(['en-GB'])).toBe('en-GB');
    expect(resolveDateLocale(['de-DE', 'en-US'])).toBe('en-DE');
    // A language alone takes its likeliest region: Dutch → the Netherlands.
    expect(resolveDateLocale(['nl'])).toBe('en-NL');
  });

  it('falls back to en-GB for nothing or nonsense', () => {
    expect(resolveDateLocale([])).toBe('en-GB');
    expect(resolveDateLocale(['not a locale'])).toBe('en-GB');
  });
});
