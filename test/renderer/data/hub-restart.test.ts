import { mkdtemp, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { RunningHub } from '../../../src/server/hub';
import type { Conversation, Message } from '../../../src/shared/domain/model';
import { createDataLayer, type DataLayer } from '../../../src/renderer/src/data/data-layer';
import { api, login, startTestHub } from '../../support/hub';
import { createTestNetwork, inbound, meOf, newIndexedDb, waitFor } from './support';

/**
 * Issue 4 item 9 with a hub that really stops: a reply queued while it is down survives an app
 * restart and arrives exactly once when the same hub (same data folder, same port) is back.
 */

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => resolve(typeof address === 'object' && address ? address.port : 0));
    });
  });
}

let dataDir: string | null = null;
const running: RunningHub[] = [];
const layers: DataLayer[] = [];

afterAll(async () => {
  for (const layer of layers) layer.close();
  for (const hub of running) await hub.close();
  if (dataDir) await rm(dataDir, { recursive: true, force: true });
});

describe('the outbox across a hub restart', () => {
  it(
    'sends a reply queued while the hub was stopped exactly once when it is back',
    { timeout: 120_000 },
    async () => {
      dataDir = await mkdtemp(path.join(tmpdir(), 'replydesk-restart-'));
      const port = await freePort();
      const start = async () => {
        const hub = await startTestHub({ dataDir, port, realtime: { heartbeatMs: 500 } });
        running.push(hub);
        return hub;
      };
      let hub = await start();
      const token = await login(hub.url);
      const me = await meOf(hub.url, token);
      await hub.ingestor.ingest(inbound('restart-0', 'Where is my order?'));
      const deps = newIndexedDb();
      const make = () => {
        const network = createTestNetwork();
        const layer = createDataLayer({
          hubUrl: hub.url,
          token,
          me,
          dexie: deps,
          fetch: network.fetch,
          openSocket: network.openSocket,
          wake: null,
          random: () => 0,
        });
        layers.push(layer);
        return layer;
      };

      const first = make();
      first.start();
      await waitFor(() => first.getStatus().phase === 'live', 'live');
      const conversation = first.conversations.getSnapshot().values().next().value as Conversation;
      await hub.close();
      running.splice(running.indexOf(hub), 1);
      await waitFor(
        () => first.getStatus().phase !== 'live',
        'the layer to notice the hub is gone',
      );
      const clientId = await first.sendMessage(conversation.id, {
        type: 'text',
        body: 'Queued while the hub was down.',
      });
      expect(first.getStatus().outboxSize).toBe(1);
      first.close();

      // The app restarts (a reload) while the hub is still down, then the hub comes back.
      const second = make();
      second.start();
      await second.ready;
      expect(second.conversations.getSnapshot().get(conversation.id)).toBeDefined();
      await waitFor(() => second.getStatus().retryAt !== null, 'a pending retry');
      hub = await start();
      second.reconnectNow();
      await waitFor(() => second.getStatus().phase === 'live', 'live again', 20_000);
      await waitFor(async () => (await second.db.outbox.count()) === 0, 'an empty outbox');
      const stored = await api<{ messages: Message[] }>(
        hub.url,
        token,
        `/api/conversations/${conversation.id}/messages`,
      );
      expect(stored.body.messages.filter((m) => m.clientId === clientId)).toHaveLength(1);
      await waitFor(
        async () => (await second.db.messages.where('clientId').equals(clientId).count()) === 1,
        'the reply in the cache',
      );
    },
  );
});
