/**
 * Calendar arithmetic in the machine's local time zone, for day separators, "closes at" times
 * and snooze instants. Days are built from local calendar fields (`new Date(y, m, d)`), never by
 * adding 24 h, so they stay right across daylight-saving changes (23 h and 25 h days).
 */

/** The UI speaks English; en-GB gives "Mon 16 Nov" and 24-hour "14:32". */
export const DATE_LOCALE = 'en-GB';

const timeFormat = new Intl.DateTimeFormat(DATE_LOCALE, { hour: '2-digit', minute: '2-digit' });
const weekdayFormat = new Intl.DateTimeFormat(DATE_LOCALE, { weekday: 'short' });
const dayPartsFormat = new Intl.DateTimeFormat(DATE_LOCALE, {
  weekday: 'short',
  day: 'numeric',
  month: 'short',
  year: 'numeric',
});
const fullFormat = new Intl.DateTimeFormat(DATE_LOCALE, {
  weekday: 'short',
  day: 'numeric',
  month: 'short',
  year: 'numeric',
  hour: '2-digit',
  minute: '2-digit',
  second: '2-digit',
});

/** "Mon 16 Nov" (with the year: "Mon 16 Nov 2025"), from parts so no locale adds commas. */
function formatDay(at: number, withYear: boolean): string {
  const parts: Partial<Record<Intl.DateTimeFormatPartTypes, string>> = {};
  for (const part of dayPartsFormat.formatToParts(at)) parts[part.type] = part.value;
  const day = `${parts.weekday} ${parts.day} ${parts.month}`;
  return withYear ? `${day} ${parts.year}` : day;
}

/** Local midnight starting the day that contains `at`. */
export function startOfLocalDay(at: number): number {
  const date = new Date(at);
  return new Date(date.getFullYear(), date.getMonth(), date.getDate()).getTime();
}

/** Local midnight `days` calendar days after the day containing `at` (negative: before). */
export function addLocalDays(at: number, days: number): number {
  const date = new Date(at);
  return new Date(date.getFullYear(), date.getMonth(), date.getDate() + days).getTime();
}

/** A number naming the local calendar day of `at` (yyyymmdd): cheap to compare, stable. */
export function localDayKey(at: number): number {
  const date = new Date(at);
  return date.getFullYear() * 10_000 + (date.getMonth() + 1) * 100 + date.getDate();
}

/** "14:32". */
export function formatClockTime(at: number): string {
  return timeFormat.format(at);
}

/** "Sat 21 Nov 2026, 14:32:05": for tooltips, where the exact instant matters. */
export function formatFullDateTime(at: number): string {
  return fullFormat.format(at);
}

/** A day separator: "Today", "Yesterday", "Mon 16 Nov", or "Mon 16 Nov 2025" in another year. */
export function formatDayLabel(dayStart: number, now: number): string {
  const day = localDayKey(dayStart);
  if (day === localDayKey(now)) return 'Today';
  if (day === localDayKey(addLocalDays(now, -1))) return 'Yesterday';
  return formatDay(dayStart, new Date(dayStart).getFullYear() !== new Date(now).getFullYear());
}

/**
 * An instant near `now` as an agent reads it: "14:32" today, "Tue 14:32" within the coming or
 * past six days, "Mon 16 Nov 14:32" otherwise.
 */
export function formatWhen(at: number, now: number): string {
  const time = formatClockTime(at);
  const days = Math.round((startOfLocalDay(at) - startOfLocalDay(now)) / 86_400_000);
  if (days === 0) return time;
  if (Math.abs(days) < 7) return `${weekdayFormat.format(at)} ${time}`;
  return `${formatDay(at, false)} ${time}`;
}
