/**
 * Wall-clock time in IANA time zones with the platform's `Intl` only (no date library), shared by
 * the SLA business clock and the dashboard's calendar buckets.
 */

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatterOf(zone: string): Intl.DateTimeFormat {
  let formatter = formatters.get(zone);
  if (!formatter) {
    formatter = new Intl.DateTimeFormat('en-US', {
      timeZone: zone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
    });
    formatters.set(zone, formatter);
  }
  return formatter;
}

/** Whether the platform knows `zone` as an IANA time zone (`Europe/Amsterdam`, `UTC`). */
export function isValidTimeZone(zone: string): boolean {
  if (zone.trim() === '' || zone.length > 100) return false;
  try {
    formatterOf(zone);
    return true;
  } catch {
    return false;
  }
}

export interface ZonedParts {
  readonly year: number;
  readonly month: number;
  readonly day: number;
  readonly hour: number;
  readonly minute: number;
  readonly second: number;
}

/** The wall-clock date and time in `zone` at `instant` (month 1–12). */
export function zonedParts(instant: number, zone: string): ZonedParts {
  const parts: Record<string, number> = {};
  for (const part of formatterOf(zone).formatToParts(new Date(instant))) {
    if (part.type !== 'literal') parts[part.type] = Number(part.value);
  }
  return {
    year: parts['year'] ?? 1970,
    month: parts['month'] ?? 1,
    day: parts['day'] ?? 1,
    hour: parts['hour'] ?? 0,
    minute: parts['minute'] ?? 0,
    second: parts['second'] ?? 0,
  };
}

/** The zone's offset from UTC at `instant`, in ms (Amsterdam in summer: +7,200,000). */
export function zoneOffset(zone: string, instant: number): number {
  const p = zonedParts(instant, zone);
  const asUtc = Date.UTC(p.year, p.month - 1, p.day, p.hour, p.minute, p.second);
  return asUtc - Math.floor(instant / 1000) * 1000;
}
