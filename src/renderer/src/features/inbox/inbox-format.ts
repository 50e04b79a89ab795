import { DAY_MS, HOUR_MS, MINUTE_MS } from '../../../../shared/domain/channels';
import { formatDateTime, formatShortDate } from '../../format/dates';

/**
 * Short labels of the inbox rows, pure so they are tested without a DOM. The reply-window timer
 * has its own formatter in src/shared/reply-window/format.ts (the hub's notices use it too).
 */

/**
 * When the last message came, as a list shows it: `now`, `12m`, `3h`, `4d`, then the date
 * (`12 Nov`, with the year when it is not this year's). Rounded down, like the timers.
 */
export function formatLastActivity(at: number, now: number, locale?: string): string {
  const ago = now - at;
  if (ago < MINUTE_MS) return 'now';
  if (ago < HOUR_MS) return `${Math.floor(ago / MINUTE_MS)}m`;
  if (ago < DAY_MS) return `${Math.floor(ago / HOUR_MS)}h`;
  if (ago < 7 * DAY_MS) return `${Math.floor(ago / DAY_MS)}d`;
  return formatShortDate(at, now, { locale });
}

/** The full instant, for the tooltip of the short label. */
export function formatInstant(at: number, locale?: string): string {
  return formatDateTime(at, { locale });
}

/** Up to two initials: "Ana María López" → "AL", "ana" → "A", "" → "?". */
export function initialsOf(name: string): string {
  const words = name.trim().split(/\s+/).filter(Boolean);
  if (words.length === 0) return '?';
  const first = words[0] as string;
  const last = words.length > 1 ? (words[words.length - 1] as string) : '';
  return (Array.from(first)[0] ?? '').concat(Array.from(last)[0] ?? '').toUpperCase();
}

/** Counts on tabs and badges: `7`, `1,204`, then `12k`, `120k` so the tabs keep their width. */
export function formatCount(count: number, locale?: string): string {
  if (count < 10_000) return count.toLocaleString(locale);
  return `${Math.floor(count / 1000).toLocaleString(locale)}k`;
}

/** An unread badge never grows past three characters. */
export function formatUnread(count: number): string {
  return count > 99 ? '99+' : String(count);
}
