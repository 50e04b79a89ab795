import { IDBFactory, IDBKeyRange } from 'fake-indexeddb';
import { WebSocket } from 'ws';
import type { InboundMessage } from '../../../src/server/channels/types';
import type { RunningHub } from '../../../src/server/hub';
import type { Me } from '../../../src/renderer/src/data/types';
import type { DexieDependencies } from '../../../src/renderer/src/data/db';
import type {
  OpenRealtimeSocket,
  RealtimeSocketHandlers,
} from '../../../src/renderer/src/data/sync-engine';
import { api } from '../../support/hub';

/** A fresh, private IndexedDB (one per simulated computer). */
export function newIndexedDb(): DexieDependencies {
  return { indexedDB: new IDBFactory(), IDBKeyRange };
}

/**
 * A network between the app and a real hub that tests can cut: while down, requests fail as
 * browsers fail them (TypeError) and sockets close with 1006, live ones included. Also records
 * the paths requested and the socket URLs opened, and lets a test tamper with frames.
 */
export interface TestNetwork {
  up: boolean;
  readonly requests: string[];
  readonly sockets: string[];
  fetch(input: string, init?: RequestInit): Promise<Response>;
  openSocket: OpenRealtimeSocket;
  /** Drop or rewrite frames from the hub (return null to drop). */
  filter: ((data: string) => string | null) | null;
  /** The handlers of the newest socket: a test injects frames through them. */
  handlers(): RealtimeSocketHandlers;
  /** Cut the network now (open sockets close with 1006). */
  down(): void;
}

export function createTestNetwork(): TestNetwork {
  const open = new Set<{ socket: WebSocket; handlers: RealtimeSocketHandlers }>();
  let newest: RealtimeSocketHandlers | null = null;
  const network: TestNetwork = {
    up: true,
    requests: [],
    sockets: [],
    filter: null,
    async fetch(input, init) {
      network.requests.push(new URL(input).pathname + new URL(input).search);
      if (!network.up) throw new TypeError('Failed to fetch');
      return fetch(input, init);
    },
    openSocket(url, protocols, handlers) {
      network.sockets.push(url);
      const entry = {
        socket: null as unknown as WebSocket,
        handlers,
      };
      let closed = false;
      const closeOnce = (code: number, reason: string): void => {
        if (closed) return;
        closed = true;
        open.delete(entry);
        handlers.close(code, reason);
      };
      newest = handlers;
      if (!network.up) {
        setTimeout(() => closeOnce(1006, ''), 5);
        return { send: () => false, close: () => closeOnce(1000, '') };
      }
      const socket = new WebSocket(url, protocols);
      entry.socket = socket;
      open.add(entry);
      socket.on('message', (data, isBinary) => {
        if (closed) return;
        if (isBinary) return handlers.message(data);
        const text = data.toString();
        const passed = network.filter ? network.filter(text) : text;
        if (passed !== null) handlers.message(passed);
      });
      socket.on('close', (code, reason) => closeOnce(code, reason.toString()));
      socket.on('error', () => undefined);
      return {
        send(data) {
          if (closed || socket.readyState !== WebSocket.OPEN) return false;
          socket.send(data);
          return true;
        },
        close(code, reason) {
          socket.close(code, reason);
        },
      };
    },
    handlers() {
      if (!newest) throw new Error('no socket yet');
      return newest;
    },
    down() {
      network.up = false;
      for (const entry of [...open]) {
        entry.socket.terminate();
      }
    },
  };
  return network;
}

export async function waitFor<T>(
  check: () => T | undefined | null | false | Promise<T | undefined | null | false>,
  what: string,
  timeoutMs = 10_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value !== undefined && value !== null && value !== false) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

export async function meOf(hubUrl: string, token: string): Promise<Me> {
  const answer = await api<{ user: { id: string; name: string; role: Me['role']; email: string } }>(
    hubUrl,
    token,
    '/api/me',
  );
  const { id, name, role, email } = answer.body.user;
  return { id, name, role, email };
}

let counter = 0;

/** A customer message on a channel whose demo sender delivers replies (statuses follow). */
export function inbound(
  customer: string,
  body: string,
  overrides: Partial<InboundMessage> = {},
): InboundMessage {
  counter += 1;
  return {
    kind: 'message',
    channel: 'telegram',
    channelAccountId: 'demo-telegram',
    externalId: `tg.data.${counter}.${Math.random().toString(36).slice(2)}`,
    customer: { externalId: customer, name: `Customer ${customer}`, phone: null },
    sentAt: Date.now() - 60_000 + counter,
    content: { type: 'text', body },
    ...overrides,
  };
}

export async function seed(hub: RunningHub, customers: number, perCustomer: number, tag: string) {
  for (let m = 0; m < perCustomer; m++)
    for (let c = 0; c < customers; c++)
      await hub.ingestor.ingest(inbound(`${tag}-${c}`, `${tag} message ${m} from ${c}`));
}

/** The hub's head seq, through the API (`headSeq` of a conversation page). */
export async function hubHead(hubUrl: string, token: string): Promise<number> {
  return (await api<{ headSeq: number }>(hubUrl, token, '/api/conversations?limit=1')).body.headSeq;
}
