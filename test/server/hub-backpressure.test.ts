import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { InboundMessage } from '../../src/server/channels/types';
import type { RunningHub } from '../../src/server/hub';
import type { ServerFrame } from '../../src/shared/protocol/realtime';
import { api, login, startTestHub } from '../support/hub';
import { connectClient } from '../support/realtime-client';

let hub: RunningHub;
let token: string;

beforeAll(async () => {
  // A small buffer limit so a stalled socket passes it quickly; the socket reads again only
  // after all the ingesting, which takes longer than the default 5 s grace on a loaded machine
  // (it was cut off, 1006, instead of reading its close frame, 4008).
  hub = await startTestHub({ realtime: { maxBufferedBytes: 1024 * 1024, closeGraceMs: 60_000 } });
  token = await login(hub.url);
}, 60_000);

afterAll(async () => {
  await hub.close();
});

const message = (n: number): InboundMessage => ({
  kind: 'message',
  channel: 'telegram',
  channelAccountId: 'bot-1',
  externalId: `bp.${n}`,
  customer: { externalId: `user-${n % 20}`, name: `Customer ${n % 20}`, phone: null },
  sentAt: Date.now(),
  content: { type: 'text', body: `message ${n} ${'x'.repeat(4000)}` },
});

describe('a slow app socket', () => {
  it('is told to resync instead of growing the hub memory, and loses nothing when it resumes', async () => {
    const slow = await connectClient(hub.url, token);
    const hello = await slow.waitFor(
      (f): f is Extract<ServerFrame, { type: 'hello' }> => f.type === 'hello',
    );
    const fast = await connectClient(hub.url, token);
    await fast.waitFor((f) => f.type === 'hello');
    // Stop reading: the hub's send buffer for this socket fills up.
    slow.socket.pause();
    const closed = new Promise<{ code: number; reason: string }>((resolve) =>
      slow.socket.once('close', (code, reason) => resolve({ code, reason: reason.toString() })),
    );
    // Far more than the kernel's socket buffers can absorb (about 25 MB of events).
    for (let batch = 0; batch < 60; batch++) {
      await Promise.all(
        Array.from({ length: 50 }, (_, i) => hub.ingestor.ingest(message(batch * 50 + i))),
      );
    }
    slow.socket.resume();
    const { code, reason } = await closed;
    expect(code).toBe(4008);
    const since = Number(/since=(\d+)/.exec(reason)?.[1]);
    expect(since).toBeGreaterThanOrEqual(hello.headSeq);
    // Every event the slow socket saw is below `since`, and resuming from it fills the gap.
    const seen = slow.events().map((e) => e.seq);
    expect(Math.max(hello.headSeq, ...seen)).toBe(since);
    const resumed = await connectClient(hub.url, token, { since });
    const head = (await api<{ headSeq: number }>(hub.url, token, '/api/conversations?limit=1')).body
      .headSeq;
    const rest = await resumed.waitForEvents(head - since, 30_000);
    await fast.waitForEvents(head - hello.headSeq, 30_000);
    expect([...seen, ...rest.map((e) => e.seq)]).toEqual(
      Array.from({ length: head - hello.headSeq }, (_, i) => hello.headSeq + 1 + i),
    );
    // The fast socket was never disturbed.
    expect(fast.socket.readyState).toBe(fast.socket.OPEN);
    await resumed.close();
    await fast.close();
  }, 60_000);
});
