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
  daysUntilNext,
  normaliseLabels,
  snoozeOptions,
  snoozeUntil,
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

describe('labels', () => {
  it('are trimmed, cut to 50 characters, without empty ones or repeats, 20 at most', () => {
    expect(normaliseLabels([' vip ', 'VIP', '', '  ', 'refund'])).toEqual(['vip', 'refund']);
    expect(normaliseLabels(['x'.repeat(60)])).toEqual(['x'.repeat(50)]);
    expect(normaliseLabels(Array.from({ length: 30 }, (_, i) => `l${i}`))).toHaveLength(20);
  });
});
