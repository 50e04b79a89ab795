import { afterAll, describe, expect, it, vi } from 'vitest';

// Times are local: run in Berlin, as the other timeline tests do (set before any formatter exists).
const restoreTz = vi.hoisted(() => {
  const previous = process.env['TZ'];
  process.env['TZ'] = 'Europe/Berlin';
  return () => {
    if (previous === undefined) delete process.env['TZ'];
    else process.env['TZ'] = previous;
  };
});

import type { Activity } from '../../../src/shared/protocol/activity';
import {
  activityLine,
  activityText,
} from '../../../src/renderer/src/features/conversation/activity-line';
import {
  buildTimeline,
  estimateRowHeight,
  type TimelineRow,
} from '../../../src/renderer/src/features/conversation/timeline';
import { setDateLocale } from '../../../src/renderer/src/format/dates';
import { at, message } from './fixtures';

afterAll(restoreTz);
setDateLocale('en-GB');

const NOW = at('2026-11-21T15:00:00+01:00'); // Saturday afternoon in Berlin
const NAMES = { lea: 'Lea', bram: 'Bram' };

function line(overrides: Partial<Activity> & Pick<Activity, 'kind'>): Activity {
  return {
    id: 'a1',
    conversationId: 'c1',
    at: at('2026-11-21T10:42:00+01:00'),
    via: 'user',
    actorId: 'lea',
    from: null,
    to: null,
    until: null,
    ...overrides,
  };
}

const shape = (rows: readonly TimelineRow[]) =>
  rows.map((row) =>
    row.kind === 'activity'
      ? `activity ${row.text}`
      : row.kind === 'message'
        ? `message ${row.message.id}`
        : row.kind === 'day'
          ? `day ${row.label}`
          : row.kind,
  );

describe('activity text', () => {
  it('says who assigned whom, and "by Replydesk" when the hub did', () => {
    expect(activityLine(line({ kind: 'assignment', to: 'bram' }), NAMES)).toBe(
      'Assigned to Bram by Lea · 10:42',
    );
    expect(activityText(line({ kind: 'assignment', from: 'bram', to: null }), NAMES)).toBe(
      'Unassigned by Lea',
    );
    expect(
      activityText(
        line({ kind: 'assignment', via: 'round_robin', actorId: null, to: 'lea' }),
        NAMES,
      ),
    ).toBe('Assigned to Lea by Replydesk');
    expect(
      activityText(line({ kind: 'assignment', via: 'reply', actorId: null, to: 'bram' }), NAMES),
    ).toBe('Assigned to Bram by Replydesk');
    expect(activityText(line({ kind: 'assignment', to: 'gone' }), NAMES)).toBe(
      'Assigned to a former teammate by Lea',
    );
  });

  it('writes status changes, snoozing with its instant', () => {
    const resolved = line({ kind: 'status', actorId: 'bram', from: 'open', to: 'resolved' });
    expect(activityLine({ ...resolved, at: at('2026-11-21T10:50:00+01:00') }, NAMES)).toBe(
      'Resolved by Bram · 10:50',
    );
    expect(
      activityText(
        line({
          kind: 'status',
          from: 'open',
          to: 'snoozed',
          until: at('2026-11-23T09:00:00+01:00'),
        }),
        NAMES,
      ),
    ).toBe('Snoozed until Mon 09:00 by Lea');
    expect(activityText(line({ kind: 'status', from: 'resolved', to: 'open' }), NAMES)).toBe(
      'Reopened by Lea',
    );
    expect(activityText(line({ kind: 'status', from: 'open', to: 'pending' }), NAMES)).toBe(
      'Marked pending by Lea',
    );
  });

  it('writes priorities, labels and missed SLA targets', () => {
    expect(activityText(line({ kind: 'priority', from: 'normal', to: 'urgent' }), NAMES)).toBe(
      'Priority set to Urgent by Lea',
    );
    expect(activityText(line({ kind: 'label_added', to: 'refund' }), NAMES)).toBe(
      'Label ‘refund’ added by Lea',
    );
    expect(activityText(line({ kind: 'label_removed', from: 'refund' }), NAMES)).toBe(
      'Label ‘refund’ removed by Lea',
    );
    expect(
      activityLine(
        line({
          kind: 'sla_missed',
          via: 'sla',
          actorId: null,
          to: 'first_response',
          at: at('2026-11-21T11:02:00+01:00'),
        }),
        NAMES,
      ),
    ).toBe('First-response SLA missed · 11:02');
  });
});

describe('activity in the timeline', () => {
  const m1 = message({ id: 'm1', sentAt: at('2026-11-20T18:00:00+01:00') });
  const m2 = message({ id: 'm2', sentAt: at('2026-11-21T10:42:00+01:00') });
  const m3 = message({ id: 'm3', sentAt: at('2026-11-21T11:00:00+01:00') });
  const assigned = line({ id: 'a1', kind: 'assignment', to: 'bram' }); // 10:42, with m2
  const resolved = line({
    id: 'a2',
    kind: 'status',
    actorId: 'bram',
    from: 'open',
    to: 'resolved',
    at: at('2026-11-21T11:30:00+01:00'),
  });
  const early = line({
    id: 'a0',
    kind: 'priority',
    to: 'high',
    at: at('2026-11-20T09:00:00+01:00'),
  });

  it('interleaves lines by time, after a message of the same instant, with day separators', () => {
    const rows = buildTimeline([m1, m2, m3], {
      now: NOW,
      hasOlder: false,
      activity: [early, assigned, resolved],
      names: NAMES,
    });
    expect(shape(rows)).toEqual([
      'history',
      'day Yesterday',
      'activity Priority set to High by Lea · 09:00',
      'message m1',
      'day Today',
      'message m2',
      'activity Assigned to Bram by Lea · 10:42',
      'message m3',
      'activity Resolved by Bram · 11:30',
    ]);
    expect(rows[6]).toMatchObject({ kind: 'activity', key: 'a:a1' });
    expect(estimateRowHeight(rows[6])).toBe(26);
  });

  it('breaks a run of messages: the message after a line shows its header again', () => {
    const next = message({ id: 'm2b', sentAt: at('2026-11-21T10:43:00+01:00') });
    const rows = buildTimeline([m2, next], {
      now: NOW,
      hasOlder: false,
      activity: [{ ...assigned, at: at('2026-11-21T10:42:30+01:00') }],
      names: NAMES,
    });
    expect(rows.map((row) => (row.kind === 'message' ? row.continued : row.kind))).toEqual([
      'history',
      'day',
      false,
      'activity',
      false,
    ]);
  });

  it('holds back lines older than the first message while older messages are not loaded', () => {
    const rows = buildTimeline([m2, m3], {
      now: NOW,
      hasOlder: true,
      activity: [early, assigned],
      names: NAMES,
    });
    expect(shape(rows)).toEqual([
      'history',
      'day Today',
      'message m2',
      'activity Assigned to Bram by Lea · 10:42',
      'message m3',
    ]);
  });

  it('shows the lines of a conversation without messages', () => {
    const rows = buildTimeline([], {
      now: NOW,
      hasOlder: false,
      activity: [assigned],
      names: NAMES,
    });
    expect(shape(rows)).toEqual([
      'history',
      'day Today',
      'activity Assigned to Bram by Lea · 10:42',
    ]);
  });
});
