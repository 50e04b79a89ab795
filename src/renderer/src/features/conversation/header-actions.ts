import { HOUR_MS } from '../../../../shared/domain/channels';
import type { Priority } from '../../../../shared/domain/model';
import { addLocalDays, formatWhen } from '../../format/dates';

/**
 * Snooze choices as instants. "Tomorrow 09:00" and "next Monday 09:00" are wall-clock times in
 * the local time zone, built from calendar fields so a daylight-saving change in between does
 * not shift them to 08:00 or 10:00; "in 1 hour" is an exact duration.
 */

export type SnoozeChoice = '1h' | '4h' | 'tomorrow' | 'next_monday';

export interface SnoozeOption {
  readonly id: SnoozeChoice;
  readonly label: string;
  /** When the conversation comes back, epoch ms. */
  readonly until: number;
  /** The instant as the agent reads it: "15:32", "Sun 09:00". */
  readonly hint: string;
}

/** The morning hour snoozes to "tomorrow" and "next Monday" return at. */
export const MORNING_HOUR = 9;

/** `hour`:00 local time, `days` calendar days after the day containing `now`. */
export function localTimeOnDay(now: number, days: number, hour: number): number {
  const day = new Date(addLocalDays(now, days));
  return new Date(day.getFullYear(), day.getMonth(), day.getDate(), hour).getTime();
}

/** Days from `now`'s day to the next `weekday` (0 Sunday … 6 Saturday), 1 to 7: never today. */
export function daysUntilNext(now: number, weekday: number): number {
  const today = new Date(now).getDay();
  return ((weekday - today + 6) % 7) + 1;
}

export function snoozeUntil(choice: SnoozeChoice, now: number): number {
  switch (choice) {
    case '1h':
      return now + HOUR_MS;
    case '4h':
      return now + 4 * HOUR_MS;
    case 'tomorrow':
      return localTimeOnDay(now, 1, MORNING_HOUR);
    case 'next_monday':
      return localTimeOnDay(now, daysUntilNext(now, 1), MORNING_HOUR);
  }
}

const LABELS: Readonly<Record<SnoozeChoice, string>> = {
  '1h': 'For 1 hour',
  '4h': 'For 4 hours',
  tomorrow: 'Tomorrow morning',
  next_monday: 'Next Monday',
};

export function snoozeOptions(now: number): SnoozeOption[] {
  return (Object.keys(LABELS) as SnoozeChoice[]).map((id) => {
    const until = snoozeUntil(id, now);
    return { id, label: LABELS[id], until, hint: formatWhen(until, now) };
  });
}

/** A custom snooze may reach this far: a typo such as 2062 is refused, not kept for decades. */
export const MAX_SNOOZE_DAYS = 365;

/**
 * A time of day typed on the 24-hour clock ("9:30", "09:30", "0930", "21.15", "9"), as minutes
 * after midnight; null when it is not one.
 */
export function parseTimeOfDay(text: string): number | null {
  const match = /^\s*([01]?\d|2[0-3])(?:[:.h]?([0-5]\d))?\s*$/.exec(text);
  if (!match) return null;
  return Number(match[1]) * 60 + Number(match[2] ?? 0);
}

/** The local calendar day of `at` as a date input writes it: "2026-11-21". */
export function localDateInputValue(at: number): string {
  const date = new Date(at);
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}`;
}

export type CustomSnooze =
  | { readonly ok: true; readonly until: number }
  | { readonly ok: false; readonly field: 'day' | 'time'; readonly error: string };

/**
 * The instant of a day ("2026-11-24", from a date input) and a typed time ("09:00") in the local
 * zone, refused when it is not after `now` or more than MAX_SNOOZE_DAYS ahead. A time skipped by
 * a daylight-saving change (02:30 on the spring-forward night) becomes the instant the clock
 * shows after the jump (03:30), which the form shows before it is chosen.
 */
export function customSnoozeUntil(day: string, time: string, now: number): CustomSnooze {
  const date = /^(\d{4})-(\d{2})-(\d{2})$/.exec(day.trim());
  if (!date) return { ok: false, field: 'day', error: 'Pick a day.' };
  const minutes = parseTimeOfDay(time);
  if (minutes === null) {
    return { ok: false, field: 'time', error: 'Write the time as HH:MM on the 24-hour clock.' };
  }
  const year = Number(date[1]);
  const month = Number(date[2]) - 1;
  const dayOfMonth = Number(date[3]);
  const until = new Date(year, month, dayOfMonth, Math.floor(minutes / 60), minutes % 60).getTime();
  if (new Date(year, month, dayOfMonth).getDate() !== dayOfMonth) {
    return { ok: false, field: 'day', error: 'Pick a day.' };
  }
  if (until <= now) {
    return { ok: false, field: 'time', error: 'That time has passed: pick a later one.' };
  }
  if (until > addLocalDays(now, MAX_SNOOZE_DAYS + 1)) {
    return {
      ok: false,
      field: 'day',
      error: `Snooze at most ${MAX_SNOOZE_DAYS} days ahead.`,
    };
  }
  return { ok: true, until };
}

export const PRIORITIES: readonly Priority[] = ['low', 'normal', 'high', 'urgent'];

export const PRIORITY_VIEW: Readonly<Record<Priority, { label: string; color: string }>> = {
  low: { label: 'Low', color: 'gray' },
  normal: { label: 'Normal', color: 'blue' },
  high: { label: 'High', color: 'orange' },
  urgent: { label: 'Urgent', color: 'red' },
};

/** Labels as the hub accepts them: trimmed, non-empty, at most 50 characters, no repeats, 20 at most. */
export function normaliseLabels(labels: readonly string[]): string[] {
  const seen = new Set<string>();
  const result: string[] = [];
  for (const raw of labels) {
    const label = raw.trim().slice(0, 50).trim();
    const key = label.toLowerCase();
    if (label === '' || seen.has(key)) continue;
    seen.add(key);
    result.push(label);
    if (result.length === 20) break;
  }
  return result;
}

/**
 * Whether the header offers "End chat session": KakaoTalk consultation talk only (CHANNEL-API.md
 * §8.2: the agent or the customer ends the session), and only while it is not ended already.
 */
export function canEndSession(conversation: {
  readonly channel: string;
  readonly blockedAt?: number | null;
}): boolean {
  return (
    conversation.channel === 'kakao' &&
    (conversation.blockedAt === null || conversation.blockedAt === undefined)
  );
}
