import { z } from 'zod';
import { roleSchema } from '../domain/model';
import { clientIdSchema, commandSchema, ERROR_CODES } from './commands';
import { sequencedEventSchema } from './events';

/**
 * The WebSocket protocol between the app and the hub (docs/protocol.md). JSON text frames.
 * Authentication happens in the upgrade (subprotocol `replydesk.v1` plus `auth.<token>`);
 * `?since=<seq>` in the URL resumes after the last event the app applied.
 */
export const REALTIME_PATH = '/ws';
export const REALTIME_SUBPROTOCOL = 'replydesk.v1';
export const AUTH_SUBPROTOCOL_PREFIX = 'auth.';

/** Close codes in the private range (4000–4999). */
export const CLOSE_CODES = {
  /** The socket fell too far behind; reconnect with `since` = last applied seq. */
  slowConsumer: 4008,
  /** The session ended (signed out, user disabled). */
  sessionEnded: 4001,
  /** The hub is shutting down; reconnect later. */
  goingAway: 1001,
} as const;

export const serverFrameSchema = z.discriminatedUnion('type', [
  z.object({
    type: z.literal('hello'),
    /** The hub's clock, so apps correct for skew (DESIGN.md rule 5). */
    hubTime: z.number(),
    /** The newest seq at the time of the hello. */
    headSeq: z.number().int().min(0),
    /** `resumed`: missed events follow. `resync`: the gap is too old; reload from the API. */
    resume: z.enum(['resumed', 'resync', 'fresh']),
    user: z.object({ id: z.string(), name: z.string(), role: roleSchema }),
    /** Settings the app needs. */
    limits: z.object({
      maxPayloadBytes: z.number().int(),
      /**
       * The hub sends a `ping` frame this often (absent from older hubs): an app that hears
       * nothing for about two periods knows the socket is dead, which browsers cannot tell.
       */
      heartbeatMs: z.number().int().positive().optional(),
    }),
  }),
  /** Application-level heartbeat (docs/protocol.md), with the hub's clock. Needs no answer. */
  z.object({ type: z.literal('ping'), hubTime: z.number() }),
  z.object({ type: z.literal('events'), events: z.array(sequencedEventSchema) }),
  z.object({ type: z.literal('ack'), clientId: clientIdSchema, result: z.unknown() }),
  z.object({
    type: z.literal('error'),
    clientId: clientIdSchema.optional(),
    code: z.enum(ERROR_CODES),
    message: z.string(),
    details: z.unknown().optional(),
  }),
]);
export type ServerFrame = z.infer<typeof serverFrameSchema>;

export const clientFrameSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('command'), clientId: clientIdSchema, command: commandSchema }),
]);
export type ClientFrame = z.infer<typeof clientFrameSchema>;
