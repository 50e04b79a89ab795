import type { IncomingMessage, Server } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocket, WebSocketServer } from 'ws';
import type { User } from '../../shared/domain/model';
import type { Command } from '../../shared/protocol/commands';
import type { SequencedEvent } from '../../shared/protocol/events';
import {
  AUTH_SUBPROTOCOL_PREFIX,
  CLOSE_CODES,
  clientFrameSchema,
  PRESENCE,
  REALTIME_PATH,
  REALTIME_SUBPROTOCOL,
  type PresenceFrame,
  type ServerFrame,
} from '../../shared/protocol/realtime';
import { describeSchemaError } from '../../shared/ipc/contract';
import { HttpError } from '../http/errors';
import type { RequestGuard } from '../request-guard';
import type { Db } from '../store/db';
import { eventsSince, headSeq, oldestSeq } from '../store/events';
import type { EventBus } from './event-bus';
import { storableInput } from '../http/io';
import { createPresenceTracker, type PresenceChange } from './presence';

export interface RealtimeOptions {
  readonly server: Server;
  readonly db: Db;
  readonly bus: EventBus;
  readonly guard: RequestGuard;
  readonly now: () => number;
  readonly authenticate: (token: string) => Promise<User | null>;
  readonly execute: (
    command: Command,
    context: { clientId: string; user: User },
  ) => Promise<unknown>;
  /** Largest frame a client may send (ws `maxPayload`). Default 64 KiB. */
  readonly maxPayloadBytes?: number;
  /** A socket with more than this many bytes waiting is told to resync. Default 4 MiB. */
  readonly maxBufferedBytes?: number;
  /**
   * How long a socket told to resync may take to read its backlog and the close frame before it
   * is cut off. Default 5 s.
   */
  readonly closeGraceMs?: number;
  readonly heartbeatMs?: number;
  /** Events per frame while catching up. */
  readonly pageSize?: number;
  /** How often presence not refreshed in time is dropped. Default 1 s. */
  readonly presenceSweepMs?: number;
  /** An agent is typing in a conversation (the channel may show the customer so). */
  readonly onTyping?: (conversationId: string) => void;
}

export interface RealtimeServer {
  readonly clientCount: () => number;
  /** End every socket of a user at once (disabled, password reset). */
  disconnectUser(userId: string): void;
  /** End every socket opened with this session's token (signed out). */
  disconnectSession(token: string): void;
  /**
   * Drop presence not refreshed in time, at the hub clock's now, and tell the others. Runs every
   * `presenceSweepMs`; tests call it after moving the clock.
   */
  expirePresence(): void;
  close(): Promise<void>;
}

interface Client {
  readonly socket: WebSocket;
  /** The session's token: checked again before every command and at every heartbeat. */
  readonly token: string;
  user: User;
  lastSent: number;
  catchingUp: boolean;
  /** Live events arrived while catching up: look at the log once more afterwards. */
  moreToRead: boolean;
  alive: boolean;
  closed: boolean;
  /** Presence frames in the current budget window (PRESENCE.budget), and when it started. */
  presenceFrames: number;
  presenceWindowStart: number;
}

function rejectUpgrade(socket: Duplex, status: number, message: string): void {
  const body = JSON.stringify({ error: status === 401 ? 'unauthorized' : 'forbidden', message });
  socket.end(
    `HTTP/1.1 ${status} ${status === 401 ? 'Unauthorized' : status === 400 ? 'Bad Request' : 'Forbidden'}\r\n` +
      'Content-Type: application/json\r\nConnection: close\r\n' +
      `Content-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`,
  );
}

function tokenFrom(req: IncomingMessage): string | null {
  const offered = (req.headers['sec-websocket-protocol'] ?? '').split(',').map((p) => p.trim());
  const auth = offered.find((p) => p.startsWith(AUTH_SUBPROTOCOL_PREFIX));
  if (auth) return auth.slice(AUTH_SUBPROTOCOL_PREFIX.length);
  // Non-browser clients may use the Authorization header instead.
  const header = req.headers.authorization;
  return header?.startsWith('Bearer ') ? header.slice(7) : null;
}

/**
 * The realtime channel: authenticated in the upgrade, resumable from any seq, ordered, bounded.
 * Every connected app gets each event once, in seq order; a socket that cannot keep up is closed
 * with `slowConsumer` and resumes from its last seq, so the hub's memory never grows with it.
 */
export function startRealtime(options: RealtimeOptions): RealtimeServer {
  const { db, bus, now } = options;
  const maxPayload = options.maxPayloadBytes ?? 64 * 1024;
  const maxBuffered = options.maxBufferedBytes ?? 4 * 1024 * 1024;
  const closeGraceMs = options.closeGraceMs ?? 5_000;
  const pageSize = options.pageSize ?? 500;
  const heartbeatMs = options.heartbeatMs ?? 30_000;
  const clients = new Set<Client>();
  const presence = createPresenceTracker<Client>({ now });
  const wss = new WebSocketServer({
    noServer: true,
    maxPayload,
    clientTracking: false,
    perMessageDeflate: false,
    handleProtocols: (protocols) =>
      protocols.has(REALTIME_SUBPROTOCOL) ? REALTIME_SUBPROTOCOL : false,
  });

  /**
   * `frame` is a frame object, or a frame already encoded once for many sockets: a Buffer is
   * written to every socket as it is (a string would be encoded to UTF-8, and copied whenever
   * the socket cannot take it at once, once per socket).
   */
  function send(client: Client, frame: ServerFrame | Buffer): boolean {
    if (client.closed || client.socket.readyState !== WebSocket.OPEN) return false;
    if (client.socket.bufferedAmount > maxBuffered) {
      // Never queue without bound for one slow socket: it reconnects with `since`.
      client.closed = true;
      client.socket.close(
        CLOSE_CODES.slowConsumer,
        `slow consumer: reconnect with since=${client.lastSent}`,
      );
      setTimeout(() => client.socket.terminate(), closeGraceMs).unref();
      return false;
    }
    if (Buffer.isBuffer(frame)) client.socket.send(frame, { binary: false });
    else client.socket.send(JSON.stringify(frame));
    return true;
  }

  /** Wait until the socket has written most of what is queued; false if it never does. */
  async function drained(client: Client): Promise<boolean> {
    const deadline = Date.now() + 30_000;
    while (client.socket.bufferedAmount > maxBuffered / 4) {
      if (client.closed || Date.now() > deadline) {
        if (!client.closed) {
          client.closed = true;
          client.socket.close(
            CLOSE_CODES.slowConsumer,
            `slow consumer: reconnect with since=${client.lastSent}`,
          );
        }
        return false;
      }
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    return !client.closed;
  }

  async function catchUp(client: Client): Promise<void> {
    if (client.catchingUp) return;
    client.catchingUp = true;
    try {
      for (;;) {
        // Catching up reads from the log, so it can wait for the socket instead of buffering.
        if (!(await drained(client))) break;
        const page = await eventsSince(db, client.lastSent, pageSize);
        if (page.length === 0 || client.closed) break;
        const last = page[page.length - 1] as SequencedEvent;
        if (!send(client, { type: 'events', events: page })) break;
        client.lastSent = last.seq;
        // Loop until the log has nothing newer: live events skipped meanwhile are read here.
        if (page.length < pageSize && (await headSeq(db)) <= client.lastSent) break;
      }
    } catch (error) {
      console.error(
        'hub: realtime catch-up failed:',
        error instanceof Error ? error.message : error,
      );
      client.socket.close(1011, 'internal error');
    } finally {
      client.catchingUp = false;
    }
    if (client.moreToRead && !client.closed) {
      client.moreToRead = false;
      await catchUp(client);
    }
  }

  const unsubscribe = bus.subscribe((events) => {
    const first = events[0];
    const last = events[events.length - 1];
    if (!first || !last) return;
    // Serialise and encode once for every socket.
    const frame = Buffer.from(
      JSON.stringify({ type: 'events', events: [...events] } satisfies ServerFrame),
    );
    for (const client of clients) {
      if (client.closed) continue;
      if (client.catchingUp) {
        client.moreToRead = true;
        continue;
      }
      if (last.seq <= client.lastSent) continue;
      if (first.seq === client.lastSent + 1) {
        if (send(client, frame)) client.lastSent = last.seq;
      } else {
        void catchUp(client);
      }
    }
  });

  function endSession(client: Client): void {
    if (client.closed) return;
    client.closed = true;
    // At once, not at the close handshake: a user signed out or disabled is neither shown to
    // the others nor told more.
    announce(presence.remove(client));
    client.socket.close(CLOSE_CODES.sessionEnded, 'session ended');
  }

  /**
   * The user of a socket's session now, or null (and the socket closed with 4001) once the
   * session has ended: signed out elsewhere, expired, reset or disabled. A socket must not
   * outlive its session, nor run commands for it (issue #13 item 4).
   */
  async function stillSignedIn(client: Client): Promise<User | null> {
    const user = await options.authenticate(client.token);
    if (!user) endSession(client);
    else client.user = user;
    return user;
  }

  async function onConnection(
    socket: WebSocket,
    token: string,
    user: User,
    since: number | null,
  ): Promise<void> {
    const head = await headSeq(db);
    const oldest = await oldestSeq(db);
    let resume: 'resumed' | 'resync' | 'fresh' = 'fresh';
    let from = head;
    if (since !== null) {
      // Events after `since` must all still be in the log, and `since` cannot be in the future.
      const available = oldest === null ? since === head : since >= oldest - 1;
      if (since <= head && available) {
        resume = 'resumed';
        from = since;
      } else {
        resume = 'resync';
      }
    }
    const client: Client = {
      socket,
      token,
      user,
      lastSent: from,
      catchingUp: false,
      moreToRead: false,
      alive: true,
      closed: false,
      presenceFrames: 0,
      presenceWindowStart: now(),
    };
    clients.add(client);
    socket.on('pong', () => {
      client.alive = true;
    });
    socket.on('close', () => {
      client.closed = true;
      clients.delete(client);
      announce(presence.remove(client));
    });
    socket.on('error', () => socket.terminate());
    socket.on('message', (data, isBinary) => void onMessage(client, data.toString(), isBinary));
    send(client, {
      type: 'hello',
      hubTime: now(),
      headSeq: head,
      resume,
      user: { id: user.id, name: user.name, role: user.role },
      limits: { maxPayloadBytes: maxPayload, heartbeatMs },
    });
    // Who is where already: presence is not in the log, so a new socket hears it here.
    for (const change of presence.all()) {
      const people = change.people.filter((person) => person.userId !== user.id);
      if (people.length > 0)
        send(client, { type: 'presence', conversationId: change.conversationId, people });
    }
    if (resume === 'resumed') await catchUp(client);
  }

  async function onMessage(client: Client, text: string, isBinary: boolean): Promise<void> {
    if (isBinary) {
      send(client, { type: 'error', code: 'bad_request', message: 'Frames are JSON text.' });
      return;
    }
    let raw: unknown;
    try {
      raw = JSON.parse(text);
    } catch {
      send(client, { type: 'error', code: 'bad_request', message: 'The frame is not valid JSON.' });
      return;
    }
    // The same rule as the HTTP API's bodies: a NUL is refused, lone surrogates replaced.
    try {
      raw = storableInput(raw);
    } catch (error) {
      if (!(error instanceof HttpError)) throw error;
      send(client, { type: 'error', code: 'bad_request', message: error.message });
      return;
    }
    const parsed = clientFrameSchema.safeParse(raw);
    if (!parsed.success) {
      const clientId =
        typeof raw === 'object' &&
        raw !== null &&
        typeof (raw as { clientId?: unknown }).clientId === 'string'
          ? (raw as { clientId: string }).clientId.slice(0, 100)
          : undefined;
      send(client, {
        type: 'error',
        ...(clientId && /^[A-Za-z0-9_.:-]{8,100}$/.test(clientId) ? { clientId } : {}),
        code: 'bad_request',
        message: describeSchemaError(parsed.error),
      });
      return;
    }
    if (parsed.data.type !== 'command') {
      onPresence(client, parsed.data);
      return;
    }
    const { clientId, command } = parsed.data;
    try {
      const user = await stillSignedIn(client);
      if (!user) return;
      const result = await options.execute(command, { clientId, user });
      send(client, { type: 'ack', clientId, result });
      // The reply is out: its author stopped typing.
      if (command.type === 'send_message') announce(presence.stopTyping(client));
    } catch (error) {
      if (error instanceof HttpError) {
        send(client, {
          type: 'error',
          clientId,
          code: error.code,
          message: error.message,
          details: error.details,
        });
      } else {
        console.error('hub: command failed:', error instanceof Error ? error.message : error);
        send(client, {
          type: 'error',
          clientId,
          code: 'internal',
          message: 'The hub could not run the command.',
        });
      }
    }
  }

  /**
   * Tell every other socket what changed. A user is not told of their own presence (their other
   * windows included); a socket being closed (slow, or its user disabled) is told nothing.
   */
  function announce(changes: readonly PresenceChange[]): void {
    for (const change of changes) {
      for (const client of clients) {
        if (client.closed) continue;
        const news = [...change.changedUserIds].some((id) => id !== client.user.id);
        if (!news) continue;
        const people = change.people.filter((person) => person.userId !== client.user.id);
        send(client, { type: 'presence', conversationId: change.conversationId, people });
      }
    }
  }

  function onPresence(client: Client, frame: PresenceFrame): void {
    // A socket whose session ended is on its way out: it must not come back into view.
    if (client.closed) return;
    const at = now();
    if (at - client.presenceWindowStart >= PRESENCE.budgetWindowMs) {
      client.presenceWindowStart = at;
      client.presenceFrames = 0;
    }
    client.presenceFrames += 1;
    // Presence is cheap to send and fans out to everyone: a socket gets a fixed budget.
    if (client.presenceFrames > PRESENCE.budget) {
      if (client.presenceFrames === PRESENCE.budget + 1) {
        send(client, {
          type: 'error',
          code: 'rate_limited',
          message: `At most ${PRESENCE.budget} presence frames per ${PRESENCE.budgetWindowMs / 1000} s.`,
        });
      }
      return;
    }
    const user = { id: client.user.id, name: client.user.name };
    if (frame.type === 'typing') options.onTyping?.(frame.conversationId);
    announce(
      frame.type === 'typing'
        ? presence.typing(client, user, frame.conversationId)
        : presence.viewing(client, user, frame.conversationId),
    );
  }

  function onUpgrade(req: IncomingMessage, socket: Duplex, head: Buffer): void {
    const url = new URL(req.url ?? '/', 'http://hub.invalid');
    if (url.pathname !== REALTIME_PATH)
      return rejectUpgrade(socket, 404 as number, 'No WebSocket here.');
    const verdict = options.guard.check(req.headers);
    if (!verdict.ok) return rejectUpgrade(socket, 403, verdict.reason);
    const rawSince = url.searchParams.get('since');
    const since = rawSince === null ? null : Number(rawSince);
    if (since !== null && (!Number.isSafeInteger(since) || since < 0)) {
      return rejectUpgrade(socket, 400, 'since must be a whole number.');
    }
    const token = tokenFrom(req);
    if (!token) return rejectUpgrade(socket, 401, 'Sign in first: no token was offered.');
    options.authenticate(token).then(
      (user) => {
        if (!user) return rejectUpgrade(socket, 401, 'The token is not valid.');
        wss.handleUpgrade(req, socket, head, (ws) => {
          onConnection(ws, token, user, since).catch((error: unknown) => {
            console.error(
              'hub: realtime connection failed:',
              error instanceof Error ? error.message : error,
            );
            ws.close(1011, 'internal error');
          });
        });
        return undefined;
      },
      () => rejectUpgrade(socket, 503 as number, 'The hub is not ready.'),
    );
    return undefined;
  }

  options.server.on('upgrade', onUpgrade);

  // Heartbeat: a socket that missed a pong since the last ping is dead; drop it. Browsers answer
  // protocol pings without telling the page, so a `ping` frame goes along: the app, hearing
  // nothing for two periods, knows its socket is dead (after sleep, a lost Wi-Fi).
  const heartbeat = setInterval(() => {
    const frame = Buffer.from(
      JSON.stringify({ type: 'ping', hubTime: now() } satisfies ServerFrame),
    );
    for (const client of clients) {
      if (!client.alive) {
        client.socket.terminate();
        continue;
      }
      client.alive = false;
      client.socket.ping();
      if (!client.catchingUp) send(client, frame);
      // Sessions also end by expiring: an idle socket learns it here.
      stillSignedIn(client).catch(() => undefined);
    }
  }, heartbeatMs);
  heartbeat.unref();
  const expirePresence = (): void => announce(presence.expire());
  const sweep = setInterval(expirePresence, options.presenceSweepMs ?? 1_000);
  sweep.unref();

  return {
    clientCount: () => clients.size,
    disconnectUser(userId) {
      for (const client of clients) {
        if (client.user.id === userId) endSession(client);
      }
    },
    disconnectSession(token) {
      for (const client of clients) if (client.token === token) endSession(client);
    },
    expirePresence,
    async close() {
      clearInterval(heartbeat);
      clearInterval(sweep);
      unsubscribe();
      options.server.off('upgrade', onUpgrade);
      for (const client of clients) client.socket.close(CLOSE_CODES.goingAway, 'hub shutting down');
      await new Promise<void>((resolve) => wss.close(() => resolve()));
    },
  };
}
