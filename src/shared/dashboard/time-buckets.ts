import { HOUR_MS } from '../domain/channels';
import { isValidTimeZone, zonedParts, zoneOffset } from '../time/zones';

export { isValidTimeZone, zonedParts };

/**
 * Calendar buckets in an IANA time zone, for the dashboard's series (last 24 h by hour, last 30
 * days by day). A lead in São Paulo reads "Tuesday" as São Paulo's Tuesday, whatever the hub's
 * zone; days around a DST change are 23 or 25 hours long. Pure: the caller passes the instant.
 */

/** The zone's offset from UTC at `at`, in ms (Paris in winter: +3,600,000). */
export const zoneOffsetMs = (at: number, timeZone: string): number => zoneOffset(timeZone, at);

/** The instant the local day containing `at` began (local midnight, or the first instant after). */
export function startOfZonedDay(at: number, timeZone: string): number {
  const p = zonedParts(at, timeZone);
  const midnightWall = Date.UTC(p.year, p.month - 1, p.day);
  // The offset at midnight can differ from the offset at `at` (a DST change that day): correct
  // once with the offset found at the first guess.
  const guess = midnightWall - zoneOffsetMs(at, timeZone);
  const corrected = midnightWall - zoneOffsetMs(guess, timeZone);
  // Where midnight itself is skipped (DST at 00:00), the day starts at the first valid instant.
  return zonedParts(corrected, timeZone).day === p.day ? corrected : guess;
}

/** The instant the local hour containing `at` began (zones at :30 or :45 offsets included). */
export function startOfZonedHour(at: number, timeZone: string): number {
  const p = zonedParts(at, timeZone);
  const ms = ((at % 1000) + 1000) % 1000;
  return at - ms - (p.minute * 60 + p.second) * 1000;
}

/** Consecutive buckets: `starts[i]` to `starts[i + 1]`, the last one ending at `end`. */
export interface Buckets {
  readonly starts: readonly number[];
  readonly end: number;
}

/** The last `count` hours by local hour, the current (unfinished) hour last. */
export function hourlyBuckets(now: number, timeZone: string, count = 24): Buckets {
  const current = startOfZonedHour(now, timeZone);
  const starts = Array.from({ length: count }, (_, i) => current - (count - 1 - i) * HOUR_MS);
  return { starts, end: current + HOUR_MS };
}

/** The last `count` local days, today (unfinished) last. */
export function dailyBuckets(now: number, timeZone: string, count = 30): Buckets {
  const starts = [startOfZonedDay(now, timeZone)];
  while (starts.length < count) {
    starts.unshift(startOfZonedDay((starts[0] ?? now) - 1, timeZone));
  }
  const today = starts[starts.length - 1] ?? now;
  // 36 h after a local midnight is always inside the next local day, DST or not.
  return { starts, end: startOfZonedDay(today + 36 * HOUR_MS, timeZone) };
}

/** The index of the bucket holding `at`, or -1 when it falls outside them all. */
export function bucketIndex(buckets: Buckets, at: number): number {
  const { starts, end } = buckets;
  if (starts.length === 0 || at < (starts[0] ?? 0) || at >= end) return -1;
  let low = 0;
  let high = starts.length - 1;
  while (low < high) {
    const mid = Math.ceil((low + high) / 2);
    if ((starts[mid] ?? 0) <= at) low = mid;
    else high = mid - 1;
  }
  return low;
}
