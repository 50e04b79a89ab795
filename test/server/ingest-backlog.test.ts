import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { InboundMessage } from '../../src/server/channels/types';
import { MAX_BACKLOG } from '../../src/server/core/ingest';
import type { RunningHub } from '../../src/server/hub';
import { startFakeGraphApi, type FakeGraphApi } from '../support/fake-graph-api';
import { startTestHub, WHATSAPP } from '../support/hub';
import { messagesWebhook, signedWebhook, textMessage } from '../support/whatsapp-webhooks';

let graph: FakeGraphApi;
let hub: RunningHub;
const clock = Date.parse('2026-11-21T12:00:00Z');

beforeAll(async () => {
  graph = await startFakeGraphApi({
    accessToken: WHATSAPP.accessToken,
    phoneNumberIds: [WHATSAPP.phoneNumberId],
  });
  hub = await startTestHub({ graphUrl: graph.url, now: () => clock, webhooksInFlight: 3 });
});

afterAll(async () => {
  await hub.close();
  await graph.close();
});

const queued = (i: number): InboundMessage => ({
  kind: 'message',
  channel: 'telegram',
  channelAccountId: 'bot-backlog',
  externalId: `tg.backlog.${i}`,
  customer: { externalId: `tg-user-${i % 50}`, name: `Customer ${i % 50}`, phone: null },
  sentAt: clock,
  content: { type: 'text', body: `Message ${i}` },
});

async function postWebhook(payload: unknown) {
  const signed = signedWebhook(payload, WHATSAPP.appSecret);
  const res = await fetch(`${hub.url}/webhooks/whatsapp`, {
    method: 'POST',
    headers: signed.headers,
    body: signed.body,
  });
  return { status: res.status, retryAfter: res.headers.get('retry-after') };
}

async function until(ok: () => Promise<boolean>): Promise<void> {
  for (let i = 0; i < 400; i++) {
    if (await ok()) return;
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
  throw new Error('timed out');
}

async function countMessages(externalId: string): Promise<number> {
  const { rows } = await hub.db.query<{ n: number }>(
    'select count(*)::int as n from messages where external_id = $1',
    [externalId],
  );
  return Number(rows[0]?.n ?? 0);
}

/**
 * A transaction holding the event log's counter row until released: every ingesting transaction
 * appends events, so it waits behind this one (on PGlite, which runs one transaction at a time,
 * and on a PostgreSQL server alike).
 */
async function holdTheLog(): Promise<{ release: () => void; holding: Promise<void> }> {
  let release = (): void => undefined;
  let locked = (): void => undefined;
  const gate = new Promise<void>((resolve) => (release = resolve));
  const isLocked = new Promise<void>((resolve) => (locked = resolve));
  const holding = hub.db.transaction(async (tx) => {
    await tx.query('select seq from workspace where id = 1 for update');
    locked();
    await gate;
  });
  await isLocked;
  return { release, holding };
}

describe('a hub that falls behind', () => {
  it('refuses webhooks with 503 while its backlog is full, stores nothing of them, and takes the redelivery', async () => {
    // Hold the database: the batch the ingestion pump takes waits behind this transaction and
    // the rest stays queued; both count in the backlog until committed.
    const { release, holding } = await holdTheLog();
    const accepted = Array.from({ length: MAX_BACKLOG }, (_, i) => hub.ingestor.ingest(queued(i)));
    await new Promise((resolve) => setImmediate(resolve));
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(hub.ingestor.hasRoomFor(1)).toBe(false);

    const webhook = messagesWebhook([
      textMessage('Hello?', { id: 'wamid.backlog.1', timestamp: new Date(clock) }),
    ]);
    const refused = await postWebhook(webhook);
    expect(refused).toEqual({ status: 503, retryAfter: '1' });

    release();
    await holding;
    const results = await Promise.all(accepted);
    expect(results.every((r) => r.kind === 'message' && r.outcome === 'stored')).toBe(true);
    expect(await countMessages('wamid.backlog.1')).toBe(0);

    // Meta redelivers what was not answered 200: now it is stored, once.
    expect((await postWebhook(webhook)).status).toBe(200);
    expect((await postWebhook(webhook)).status).toBe(200);
    expect(await countMessages('wamid.backlog.1')).toBe(1);
  }, 60_000);

  it('answers 503 at once to deliveries beyond those it is already handling, and takes them later', async () => {
    const { release, holding } = await holdTheLog();
    // Three deliveries wait for their commit behind the held database…
    const waiting = [1, 2, 3].map((i) =>
      postWebhook(messagesWebhook([textMessage(`Waiting ${i}`, { id: `wamid.inflight.${i}` })])),
    );
    await until(async () => hub.ingestor.backlog() === 3);
    // …so a fourth is refused without being read, and nothing of it is stored.
    const fourth = messagesWebhook([textMessage('One too many', { id: 'wamid.inflight.4' })]);
    expect(await postWebhook(fourth)).toEqual({ status: 503, retryAfter: '1' });

    release();
    await holding;
    expect((await Promise.all(waiting)).map((r) => r.status)).toEqual([200, 200, 200]);
    expect(await countMessages('wamid.inflight.4')).toBe(0);
    expect((await postWebhook(fourth)).status).toBe(200);
    expect(await countMessages('wamid.inflight.4')).toBe(1);
  }, 60_000);
});
