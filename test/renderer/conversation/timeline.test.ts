import { afterAll, describe, expect, it, vi } from 'vitest';

// Day boundaries are local: run in a zone with daylight saving (set before any formatter exists).
const restoreTz = vi.hoisted(() => {
  const previous = process.env['TZ'];
  process.env['TZ'] = 'Europe/Berlin';
  return () => {
    if (previous === undefined) delete process.env['TZ'];
    else process.env['TZ'] = previous;
  };
});

import {
  buildTimeline,
  chosenButtons,
  countMessagesAfter,
  estimateRowHeight,
  hasReached,
  indexReactions,
  lastMessageKey,
  messageKey,
  withoutStoredLocalCopies,
  type TimelineRow,
} from '../../../src/renderer/src/features/conversation/timeline';
import {
  formatDayLabel,
  formatWhen,
  localDayKey,
  setDateLocale,
  startOfLocalDay,
} from '../../../src/renderer/src/format/dates';
import { at, message, reaction } from './fixtures';

afterAll(restoreTz);
// The labels below are en-GB's; en-US's are pinned in test/renderer/format/dates.test.ts.
setDateLocale('en-GB');

const NOW = at('2026-11-21T15:00:00+01:00'); // Saturday afternoon in Berlin
const MIN = 60_000;

const kinds = (rows: readonly TimelineRow[]) =>
  rows.map((row) => (row.kind === 'day' ? `day ${row.label}` : row.kind));
const messageRows = (rows: readonly TimelineRow[]) =>
  rows.filter((row): row is Extract<TimelineRow, { kind: 'message' }> => row.kind === 'message');

describe('day separators', () => {
  it('labels today, yesterday, earlier days this year and days of another year', () => {
    expect(formatDayLabel(startOfLocalDay(NOW), NOW)).toBe('Today');
    expect(formatDayLabel(at('2026-11-20T00:00:00+01:00'), NOW)).toBe('Yesterday');
    expect(formatDayLabel(at('2026-11-16T00:00:00+01:00'), NOW)).toBe('Mon 16 Nov');
    expect(formatDayLabel(at('2025-11-17T00:00:00+01:00'), NOW)).toBe('Mon, 17 Nov 2025');
  });

  it('starts a new day at local midnight, not at UTC midnight', () => {
    const rows = buildTimeline(
      [
        message({ sentAt: at('2026-11-20T23:59:59.999+01:00') }),
        // 00:30 in Berlin is still the 20th in UTC.
        message({ sentAt: at('2026-11-21T00:00:00.000+01:00') }),
        message({ sentAt: at('2026-11-21T00:30:00+01:00') }),
      ],
      { now: NOW, hasOlder: false },
    );
    expect(kinds(rows)).toEqual([
      'history',
      'day Yesterday',
      'message',
      'day Today',
      'message',
      'message',
    ]);
  });

  it('keeps a 25-hour day (daylight saving ends) as one day', () => {
    // 2026-10-25: Berlin clocks go back from 03:00 CEST to 02:00 CET.
    const early = at('2026-10-25T00:05:00+02:00');
    const late = at('2026-10-25T23:55:00+01:00');
    expect(late - early).toBeGreaterThan(24 * 60 * MIN);
    expect(localDayKey(early)).toBe(localDayKey(late));
    const rows = buildTimeline([message({ sentAt: early }), message({ sentAt: late })], {
      now: NOW,
      hasOlder: false,
    });
    expect(rows.filter((row) => row.kind === 'day')).toHaveLength(1);
  });

  it('calls a day "Yesterday" across a 25-hour day, and not the day before it', () => {
    const now = at('2026-10-26T00:10:00+01:00');
    expect(formatDayLabel(startOfLocalDay(at('2026-10-25T00:05:00+02:00')), now)).toBe('Yesterday');
    expect(formatDayLabel(startOfLocalDay(at('2026-10-24T23:55:00+02:00')), now)).toBe(
      'Sat 24 Oct',
    );
  });

  it('starts the day at local midnight on a 23-hour day (daylight saving begins)', () => {
    const dayStart = startOfLocalDay(at('2026-03-29T12:00:00+02:00'));
    expect(dayStart).toBe(at('2026-03-29T00:00:00+01:00'));
  });

  it('writes nearby instants with a weekday and others with the date', () => {
    expect(formatWhen(at('2026-11-21T17:32:00+01:00'), NOW)).toBe('17:32');
    expect(formatWhen(at('2026-11-24T14:00:00+01:00'), NOW)).toBe('Tue 14:00');
    expect(formatWhen(at('2026-12-01T09:00:00+01:00'), NOW)).toBe('Tue 1 Dec, 09:00');
  });
});

describe('the history row', () => {
  it('is first: a loader while older messages exist, the start of the conversation after', () => {
    expect(buildTimeline([], { now: NOW, hasOlder: true })).toEqual([
      { kind: 'history', key: 'history', hasOlder: true },
    ]);
    const rows = buildTimeline([message({ sentAt: NOW })], { now: NOW, hasOlder: false });
    expect(rows[0]).toEqual({ kind: 'history', key: 'history', hasOlder: false });
  });
});

describe('reactions', () => {
  const target = message({
    id: 'target',
    sentAt: NOW - 10 * MIN,
    direction: 'outbound',
    status: 'read',
  });

  it('are drawn on the message they react to, not as rows of their own', () => {
    const rows = buildTimeline(
      [target, reaction('👍', 'wamid.target', { sentAt: NOW - 5 * MIN })],
      { now: NOW, hasOlder: false },
    );
    expect(kinds(rows)).toEqual(['history', 'day Today', 'message']);
    expect(messageRows(rows)[0].reactions).toEqual([
      { emoji: '👍', by: 'customer', at: NOW - 5 * MIN },
    ]);
  });

  it('keep only the latest reaction of each side', () => {
    const index = indexReactions([
      target,
      reaction('👍', 'wamid.target', { sentAt: NOW - 5 * MIN }),
      reaction('❤️', 'wamid.target', { sentAt: NOW - 4 * MIN }),
      reaction('🙏', 'wamid.target', { sentAt: NOW - 3 * MIN, direction: 'outbound' }),
    ]);
    expect(index.byTarget.get('wamid.target')?.map((badge) => [badge.emoji, badge.by])).toEqual([
      ['❤️', 'customer'],
      ['🙏', 'business'],
    ]);
  });

  it('disappear when removed (an empty emoji), even if a stale one arrives later in the list', () => {
    const removed = buildTimeline(
      [
        target,
        reaction('👍', 'wamid.target', { sentAt: NOW - 5 * MIN }),
        reaction('', 'wamid.target', { sentAt: NOW - 4 * MIN }),
      ],
      { now: NOW, hasOlder: false },
    );
    expect(messageRows(removed)[0].reactions).toEqual([]);
    expect(kinds(removed)).toEqual(['history', 'day Today', 'message']);

    // Order by time, not by position: the removal is newer than the 👍 listed after it.
    const index = indexReactions([
      target,
      reaction('', 'wamid.target', { sentAt: NOW - 4 * MIN }),
      reaction('👍', 'wamid.target', { sentAt: NOW - 5 * MIN }),
    ]);
    expect(index.byTarget.has('wamid.target')).toBe(false);
  });

  it('to a message that is not loaded become one note, for the latest reaction', () => {
    const first = reaction('👍', 'wamid.older', { id: 'r1', sentAt: NOW - 5 * MIN });
    const second = reaction('😂', 'wamid.older', { id: 'r2', sentAt: NOW - 4 * MIN });
    const rows = buildTimeline([first, second], { now: NOW, hasOlder: true });
    expect(rows.filter((row) => row.kind === 'reaction_note')).toEqual([
      { kind: 'reaction_note', key: 'r:r2', message: second, emoji: '😂', by: 'customer' },
    ]);
  });

  it('to an unknown message that were then removed leave nothing', () => {
    const rows = buildTimeline(
      [
        reaction('👍', 'wamid.older', { sentAt: NOW - 5 * MIN }),
        reaction('', 'wamid.older', { sentAt: NOW - 4 * MIN }),
      ],
      { now: NOW, hasOlder: true },
    );
    expect(kinds(rows)).toEqual(['history']);
  });

  it('move onto their message once older messages load', () => {
    const like = reaction('👍', 'wamid.older', { sentAt: NOW - 5 * MIN });
    const older = message({ id: 'older', sentAt: NOW - 60 * MIN });
    const rows = buildTimeline([older, like], { now: NOW, hasOlder: false });
    expect(rows.some((row) => row.kind === 'reaction_note')).toBe(false);
    expect(messageRows(rows)[0].reactions.map((badge) => badge.emoji)).toEqual(['👍']);
  });
});

describe('local outbox copies', () => {
  const local = message({
    id: 'local:abc12345',
    direction: 'outbound',
    status: 'queued',
    externalId: null,
    sentAt: NOW,
  });
  const stored = message({
    id: 'srv-1',
    clientId: 'abc12345',
    direction: 'outbound',
    status: 'sent',
    sentAt: NOW,
  });

  it('share a row key with the message the hub stored, so the row updates in place', () => {
    expect(messageKey(local)).toBe(messageKey(stored));
    expect(messageKey(message({ id: 'in-1', sentAt: NOW }))).toBe('m:in-1');
  });

  it('are dropped once the hub has stored the message', () => {
    expect(withoutStoredLocalCopies([local, stored])).toEqual([stored]);
    expect(withoutStoredLocalCopies([local])).toEqual([local]);
  });
});

describe('grouping', () => {
  it('draws messages of one sender within five minutes as a group, not across days or failures', () => {
    const rows = messageRows(
      buildTimeline(
        [
          message({ sentAt: at('2026-11-20T23:58:00+01:00') }),
          message({ sentAt: at('2026-11-21T00:01:00+01:00') }), // next day
          message({ sentAt: at('2026-11-21T00:03:00+01:00') }),
          message({ sentAt: at('2026-11-21T00:09:00+01:00') }), // 6 min later
          message({
            sentAt: at('2026-11-21T00:10:00+01:00'),
            direction: 'outbound',
            status: 'failed',
          }),
          message({
            sentAt: at('2026-11-21T00:11:00+01:00'),
            direction: 'outbound',
            status: 'sent',
          }),
        ],
        { now: NOW, hasOlder: false },
      ),
    );
    expect(rows.map((row) => row.continued)).toEqual([false, false, true, false, false, false]);
  });

  it('starts a new group for each member of a group chat, each headed by their name', () => {
    const minute = (n: number) => at(`2026-11-21T10:0${n}:00+01:00`);
    const rows = messageRows(
      buildTimeline(
        [
          message({ sentAt: minute(0), senderName: 'Aiko Tanaka' }),
          message({ sentAt: minute(1), senderName: 'Ken Mori' }),
          message({ sentAt: minute(2), senderName: 'Ken Mori' }),
          message({ sentAt: minute(3), senderName: 'Aiko Tanaka' }),
        ],
        { now: NOW, hasOlder: false },
      ),
    );
    expect(rows.map((row) => [row.message.senderName, row.continued])).toEqual([
      ['Aiko Tanaka', false],
      ['Ken Mori', false],
      ['Ken Mori', true],
      ['Aiko Tanaka', false],
    ]);
  });
});

describe('new messages below', () => {
  const rows = buildTimeline(
    [
      message({ id: 'a', sentAt: NOW - 3 * MIN }),
      message({ id: 'b', sentAt: NOW - 2 * MIN }),
      message({ id: 'c', sentAt: NOW - MIN }),
    ],
    { now: NOW, hasOlder: false },
  );

  it('counts the messages after the last one the agent saw', () => {
    expect(countMessagesAfter(rows, 'm:a')).toBe(2);
    expect(countMessagesAfter(rows, 'm:c')).toBe(0);
    expect(countMessagesAfter(rows, null)).toBe(0);
    expect(countMessagesAfter(rows, 'm:gone')).toBe(0);
    expect(lastMessageKey(rows)).toBe('m:c');
  });
});

describe('delivery ranks', () => {
  it('never step back from read to delivered; failed outranks all', () => {
    expect(hasReached('read', 'delivered')).toBe(true);
    expect(hasReached('delivered', 'read')).toBe(false);
    expect(hasReached('sent', 'sent')).toBe(true);
    expect(hasReached('queued', 'sent')).toBe(false);
    expect(hasReached('failed', 'read')).toBe(true);
  });
});

describe('row height estimates', () => {
  it('grow with the text and with a failure notice', () => {
    const short = messageRows(
      buildTimeline([message({ sentAt: NOW })], { now: NOW, hasOlder: false }),
    )[0];
    const long = messageRows(
      buildTimeline(
        [message({ sentAt: NOW, content: { type: 'text', body: 'word '.repeat(100) } })],
        { now: NOW, hasOlder: false },
      ),
    )[0];
    const failed = messageRows(
      buildTimeline([message({ sentAt: NOW, direction: 'outbound', status: 'failed' })], {
        now: NOW,
        hasOlder: false,
      }),
    )[0];
    expect(estimateRowHeight(long)).toBeGreaterThan(estimateRowHeight(short));
    expect(estimateRowHeight(failed)).toBeGreaterThan(estimateRowHeight(short));
  });
});

describe('long conversations', () => {
  it('turn 5,000 messages over a year into rows with one separator per day', () => {
    const start = at('2025-11-21T09:00:00+01:00');
    const messages = Array.from({ length: 5_000 }, (_, i) =>
      message({ sentAt: start + i * 105 * MIN, direction: i % 3 === 0 ? 'outbound' : 'inbound' }),
    );
    const rows = buildTimeline(messages, { now: NOW, hasOlder: false });
    const days = new Set(messages.map((m) => localDayKey(m.sentAt)));
    expect(rows.filter((row) => row.kind === 'day')).toHaveLength(days.size);
    expect(messageRows(rows)).toHaveLength(5_000);
    expect(new Set(rows.map((row) => row.key)).size).toBe(rows.length);
  });
});

describe('the reply button the customer chose', () => {
  const T = at('2026-11-21T10:00:00+01:00');
  const offer = (id: string, sentAt: number, ids: readonly string[]) =>
    message({
      id,
      direction: 'outbound',
      status: 'delivered',
      sentAt,
      content: {
        type: 'text',
        body: `Offer ${id}`,
        replyButtons: ids.map((button) => ({ id: button, title: button.toUpperCase() })),
      },
    });
  const tap = (
    to: string,
    buttonId: string,
    sentAt: number,
    kind: 'quick' | 'keyboard' = 'quick',
  ) =>
    message({
      sentAt,
      content:
        kind === 'quick'
          ? { type: 'interactive_reply', replyId: buttonId, title: buttonId.toUpperCase() }
          : { type: 'button_reply', payload: buttonId, text: buttonId.toUpperCase() },
      replyTo: { messageId: to, preview: `Offer ${to}` },
    });

  it('marks the button a tap names on the message it answers; the latest tap wins', () => {
    const messages = [
      offer('o1', T, ['b_yes', 'b_no']),
      offer('o2', T + MIN, ['b_s', 'b_m', 'b_l']),
      tap('o1', 'b_no', T + 2 * MIN),
      // Telegram's keyboard stays under the message: a second tap changes the choice.
      tap('o2', 'b_s', T + 3 * MIN, 'keyboard'),
      tap('o2', 'b_l', T + 4 * MIN, 'keyboard'),
    ];
    expect([...chosenButtons(messages)]).toEqual([
      ['o1', 'b_no'],
      ['o2', 'b_l'],
    ]);
    expect(
      messageRows(buildTimeline(messages, { now: NOW, hasOlder: false })).map((row) => [
        row.message.id,
        row.chosenButtonId,
      ]),
    ).toEqual([
      ['o1', 'b_no'],
      ['o2', 'b_l'],
      [messages[2]?.id, null],
      [messages[3]?.id, null],
      [messages[4]?.id, null],
    ]);
  });

  it('marks nothing for a button the message did not offer, a plain quote, or an agent’s text', () => {
    const messages = [
      offer('o1', T, ['b_yes', 'b_no']),
      tap('o1', 'b_maybe', T + MIN),
      message({ sentAt: T + 2 * MIN, replyTo: { messageId: 'o1', preview: 'Offer o1' } }),
      message({
        direction: 'outbound',
        status: 'sent',
        sentAt: T + 3 * MIN,
        content: { type: 'interactive_reply', replyId: 'b_yes', title: 'YES' },
        replyTo: { messageId: 'o1', preview: 'Offer o1' },
      }),
    ];
    expect([...chosenButtons(messages)]).toEqual([]);
    // A tap whose offer is not loaded marks nothing either.
    expect([...chosenButtons([tap('o9', 'b_yes', T)])]).toEqual([]);
  });
});
