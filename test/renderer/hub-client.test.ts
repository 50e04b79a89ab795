import { afterEach, describe, expect, it, vi } from 'vitest';
import type { Conversation } from '../../src/shared/domain/model';
import type { ServerFrame } from '../../src/shared/protocol/realtime';
import {
  applyEvents,
  createHubClient,
  MAX_RETRY_MS,
  parseServerFrame,
  realtimeUrl,
  retryDelay,
  type HubClient,
  type SocketHandlers,
  type Timers,
} from '../../src/renderer/src/features/inbox/hub-client';
import { conversation, other, T0, updated } from './fixtures';

const empty = { conversations: new Map<string, Conversation>(), lastSeq: 0 };

describe('applyEvents', () => {
  it('upserts conversations from conversation.updated events and advances the seq', () => {
    const a1 = conversation('a', { lastMessagePreview: 'first' });
    const a2 = conversation('a', { lastMessagePreview: 'second' });
    const b = conversation('b');
    const result = applyEvents(empty, [updated(1, a1), updated(2, b), updated(3, a2)]);
    expect(result.gap).toBe(false);
    expect(result.lastSeq).toBe(3);
    expect([...result.conversations.keys()]).toEqual(['a', 'b']);
    expect(result.conversations.get('a')?.lastMessagePreview).toBe('second');
  });

  it('skips events at or below the last applied seq, so a repeated seam changes nothing', () => {
    const state = applyEvents(empty, [updated(1, conversation('a', { unreadCount: 1 }))]);
    const replay = applyEvents(state, [
      updated(1, conversation('a', { unreadCount: 99 })),
      updated(2, conversation('a', { unreadCount: 2 })),
    ]);
    expect(replay.lastSeq).toBe(2);
    expect(replay.conversations.get('a')?.unreadCount).toBe(2);

    const again = applyEvents(replay, [updated(2, conversation('a', { unreadCount: 99 }))]);
    expect(again.conversations).toBe(replay.conversations);
    expect(again.lastSeq).toBe(2);
  });

  it('stops at a hole in the seqs and reports it, keeping what came before', () => {
    const result = applyEvents(empty, [
      updated(1, conversation('a')),
      updated(3, conversation('b')),
      updated(4, conversation('c')),
    ]);
    expect(result.gap).toBe(true);
    expect(result.lastSeq).toBe(1);
    expect([...result.conversations.keys()]).toEqual(['a']);
  });

  it('advances the seq over events that do not touch the inbox, keeping the same map', () => {
    const state = applyEvents(empty, [updated(1, conversation('a'))]);
    const result = applyEvents(state, [other(2), other(3)]);
    expect(result.lastSeq).toBe(3);
    expect(result.conversations).toBe(state.conversations);
  });

  it('never mutates the map it was given', () => {
    const state = applyEvents(empty, [updated(1, conversation('a'))]);
    const before = state.conversations;
    applyEvents(state, [updated(2, conversation('b'))]);
    expect([...before.keys()]).toEqual(['a']);
  });
});

describe('retryDelay', () => {
  it('doubles from 1 s up to 30 s', () => {
    const middle = () => 0.5;
    expect([1, 2, 3, 4, 5, 6, 7, 20].map((n) => retryDelay(n, middle))).toEqual([
      1_000, 2_000, 4_000, 8_000, 16_000, 30_000, 30_000, 30_000,
    ]);
  });

  it('jitters by at most 20 % and never leaves 1 s – 30 s', () => {
    expect(retryDelay(3, () => 0)).toBe(3_200);
    expect(retryDelay(3, () => 0.999_999)).toBe(4_800);
    expect(retryDelay(1, () => 0)).toBe(1_000);
    expect(retryDelay(10, () => 0.999_999)).toBe(MAX_RETRY_MS);
  });
});

describe('realtimeUrl', () => {
  it('turns the hub origin into the WebSocket address with since', () => {
    expect(realtimeUrl('http://127.0.0.1:4477', 42)).toBe('ws://127.0.0.1:4477/ws?since=42');
    expect(realtimeUrl('https://hub.shop.example', 0)).toBe('wss://hub.shop.example/ws?since=0');
  });
});

describe('parseServerFrame', () => {
  it('accepts frames of the shared schema', () => {
    const frame = { type: 'events', events: [updated(1, conversation('a'))] };
    expect(parseServerFrame(JSON.stringify(frame))).toEqual({ ok: true, frame });
  });

  it('refuses binary, non-JSON and malformed frames with a reason', () => {
    expect(parseServerFrame(new ArrayBuffer(4))).toEqual({ ok: false, error: 'a binary frame' });
    expect(parseServerFrame('{nope')).toEqual({ ok: false, error: 'a frame that is not JSON' });
    const bad = parseServerFrame(JSON.stringify({ type: 'events', events: [{ seq: -1 }] }));
    expect(bad.ok).toBe(false);
  });
});

// ---------------------------------------------------------------------------------------------
// The client, driven with a fake hub: fetch answers, sockets and timers are all in the test.
// ---------------------------------------------------------------------------------------------

interface FakeSocket {
  readonly url: string;
  readonly protocols: string[];
  readonly handlers: SocketHandlers;
  closed: boolean;
  send(frame: ServerFrame): void;
}

function setup(pages: { conversations: Conversation[]; headSeq: number }[] = []) {
  const sockets: FakeSocket[] = [];
  const timers: { fn: () => void; delayMs: number; cancelled: boolean }[] = [];
  const requests: string[] = [];
  let answers = [...pages];
  let status = 200;
  let unreachable = false;
  const hubTimes: number[] = [];
  const sessionEnded = vi.fn();

  const fakeTimers: Timers = {
    setTimeout(fn, delayMs) {
      const timer = { fn, delayMs, cancelled: false };
      timers.push(timer);
      return timer;
    },
    clearTimeout(handle) {
      (handle as { cancelled: boolean }).cancelled = true;
    },
  };

  const client: HubClient = createHubClient({
    hubUrl: 'http://127.0.0.1:4477',
    token: 'tok123',
    onHubTime: (hubTime) => hubTimes.push(hubTime),
    onSessionEnded: sessionEnded,
    now: () => T0,
    random: () => 0.5,
    timers: fakeTimers,
    fetch: async (input) => {
      requests.push(input.replace('http://127.0.0.1:4477', ''));
      if (unreachable) throw new TypeError('Failed to fetch');
      if (status !== 200) {
        return new Response(JSON.stringify({ error: 'x', message: 'Nope.' }), { status });
      }
      if (input.includes('/api/me')) return new Response('{}', { status: 200 });
      const page = answers.shift() ?? { conversations: [], headSeq: 0 };
      return new Response(
        JSON.stringify({
          conversations: page.conversations,
          nextCursor: answers.length > 0 ? `cursor-${answers.length}` : null,
          headSeq: page.headSeq,
          hubTime: T0 + 5_000,
        }),
      );
    },
    openSocket: (url, protocols, handlers) => {
      const socket: FakeSocket = {
        url,
        protocols,
        handlers,
        closed: false,
        send: (frame) => handlers.message(JSON.stringify(frame)),
      };
      sockets.push(socket);
      return {
        close: () => {
          socket.closed = true;
        },
      };
    },
  });

  const hello = (resume: 'resumed' | 'resync' | 'fresh', headSeq = 0): ServerFrame => ({
    type: 'hello',
    hubTime: T0 + 7_000,
    headSeq,
    resume,
    user: { id: 'usr-1', name: 'Agent', role: 'agent' },
    limits: { maxPayloadBytes: 65_536 },
  });

  return {
    client,
    sockets,
    requests,
    hubTimes,
    sessionEnded,
    hello,
    /** Let the client's awaited fetches settle. */
    settle: () => new Promise((resolve) => setTimeout(resolve, 0)),
    pendingTimers: () => timers.filter((t) => !t.cancelled),
    fireTimers() {
      const due = timers.filter((t) => !t.cancelled);
      for (const t of due) t.cancelled = true;
      for (const t of due) t.fn();
    },
    answer(page: { conversations: Conversation[]; headSeq: number }[]) {
      answers = [...page];
    },
    setStatus(code: number) {
      status = code;
    },
    setUnreachable(value: boolean) {
      unreachable = value;
    },
  };
}

describe('the hub client', () => {
  afterEach(() => {
    vi.restoreAllMocks();
  });

  it('pages through the conversations, then resumes the socket from the first page’s headSeq', async () => {
    const hub = setup([
      { conversations: [conversation('a'), conversation('b')], headSeq: 10 },
      { conversations: [conversation('c')], headSeq: 12 },
    ]);
    hub.client.start();
    await hub.settle();
    expect(hub.requests).toEqual([
      '/api/conversations?limit=200',
      '/api/conversations?limit=200&cursor=cursor-1',
    ]);
    expect(hub.sockets).toHaveLength(1);
    expect(hub.sockets[0]?.url).toBe('ws://127.0.0.1:4477/ws?since=10');
    expect(hub.sockets[0]?.protocols).toEqual(['replydesk.v1', 'auth.tok123']);
    const snapshot = hub.client.getSnapshot();
    expect(snapshot.loaded).toBe(true);
    expect(snapshot.lastSeq).toBe(10);
    expect([...snapshot.conversations.keys()]).toEqual(['a', 'b', 'c']);
    expect(snapshot.status).toBe('connecting');
    expect(hub.hubTimes).toEqual([T0 + 5_000]);
  });

  it('goes live on hello, follows the hub clock, and applies events in order exactly once', async () => {
    const hub = setup([{ conversations: [conversation('a')], headSeq: 4 }]);
    const seen: number[] = [];
    hub.client.subscribe(() => seen.push(hub.client.getSnapshot().lastSeq));
    hub.client.start();
    await hub.settle();
    const socket = hub.sockets[0];
    if (!socket) throw new Error('no socket');
    socket.send(hub.hello('resumed', 4));
    expect(hub.client.getSnapshot().status).toBe('live');
    expect(hub.hubTimes.at(-1)).toBe(T0 + 7_000);

    socket.send({
      type: 'events',
      events: [updated(5, conversation('b', { lastMessagePreview: 'new one' }))],
    });
    socket.send({ type: 'events', events: [updated(5, conversation('b')), other(6)] });
    const snapshot = hub.client.getSnapshot();
    expect(snapshot.lastSeq).toBe(6);
    expect(snapshot.conversations.get('b')?.lastMessagePreview).toBe('new one');
    expect(seen.at(-1)).toBe(6);
  });

  it('ignores frames that fail the schema and changes nothing', async () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => undefined);
    const hub = setup([{ conversations: [conversation('a')], headSeq: 1 }]);
    hub.client.start();
    await hub.settle();
    hub.sockets[0]?.send(hub.hello('resumed', 1));
    const before = hub.client.getSnapshot();
    hub.sockets[0]?.handlers.message('{"type":"events","events":[{"seq":"two"}]}');
    expect(hub.client.getSnapshot()).toBe(before);
    expect(warn).toHaveBeenCalledOnce();
  });

  it('reconnects with backoff from the last applied seq after the socket drops', async () => {
    const hub = setup([{ conversations: [conversation('a')], headSeq: 3 }]);
    hub.client.start();
    await hub.settle();
    hub.sockets[0]?.send(hub.hello('resumed', 3));
    hub.sockets[0]?.send({ type: 'events', events: [updated(4, conversation('a'))] });
    hub.sockets[0]?.handlers.close(1006, '');

    const snapshot = hub.client.getSnapshot();
    expect(snapshot.status).toBe('reconnecting');
    // On the hub's clock (7 s ahead, from the hello), like every time the app shows.
    expect(snapshot.retryAt).toBe(T0 + 7_000 + 1_000);
    expect(hub.pendingTimers().map((t) => t.delayMs)).toEqual([1_000]);

    hub.fireTimers();
    await hub.settle();
    // Greeted before it dropped: the token was fine, no reload, straight back to the socket.
    expect(hub.requests).toEqual(['/api/conversations?limit=200']);
    expect(hub.sockets[1]?.url).toBe('ws://127.0.0.1:4477/ws?since=4');
    hub.sockets[1]?.send(hub.hello('resumed', 4));
    expect(hub.client.getSnapshot().status).toBe('live');
    expect(hub.client.getSnapshot().retryAt).toBeNull();
  });

  it('backs off further on each failure and says offline once it keeps failing', async () => {
    const hub = setup([{ conversations: [], headSeq: 0 }]);
    hub.client.start();
    await hub.settle();
    hub.sockets[0]?.send(hub.hello('fresh'));
    hub.setUnreachable(true);
    const delays: number[] = [];
    const statuses: string[] = [];
    hub.sockets[0]?.handlers.close(1001, 'hub shutting down');
    for (let i = 0; i < 6; i += 1) {
      delays.push(...hub.pendingTimers().map((t) => t.delayMs));
      statuses.push(hub.client.getSnapshot().status);
      hub.fireTimers();
      await hub.settle();
      // The socket closes before its hello: the next attempt checks the token first, which
      // cannot reach the hub either.
      hub.sockets.at(-1)?.handlers.close(1006, '');
    }
    expect(delays).toEqual([1_000, 2_000, 4_000, 8_000, 16_000, 30_000]);
    expect(statuses).toEqual([
      'reconnecting',
      'reconnecting',
      'offline',
      'offline',
      'offline',
      'offline',
    ]);
    expect(hub.client.getSnapshot().error).toBe('The hub cannot be reached.');
    // The first retry went straight to the socket (the last one had been greeted); once that
    // one closed before a hello, every attempt asked the API first and got no further.
    expect(hub.sockets).toHaveLength(2);
  });

  it('reloads from the API when the hub says resync, then resumes from the new headSeq', async () => {
    const hub = setup([{ conversations: [conversation('a')], headSeq: 5 }]);
    hub.client.start();
    await hub.settle();
    hub.answer([{ conversations: [conversation('z')], headSeq: 900 }]);
    hub.sockets[0]?.send(hub.hello('resync', 900));
    expect(hub.sockets[0]?.closed).toBe(true);
    await hub.settle();
    expect(hub.requests).toHaveLength(2);
    expect([...hub.client.getSnapshot().conversations.keys()]).toEqual(['z']);
    expect(hub.sockets[1]?.url).toBe('ws://127.0.0.1:4477/ws?since=900');
  });

  it('resumes after a hole in the event stream instead of skipping it', async () => {
    vi.spyOn(console, 'warn').mockImplementation(() => undefined);
    const hub = setup([{ conversations: [], headSeq: 1 }]);
    hub.client.start();
    await hub.settle();
    hub.sockets[0]?.send(hub.hello('resumed', 1));
    hub.sockets[0]?.send({
      type: 'events',
      events: [updated(2, conversation('a')), updated(4, conversation('b'))],
    });
    expect(hub.client.getSnapshot().lastSeq).toBe(2);
    expect(hub.sockets[0]?.closed).toBe(true);
    // The socket we closed reports its close later: that is not a second failure.
    hub.sockets[0]?.handlers.close(1000, 'client closing');
    expect(hub.pendingTimers().map((t) => t.delayMs)).toEqual([1_000]);
    hub.fireTimers();
    await hub.settle();
    expect(hub.sockets[1]?.url).toBe('ws://127.0.0.1:4477/ws?since=2');
  });

  it('ends the session when the API refuses the token', async () => {
    const hub = setup();
    hub.setStatus(401);
    hub.client.start();
    await hub.settle();
    expect(hub.sessionEnded).toHaveBeenCalledOnce();
    expect(hub.sockets).toHaveLength(0);
    expect(hub.pendingTimers()).toHaveLength(0);
  });

  it('ends the session on close code 4001, and checks the token after a refused upgrade', async () => {
    const hub = setup([{ conversations: [], headSeq: 0 }]);
    hub.client.start();
    await hub.settle();
    // Refused in the upgrade (no hello): the next attempt asks /api/me, which says 401.
    hub.sockets[0]?.handlers.close(1006, '');
    hub.setStatus(401);
    hub.fireTimers();
    await hub.settle();
    expect(hub.requests.at(-1)).toBe('/api/me');
    expect(hub.sessionEnded).toHaveBeenCalledOnce();

    const other = setup([{ conversations: [], headSeq: 0 }]);
    other.client.start();
    await other.settle();
    other.sockets[0]?.send(other.hello('fresh'));
    other.sockets[0]?.handlers.close(4001, 'session ended');
    expect(other.sessionEnded).toHaveBeenCalledOnce();
    expect(other.pendingTimers()).toHaveLength(0);
  });

  it('shows the hub’s own reason when a page fails, and retries', async () => {
    const hub = setup();
    hub.setStatus(503);
    hub.client.start();
    await hub.settle();
    const snapshot = hub.client.getSnapshot();
    expect(snapshot.loaded).toBe(false);
    expect(snapshot.status).toBe('offline');
    expect(snapshot.error).toBe('Nope. (HTTP 503)');
    expect(hub.pendingTimers()).toHaveLength(1);

    hub.setStatus(200);
    hub.client.reconnectNow();
    await hub.settle();
    expect(hub.client.getSnapshot().loaded).toBe(true);
    expect(hub.sockets).toHaveLength(1);
  });

  it('ignores a stopped connection’s late callbacks, and resumes from its seq when restarted', async () => {
    const hub = setup([{ conversations: [conversation('a')], headSeq: 8 }]);
    hub.client.start();
    await hub.settle();
    const first = hub.sockets[0];
    first?.send(hub.hello('resumed', 8));
    hub.client.stop();
    expect(first?.closed).toBe(true);
    const before = hub.client.getSnapshot();
    first?.send({ type: 'events', events: [updated(9, conversation('late'))] });
    first?.handlers.close(1000, '');
    expect(hub.client.getSnapshot()).toBe(before);
    expect(hub.pendingTimers()).toHaveLength(0);

    hub.client.start();
    await hub.settle();
    expect(hub.requests).toHaveLength(1);
    expect(hub.sockets[1]?.url).toBe('ws://127.0.0.1:4477/ws?since=8');
  });

  it('stops the first sync at the conversation cap and says the list is truncated', async () => {
    // Every page offers more; the client stops after 4 conversations instead of paging on.
    const capped = createHubClient({
      hubUrl: 'http://127.0.0.1:4477',
      token: 't',
      onHubTime: () => undefined,
      onSessionEnded: () => undefined,
      maxConversations: 4,
      openSocket: () => ({ close: () => undefined }),
      fetch: async (input) => {
        const page = Number(/cursor=c(\d)/.exec(input)?.[1] ?? 0);
        return new Response(
          JSON.stringify({
            conversations: [conversation(`p${page}a`), conversation(`p${page}b`)],
            nextCursor: `c${page + 1}`,
            headSeq: 1,
            hubTime: T0,
          }),
        );
      },
    });
    capped.start();
    await new Promise((resolve) => setTimeout(resolve, 0));
    expect(capped.getSnapshot().conversations.size).toBe(4);
    expect(capped.getSnapshot().truncated).toBe(true);
    capped.stop();
  });
});
