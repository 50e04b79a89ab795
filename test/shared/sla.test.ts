import { describe, expect, it } from 'vitest';
import { HOUR_MS, MINUTE_MS } from '../../src/shared/domain/channels';
import type { ReplyWindow } from '../../src/shared/reply-window';
import {
  ALWAYS_CLOCK,
  businessCalendarSchema,
  createBusinessClock,
  DEFAULT_CALENDAR,
  evaluateSla,
  mostUrgent,
  selectPolicy,
  slaClocks,
  slaPolicyInputSchema,
  slaPolicySchema,
  slaStateAt,
  zonedInstant,
  type BusinessCalendar,
  type SlaDue,
  type SlaFacts,
  type SlaPolicy,
} from '../../src/shared/sla';

const nineToFive = [{ start: '09:00', end: '17:00' }];

/** Monday to Friday 09:00–17:00 in Amsterdam. */
const AMSTERDAM: BusinessCalendar = {
  timeZone: 'Europe/Amsterdam',
  weeklyHours: {
    mon: nineToFive,
    tue: nineToFive,
    wed: nineToFive,
    thu: nineToFive,
    fri: nineToFive,
    sat: [],
    sun: [],
  },
  holidays: [],
};

const iso = (text: string): number => Date.parse(text);

function policy(overrides: Partial<SlaPolicy> = {}): SlaPolicy {
  return {
    id: 'sla_default',
    name: 'Default',
    channel: null,
    priority: null,
    firstResponseMs: 30 * MINUTE_MS,
    nextResponseMs: 2 * HOUR_MS,
    resolutionMs: null,
    hours: 'business',
    enabled: true,
    updatedAt: 0,
    appliesFrom: 0,
    ...overrides,
  };
}

function facts(overrides: Partial<SlaFacts> = {}): SlaFacts {
  return {
    channel: 'whatsapp',
    priority: 'normal',
    status: 'open',
    awaitingReplySince: null,
    firstReplyAt: null,
    openedAt: null,
    resolvedAt: null,
    ...overrides,
  };
}

describe('business calendar', () => {
  const clock = createBusinessClock(AMSTERDAM);

  it('is breached at the exact due instant, not a millisecond before', () => {
    // Monday 09:30 CET + 30 business minutes = 10:00:00.000 CET (09:00Z).
    const [due] = evaluateSla(
      facts({ awaitingReplySince: iso('2026-11-23T08:30:00Z'), openedAt: 0 }),
      policy(),
      slaClocks(AMSTERDAM),
    );
    expect(due?.dueAt).toBe(iso('2026-11-23T09:00:00.000Z'));
    expect(slaStateAt(due as SlaDue, iso('2026-11-23T08:59:59.999Z'))).not.toBe('missed');
    expect(slaStateAt(due as SlaDue, iso('2026-11-23T09:00:00.000Z'))).toBe('missed');
  });

  it('counts no time outside opening hours: Friday 16:50 + 30 min is Monday 09:20', () => {
    // Friday 2026-11-20 16:50 CET.
    expect(clock.add(iso('2026-11-20T15:50:00Z'), 30 * MINUTE_MS)).toBe(
      iso('2026-11-23T08:20:00Z'),
    );
    // A message on Saturday starts counting at Monday's opening.
    expect(clock.add(iso('2026-11-21T10:00:00Z'), 30 * MINUTE_MS)).toBe(
      iso('2026-11-23T08:30:00Z'),
    );
    // A target that ends exactly at closing time is due at closing time, not Monday.
    expect(clock.add(iso('2026-11-20T15:30:00Z'), 30 * MINUTE_MS)).toBe(
      iso('2026-11-20T16:00:00Z'),
    );
  });

  it('measures business time between two instants', () => {
    // Friday 16:50 to Monday 09:20: 10 + 20 minutes.
    expect(clock.between(iso('2026-11-20T15:50:00Z'), iso('2026-11-23T08:20:00Z'))).toBe(
      30 * MINUTE_MS,
    );
    expect(clock.between(iso('2026-11-23T08:20:00Z'), iso('2026-11-20T15:50:00Z'))).toBe(0);
    expect(clock.isOpen(iso('2026-11-23T08:00:00Z'))).toBe(true);
    expect(clock.isOpen(iso('2026-11-21T12:00:00Z'))).toBe(false);
  });

  it('skips holidays in the calendar time zone', () => {
    // Thursday 24 Dec 16:50; 25 Dec (Friday) is a holiday: due Monday 28 Dec 09:20.
    const christmas = createBusinessClock({ ...AMSTERDAM, holidays: ['2026-12-25'] });
    expect(christmas.add(iso('2026-12-24T15:50:00Z'), 30 * MINUTE_MS)).toBe(
      iso('2026-12-28T08:20:00Z'),
    );
    expect(clock.add(iso('2026-12-24T15:50:00Z'), 30 * MINUTE_MS)).toBe(
      iso('2026-12-25T08:20:00Z'),
    );
  });

  it('uses several opening intervals a day (a lunch break)', () => {
    const split = createBusinessClock({
      ...AMSTERDAM,
      weeklyHours: {
        ...AMSTERDAM.weeklyHours,
        mon: [
          { start: '09:00', end: '12:00' },
          { start: '13:00', end: '17:00' },
        ],
      },
    });
    // Monday 11:50 CET + 30 min: 10 before lunch, 20 after, due 13:20 CET.
    expect(split.add(iso('2026-11-23T10:50:00Z'), 30 * MINUTE_MS)).toBe(
      iso('2026-11-23T12:20:00Z'),
    );
  });

  it('keeps wall-clock opening hours across the spring-forward change', () => {
    // Friday 27 March 16:50 CET (UTC+1) + 30 min → Monday 30 March 09:20 CEST (UTC+2).
    expect(clock.add(iso('2026-03-27T15:50:00Z'), 30 * MINUTE_MS)).toBe(
      iso('2026-03-30T07:20:00Z'),
    );
  });

  it('keeps wall-clock opening hours across the fall-back change', () => {
    // Friday 23 October 16:50 CEST (UTC+2) + 30 min → Monday 26 October 09:20 CET (UTC+1).
    expect(clock.add(iso('2026-10-23T14:50:00Z'), 30 * MINUTE_MS)).toBe(
      iso('2026-10-26T08:20:00Z'),
    );
  });

  it('counts real hours on a day the clocks change: 23 on spring-forward, 25 on fall-back', () => {
    const sundays = createBusinessClock({
      ...AMSTERDAM,
      weeklyHours: { ...AMSTERDAM.weeklyHours, sun: [{ start: '00:00', end: '24:00' }] },
    });
    const springStart = iso('2026-03-28T23:00:00Z'); // Sunday 29 March 00:00 CET
    const springEnd = iso('2026-03-29T22:00:00Z'); // Monday 00:00 CEST
    expect(sundays.between(springStart, springEnd)).toBe(23 * HOUR_MS);
    const fallStart = iso('2026-10-24T22:00:00Z'); // Sunday 25 October 00:00 CEST
    const fallEnd = iso('2026-10-25T23:00:00Z'); // Monday 00:00 CET
    expect(sundays.between(fallStart, fallEnd)).toBe(25 * HOUR_MS);
    // A 2 h target from Sunday 01:30 CET spans the missing hour: due 04:30 CEST, 2 real hours.
    const start = iso('2026-03-29T00:30:00Z');
    const due = sundays.add(start, 2 * HOUR_MS);
    expect(due).toBe(iso('2026-03-29T02:30:00Z'));
    expect((due ?? 0) - start).toBe(2 * HOUR_MS);
  });

  it('counts around the clock in real time across DST', () => {
    // Saturday 28 March 12:00 CET + 24 h = Sunday 13:00 CEST: 24 real hours.
    const start = iso('2026-03-28T11:00:00Z');
    expect(ALWAYS_CLOCK.add(start, 24 * HOUR_MS)).toBe(iso('2026-03-29T11:00:00Z'));
    const [due] = evaluateSla(
      facts({ awaitingReplySince: start }),
      policy({ hours: 'always', firstResponseMs: 24 * HOUR_MS }),
      slaClocks(AMSTERDAM),
    );
    expect(due?.dueAt).toBe(start + 24 * HOUR_MS);
  });

  it('maps wall-clock times in DST gaps forward and repeated ones to their first occurrence', () => {
    // 02:30 on 29 March does not exist in Amsterdam: 03:30 CEST.
    expect(zonedInstant('Europe/Amsterdam', Date.UTC(2026, 2, 29, 2, 30))).toBe(
      iso('2026-03-29T01:30:00Z'),
    );
    // 02:30 on 25 October happens twice: the first, still CEST.
    expect(zonedInstant('Europe/Amsterdam', Date.UTC(2026, 9, 25, 2, 30))).toBe(
      iso('2026-10-25T00:30:00Z'),
    );
    expect(zonedInstant('America/New_York', Date.UTC(2026, 10, 20, 9, 0))).toBe(
      iso('2026-11-20T14:00:00Z'),
    );
  });

  it('gives no due instant when a calendar has no opening day left', () => {
    const closed = createBusinessClock({
      ...DEFAULT_CALENDAR,
      weeklyHours: { ...DEFAULT_CALENDAR.weeklyHours, mon: [], tue: [], wed: [], thu: [] },
      holidays: Array.from({ length: 160 }, (_, i) =>
        new Date(Date.UTC(2026, 10, 20) + i * 7 * 24 * HOUR_MS).toISOString().slice(0, 10),
      ),
    });
    expect(closed.add(iso('2026-11-20T12:00:00Z'), HOUR_MS)).toBeNull();
  });
});

describe('calendar validation', () => {
  it('accepts a valid calendar', () => {
    expect(businessCalendarSchema.safeParse(AMSTERDAM).success).toBe(true);
  });

  it('refuses an unknown time zone, overlapping or backwards hours, and bad holidays', () => {
    const messages = (value: unknown): string[] => {
      const result = businessCalendarSchema.safeParse(value);
      return result.success ? [] : result.error.issues.map((issue) => issue.message);
    };
    expect(messages({ ...AMSTERDAM, timeZone: 'Mars/Olympus' })).toEqual([
      expect.stringMatching(/Unknown time zone/),
    ]);
    expect(
      messages({
        ...AMSTERDAM,
        weeklyHours: {
          ...AMSTERDAM.weeklyHours,
          tue: [
            { start: '09:00', end: '12:00' },
            { start: '11:00', end: '17:00' },
          ],
        },
      }),
    ).toEqual(['Tuesday: 09:00–12:00 overlaps 11:00–17:00']);
    expect(
      messages({
        ...AMSTERDAM,
        weeklyHours: { ...AMSTERDAM.weeklyHours, mon: [{ start: '17:00', end: '09:00' }] },
      }),
    ).toEqual(['Opening time must be before closing time']);
    expect(
      messages({
        ...AMSTERDAM,
        weeklyHours: { ...AMSTERDAM.weeklyHours, mon: [{ start: '9:00', end: '25:00' }] },
      }),
    ).toHaveLength(2);
    expect(messages({ ...AMSTERDAM, holidays: ['2026-02-30'] })).toEqual([
      'A holiday must be a real date',
    ]);
    const noHours = Object.fromEntries(Object.keys(AMSTERDAM.weeklyHours).map((d) => [d, []]));
    expect(messages({ ...AMSTERDAM, weeklyHours: noHours })).toEqual([
      expect.stringMatching(/at least one day/),
    ]);
  });

  it('refuses a policy without any target', () => {
    const result = slaPolicyInputSchema.safeParse({
      name: 'Empty',
      channel: null,
      priority: null,
      firstResponseMs: null,
      nextResponseMs: null,
      resolutionMs: null,
      hours: 'always',
      enabled: true,
    });
    expect(result.success).toBe(false);
  });
});

describe('policy choice', () => {
  const fallback = policy({ id: 'a', name: 'Default' });
  const urgent = policy({ id: 'b', priority: 'urgent' });
  const whatsapp = policy({ id: 'c', channel: 'whatsapp' });
  const whatsappUrgent = policy({ id: 'd', channel: 'whatsapp', priority: 'urgent' });
  const all = [fallback, urgent, whatsapp, whatsappUrgent];

  it('takes the most specific enabled policy: channel + priority > channel > priority > default', () => {
    expect(selectPolicy(all, 'whatsapp', 'urgent')?.id).toBe('d');
    expect(selectPolicy(all, 'whatsapp', 'normal')?.id).toBe('c');
    expect(selectPolicy(all, 'telegram', 'urgent')?.id).toBe('b');
    expect(selectPolicy(all, 'telegram', 'low')?.id).toBe('a');
  });

  it('skips disabled policies and answers null when none applies', () => {
    expect(
      selectPolicy([fallback, { ...whatsappUrgent, enabled: false }], 'whatsapp', 'urgent')?.id,
    ).toBe('a');
    expect(selectPolicy([whatsapp], 'viber', 'normal')).toBeNull();
  });
});

describe('targets of a conversation', () => {
  const clocks = slaClocks(AMSTERDAM);
  const monday0930 = iso('2026-11-23T08:30:00Z');

  it('runs the first-response target until the first reply, then next-response', () => {
    expect(
      evaluateSla(facts({ awaitingReplySince: monday0930 }), policy(), clocks).map((d) => d.target),
    ).toEqual(['first_response']);
    const next = evaluateSla(
      facts({ awaitingReplySince: monday0930, firstReplyAt: monday0930 - HOUR_MS }),
      policy(),
      clocks,
    );
    expect(next).toMatchObject([{ target: 'next_response', dueAt: monday0930 + 2 * HOUR_MS }]);
    expect(evaluateSla(facts({ firstReplyAt: monday0930 }), policy(), clocks)).toEqual([]);
  });

  it('counts resolution from the open period and stops everything once resolved', () => {
    const withResolution = policy({ resolutionMs: 8 * HOUR_MS });
    expect(
      evaluateSla(facts({ openedAt: monday0930 }), withResolution, clocks).map((d) => d.dueAt),
    ).toEqual([iso('2026-11-24T08:30:00Z')]);
    expect(
      evaluateSla(
        facts({ status: 'resolved', openedAt: monday0930, awaitingReplySince: monday0930 }),
        withResolution,
        clocks,
      ),
    ).toEqual([]);
  });

  it('turns due soon at a quarter of the target, at most 15 minutes before', () => {
    const [short] = evaluateSla(facts({ awaitingReplySince: monday0930 }), policy(), clocks);
    // 30 min target: amber with 7½ min left.
    expect(short?.dueSoonAt).toBe(monday0930 + 22.5 * MINUTE_MS);
    const [long] = evaluateSla(
      facts({ awaitingReplySince: monday0930, firstReplyAt: 1 }),
      policy(),
      clocks,
    );
    expect(long?.dueSoonAt).toBe(monday0930 + 2 * HOUR_MS - 15 * MINUTE_MS);
    expect(slaStateAt(long as SlaDue, monday0930)).toBe('ok');
    expect(slaStateAt(long as SlaDue, (long as SlaDue).dueSoonAt)).toBe('due_soon');
  });
});

describe('a policy applies from when it began to apply', () => {
  const clocks = slaClocks(AMSTERDAM);
  /** Waiting since Tuesday 29 September 2026, 14:00 CEST: 55 days before the policy. */
  const longAgo = iso('2026-09-29T12:00:00Z');
  /** Created on Monday 23 November 2026 at 11:00 CET. */
  const created = iso('2026-11-23T10:00:00Z');
  const fresh = policy({ appliesFrom: created, resolutionMs: 8 * HOUR_MS });

  it('counts a conversation waiting from before the policy from the policy, to the millisecond', () => {
    const due = evaluateSla(
      facts({ awaitingReplySince: longAgo, openedAt: longAgo }),
      fresh,
      clocks,
    );
    expect(due).toEqual([
      {
        target: 'first_response',
        policyId: 'sla_default',
        since: longAgo,
        startedAt: created,
        // 30 business minutes after 11:00 CET.
        dueAt: iso('2026-11-23T10:30:00.000Z'),
        dueSoonAt: iso('2026-11-23T10:22:30.000Z'),
      },
      {
        target: 'resolution',
        policyId: 'sla_default',
        since: longAgo,
        startedAt: created,
        // 8 business hours after Monday 11:00: 6 on Monday, 2 on Tuesday from 09:00.
        dueAt: iso('2026-11-24T10:00:00.000Z'),
        dueSoonAt: iso('2026-11-24T09:45:00.000Z'),
      },
    ]);
    // At the moment it is created, nothing of it is missed.
    expect(mostUrgent(null, due, created)).toEqual({
      kind: 'sla',
      due: due[0],
      state: 'ok',
      label: 'first reply due in 30m',
    });
    expect(slaStateAt(due[0] as SlaDue, iso('2026-11-23T10:29:59.999Z'))).toBe('due_soon');
    expect(slaStateAt(due[0] as SlaDue, iso('2026-11-23T10:30:00.000Z'))).toBe('missed');
  });

  it('starts a policy created out of hours at the next opening: Friday 16:50 + 30 min is Monday 09:20', () => {
    const friday1650 = iso('2026-11-27T15:50:00Z');
    const [due] = evaluateSla(
      facts({ awaitingReplySince: longAgo }),
      policy({ appliesFrom: friday1650 }),
      clocks,
    );
    expect(due).toMatchObject({
      startedAt: friday1650,
      dueAt: iso('2026-11-30T08:20:00.000Z'),
    });
  });

  it('counts a conversation that began waiting after the policy from its own message', () => {
    const later = iso('2026-11-23T13:05:00Z');
    const [due] = evaluateSla(facts({ awaitingReplySince: later }), fresh, clocks);
    expect(due).toMatchObject({
      since: later,
      startedAt: later,
      dueAt: iso('2026-11-23T13:35:00.000Z'),
    });
  });

  it('reads a policy without appliesFrom (an older hub) as applying from the start', () => {
    const { appliesFrom: _dropped, ...older } = fresh;
    const parsed = slaPolicySchema.parse(older);
    expect(parsed.appliesFrom).toBe(0);
    const [due] = evaluateSla(facts({ awaitingReplySince: monday() }), parsed, clocks);
    expect(due?.dueAt).toBe(iso('2026-11-23T09:00:00.000Z'));
  });
});

/** Monday 23 November 2026, 09:30 CET. */
const monday = (): number => iso('2026-11-23T08:30:00Z');

describe('the most urgent of the window and the SLA', () => {
  const due: SlaDue = {
    target: 'first_response',
    policyId: 'a',
    since: 0,
    startedAt: 0,
    dueAt: 60 * MINUTE_MS,
    dueSoonAt: 45 * MINUTE_MS,
  };
  const window = (closesAt: number | null, state: ReplyWindow['state']): ReplyWindow =>
    ({ state, closesAt }) as ReplyWindow;

  it('shows the SLA when it is due before the window closes', () => {
    expect(mostUrgent(window(5 * HOUR_MS, 'open'), [due], 48 * MINUTE_MS)).toEqual({
      kind: 'sla',
      due,
      state: 'due_soon',
      label: 'first reply due in 12m',
    });
  });

  it('shows the window when it closes first, or when there is no target', () => {
    expect(mostUrgent(window(30 * MINUTE_MS, 'closing'), [due], 10 * MINUTE_MS)).toEqual({
      kind: 'window',
    });
    expect(mostUrgent(window(30 * MINUTE_MS, 'open'), [], 0)).toEqual({ kind: 'window' });
  });

  it('shows a missed target in red whatever the window, and targets of closed windows', () => {
    expect(mostUrgent(window(30 * MINUTE_MS, 'open'), [due], 63 * MINUTE_MS)).toMatchObject({
      kind: 'sla',
      state: 'missed',
      label: 'first reply overdue 3m',
    });
    expect(mostUrgent(window(null, 'unlimited'), [due], 0)).toMatchObject({
      kind: 'sla',
      state: 'ok',
      label: 'first reply due in 1h 0m',
    });
  });
});
