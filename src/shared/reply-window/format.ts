import { DAY_MS, HOUR_MS, MINUTE_MS } from '../domain/channels';
import type { ReplyWindow, SendAllowance } from './types';

/**
 * A duration as agents read it at a glance: `2d 4h`, `23h 12m`, `41m`, `59s`. Rounded down, so
 * a timer never promises more time than is left.
 */
export function formatDuration(ms: number): string {
  const safe = Math.max(0, Math.floor(ms));
  if (safe >= DAY_MS) {
    const days = Math.floor(safe / DAY_MS);
    const hours = Math.floor((safe % DAY_MS) / HOUR_MS);
    return hours > 0 ? `${days}d ${hours}h` : `${days}d`;
  }
  if (safe >= HOUR_MS) {
    const hours = Math.floor(safe / HOUR_MS);
    const minutes = Math.floor((safe % HOUR_MS) / MINUTE_MS);
    return `${hours}h ${minutes}m`;
  }
  if (safe >= MINUTE_MS) return `${Math.floor(safe / MINUTE_MS)}m`;
  return `${Math.floor(safe / 1000)}s`;
}

/**
 * The short timer label of an inbox row: `23h 12m`, `41m`, `closed 2h ago`, `no window`,
 * `no message yet`.
 */
export function formatWindowTimer(window: ReplyWindow, now: number): string {
  if (window.state === 'unlimited') return 'no window';
  if (window.state !== 'closed' && window.remainingMs !== null) {
    // A window that also counts messages (WeChat: 5 per customer message) shows both.
    const limit = window.messageLimit ?? null;
    const left = window.messagesRemaining;
    return limit !== null && limit > 1 && left !== null
      ? `${formatDuration(window.remainingMs)} · ${left} of ${limit} left`
      : formatDuration(window.remainingMs);
  }
  if (window.closesAt !== null) {
    const ago = now - window.closesAt;
    return ago < MINUTE_MS ? 'closed just now' : `closed ${formatDuration(ago)} ago`;
  }
  // In time, but the messages allowed are used up (WeChat's 5): say so, not just "closed".
  const limit = window.messageLimit ?? null;
  if (
    window.allowed.kind === 'none' &&
    limit !== null &&
    limit > 1 &&
    window.messagesRemaining === 0
  )
    return `${limit} of ${limit} sent`;
  return window.allowed.kind === 'none' ? 'closed' : 'no message yet';
}

/** What the composer may send now, in one phrase. */
export function describeAllowance(allowed: SendAllowance, now: number): string {
  switch (allowed.kind) {
    case 'free_form':
      return allowed.billable ? 'Any message (charged)' : 'Any message';
    case 'tag_only':
      return `Only with the ${allowed.tag} tag, for ${formatDuration(allowed.until - now)}`;
    case 'template_only':
      return 'Approved templates only';
    case 'none':
      return 'Nothing until the customer writes';
  }
}
