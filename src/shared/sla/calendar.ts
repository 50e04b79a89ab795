import { z } from 'zod';
import { DAY_MS, MINUTE_MS } from '../domain/channels';
import { isValidTimeZone, zoneOffset } from '../time/zones';

export { isValidTimeZone, zoneOffset };

/**
 * Business time: a team's weekly opening hours in its own time zone, minus its holidays. SLA
 * targets counted in business hours stop outside them (a message at Friday 16:50 with a 30 min
 * target is due Monday 09:20). Business time is *real* elapsed time while open: an opening
 * period that a DST change shortens (a Sunday 00:00–24:00 on the spring-forward day) holds 23
 * real hours, because agents work real hours. Wall-clock parts come from `Intl.DateTimeFormat`
 * with `timeZone`, so the zone rules are the platform's (no date library).
 */

export const WEEKDAYS = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] as const;
export type Weekday = (typeof WEEKDAYS)[number];

export const WEEKDAY_NAMES: Readonly<Record<Weekday, string>> = {
  mon: 'Monday',
  tue: 'Tuesday',
  wed: 'Wednesday',
  thu: 'Thursday',
  fri: 'Friday',
  sat: 'Saturday',
  sun: 'Sunday',
};

/** `HH:MM` on a 24 h clock; `24:00` ends a day. */
export const timeOfDaySchema = z
  .string()
  .regex(/^(([01]\d|2[0-3]):[0-5]\d|24:00)$/, 'Use a time of day from 00:00 to 24:00, as HH:MM');

/** Minutes since midnight of an `HH:MM` time of day. */
export function minutesOf(time: string): number {
  const [hours, minutes] = time.split(':').map(Number);
  return (hours ?? 0) * 60 + (minutes ?? 0);
}

export const openingIntervalSchema = z
  .object({ start: timeOfDaySchema, end: timeOfDaySchema })
  .refine((interval) => minutesOf(interval.start) < minutesOf(interval.end), {
    message: 'Opening time must be before closing time',
  });
export type OpeningInterval = z.infer<typeof openingIntervalSchema>;

const isoDateSchema = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, 'A holiday is a date, YYYY-MM-DD')
  .refine((date) => {
    const [y, m, d] = date.split('-').map(Number);
    const at = new Date(Date.UTC(y ?? 0, (m ?? 1) - 1, d ?? 1));
    return at.toISOString().slice(0, 10) === date;
  }, 'A holiday must be a real date');

const dayHoursSchema = z.array(openingIntervalSchema).max(6);

export const businessCalendarSchema = z
  .object({
    timeZone: z.string().refine(isValidTimeZone, {
      message: 'Unknown time zone: use an IANA name such as Europe/Amsterdam',
    }),
    weeklyHours: z.object({
      mon: dayHoursSchema,
      tue: dayHoursSchema,
      wed: dayHoursSchema,
      thu: dayHoursSchema,
      fri: dayHoursSchema,
      sat: dayHoursSchema,
      sun: dayHoursSchema,
    }),
    holidays: z.array(isoDateSchema).max(1000),
  })
  .superRefine((calendar, ctx) => {
    let open = false;
    for (const day of WEEKDAYS) {
      const sorted = [...calendar.weeklyHours[day]].sort(
        (a, b) => minutesOf(a.start) - minutesOf(b.start),
      );
      if (sorted.length > 0) open = true;
      for (let i = 1; i < sorted.length; i++) {
        const before = sorted[i - 1] as OpeningInterval;
        const after = sorted[i] as OpeningInterval;
        if (minutesOf(after.start) < minutesOf(before.end)) {
          ctx.addIssue({
            code: 'custom',
            path: ['weeklyHours', day],
            message: `${WEEKDAY_NAMES[day]}: ${before.start}–${before.end} overlaps ${after.start}–${after.end}`,
          });
        }
      }
    }
    if (!open) {
      ctx.addIssue({
        code: 'custom',
        path: ['weeklyHours'],
        message: 'Give at least one day opening hours (or count SLA targets around the clock)',
      });
    }
  });
export type BusinessCalendar = z.infer<typeof businessCalendarSchema>;

/** Monday to Friday, 09:00–17:00 UTC: the calendar a new hub starts with. */
export const DEFAULT_CALENDAR: BusinessCalendar = {
  timeZone: 'UTC',
  weeklyHours: {
    mon: [{ start: '09:00', end: '17:00' }],
    tue: [{ start: '09:00', end: '17:00' }],
    wed: [{ start: '09:00', end: '17:00' }],
    thu: [{ start: '09:00', end: '17:00' }],
    fri: [{ start: '09:00', end: '17:00' }],
    sat: [],
    sun: [],
  },
  holidays: [],
};

// --- Wall-clock time in a zone -------------------------------------------------------------

/**
 * The instant of a wall-clock time in `zone`. `wall` is the wall-clock time written as if it
 * were UTC (`Date.UTC(y, m, d, h, min)`). A time skipped by spring-forward maps to the same
 * distance after the gap (02:30 → 03:30 in Amsterdam); a time repeated by fall-back maps to its
 * first occurrence — as `Temporal`'s "compatible" disambiguation does.
 */
export function zonedInstant(zone: string, wall: number, offsetAt = zoneOffsetFn(zone)): number {
  // Real zones change offset at most once within a day either side.
  const before = offsetAt(wall - DAY_MS);
  const after = offsetAt(wall + DAY_MS);
  const candidates = [wall - before, wall - after].filter(
    (instant) => offsetAt(instant) === wall - instant,
  );
  if (candidates.length > 0) return Math.min(...candidates);
  return wall - before;
}

const OFFSET_BUCKET_MS = 15 * MINUTE_MS;

/**
 * `zoneOffset` memoised per quarter hour: offsets change only at transitions, which fall on
 * quarter hours (modern offsets are multiples of 15 min), so SLA math over thousands of
 * conversations reads `Intl` a few times per day of calendar, not per conversation.
 */
function zoneOffsetFn(zone: string): (instant: number) => number {
  const memo = new Map<number, number>();
  return (instant) => {
    const bucket = Math.floor(instant / OFFSET_BUCKET_MS);
    let offset = memo.get(bucket);
    if (offset === undefined) {
      offset = zoneOffset(zone, bucket * OFFSET_BUCKET_MS);
      if (memo.size > 50_000) memo.clear();
      memo.set(bucket, offset);
    }
    return offset;
  };
}

// --- Business clock ------------------------------------------------------------------------

/** How SLA time runs: in business hours, or around the clock. */
export type SlaHours = 'business' | 'always';

export interface BusinessClock {
  /**
   * The instant `durationMs` of counted time after `start`, or null when the calendar has no
   * opening hours in the next years (every open day a holiday): then no target can be due.
   */
  add(start: number, durationMs: number): number | null;
  /** Counted time between two instants (0 when `to` ≤ `from`). */
  between(from: number, to: number): number;
  /** Whether time counts at `instant`. */
  isOpen(instant: number): boolean;
}

/** Days searched for opening hours before `add` gives up. */
const MAX_DAYS = 3 * 366;

export const ALWAYS_CLOCK: BusinessClock = {
  add: (start, durationMs) => start + durationMs,
  between: (from, to) => Math.max(0, to - from),
  isOpen: () => true,
};

/** The business clock of a calendar; keep one per calendar (it memoises the days it met). */
export function createBusinessClock(calendar: BusinessCalendar): BusinessClock {
  const zone = calendar.timeZone;
  const offsetAt = zoneOffsetFn(zone);
  const holidays = new Set(calendar.holidays);
  const days = new Map<number, readonly (readonly [number, number])[]>();

  /** Midnight (as UTC) of the local date at `instant`. */
  const localDay = (instant: number): number => {
    const local = instant + offsetAt(instant);
    return Math.floor(local / DAY_MS) * DAY_MS;
  };

  /** The opening intervals of a local date as instants, in order. */
  const intervalsOn = (day: number): readonly (readonly [number, number])[] => {
    let intervals = days.get(day);
    if (intervals) return intervals;
    const date = new Date(day);
    const weekday = WEEKDAYS[(date.getUTCDay() + 6) % 7] as Weekday;
    intervals = holidays.has(date.toISOString().slice(0, 10))
      ? []
      : [...calendar.weeklyHours[weekday]]
          .map((interval) => {
            const start = zonedInstant(zone, day + minutesOf(interval.start) * MINUTE_MS, offsetAt);
            const end = zonedInstant(zone, day + minutesOf(interval.end) * MINUTE_MS, offsetAt);
            return [start, end] as const;
          })
          .filter(([start, end]) => end > start)
          .sort((a, b) => a[0] - b[0]);
    if (days.size > 20_000) days.clear();
    days.set(day, intervals);
    return intervals;
  };

  return {
    add(start, durationMs) {
      let remaining = Math.max(0, durationMs);
      let day = localDay(start);
      for (let i = 0; i < MAX_DAYS; i++, day += DAY_MS) {
        for (const [open, close] of intervalsOn(day)) {
          const from = Math.max(open, start);
          if (close <= from) continue;
          if (remaining <= close - from) return from + remaining;
          remaining -= close - from;
        }
      }
      return null;
    },
    between(from, to) {
      if (to <= from) return 0;
      let total = 0;
      const last = localDay(to);
      for (let day = localDay(from); day <= last; day += DAY_MS) {
        for (const [open, close] of intervalsOn(day)) {
          total += Math.max(0, Math.min(close, to) - Math.max(open, from));
        }
      }
      return total;
    },
    isOpen(instant) {
      return intervalsOn(localDay(instant)).some(
        ([open, close]) => instant >= open && instant < close,
      );
    },
  };
}
