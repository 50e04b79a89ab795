import { describe, expect, it } from 'vitest';
import type { Conversation } from '../../../src/shared/domain/model';
import type { SlaDue, SlaTarget } from '../../../src/shared/sla';
import {
  atRiskThresholdKey,
  formatThreshold,
  parseThreshold,
} from '../../../src/renderer/src/features/dashboard/at-risk-threshold';
import { atRisk, nowFigures } from '../../../src/renderer/src/features/dashboard/now';
import { classify } from '../../../src/renderer/src/features/inbox/inbox-view';
import { conversation, HOUR, T0 } from '../fixtures';

const MINUTE = 60_000;
/** A WhatsApp conversation whose customer wrote `ago` before T0: its window closes 24 h later. */
const wroteAgo = (id: string, ago: number, overrides: Partial<Conversation> = {}) =>
  conversation(id, { lastInboundAt: T0 - ago, awaitingReplySince: T0 - ago, ...overrides });

const target = (target: SlaTarget, dueAt: number): SlaDue => ({
  target,
  policyId: 'pol',
  since: T0 - HOUR,
  startedAt: T0 - HOUR,
  dueAt,
  dueSoonAt: dueAt - 15 * MINUTE,
});

/** A team's queue at T0 (each line says why it is or is not at risk within 1 h). */
const QUEUE: readonly Conversation[] = [
  // Window closes in 30 min, customer waiting: at risk.
  wroteAgo('a-window-30m', 23 * HOUR + 30 * MINUTE),
  // Wrote an hour ago: 23 h left, nothing due. This was every row of the old list.
  wroteAgo('b-fresh', HOUR),
  // 23 h of window, but the first reply is due in 10 min: at risk by its SLA.
  wroteAgo('c-sla-10m', HOUR),
  // Window closing in 20 min, but the agent answered: nobody waits, not at risk.
  conversation('d-answered', {
    lastInboundAt: T0 - 23 * HOUR - 40 * MINUTE,
    sentSinceInbound: 1,
    awaitingReplySince: null,
  }),
  // Resolved and snoozed conversations are in nobody's queue.
  wroteAgo('e-resolved', 23 * HOUR + 50 * MINUTE, { status: 'resolved' }),
  wroteAgo('f-snoozed', 23 * HOUR + 50 * MINUTE, {
    status: 'snoozed',
    snoozedUntil: T0 + 2 * HOUR,
  }),
  // The window closed an hour ago: lost, counted in "Closed unanswered today", not at risk.
  wroteAgo('g-closed', 25 * HOUR),
  // The reply target was missed 5 min ago: a breach, not at risk; window has 20 h.
  wroteAgo('h-missed', 4 * HOUR),
  // Window closes in 50 min and the reply is due in 40 min: both, the target first.
  wroteAgo('i-both', 23 * HOUR + 10 * MINUTE),
  // Window closes at exactly T0 + 1 h: within the threshold.
  wroteAgo('j-edge', 23 * HOUR),
  // Window closes in 1 h 30 min: outside 1 h, inside 2 h.
  wroteAgo('k-90m', 22 * HOUR + 30 * MINUTE),
  // Pending, answered, its resolution target is due in 45 min: at risk although nobody waits.
  conversation('l-resolution', {
    status: 'pending',
    lastInboundAt: T0 - 2 * HOUR,
    sentSinceInbound: 1,
  }),
];

const DUE: ReadonlyMap<string, readonly SlaDue[]> = new Map([
  ['c-sla-10m', [target('first_response', T0 + 10 * MINUTE)]],
  ['h-missed', [target('next_response', T0 - 5 * MINUTE)]],
  ['i-both', [target('next_response', T0 + 40 * MINUTE)]],
  ['l-resolution', [target('resolution', T0 + 45 * MINUTE)]],
  // A target two hours out on the snoozed one: not in a queue, never at risk.
  ['f-snoozed', [target('first_response', T0 + 5 * MINUTE)]],
]);
const dueOf = (c: Conversation): readonly SlaDue[] => DUE.get(c.id) ?? [];

const rowsOf = (result: ReturnType<typeof atRisk>) =>
  result.rows.map((row) => [
    row.conversation.id,
    row.due.map((d) => `${d.kind}+${(d.dueAt - T0) / MINUTE}m`),
  ]);

describe('the at-risk list', () => {
  const items = classify(QUEUE, T0);

  it('lists what falls due within 1 h, soonest first, and nothing with hours left', () => {
    const result = atRisk(items, dueOf, T0, HOUR, 50);
    expect(rowsOf(result)).toEqual([
      ['c-sla-10m', ['first_response+10m']],
      ['a-window-30m', ['window+30m']],
      ['i-both', ['next_response+40m', 'window+50m']],
      ['l-resolution', ['resolution+45m']],
      ['j-edge', ['window+60m']],
    ]);
    expect(result.total).toBe(5);
    expect(result.windowsClosing).toBe(3);
    expect(result.slaDue).toBe(3);
  });

  it('follows the threshold the lead sets', () => {
    expect(rowsOf(atRisk(items, dueOf, T0, 15 * MINUTE, 50))).toEqual([
      ['c-sla-10m', ['first_response+10m']],
    ]);
    const twoHours = atRisk(items, dueOf, T0, 2 * HOUR, 50);
    expect(twoHours.rows.map((row) => row.conversation.id)).toEqual([
      'c-sla-10m',
      'a-window-30m',
      'i-both',
      'l-resolution',
      'j-edge',
      'k-90m',
    ]);
    expect([twoHours.total, twoHours.windowsClosing, twoHours.slaDue]).toEqual([6, 4, 3]);
  });

  it('shows the first rows and counts them all', () => {
    const result = atRisk(items, dueOf, T0, HOUR, 2);
    expect(result.rows.map((row) => row.conversation.id)).toEqual(['c-sla-10m', 'a-window-30m']);
    expect(result.total).toBe(5);
  });

  it('counts as waiting what the at-risk list draws from', () => {
    // a, b, c, g, h, i, j, k wait (d and l were answered; e and f are not in a queue).
    expect(nowFigures(items, T0, T0 - 12 * HOUR, null)).toMatchObject({
      waiting: 8,
      closedToday: 1,
    });
  });
});

describe('the at-risk threshold', () => {
  it('is 1 h unless one of the offered thresholds is stored, per user', () => {
    expect(parseThreshold(null)).toBe(HOUR);
    expect(parseThreshold('junk')).toBe(HOUR);
    expect(parseThreshold(String(7 * MINUTE))).toBe(HOUR);
    expect(parseThreshold(String(4 * HOUR))).toBe(4 * HOUR);
    expect(atRiskThresholdKey('usr_1')).toBe('replydesk.dashboard.at-risk-threshold.usr_1');
    expect([15 * MINUTE, HOUR, 8 * HOUR].map(formatThreshold)).toEqual(['15 min', '1 h', '8 h']);
  });
});
