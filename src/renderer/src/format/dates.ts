/**
 * Every date and time the app shows, in one place (issue 12, item 13: screens mixed 12 h and 24 h
 * clocks and US and European day order, because each called `toLocaleString()` its own way).
 *
 * - Day and month order, month names and punctuation follow the user's locale: "Mon 16 Nov" in
 *   en-GB, "Mon, Nov 16" in en-US. The UI is English, so a user of another language gets English
 *   words in their region's order ("de-DE" formats as "en-DE": "Mon, 16 Nov").
 * - One hour cycle app-wide: 24 h ("14:32", "00:05"), whatever the locale. The hub's own texts
 *   ("Monday: 09:00–17:00 overlaps …") and the business-hours editor speak 24 h too, so the app
 *   never shows "2:32 PM" beside "14:32". `hourCycle: 'h23'`, not `hour12: false`, which gives
 *   "24:05" after midnight in en-US.
 *
 * Calendar arithmetic is in the machine's local time zone: days are built from local calendar
 * fields (`new Date(y, m, d)`), never by adding 24 h, so they stay right across daylight-saving
 * changes (23 h and 25 h days).
 */

export interface DateFormatOptions {
  /** A BCP 47 tag; the app's locale (`setDateLocale`) when left out. */
  readonly locale?: string;
  /** An IANA zone; the machine's when left out. */
  readonly timeZone?: string;
}

const HOUR_CYCLE = 'h23';
const FALLBACK_LOCALE = 'en-GB';

const KINDS = {
  /** 14:32 */
  time: { hour: '2-digit', minute: '2-digit' },
  /** 14:32:05 */
  preciseTime: { hour: '2-digit', minute: '2-digit', second: '2-digit' },
  /** Mon 14:32 */
  weekdayTime: { weekday: 'short', hour: '2-digit', minute: '2-digit' },
  /** 16 Nov · Nov 16 */
  dayMonth: { day: 'numeric', month: 'short' },
  /** 16 Nov 2026 · Nov 16, 2026 */
  date: { day: 'numeric', month: 'short', year: 'numeric' },
  /** Mon 16 Nov · Mon, Nov 16 */
  weekdayDate: { weekday: 'short', day: 'numeric', month: 'short' },
  /** Mon, 16 Nov 2026 · Mon, Nov 16, 2026 */
  weekdayDateYear: { weekday: 'short', day: 'numeric', month: 'short', year: 'numeric' },
  /** 16 Nov 2026, 14:32 · Nov 16, 2026, 14:32 */
  dateTime: { day: 'numeric', month: 'short', year: 'numeric', hour: '2-digit', minute: '2-digit' },
  /** Mon 16 Nov, 14:32 · Mon, Nov 16, 14:32 */
  weekdayDateTime: {
    weekday: 'short',
    day: 'numeric',
    month: 'short',
    hour: '2-digit',
    minute: '2-digit',
  },
  /** Mon, 16 Nov 2026, 14:32:05 · Mon, Nov 16, 2026, 14:32:05 */
  full: {
    weekday: 'short',
    day: 'numeric',
    month: 'short',
    year: 'numeric',
    hour: '2-digit',
    minute: '2-digit',
    second: '2-digit',
  },
} satisfies Record<string, Intl.DateTimeFormatOptions>;

type Kind = keyof typeof KINDS;

/**
 * The locale dates are formatted in, from the user's preferred languages (the first that parses):
 * an English locale as it is, another language as English in its region ("nl-BE" → "en-BE"),
 * and en-GB when nothing usable is given or the runtime does not know the region.
 */
export function resolveDateLocale(preferred: readonly string[]): string {
  for (const tag of preferred) {
    let locale: Intl.Locale;
    try {
      locale = new Intl.Locale(tag).maximize();
    } catch {
      continue;
    }
    if (locale.language === 'en') return new Intl.Locale(tag).toString();
    const candidate = locale.region ? `en-${locale.region}` : FALLBACK_LOCALE;
    return Intl.DateTimeFormat.supportedLocalesOf([candidate]).length > 0
      ? candidate
      : FALLBACK_LOCALE;
  }
  return FALLBACK_LOCALE;
}

let appLocale = resolveDateLocale(globalThis.navigator?.languages ?? []);

/** Set once at start (and by tests): every format without an explicit locale uses it. */
export function setDateLocale(locale: string): void {
  appLocale = locale;
}

export function dateLocale(): string {
  return appLocale;
}

const formats = new Map<string, Intl.DateTimeFormat>();

/** Made once per locale, zone and kind: a DateTimeFormat costs far more to make than to use. */
function formatOf(kind: Kind, options: DateFormatOptions | undefined): Intl.DateTimeFormat {
  const locale = options?.locale ?? appLocale;
  const timeZone = options?.timeZone;
  const key = `${locale}\u0000${timeZone ?? ''}\u0000${kind}`;
  let format = formats.get(key);
  if (format === undefined) {
    format = new Intl.DateTimeFormat(locale, {
      ...KINDS[kind],
      hourCycle: HOUR_CYCLE,
      ...(timeZone ? { timeZone } : {}),
    });
    formats.set(key, format);
  }
  return format;
}

/** "14:32". */
export const formatClockTime = (at: number, options?: DateFormatOptions): string =>
  formatOf('time', options).format(at);

/** "14:32:05": for moments seconds away, such as the next reconnection attempt. */
export const formatPreciseTime = (at: number, options?: DateFormatOptions): string =>
  formatOf('preciseTime', options).format(at);

/** "Wed 14:32": a clock in another zone, a moment within the week. */
export const formatWeekdayTime = (at: number, options?: DateFormatOptions): string =>
  formatOf('weekdayTime', options).format(at);

/** "16 Nov" (en-US "Nov 16"): an axis label where the year is obvious. */
export const formatDayMonth = (at: number, options?: DateFormatOptions): string =>
  formatOf('dayMonth', options).format(at);

/** "16 Nov 2026" (en-US "Nov 16, 2026"): unambiguous in every locale, unlike 11/16/2026. */
export const formatDate = (at: number, options?: DateFormatOptions): string =>
  formatOf('date', options).format(at);

/** "16 Nov 2026, 14:32": an instant that may be long ago or far ahead. */
export const formatDateTime = (at: number, options?: DateFormatOptions): string =>
  formatOf('dateTime', options).format(at);

/** "Mon 16 Nov, 14:32": an instant within the coming or past weeks. */
export const formatWeekdayDateTime = (at: number, options?: DateFormatOptions): string =>
  formatOf('weekdayDateTime', options).format(at);

/** "Mon, 16 Nov 2026, 14:32:05": for tooltips, where the exact instant matters. */
export const formatFullDateTime = (at: number, options?: DateFormatOptions): string =>
  formatOf('full', options).format(at);

/** "16 Nov" this year, "16 Nov 2025" in another (as seen from `now`). */
export function formatShortDate(at: number, now: number, options?: DateFormatOptions): string {
  const sameYear = new Date(at).getFullYear() === new Date(now).getFullYear();
  return formatOf(sameYear ? 'dayMonth' : 'date', options).format(at);
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

/** Whole local calendar days from `now`'s day to `at`'s (negative: before). */
function calendarDaysBetween(now: number, at: number): number {
  return Math.round((startOfLocalDay(at) - startOfLocalDay(now)) / 86_400_000);
}

/**
 * A day separator: "Today", "Yesterday", "Mon 16 Nov", or "Mon, 16 Nov 2025" in another year
 * (en-US: "Mon, Nov 16", "Mon, Nov 16, 2025").
 */
export function formatDayLabel(
  dayStart: number,
  now: number,
  options?: Pick<DateFormatOptions, 'locale'>,
): string {
  const days = calendarDaysBetween(now, dayStart);
  if (days === 0) return 'Today';
  if (days === -1) return 'Yesterday';
  const sameYear = new Date(dayStart).getFullYear() === new Date(now).getFullYear();
  return formatOf(sameYear ? 'weekdayDate' : 'weekdayDateYear', options).format(dayStart);
}

/**
 * An instant near `now` as an agent reads it: "14:32" today, "Tue 14:32" within the coming or
 * past six days, "Mon 16 Nov, 14:32" otherwise.
 */
export function formatWhen(
  at: number,
  now: number,
  options?: Pick<DateFormatOptions, 'locale'>,
): string {
  const days = calendarDaysBetween(now, at);
  if (days === 0) return formatClockTime(at, options);
  if (Math.abs(days) < 7) return formatWeekdayTime(at, options);
  return formatWeekdayDateTime(at, options);
}
