import { describe, expect, it } from 'vitest';
import { DEFAULT_CLOSING_THRESHOLD_MS } from '../../src/shared/reply-window';
import {
  activeFilterCount,
  classify,
  countByState,
  createClassifier,
  DEFAULT_QUERY,
  effectiveStatus,
  isNarrowed,
  isReclassifyDue,
  newestConversationsFirst,
  nextStateChangeAt,
  resetFilters,
  selectInbox,
  sortItems,
  type ClassifiedConversation,
  type InboxQuery,
} from '../../src/renderer/src/features/inbox/inbox-view';
import { conversation, HOUR, T0 } from './fixtures';

// At T0 + 30 h: WhatsApp windows are 24 h from the customer's last message.
const NOW = T0 + 30 * HOUR;
const OPEN_INBOUND = NOW - 2 * HOUR;
const SOONER_INBOUND = NOW - 23.9 * HOUR;
const open = conversation('open', { lastInboundAt: OPEN_INBOUND, lastMessageAt: OPEN_INBOUND });
const closing = conversation('closing', {
  lastInboundAt: NOW - 23.5 * HOUR,
  lastMessageAt: NOW - 23.5 * HOUR,
});
const closingSooner = conversation('closing-sooner', {
  lastInboundAt: SOONER_INBOUND,
  lastMessageAt: NOW - 10 * HOUR,
});
const closed = conversation('closed', {
  lastInboundAt: NOW - 30 * HOUR,
  lastMessageAt: NOW - HOUR,
});
const telegram = conversation('telegram', { channel: 'telegram', lastMessageAt: NOW });
const items = classify([open, closing, closingSooner, closed, telegram], NOW);

const ALL: InboxQuery = { ...DEFAULT_QUERY, view: 'all' };
const ME = { meId: 'me', messageMatches: null };
const ids = (rows: readonly ClassifiedConversation[]) => rows.map((row) => row.conversation.id);
const rowsOf = (query: InboxQuery, list: readonly ClassifiedConversation[] = items) =>
  ids(selectInbox(sortItems(list, query.sort), query, ME).rows);

describe('the inbox view: reply windows', () => {
  it('counts conversations by reply-window state', () => {
    expect(countByState(items)).toEqual({ open: 1, closing: 2, closed: 1, unlimited: 1 });
  });

  it('sorts newest first by the last message', () => {
    expect(rowsOf(ALL)).toEqual(['telegram', 'closed', 'open', 'closing-sooner', 'closing']);
  });

  it('sorts by the soonest deadline: answerable first, then closed, then no window', () => {
    expect(rowsOf({ ...ALL, sort: 'closes_soonest' })).toEqual([
      'closing-sooner',
      'closing',
      'open',
      'closed',
      'telegram',
    ]);
  });

  it('leaves a list already in order as it is (no re-sort when a window changes state)', () => {
    const newest = classify(newestConversationsFirst([closing, open, telegram, closed]), NOW);
    expect(sortItems(newest, 'newest')).toBe(newest);
    expect(sortItems(newest, 'closes_soonest')).not.toBe(newest);
  });

  it('filters by window state and by channel', () => {
    expect(rowsOf({ ...ALL, window: 'closed' })).toEqual(['closed']);
    expect(rowsOf({ ...ALL, window: 'closing' })).toEqual(['closing-sooner', 'closing']);
    expect(rowsOf({ ...ALL, channels: ['telegram'] })).toEqual(['telegram']);
    expect(rowsOf({ ...ALL, channels: ['telegram', 'whatsapp'] })).toHaveLength(5);
  });

  it('knows the next instant a window changes state, so the list is re-sorted only then', () => {
    // `closing-sooner` closes first (24 h after NOW - 23.9 h); `open` turns closing much later.
    expect(nextStateChangeAt(items)).toBe(SOONER_INBOUND + 24 * HOUR);
    expect(nextStateChangeAt(classify([open], NOW))).toBe(
      OPEN_INBOUND + 24 * HOUR - DEFAULT_CLOSING_THRESHOLD_MS,
    );
    expect(nextStateChangeAt(classify([closed, telegram], NOW))).toBeNull();
  });

  it('agrees with the engine at the instants it names', () => {
    const next = nextStateChangeAt(items) ?? 0;
    const before = countByState(classify([open, closing, closingSooner], next - 1));
    const after = countByState(classify([open, closing, closingSooner], next));
    expect(before.closed).toBe(0);
    expect(after.closed).toBe(1);
  });

  it('is due for classification at a state change or when the clock went back, not otherwise', () => {
    expect(isReclassifyDue(NOW, NOW + HOUR, NOW + 1000)).toBe(false);
    expect(isReclassifyDue(NOW, NOW + HOUR, NOW + HOUR)).toBe(true);
    expect(isReclassifyDue(NOW, null, NOW + 100 * HOUR)).toBe(false);
    expect(isReclassifyDue(NOW, NOW + HOUR, NOW - 5000)).toBe(true);
    expect(isReclassifyDue(null, null, NOW)).toBe(true);
  });
});

describe('the inbox view: views and statuses', () => {
  const mine = conversation('mine', { assigneeId: 'me', lastMessageAt: NOW - 1 });
  const theirs = conversation('theirs', { assigneeId: 'ana', lastMessageAt: NOW - 2 });
  const nobodys = conversation('nobodys', { lastMessageAt: NOW - 3 });
  const pending = conversation('pending', { status: 'pending', lastMessageAt: NOW - 4 });
  const resolved = conversation('resolved', {
    status: 'resolved',
    assigneeId: 'me',
    lastMessageAt: NOW - 5,
  });
  const snoozed = conversation('snoozed', {
    status: 'snoozed',
    snoozedUntil: NOW + HOUR,
    lastMessageAt: NOW - 6,
  });
  const awake = conversation('awake', {
    status: 'snoozed',
    snoozedUntil: NOW - HOUR,
    lastMessageAt: NOW - 7,
  });
  const list = classify([mine, theirs, nobodys, pending, resolved, snoozed, awake], NOW);

  it('shows mine, unassigned or all conversations', () => {
    expect(rowsOf({ ...DEFAULT_QUERY, view: 'mine' }, list)).toEqual(['mine']);
    expect(rowsOf({ ...DEFAULT_QUERY, view: 'unassigned' }, list)).toEqual([
      'nobodys',
      'pending',
      'awake',
    ]);
    expect(rowsOf(ALL, list)).toEqual(['mine', 'theirs', 'nobodys', 'pending', 'awake']);
  });

  it('hides resolved and snoozed conversations by default, until a snooze is over', () => {
    expect(effectiveStatus(awake, NOW)).toBe('open');
    expect(effectiveStatus(snoozed, NOW)).toBe('snoozed');
    expect(rowsOf({ ...ALL, statuses: ['snoozed', 'resolved'] }, list)).toEqual([
      'resolved',
      'snoozed',
    ]);
    expect(rowsOf({ ...ALL, statuses: [] }, list)).toHaveLength(7);
  });

  it('classifies again when a snooze ends', () => {
    expect(nextStateChangeAt(classify([snoozed, closed], NOW))).toBe(NOW + HOUR);
  });

  it('counts each view with the other filters applied, and each filter with the view', () => {
    const { counts } = selectInbox(list, { ...DEFAULT_QUERY, view: 'mine' }, ME);
    expect(counts.views).toEqual({ mine: 1, unassigned: 3, all: 5 });
    // Within Mine: one open, one resolved (shown only if chosen).
    expect(counts.statuses).toEqual({ open: 1, pending: 0, snoozed: 0, resolved: 1 });
    expect(counts.channels).toEqual([{ value: 'whatsapp', count: 1 }]);
    expect(counts.windows.all).toBe(1);
  });
});

describe('the inbox view: labels', () => {
  const vip = conversation('vip', { labels: ['vip', 'refund'], lastMessageAt: NOW - 1 });
  const refund = conversation('refund', { labels: ['refund'], lastMessageAt: NOW - 2 });
  const plain = conversation('plain', { lastMessageAt: NOW - 3 });
  const list = classify([vip, refund, plain], NOW);

  it('keeps conversations that carry any chosen label', () => {
    expect(rowsOf({ ...ALL, labels: ['vip'] }, list)).toEqual(['vip']);
    expect(rowsOf({ ...ALL, labels: ['vip', 'refund'] }, list)).toEqual(['vip', 'refund']);
  });

  it('lists every label present, alphabetically, counted within the other filters', () => {
    const { counts } = selectInbox(list, { ...ALL, text: 'nobody has this' }, ME);
    expect(counts.labels).toEqual([
      { value: 'refund', count: 0 },
      { value: 'vip', count: 0 },
    ]);
    expect(selectInbox(list, ALL, ME).counts.labels).toEqual([
      { value: 'refund', count: 2 },
      { value: 'vip', count: 1 },
    ]);
  });
});

describe('the inbox view: query helpers', () => {
  it('clears search and filters but keeps the view and the sort', () => {
    const busy: InboxQuery = {
      view: 'unassigned',
      text: 'ana',
      channels: ['telegram'],
      statuses: ['resolved'],
      labels: ['vip'],
      window: 'closed',
      sort: 'closes_soonest',
    };
    expect(activeFilterCount(busy)).toBe(4);
    expect(isNarrowed(busy)).toBe(true);
    expect(resetFilters(busy)).toEqual({
      ...DEFAULT_QUERY,
      view: 'unassigned',
      sort: 'closes_soonest',
    });
    expect(isNarrowed(resetFilters(busy))).toBe(false);
    expect(isNarrowed({ ...DEFAULT_QUERY, statuses: ['pending', 'open'] })).toBe(false);
    expect(isNarrowed({ ...DEFAULT_QUERY, text: '   ' })).toBe(false);
  });
});

describe('the classifier', () => {
  it('computes a window again only when it changes state or its conversation changes', () => {
    const classifier = createClassifier();
    const conversations = [open, closing, closingSooner, closed, telegram];
    const first = classifier.classify(conversations, NOW);
    expect(first.computed).toBe(5);
    expect(first.items.map((item) => item.window.state)).toEqual(
      items.map((item) => item.window.state),
    );

    // A minute later nothing changed state: nothing is computed.
    expect(classifier.classify(conversations, NOW + 60_000).computed).toBe(0);

    // At the first state change, only the one that changed is computed.
    const next = first.nextChangeAt ?? 0;
    const atChange = classifier.classify(conversations, next);
    expect(atChange.computed).toBe(1);
    expect(atChange.items[2]?.window.state).toBe('closed');

    // An updated conversation arrives as a new object: only it is computed.
    const updated = [{ ...open, unreadCount: 5 }, closing, closingSooner, closed, telegram];
    expect(classifier.classify(updated, next).computed).toBe(1);

    // The clock went back (hub time corrected): classifications made after that instant (the two
    // above) are redone; those made at it still hold.
    expect(classifier.classify(updated, NOW).computed).toBe(2);
  });
});
