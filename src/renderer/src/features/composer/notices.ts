import { CHANNEL_INFO, DAY_MS, HOUR_MS, MINUTE_MS } from '../../../../shared/domain/channels';
import { DEFAULT_CHANNEL_RULES } from '../../../../shared/reply-window/rules';
import type { ReplyWindow } from '../../../../shared/reply-window/types';
import { formatWeekdayDateTime } from '../../format/dates';

/** The calm explanations the composer shows when it cannot take free text. */

/** `just now`, `41 min ago`, `2 h ago`, `3 days ago`: rounded down, for a sentence. */
export function formatAgo(ms: number): string {
  const safe = Math.max(0, ms);
  if (safe < MINUTE_MS) return 'just now';
  if (safe < HOUR_MS) return `${Math.floor(safe / MINUTE_MS)} min ago`;
  if (safe < DAY_MS) return `${Math.floor(safe / HOUR_MS)} h ago`;
  const days = Math.floor(safe / DAY_MS);
  return days === 1 ? '1 day ago' : `${days} days ago`;
}

/** `24-hour window`, from the channel's rule (the ordinary window, not an extension). */
function windowName(window: ReplyWindow): string {
  const rule = DEFAULT_CHANNEL_RULES[window.channel];
  if (rule.kind !== 'windowed') return 'reply window';
  const hours = rule.window.lengthMs / HOUR_MS;
  return Number.isInteger(hours) ? `${hours}-hour window` : 'reply window';
}

/**
 * Why only templates may be sent: "The 24-hour window closed 2 h ago — WhatsApp allows only
 * approved templates."
 */
export function templateOnlyNotice(window: ReplyWindow, now: number): string {
  const channel = CHANNEL_INFO[window.channel].label;
  if (window.closesAt === null) {
    return `The customer has not written yet — ${channel} allows only approved templates to start a conversation.`;
  }
  const name = windowName(window);
  const since = formatAgo(now - window.closesAt);
  const closed = since === 'just now' ? 'closed just now' : `closed ${since}`;
  return `The ${name} ${closed} — ${channel} allows only approved templates.`;
}

/** "Tue 14 Mar, 16:05" in the agent's locale (time zone settable for tests). */
export function formatUntil(at: number, locale?: string, timeZone?: string): string {
  return formatWeekdayDateTime(at, { locale, timeZone });
}

/** The human-agent tag note: title and one line of why. */
export function tagNotice(
  window: ReplyWindow,
  until: number,
  locale?: string,
  timeZone?: string,
): { title: string; detail: string } {
  const channel = CHANNEL_INFO[window.channel].label;
  return {
    title: `Human agent tag, until ${formatUntil(until, locale, timeZone)}`,
    detail: `The ${windowName(window)} has closed. ${channel} accepts replies written by a person, sent with the HUMAN_AGENT tag, for 7 days after the customer's last message.`,
  };
}

/** Nothing may be sent: the channel's own reason, as a sentence. */
export function noneNotice(reason: string): string {
  const trimmed = reason.trim();
  const sentence = trimmed.charAt(0).toUpperCase() + trimmed.slice(1);
  return /[.!?]$/.test(sentence) ? sentence : `${sentence}.`;
}

/**
 * Why nothing can be sent to a customer who blocked the business: "Ana blocked this account on
 * Telegram 2 h ago. Messages cannot reach them until they unblock it."
 */
export function blockedNotice(
  conversation: {
    readonly channel: keyof typeof CHANNEL_INFO;
    readonly blockedAt?: number | null;
    readonly blockedReason?: string;
    readonly customer: { readonly name: string };
  },
  now: number,
): string {
  // Not a block (a LINE group the account left): the hub's reason, as it answers a send.
  if (conversation.blockedReason) return conversation.blockedReason;
  const { label: channel, blockedReason } = CHANNEL_INFO[conversation.channel];
  if (blockedReason) return `${blockedReason(conversation.customer.name)}.`;
  const when = conversation.blockedAt ? ` ${formatAgo(now - conversation.blockedAt)}` : '';
  return `${conversation.customer.name} blocked this account on ${channel}${when}. Messages cannot reach them until they unblock it.`;
}
