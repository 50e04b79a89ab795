import { describe, expect, it } from 'vitest';
import { PRESENCE } from '../../../src/shared/protocol/realtime';
import { createPresence } from '../../../src/renderer/src/data/presence';
import { presenceText } from '../../../src/renderer/src/features/conversation/PresenceIndicator';

/** Timers that run only when the test moves the clock. */
function fakeTime() {
  let now = 0;
  let timers: { at: number; fn: () => void; id: number }[] = [];
  let ids = 0;
  return {
    now: () => now,
    timers: {
      setTimeout(fn: () => void, delayMs: number) {
        ids += 1;
        timers.push({ at: now + delayMs, fn, id: ids });
        return ids;
      },
      clearTimeout(handle: unknown) {
        timers = timers.filter((t) => t.id !== handle);
      },
    },
    advance(ms: number) {
      now += ms;
      for (;;) {
        const due = timers.filter((t) => t.at <= now).sort((a, b) => a.at - b.at)[0];
        if (!due) return;
        timers = timers.filter((t) => t !== due);
        due.fn();
      }
    },
  };
}

function setUp() {
  const time = fakeTime();
  const presence = createPresence({ me: { id: 'u-me' }, timers: time.timers, now: time.now });
  const sent: unknown[] = [];
  const connect = () => presence.connected((data) => sent.push(JSON.parse(data)) > 0);
  return { time, presence, sent, connect };
}

describe('presence in the app', () => {
  it('says which conversation is open, refreshes it while open, and says when none is', () => {
    const { time, presence, sent, connect } = setUp();
    connect();
    presence.view('c1');
    expect(sent).toEqual([{ type: 'viewing', conversationId: 'c1' }]);
    time.advance(PRESENCE.viewingRefreshMs);
    expect(sent).toHaveLength(2);
    presence.view('c1');
    expect(sent).toHaveLength(2);
    presence.view(null);
    time.advance(PRESENCE.viewingRefreshMs * 3);
    expect(sent).toEqual([
      { type: 'viewing', conversationId: 'c1' },
      { type: 'viewing', conversationId: 'c1' },
      { type: 'viewing', conversationId: null },
    ]);
  });

  it('throttles typing to one frame per period', () => {
    const { time, presence, sent, connect } = setUp();
    connect();
    for (let i = 0; i < 10; i += 1) {
      presence.typed('c1');
      time.advance(100);
    }
    time.advance(PRESENCE.typingThrottleMs);
    presence.typed('c1');
    expect(sent).toEqual([
      { type: 'typing', conversationId: 'c1' },
      { type: 'typing', conversationId: 'c1' },
    ]);
  });

  it('sends nothing while disconnected, and says where it is again on reconnecting', () => {
    const { presence, sent, connect } = setUp();
    presence.view('c1');
    presence.typed('c1');
    expect(sent).toEqual([]);
    connect();
    expect(sent).toEqual([{ type: 'viewing', conversationId: 'c1' }]);
  });

  it('keeps who else is where, never me, and forgets it all when the socket goes', () => {
    const { presence, connect } = setUp();
    connect();
    let changes = 0;
    presence.subscribe(() => (changes += 1));
    const ana = { userId: 'u-ana', name: 'Ana Lima', activity: 'typing' as const };
    const me = { userId: 'u-me', name: 'Me', activity: 'viewing' as const };
    presence.received({ type: 'presence', conversationId: 'c1', people: [ana, me] });
    expect(presence.peopleIn('c1')).toEqual([ana]);
    expect(presence.peopleIn('c2')).toEqual([]);
    presence.received({ type: 'presence', conversationId: 'c1', people: [] });
    expect(presence.peopleIn('c1')).toEqual([]);
    presence.received({ type: 'presence', conversationId: 'c1', people: [ana] });
    presence.disconnected();
    expect(presence.peopleIn('c1')).toEqual([]);
    expect(changes).toBe(4);
  });
});

describe('presenceText', () => {
  const person = (name: string, activity: 'viewing' | 'typing') => ({
    userId: name,
    name,
    activity,
  });
  it('names people by first name, typing first', () => {
    expect(presenceText([person('Ana Lima', 'viewing')])).toBe('Ana is viewing');
    expect(presenceText([person('Ana Lima', 'typing')])).toBe('Ana is typing…');
    expect(presenceText([person('Ana Lima', 'viewing'), person('Ben Okafor', 'viewing')])).toBe(
      'Ana and Ben are viewing',
    );
    expect(presenceText([person('Ben Okafor', 'viewing'), person('Ana Lima', 'typing')])).toBe(
      'Ana is typing… · Ben is viewing',
    );
    expect(
      presenceText(['Ana', 'Ben', 'Chloé', 'Dara'].map((name) => person(name, 'viewing'))),
    ).toBe('Ana, Ben and 2 more are viewing');
  });
});
