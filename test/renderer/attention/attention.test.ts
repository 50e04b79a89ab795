import { describe, expect, it } from 'vitest';
import type { Conversation } from '../../../src/shared/domain/model';
import {
  alertStillApplies,
  arrangeAlerts,
  countWaitingForReply,
  evaluateAttention,
  moreAlertsText,
  INITIAL_ATTENTION_STATE,
  nextAttentionCheckAt,
  type AttentionAlert,
  type AttentionInput,
  type AttentionState,
} from '../../../src/renderer/src/features/attention/attention';
import { conversation, HOUR, T0 } from '../fixtures';

const MINUTE = 60_000;
const ME = { id: 'u-me' };
const THRESHOLD = 15 * MINUTE;
/** A WhatsApp window opened at T0 closes 24 h later. */
const CLOSES = T0 + 24 * HOUR;

function mine(id: string, overrides: Partial<Conversation> = {}): Conversation {
  return conversation(id, { assigneeId: ME.id, ...overrides });
}

/** Runs evaluations in order, carrying the state, like the hook does. */
function run() {
  let state: AttentionState = INITIAL_ATTENTION_STATE;
  return (conversations: Conversation[], now: number, extra: Partial<AttentionInput> = {}) => {
    const result = evaluateAttention(state, {
      conversations,
      me: ME,
      now,
      thresholdMs: THRESHOLD,
      ...extra,
    });
    state = result.state;
    return result.alerts;
  };
}

describe('closing alerts', () => {
  it('alerts once when my window crosses the threshold', () => {
    const step = run();
    const list = [
      mine('c1', { customer: { ...conversation('c1').customer, name: 'Anna de Vries' } }),
    ];
    expect(step(list, T0 + HOUR)).toEqual([]);
    expect(step(list, CLOSES - THRESHOLD - 1)).toEqual([]);

    const alerts = step(list, CLOSES - 12 * MINUTE);
    expect(alerts).toHaveLength(1);
    expect(alerts[0]).toMatchObject({
      kind: 'closing',
      conversationId: 'c1',
      closesAt: CLOSES,
      remainingMs: 12 * MINUTE,
      title: 'Window closes in 12 min — Anna de Vries',
    });

    expect(step(list, CLOSES - 11 * MINUTE)).toEqual([]);
    expect(step(list, CLOSES - 10 * 1000)).toEqual([]);
    expect(step(list, CLOSES + MINUTE)).toEqual([]);
  });

  it('alerts exactly at the threshold', () => {
    const step = run();
    const list = [mine('c1')];
    step(list, T0);
    expect(step(list, CLOSES - THRESHOLD)).toHaveLength(1);
  });

  it('alerts again for the new window a customer message opens', () => {
    const step = run();
    step([mine('c1')], T0);
    expect(step([mine('c1')], CLOSES - 5 * MINUTE)).toHaveLength(1);

    const wroteAgain = T0 + 24 * HOUR - 4 * MINUTE;
    const reopened = [mine('c1', { lastInboundAt: wroteAgain, sentSinceInbound: 0 })];
    expect(step(reopened, wroteAgain + MINUTE)).toEqual([]);
    const second = step(reopened, wroteAgain + 24 * HOUR - 10 * MINUTE);
    expect(second).toHaveLength(1);
    expect(second[0]).toMatchObject({ kind: 'closing', closesAt: wroteAgain + 24 * HOUR });
    expect(second[0]?.key).not.toBe(`closing:c1:${CLOSES}`);
  });

  it('does not alert for a window that closed while the computer slept', () => {
    const step = run();
    const list = [mine('c1')];
    step(list, T0 + HOUR);
    // Asleep from 1 h after the message to well past the close.
    expect(step(list, CLOSES + 2 * HOUR)).toEqual([]);
    // And a clock corrected backwards does not bring it back.
    expect(step(list, CLOSES - 5 * MINUTE)).toEqual([]);
  });

  it('alerts after a sleep that jumped over the threshold but not past the close', () => {
    const step = run();
    const list = [mine('c1')];
    step(list, T0 + HOUR);
    expect(step(list, CLOSES - 3 * MINUTE)).toMatchObject([
      { kind: 'closing', remainingMs: 3 * MINUTE },
    ]);
  });

  it("ignores other people's, unassigned and resolved conversations, and unlimited channels", () => {
    const step = run();
    const list = [
      conversation('theirs', { assigneeId: 'u-other' }),
      conversation('nobody'),
      mine('done', { status: 'resolved' }),
      mine('telegram', { channel: 'telegram' }),
      mine('never-wrote', { lastInboundAt: null }),
    ];
    step(list, T0);
    expect(step(list, CLOSES - MINUTE)).toEqual([]);
  });

  it('does not alert for a conversation I answered: the customer has their reply (issue 12)', () => {
    const step = run();
    const answered = [mine('c1', { sentSinceInbound: 1 })];
    step(answered, T0);
    expect(step(answered, CLOSES - 5 * MINUTE)).toEqual([]);
    // Nothing pending either: the hook does not wake for it at every tick.
    const { state } = evaluateAttention(INITIAL_ATTENTION_STATE, {
      conversations: answered,
      me: ME,
      now: T0,
      thresholdMs: THRESHOLD,
    });
    expect(nextAttentionCheckAt(state, answered, ME, T0, THRESHOLD)).toBeNull();
  });

  it('alerts when the customer wrote again after my reply', () => {
    const step = run();
    step([mine('c1', { sentSinceInbound: 1 })], T0);
    const wroteAgain = T0 + HOUR;
    const waiting = [mine('c1', { lastInboundAt: wroteAgain, sentSinceInbound: 0 })];
    expect(step(waiting, wroteAgain + 24 * HOUR - 10 * MINUTE)).toMatchObject([
      { kind: 'closing', conversationId: 'c1', closesAt: wroteAgain + 24 * HOUR },
    ]);
  });

  it('still alerts for a snoozed conversation: snoozing past the close costs a template', () => {
    const step = run();
    const list = [mine('c1', { status: 'snoozed', snoozedUntil: CLOSES + HOUR })];
    step(list, T0);
    expect(step(list, CLOSES - MINUTE)).toHaveLength(1);
  });

  it('follows the threshold it is given', () => {
    const step = run();
    const list = [mine('c1')];
    step(list, T0);
    expect(step(list, CLOSES - 40 * MINUTE, { thresholdMs: 30 * MINUTE })).toEqual([]);
    expect(step(list, CLOSES - 29 * MINUTE, { thresholdMs: 30 * MINUTE })).toHaveLength(1);
  });
});

describe('the first load', () => {
  it('is silent, even for windows already inside the threshold', () => {
    const step = run();
    const list = [mine('c1'), mine('c2', { lastInboundAt: T0 - 30 * MINUTE })];
    const now = CLOSES - 10 * MINUTE;
    expect(step(list, now)).toEqual([]);
    // Those windows were on screen at load: they do not alert later either.
    expect(step(list, now + MINUTE)).toEqual([]);
  });

  it('alerts later for windows that were not yet inside the threshold at load', () => {
    const step = run();
    const list = [mine('c1')];
    expect(step(list, T0 + HOUR)).toEqual([]);
    expect(step(list, CLOSES - MINUTE)).toHaveLength(1);
  });

  it('stays silent while quiet (a first sync paging in)', () => {
    const step = run();
    step([], T0);
    const paged = [mine('c1'), mine('c2')];
    expect(step(paged, T0 + HOUR, { quiet: true })).toEqual([]);
    expect(step(paged, T0 + 2 * HOUR)).toEqual([]);
  });
});

describe('assigned to you', () => {
  it('alerts when a conversation moves to me from someone else or from nobody', () => {
    const step = run();
    step([conversation('c1', { assigneeId: 'u-other' }), conversation('c2')], T0);
    const alerts = step([mine('c1'), mine('c2')], T0 + HOUR);
    expect(alerts.map((a) => [a.kind, a.conversationId])).toEqual([
      ['assigned', 'c1'],
      ['assigned', 'c2'],
    ]);
    expect(alerts[0]?.title).toBe('Assigned to you — Customer c1');
  });

  it('does not alert on the first load', () => {
    expect(run()([mine('c1')], T0)).toEqual([]);
  });

  it('alerts once, not on every evaluation while it stays mine', () => {
    const step = run();
    step([conversation('c1')], T0);
    expect(step([mine('c1')], T0 + 1)).toHaveLength(1);
    expect(step([mine('c1')], T0 + 2)).toEqual([]);
  });

  it('alerts again after it went to someone else and came back', () => {
    const step = run();
    step([conversation('c1')], T0);
    step([mine('c1')], T0 + 1);
    step([conversation('c1', { assigneeId: 'u-other' })], T0 + 2);
    expect(step([mine('c1', { updatedAt: T0 + 3 })], T0 + 3)).toHaveLength(1);
  });

  it('counts a conversation that appears already mine as assigned (my-conversations feed)', () => {
    const step = run();
    step([], T0);
    expect(step([mine('new')], T0 + 1)).toMatchObject([{ kind: 'assigned' }]);
  });

  it('stays quiet when I take the conversation on screen', () => {
    const step = run();
    step([conversation('c1')], T0);
    expect(step([mine('c1')], T0 + 1, { activeConversationId: 'c1' })).toEqual([]);
  });

  it('names the time left, and does not add a closing alert for that window', () => {
    const step = run();
    step([conversation('c1')], T0);
    const alerts = step([mine('c1')], CLOSES - 8 * MINUTE);
    expect(alerts).toHaveLength(1);
    expect(alerts[0]).toMatchObject({ kind: 'assigned', remainingMs: 8 * MINUTE });
    expect(alerts[0]?.body).toContain('Window closes in 8 min');
    expect(step([mine('c1')], CLOSES - 7 * MINUTE)).toEqual([]);
  });

  it('does not alert for a resolved conversation assigned to me', () => {
    const step = run();
    step([conversation('c1', { status: 'resolved' })], T0);
    expect(step([mine('c1', { status: 'resolved' })], T0 + 1)).toEqual([]);
  });
});

describe('nextAttentionCheckAt', () => {
  it('is the earliest threshold crossing among my open windows', () => {
    const list = [mine('c1'), mine('c2', { lastInboundAt: T0 + HOUR }), conversation('x')];
    const { state } = evaluateAttention(INITIAL_ATTENTION_STATE, {
      conversations: list,
      me: ME,
      now: T0,
      thresholdMs: THRESHOLD,
    });
    expect(nextAttentionCheckAt(state, list, ME, T0, THRESHOLD)).toBe(CLOSES - THRESHOLD);
  });

  it('skips windows already dealt with, and is null when nothing is pending', () => {
    const list = [mine('c1')];
    const { state } = evaluateAttention(INITIAL_ATTENTION_STATE, {
      conversations: list,
      me: ME,
      now: CLOSES - MINUTE,
      thresholdMs: THRESHOLD,
    });
    expect(nextAttentionCheckAt(state, list, ME, CLOSES - MINUTE, THRESHOLD)).toBeNull();
    expect(nextAttentionCheckAt(INITIAL_ATTENTION_STATE, [], ME, T0, THRESHOLD)).toBeNull();
  });
});

describe('countWaitingForReply', () => {
  it('counts my active conversations where the customer wrote last', () => {
    const list = [
      mine('waiting'),
      mine('answered', { sentSinceInbound: 1 }),
      mine('resolved', { status: 'resolved' }),
      mine('snoozed', { status: 'snoozed', snoozedUntil: T0 + HOUR }),
      mine('snooze-over', { status: 'snoozed', snoozedUntil: T0 - 1 }),
      mine('pending', { status: 'pending' }),
      mine('no-message', { lastInboundAt: null }),
      conversation('theirs', { assigneeId: 'u-other' }),
    ];
    expect(countWaitingForReply(list, ME, T0)).toBe(3);
  });
});

function closingOf(id: string, closesAt: number): AttentionAlert {
  return {
    kind: 'closing',
    key: `closing:${id}:${closesAt}`,
    conversationId: id,
    customerName: `Customer ${id}`,
    channel: 'whatsapp',
    closesAt,
    remainingMs: closesAt - T0,
    title: '',
    body: '',
  };
}

function assignedOf(id: string): AttentionAlert {
  return {
    kind: 'assigned',
    key: `assigned:${id}:${T0}`,
    conversationId: id,
    customerName: `Customer ${id}`,
    channel: 'whatsapp',
    remainingMs: null,
    title: '',
    body: '',
  };
}

describe('alertStillApplies (issue 12: alerts went away only when dismissed)', () => {
  const NOW = CLOSES - 10 * MINUTE;
  const context = { me: ME, now: NOW, activeConversationId: null };
  const alert = closingOf('c1', CLOSES);

  it('keeps a closing alert while the customer waits and the window is open', () => {
    expect(alertStillApplies(alert, mine('c1'), context)).toBe(true);
  });

  it('puts it away when the agent opens the conversation', () => {
    expect(alertStillApplies(alert, mine('c1'), { ...context, activeConversationId: 'c1' })).toBe(
      false,
    );
  });

  it('puts it away when the agent answers, resolves or gives the conversation away', () => {
    expect(alertStillApplies(alert, mine('c1', { sentSinceInbound: 1 }), context)).toBe(false);
    expect(alertStillApplies(alert, mine('c1', { status: 'resolved' }), context)).toBe(false);
    expect(alertStillApplies(alert, conversation('c1', { assigneeId: 'u-other' }), context)).toBe(
      false,
    );
    expect(alertStillApplies(alert, undefined, context)).toBe(false);
  });

  it('puts it away when the window closes or a new customer message moves it', () => {
    expect(alertStillApplies(alert, mine('c1'), { ...context, now: CLOSES })).toBe(false);
    const wroteAgain = mine('c1', { lastInboundAt: T0 + 23 * HOUR });
    expect(alertStillApplies(alert, wroteAgain, context)).toBe(false);
  });

  it('keeps an assignment alert until the conversation is opened or no longer mine', () => {
    const assigned = assignedOf('c1');
    expect(alertStillApplies(assigned, mine('c1', { sentSinceInbound: 1 }), context)).toBe(true);
    expect(
      alertStillApplies(assigned, mine('c1'), { ...context, activeConversationId: 'c1' }),
    ).toBe(false);
    expect(alertStillApplies(assigned, conversation('c1'), context)).toBe(false);
  });
});

describe('arrangeAlerts (issue 12: alerts piled up over the Send button)', () => {
  const a = closingOf('a', CLOSES - 5 * MINUTE);
  const b = closingOf('b', CLOSES - 9 * MINUTE);
  const c = closingOf('c', CLOSES - 1 * MINUTE);
  const d = closingOf('d', CLOSES - 7 * MINUTE);
  const e = assignedOf('e');

  it('shows at most three, the most urgent first, and sums up the rest', () => {
    const { visible, more } = arrangeAlerts([a, b, c, d, e], new Set());
    expect(visible.map((x) => x.conversationId)).toEqual(['b', 'd', 'a']);
    expect(more.map((x) => x.conversationId)).toEqual(['c', 'e']);
  });

  it('keeps alerts already on screen where they are, and fills free places by urgency', () => {
    const { visible, more } = arrangeAlerts([a, b, c, d], new Set([a.key]));
    expect(visible.map((x) => x.conversationId)).toEqual(['a', 'b', 'd']);
    expect(more.map((x) => x.conversationId)).toEqual(['c']);
  });

  it('shows everything and sums up nothing when three or fewer are live', () => {
    expect(arrangeAlerts([a, e], new Set())).toEqual({ visible: [a, e], more: [] });
  });

  it('names who is summed up, with the time left of each window', () => {
    const now = CLOSES - 20 * MINUTE;
    expect(moreAlertsText([b, d], now)).toEqual({
      title: '2 more windows closing',
      body: 'Customer b (11 min), Customer d (13 min)',
    });
    expect(moreAlertsText([b, d, a, c, e], now)).toEqual({
      title: '5 more alerts',
      body: 'Customer b (11 min), Customer d (13 min), Customer a (15 min) and 2 more',
    });
    expect(moreAlertsText([e], now)).toEqual({ title: '1 more alert', body: 'Customer e' });
  });
});
