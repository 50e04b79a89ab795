import { WebSocket } from 'ws';
import type { SequencedEvent } from '../../src/shared/protocol/events';
import {
  AUTH_SUBPROTOCOL_PREFIX,
  REALTIME_PATH,
  REALTIME_SUBPROTOCOL,
  serverFrameSchema,
  type ServerFrame,
} from '../../src/shared/protocol/realtime';

/** A test client of the hub's realtime protocol: records every frame, validated by the schema. */
export interface TestClient {
  readonly socket: WebSocket;
  readonly frames: ServerFrame[];
  /** Every event received so far, in arrival order. */
  events(): SequencedEvent[];
  waitFor<T extends ServerFrame>(
    predicate: (frame: ServerFrame) => frame is T,
    timeoutMs?: number,
  ): Promise<T>;
  waitFor(predicate: (frame: ServerFrame) => boolean, timeoutMs?: number): Promise<ServerFrame>;
  waitForEvents(count: number, timeoutMs?: number): Promise<SequencedEvent[]>;
  send(frame: unknown): void;
  close(): Promise<void>;
}

export function connectClient(
  hubUrl: string,
  token: string,
  options: { since?: number; headers?: Record<string, string> } = {},
): Promise<TestClient> {
  const url = `${hubUrl.replace(/^http/, 'ws')}${REALTIME_PATH}${options.since === undefined ? '' : `?since=${options.since}`}`;
  const socket = new WebSocket(url, [REALTIME_SUBPROTOCOL, `${AUTH_SUBPROTOCOL_PREFIX}${token}`], {
    headers: options.headers,
  });
  const frames: ServerFrame[] = [];
  const waiters = new Set<() => void>();
  socket.on('message', (data) => {
    frames.push(serverFrameSchema.parse(JSON.parse(data.toString())));
    for (const waiter of [...waiters]) waiter();
  });
  const client: TestClient = {
    socket,
    frames,
    events: () => frames.flatMap((f) => (f.type === 'events' ? f.events : [])),
    waitFor(predicate: (frame: ServerFrame) => boolean, timeoutMs = 5_000): Promise<ServerFrame> {
      return new Promise((resolve, reject) => {
        const check = (): boolean => {
          const found = frames.find(predicate);
          if (!found) return false;
          waiters.delete(check as () => void);
          clearTimeout(timer);
          resolve(found);
          return true;
        };
        const timer = setTimeout(() => {
          waiters.delete(check as () => void);
          reject(
            new Error(
              `no matching frame within ${timeoutMs} ms; got ${JSON.stringify(frames.map((f) => f.type))}`,
            ),
          );
        }, timeoutMs);
        if (!check()) waiters.add(check as () => void);
      });
    },
    waitForEvents(count, timeoutMs = 5_000) {
      return new Promise((resolve, reject) => {
        const check = (): void => {
          const events = client.events();
          if (events.length >= count) {
            waiters.delete(check);
            clearTimeout(timer);
            resolve(events);
          }
        };
        const timer = setTimeout(() => {
          waiters.delete(check);
          reject(
            new Error(
              `expected ${count} events within ${timeoutMs} ms, got ${client.events().length}`,
            ),
          );
        }, timeoutMs);
        waiters.add(check);
        check();
      });
    },
    send(frame) {
      socket.send(typeof frame === 'string' ? frame : JSON.stringify(frame));
    },
    close() {
      return new Promise((resolve) => {
        if (socket.readyState === WebSocket.CLOSED) return resolve();
        socket.once('close', () => resolve());
        socket.close();
      });
    },
  };
  return new Promise((resolve, reject) => {
    socket.once('open', () => resolve(client));
    socket.once('unexpected-response', (_req, res) =>
      reject(new Error(`upgrade refused: HTTP ${res.statusCode}`)),
    );
    socket.once('error', reject);
  });
}
