import { CHANNEL_KINDS, type ChannelKind } from '../../../../shared/domain/channels';
import type { Conversation } from '../../../../shared/domain/model';
import {
  computeReplyWindow,
  DEFAULT_CLOSING_THRESHOLD_MS,
  type ReplyWindow,
  type WindowState,
} from '../../../../shared/reply-window';

/**
 * What the inbox list shows: filtering, sorting and counting conversations by their reply
 * window. Pure functions of the conversations and one instant, so the page recomputes them only
 * when a window actually changes state (see `nextStateChangeAt`), never once a second.
 */

export type ChannelFilter = ChannelKind | 'all';
export type WindowFilter = 'all' | 'closing' | 'closed';
export type InboxSort = 'newest' | 'closes_soonest';

export interface InboxQuery {
  readonly channel: ChannelFilter;
  readonly window: WindowFilter;
  readonly sort: InboxSort;
}

export const DEFAULT_QUERY: InboxQuery = { channel: 'all', window: 'all', sort: 'newest' };

/** Rows rendered without virtualisation (it comes with the full inbox); the rest is counted. */
export const MAX_ROWS = 300;

export interface ClassifiedConversation {
  readonly conversation: Conversation;
  readonly window: ReplyWindow;
}

export function classify(
  conversations: Iterable<Conversation>,
  at: number,
): ClassifiedConversation[] {
  const result: ClassifiedConversation[] = [];
  for (const conversation of conversations) {
    // A conversation carries its window facts under the engine's own names.
    result.push({
      conversation,
      window: computeReplyWindow(conversation.channel, conversation, at),
    });
  }
  return result;
}

export type StateCounts = Readonly<Record<WindowState, number>>;

export function countByState(items: readonly ClassifiedConversation[]): StateCounts {
  const counts: Record<WindowState, number> = { open: 0, closing: 0, closed: 0, unlimited: 0 };
  for (const { window } of items) counts[window.state] += 1;
  return counts;
}

/** Channels that have conversations, in the canonical channel order, with their counts. */
export function countByChannel(
  items: readonly ClassifiedConversation[],
): { readonly channel: ChannelKind; readonly count: number }[] {
  const counts = new Map<ChannelKind, number>();
  for (const { conversation } of items) {
    counts.set(conversation.channel, (counts.get(conversation.channel) ?? 0) + 1);
  }
  return CHANNEL_KINDS.filter((channel) => counts.has(channel)).map((channel) => ({
    channel,
    count: counts.get(channel) ?? 0,
  }));
}

export function matchesChannel(item: ClassifiedConversation, channel: ChannelFilter): boolean {
  return channel === 'all' || item.conversation.channel === channel;
}

export function matchesWindow(item: ClassifiedConversation, filter: WindowFilter): boolean {
  return filter === 'all' || item.window.state === filter;
}

const newestFirst = (a: ClassifiedConversation, b: ClassifiedConversation): number =>
  b.conversation.lastMessageAt - a.conversation.lastMessageAt ||
  (a.conversation.id < b.conversation.id ? 1 : a.conversation.id > b.conversation.id ? -1 : 0);

/** Still answerable first (soonest deadline first), then closed, then channels with no window. */
const URGENCY: Readonly<Record<WindowState, number>> = {
  closing: 0,
  open: 0,
  closed: 1,
  unlimited: 2,
};

function closesSoonest(a: ClassifiedConversation, b: ClassifiedConversation): number {
  const rank = URGENCY[a.window.state] - URGENCY[b.window.state];
  if (rank !== 0) return rank;
  if (URGENCY[a.window.state] === 0) {
    const byDeadline = (a.window.closesAt ?? Infinity) - (b.window.closesAt ?? Infinity);
    if (byDeadline !== 0) return byDeadline;
  }
  return newestFirst(a, b);
}

/** The rows the list shows, in order (all of them; the caller caps what it renders). */
export function selectRows(
  items: readonly ClassifiedConversation[],
  query: InboxQuery,
): ClassifiedConversation[] {
  return items
    .filter((item) => matchesChannel(item, query.channel) && matchesWindow(item, query.window))
    .sort(query.sort === 'newest' ? newestFirst : closesSoonest);
}

/**
 * The first instant after `at` at which any of these windows changes state: an open window
 * turns `closing` one threshold before it closes, a closing one turns `closed` when it closes.
 * (For fixed facts `closesAt` is fixed, so nothing else moves a window between states.)
 */
export function nextStateChangeAt(
  items: readonly ClassifiedConversation[],
  at: number,
): number | null {
  let next = Infinity;
  for (const { window } of items) {
    if (window.closesAt === null) continue;
    if (window.state === 'open') {
      const closingAt = window.closesAt - DEFAULT_CLOSING_THRESHOLD_MS;
      next = Math.min(next, closingAt > at ? closingAt : window.closesAt);
    } else if (window.state === 'closing') {
      next = Math.min(next, window.closesAt);
    }
  }
  return Number.isFinite(next) ? next : null;
}
