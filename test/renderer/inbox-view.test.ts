import { describe, expect, it } from 'vitest';
import { DEFAULT_CLOSING_THRESHOLD_MS } from '../../src/shared/reply-window';
import {
  classify,
  countByChannel,
  countByState,
  nextStateChangeAt,
  selectRows,
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

const ids = (rows: { conversation: { id: string } }[]) => rows.map((row) => row.conversation.id);

describe('the inbox view', () => {
  it('counts conversations by reply-window state', () => {
    expect(countByState(items)).toEqual({ open: 1, closing: 2, closed: 1, unlimited: 1 });
  });

  it('lists the channels that have conversations, in channel order, with counts', () => {
    expect(countByChannel(items)).toEqual([
      { channel: 'whatsapp', count: 4 },
      { channel: 'telegram', count: 1 },
    ]);
  });

  it('sorts newest first by the last message', () => {
    expect(ids(selectRows(items, { channel: 'all', window: 'all', sort: 'newest' }))).toEqual([
      'telegram',
      'closed',
      'open',
      'closing-sooner',
      'closing',
    ]);
  });

  it('sorts by the soonest deadline: answerable first, then closed, then no window', () => {
    expect(
      ids(selectRows(items, { channel: 'all', window: 'all', sort: 'closes_soonest' })),
    ).toEqual(['closing-sooner', 'closing', 'open', 'closed', 'telegram']);
  });

  it('filters by window state and by channel', () => {
    expect(ids(selectRows(items, { channel: 'all', window: 'closed', sort: 'newest' }))).toEqual([
      'closed',
    ]);
    expect(ids(selectRows(items, { channel: 'all', window: 'closing', sort: 'newest' }))).toEqual([
      'closing-sooner',
      'closing',
    ]);
    expect(ids(selectRows(items, { channel: 'telegram', window: 'all', sort: 'newest' }))).toEqual([
      'telegram',
    ]);
  });

  it('knows the next instant a window changes state, so the list is re-sorted only then', () => {
    // `closing-sooner` closes first (24 h after NOW - 23.9 h); `open` turns closing much later.
    const next = nextStateChangeAt(items, NOW);
    expect(next).toBe(SOONER_INBOUND + 24 * HOUR);
    const onlyOpen = classify([open], NOW);
    expect(nextStateChangeAt(onlyOpen, NOW)).toBe(
      OPEN_INBOUND + 24 * HOUR - DEFAULT_CLOSING_THRESHOLD_MS,
    );
    expect(nextStateChangeAt(classify([closed, telegram], NOW), NOW)).toBeNull();
  });

  it('agrees with the engine at the instants it names', () => {
    const next = nextStateChangeAt(items, NOW) ?? 0;
    const before = countByState(classify([open, closing, closingSooner], next - 1));
    const after = countByState(classify([open, closing, closingSooner], next));
    expect(before.closed).toBe(0);
    expect(after.closed).toBe(1);
  });
});
