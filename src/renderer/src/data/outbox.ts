import { z } from 'zod';
import { messageSchema, type Message } from '../../../shared/domain/model';
import {
  clientIdSchema,
  commandSchema,
  type Command,
  type ErrorCode,
  type OutgoingContent,
} from '../../../shared/protocol/commands';
import type { ClientFrame, ServerFrame } from '../../../shared/protocol/realtime';
import { describeSchemaError } from '../../../shared/ipc/contract';
import { retryDelay, type Timers } from './realtime';
import { storeMessages } from './cache-writes';
import type { ReplydeskDb } from './db';
import type { OutboxEntry, OutboxUpload, SendMessageOptions } from './types';

/**
 * The outbox (DESIGN.md rule 3; issue 4 item 9): every command is written to IndexedDB before
 * anything is sent, so a reply survives a crash, a reload and a hub that is away. The sender
 * sends entries strictly in `order`, one at a time, over the live socket; the hub's `ack`
 * deletes the entry (a `send_message` ack also stores the hub's message, so the reply never
 * disappears between the two), an `error` either leaves it queued (retryable) or marks it
 * failed with the hub's words, and the next entries continue. Resending is always safe: the
 * hub runs a client id once and answers every retry with the same result.
 */

/** Hub refusals that may go away by themselves: the entry stays queued and goes again. */
export const RETRYABLE_CODES: ReadonlySet<ErrorCode> = new Set(['internal', 'rate_limited']);
/**
 * Sends after which an entry is marked failed rather than tried forever (the socket died each
 * time, or the hub kept saying "later"); the agent can still retry it.
 */
export const MAX_SILENT_ATTEMPTS = 10;
/** How long the hub may take to answer a command before the socket is considered stuck. */
export const ACK_TIMEOUT_MS = 60_000;

/** A client id the hub accepts (clientIdSchema): `c_` and a random UUID. */
export function newClientId(): string {
  return clientIdSchema.parse(`c_${crypto.randomUUID()}`);
}

/** Thrown when a command is malformed: nothing is queued. */
export class InvalidCommandError extends Error {}

/** Write a command to the outbox and return its client id (valid before anything is sent). */
export async function enqueueCommand(
  db: ReplydeskDb,
  command: Command,
  options: {
    readonly now: () => number;
    readonly clientId?: () => string;
    /** The file the message carries, uploaded before the command goes. */
    readonly upload?: OutboxUpload;
  },
): Promise<string> {
  const parsed = commandSchema.safeParse(command);
  if (!parsed.success) {
    throw new InvalidCommandError(
      `This command cannot be sent: ${describeSchemaError(parsed.error)}`,
    );
  }
  const clientId = (options.clientId ?? newClientId)();
  await db.outbox.add({
    clientId,
    // A customer's edit or merge belongs to no conversation: keyed by the customer instead.
    conversationId:
      'conversationId' in parsed.data
        ? parsed.data.conversationId
        : `customer:${parsed.data.customerId}`,
    command: parsed.data,
    createdAt: options.now(),
    state: 'queued',
    error: null,
    attempts: 0,
    ...(options.upload ? { upload: options.upload } : {}),
  });
  return clientId;
}

export function sendMessageCommand(
  conversationId: string,
  content: OutgoingContent,
  options?: SendMessageOptions,
): Command {
  return {
    type: 'send_message',
    conversationId,
    content,
    ...(options?.tag ? { tag: options.tag } : {}),
    ...(options?.replyTo ? { replyTo: options.replyTo } : {}),
  };
}

/** Send a failed entry again, with the same client id. */
export async function retryEntry(db: ReplydeskDb, clientId: string): Promise<void> {
  await db.outbox
    .where('clientId')
    .equals(clientId)
    .and((entry) => entry.state === 'failed')
    .modify({ state: 'queued', error: null, attempts: 0 });
}

/** Drop a failed entry (one still waiting may already be on its way: it is kept). */
export async function discardEntry(db: ReplydeskDb, clientId: string): Promise<void> {
  await db.outbox
    .where('clientId')
    .equals(clientId)
    .and((entry) => entry.state === 'failed')
    .delete();
}

/**
 * Take back a reply that has not reached the hub yet (the agent cancelled its upload): deleted
 * unless its command is already on its way (`sending`), which only an answer settles.
 */
export async function cancelEntry(db: ReplydeskDb, clientId: string): Promise<boolean> {
  const removed = await db.outbox
    .where('clientId')
    .equals(clientId)
    .and((entry) => entry.state !== 'sending')
    .delete();
  return removed > 0;
}

/** The hub refused a file for good (too large, a type the channel does not take): not retried. */
export class UploadRefusedError extends Error {
  constructor(
    message: string,
    readonly code: ErrorCode,
  ) {
    super(message);
    this.name = 'UploadRefusedError';
  }
}

/** Entries that will still be sent (not failed). */
export function countWaiting(db: ReplydeskDb): Promise<number> {
  return db.outbox.filter((entry) => entry.state !== 'failed').count();
}

const ackedSendSchema = z.object({ message: messageSchema });

export interface OutboxSenderOptions {
  readonly db: ReplydeskDb;
  readonly timers: Timers;
  readonly random?: () => number;
  readonly ackTimeoutMs?: number;
  /** The outbox changed (an entry went, failed or was queued again). */
  readonly onChange: () => void;
  /** No answer to a command in time: the socket is stuck; the engine reconnects. */
  readonly onStuck: () => void;
  /**
   * Give the hub the file of an entry (`entry.upload`) before its command goes: resolves once
   * the hub has it; rejects with `UploadRefusedError` when it never will, with anything else when
   * it may later (offline: tried again after a pause). `signal` aborts when the entry is
   * cancelled or the socket goes.
   */
  readonly upload?: (entry: OutboxEntry, signal: AbortSignal) => Promise<void>;
}

export interface OutboxSender {
  /** A live socket: send through `send` (returns false if it cannot). */
  connected(send: (frame: string) => boolean, maxPayloadBytes: number): void;
  disconnected(): void;
  /** Something was queued or retried: send it if connected. */
  kick(): void;
  /** An `ack` or `error` frame of the hub. */
  handle(frame: Extract<ServerFrame, { type: 'ack' | 'error' }>): Promise<void>;
  /** Resolves when no send is being prepared (tests, shutdown). */
  idle(): Promise<void>;
  /** Stop the upload of an entry if it is running (the entry was cancelled). */
  abortUpload(clientId: string): void;
}

export function createOutboxSender(options: OutboxSenderOptions): OutboxSender {
  const { db, timers } = options;
  const random = options.random ?? Math.random;
  const ackTimeoutMs = options.ackTimeoutMs ?? ACK_TIMEOUT_MS;
  let send: ((frame: string) => boolean) | null = null;
  let maxPayload = Number.POSITIVE_INFINITY;
  /** The entry sent and not yet answered: strictly one at a time, so order holds. */
  let inFlight: { clientId: string; timer: unknown } | null = null;
  /** A retryable refusal: wait before sending that entry again. */
  let pauseTimer: unknown = null;
  let pumping: Promise<void> | null = null;
  let again = false;
  /** Bumped on every (dis)connection: a pump of an older socket stops. */
  let connection = 0;
  /** The upload running before an entry's command can go. */
  let uploading: { clientId: string; controller: AbortController } | null = null;

  function pauseThen(attempts: number): void {
    if (pauseTimer !== null) timers.clearTimeout(pauseTimer);
    pauseTimer = timers.setTimeout(
      () => {
        pauseTimer = null;
        pump();
      },
      retryDelay(attempts, random),
    );
  }

  /** Upload an entry's file; true when its command may go now. */
  async function uploadFirst(entry: OutboxEntry, conn: number): Promise<boolean> {
    const upload = entry.upload;
    if (!upload || upload.done) return true;
    if (!options.upload) {
      await fail(entry, 'bad_request', 'This app cannot send files.');
      return false;
    }
    const controller = new AbortController();
    uploading = { clientId: entry.clientId, controller };
    try {
      await options.upload(entry, controller.signal);
    } catch (error) {
      if (controller.signal.aborted || conn !== connection) return false;
      if (error instanceof UploadRefusedError) {
        await fail(entry, error.code, error.message);
        return false;
      }
      // The hub could not be reached: the same file goes again after a pause.
      console.warn(`Replydesk: the file of ${entry.clientId} will be uploaded later:`, error);
      await db.outbox
        .where('clientId')
        .equals(entry.clientId)
        .modify({ attempts: entry.attempts + 1 });
      pauseThen(entry.attempts);
      return false;
    } finally {
      if (uploading?.controller === controller) uploading = null;
    }
    const marked = await db.outbox
      .where('clientId')
      .equals(entry.clientId)
      .modify({ upload: { ...upload, done: true } });
    // Cancelled while the last bytes went: nothing is sent.
    return marked > 0 && conn === connection;
  }

  function clearInFlight(): void {
    if (inFlight) timers.clearTimeout(inFlight.timer);
    inFlight = null;
  }

  async function fail(
    entry: OutboxEntry,
    code: ErrorCode,
    message: string,
    details?: unknown,
  ): Promise<void> {
    await db.outbox
      .where('clientId')
      .equals(entry.clientId)
      .modify({
        state: 'failed',
        error: details === undefined ? { code, message } : { code, message, details },
      });
    options.onChange();
  }

  async function pumpOnce(): Promise<void> {
    const conn = connection;
    for (;;) {
      if (send === null || inFlight !== null || pauseTimer !== null || conn !== connection) return;
      const entry = await db.outbox
        .orderBy('order')
        .filter((e) => e.state !== 'failed')
        .first();
      if (!entry || send === null || conn !== connection) return;
      // The stored command is parsed again at this edge: an entry written by another app
      // version, or damaged on disk, fails with a reason instead of blocking the queue.
      const parsed = commandSchema.safeParse(entry.command);
      if (!parsed.success) {
        await fail(
          entry,
          'bad_request',
          `This app cannot send it: ${describeSchemaError(parsed.error)}`,
        );
        continue;
      }
      if (entry.attempts >= MAX_SILENT_ATTEMPTS) {
        await fail(
          entry,
          'internal',
          `The hub did not take it after ${entry.attempts} attempts; try again when the hub is back to normal.`,
        );
        continue;
      }
      if (!(await uploadFirst(entry, conn))) {
        if (pauseTimer !== null || send === null || conn !== connection) return;
        continue;
      }
      const frame = JSON.stringify({
        type: 'command',
        clientId: entry.clientId,
        command: parsed.data,
      } satisfies ClientFrame);
      if (new TextEncoder().encode(frame).length > maxPayload) {
        await fail(entry, 'payload_too_large', 'The message is larger than the hub accepts.');
        continue;
      }
      await db.outbox
        .where('clientId')
        .equals(entry.clientId)
        .modify({ state: 'sending', attempts: entry.attempts + 1 });
      if (send === null || conn !== connection) return;
      if (!send(frame)) return;
      inFlight = {
        clientId: entry.clientId,
        timer: timers.setTimeout(() => {
          if (inFlight?.clientId !== entry.clientId) return;
          console.warn(`Replydesk: no answer to command ${entry.clientId}; reconnecting.`);
          options.onStuck();
        }, ackTimeoutMs),
      };
      options.onChange();
      return;
    }
  }

  function pump(): void {
    if (pumping) {
      again = true;
      return;
    }
    pumping = pumpOnce()
      .catch((error: unknown) => {
        console.error('Replydesk: the outbox could not send:', error);
      })
      .finally(() => {
        pumping = null;
        if (again) {
          again = false;
          pump();
        }
      });
  }

  return {
    connected(sendFrame, maxPayloadBytes) {
      connection += 1;
      clearInFlight();
      send = sendFrame;
      maxPayload = maxPayloadBytes;
      pump();
    },
    disconnected() {
      connection += 1;
      send = null;
      clearInFlight();
      uploading?.controller.abort();
      uploading = null;
      if (pauseTimer !== null) timers.clearTimeout(pauseTimer);
      pauseTimer = null;
      // An entry left `sending` is sent again on the next connection, with the same client id.
    },
    kick() {
      pump();
    },
    async handle(frame) {
      if (frame.type === 'error' && frame.clientId === undefined) {
        console.warn(`Replydesk: the hub reported ${frame.code}: ${frame.message}`);
        return;
      }
      const clientId = frame.clientId;
      if (clientId === undefined) return;
      const entry = await db.outbox.where('clientId').equals(clientId).first();
      if (inFlight?.clientId === clientId) clearInFlight();
      if (entry) {
        if (frame.type === 'ack') {
          const acked =
            entry.command.type === 'send_message' ? ackedSendSchema.safeParse(frame.result) : null;
          await db.transaction('rw', db.outbox, db.messages, db.messageText, async () => {
            await db.outbox.where('clientId').equals(clientId).delete();
            // The hub's message, stored with the ack: the queued copy is replaced by it in
            // the same transaction, so the reply shows once and never goes missing.
            if (acked?.success)
              await storeMessages(db, [acked.data.message as Message], { newer: true });
          });
          options.onChange();
        } else if (RETRYABLE_CODES.has(frame.code)) {
          await db.outbox.where('clientId').equals(clientId).modify({ state: 'queued' });
          console.warn(`Replydesk: the hub will take ${clientId} later (${frame.code}).`);
          pauseThen(entry.attempts);
          options.onChange();
          return;
        } else {
          await fail(entry, frame.code, frame.message, frame.details);
        }
      }
      pump();
    },
    async idle() {
      while (pumping) await pumping;
    },
    abortUpload(clientId) {
      if (uploading?.clientId === clientId) uploading.controller.abort();
    },
  };
}
