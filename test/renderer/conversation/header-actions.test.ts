import { afterAll, describe, expect, it, vi } from 'vitest';

// Snoozes are wall-clock times: run in a zone with daylight saving.
const restoreTz = vi.hoisted(() => {
  const previous = process.env['TZ'];
  process.env['TZ'] = 'Europe/Berlin';
  return () => {
    if (previous === undefined) delete process.env['TZ'];
    else process.env['TZ'] = previous;
  };
});

import { HOUR_MS } from '../../../src/shared/domain/channels';
import {
  customSnoozeUntil,
  daysUntilNext,
  localDateInputValue,
  normaliseLabels,
  parseTimeOfDay,
  snoozeOptions,
  snoozeUntil,
  canEndSession,
} from '../../../src/renderer/src/features/conversation/header-actions';
import { at } from './fixtures';

afterAll(restoreTz);

describe('snooze instants', () => {
  const saturday = at('2026-11-21T15:32:00+01:00');

  it('adds exact hours for "1 hour" and "4 hours"', () => {
    expect(snoozeUntil('1h', saturday)).toBe(saturday + HOUR_MS);
    expect(snoozeUntil('4h', saturday)).toBe(saturday + 4 * HOUR_MS);
  });

  it('returns tomorrow at 09:00 local time, also just after midnight', () => {
    expect(snoozeUntil('tomorrow', saturday)).toBe(at('2026-11-22T09:00:00+01:00'));
    expect(snoozeUntil('tomorrow', at('2026-11-21T00:30:00+01:00'))).toBe(
      at('2026-11-22T09:00:00+01:00'),
    );
    // 23:30 in Berlin is already the next day in UTC: the local calendar decides.
    expect(snoozeUntil('tomorrow', at('2026-11-21T23:30:00+01:00'))).toBe(
      at('2026-11-22T09:00:00+01:00'),
    );
  });

  it('keeps 09:00 across the autumn daylight-saving change (a 25-hour night)', () => {
    const evening = at('2026-10-24T20:00:00+02:00');
    const until = snoozeUntil('tomorrow', evening);
    expect(until).toBe(at('2026-10-25T09:00:00+01:00'));
    expect(until - evening).toBe(14 * HOUR_MS);
  });

  it('keeps 09:00 across the spring daylight-saving change (a 23-hour night)', () => {
    const evening = at('2026-03-28T20:00:00+01:00');
    expect(snoozeUntil('tomorrow', evening)).toBe(at('2026-03-29T09:00:00+02:00'));
    expect(snoozeUntil('next_monday', evening)).toBe(at('2026-03-30T09:00:00+02:00'));
  });

  it('takes next Monday as the coming one, a week ahead on a Monday', () => {
    expect(snoozeUntil('next_monday', saturday)).toBe(at('2026-11-23T09:00:00+01:00'));
    expect(snoozeUntil('next_monday', at('2026-11-22T10:00:00+01:00'))).toBe(
      at('2026-11-23T09:00:00+01:00'),
    );
    expect(snoozeUntil('next_monday', at('2026-11-23T08:00:00+01:00'))).toBe(
      at('2026-11-30T09:00:00+01:00'),
    );
    expect(daysUntilNext(at('2026-11-23T08:00:00+01:00'), 1)).toBe(7);
  });

  it('lists the four choices with the instant as the agent reads it', () => {
    expect(snoozeOptions(saturday).map((option) => [option.id, option.hint])).toEqual([
      ['1h', '16:32'],
      ['4h', '19:32'],
      ['tomorrow', 'Sun 09:00'],
      ['next_monday', 'Mon 09:00'],
    ]);
  });
});

describe('a snooze to a chosen day and time', () => {
  const saturday = at('2026-11-21T15:32:00+01:00');

  it('reads a time typed on the 24-hour clock, with or without a separator', () => {
    expect(parseTimeOfDay('09:30')).toBe(9 * 60 + 30);
    expect(parseTimeOfDay('9:30')).toBe(9 * 60 + 30);
    expect(parseTimeOfDay('0930')).toBe(9 * 60 + 30);
    expect(parseTimeOfDay(' 21.15 ')).toBe(21 * 60 + 15);
    expect(parseTimeOfDay('9')).toBe(9 * 60);
    expect(parseTimeOfDay('00:00')).toBe(0);
    expect(parseTimeOfDay('23:59')).toBe(23 * 60 + 59);
    for (const wrong of ['24:00', '12:60', '2:30 PM', '', 'noon', '9:5', '12345']) {
      expect(parseTimeOfDay(wrong), wrong).toBeNull();
    }
  });

  it('is the local wall-clock instant of the day and time', () => {
    expect(customSnoozeUntil('2026-11-25', '14:30', saturday)).toEqual({
      ok: true,
      until: at('2026-11-25T14:30:00+01:00'),
    });
    // Across the spring change: 09:00 on 29 March is CEST, one hour less from a CET evening.
    expect(customSnoozeUntil('2026-03-29', '09:00', at('2026-03-28T20:00:00+01:00'))).toEqual({
      ok: true,
      until: at('2026-03-29T09:00:00+02:00'),
    });
  });

  it('refuses a time that has passed, or now itself, and says which field is wrong', () => {
    expect(customSnoozeUntil('2026-11-21', '15:00', saturday)).toEqual({
      ok: false,
      field: 'time',
      error: 'That time has passed: pick a later one.',
    });
    expect(customSnoozeUntil('2026-11-21', '15:32', saturday)).toMatchObject({ ok: false });
    expect(customSnoozeUntil('2026-11-21', '15:33', saturday)).toEqual({
      ok: true,
      until: at('2026-11-21T15:33:00+01:00'),
    });
    expect(customSnoozeUntil('', '09:00', saturday)).toMatchObject({ ok: false, field: 'day' });
    expect(customSnoozeUntil('2026-02-31', '09:00', saturday)).toMatchObject({
      ok: false,
      field: 'day',
    });
    expect(customSnoozeUntil('2026-11-22', '25:00', saturday)).toEqual({
      ok: false,
      field: 'time',
      error: 'Write the time as HH:MM on the 24-hour clock.',
    });
  });

  it('refuses more than a year ahead, a typo such as 2062', () => {
    expect(customSnoozeUntil('2027-11-21', '15:00', saturday)).toMatchObject({ ok: true });
    expect(customSnoozeUntil('2062-11-21', '15:00', saturday)).toEqual({
      ok: false,
      field: 'day',
      error: 'Snooze at most 365 days ahead.',
    });
  });

  it('writes the local day as a date input does', () => {
    // 23:30 in Berlin is the next day in UTC: the local calendar decides.
    expect(localDateInputValue(at('2026-11-21T23:30:00+01:00'))).toBe('2026-11-21');
    expect(localDateInputValue(at('2026-03-01T00:10:00+01:00'))).toBe('2026-03-01');
  });
});

describe('labels', () => {
  it('are trimmed, cut to 50 characters, without empty ones or repeats, 20 at most', () => {
    expect(normaliseLabels([' vip ', 'VIP', '', '  ', 'refund'])).toEqual(['vip', 'refund']);
    expect(normaliseLabels(['x'.repeat(60)])).toEqual(['x'.repeat(50)]);
    expect(normaliseLabels(Array.from({ length: 30 }, (_, i) => `l${i}`))).toHaveLength(20);
  });
});

describe('End chat session', () => {
  it('is offered on KakaoTalk while the session is open, and nowhere else', () => {
    expect(canEndSession({ channel: 'kakao', blockedAt: null })).toBe(true);
    expect(canEndSession({ channel: 'kakao' })).toBe(true);
    // Ended already (by the agent or the customer): nothing to end.
    expect(canEndSession({ channel: 'kakao', blockedAt: 1_796_411_970_000 })).toBe(false);
    for (const channel of ['whatsapp', 'wechat', 'sms', 'viber', 'line', 'telegram'])
      expect(canEndSession({ channel, blockedAt: null })).toBe(false);
  });
});
