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

/**
 * Presence (issue 12, item 13): who else is viewing or typing in a conversation. Ephemeral: held
 * in the hub's memory, never in the event log, gone after `*TtlMs` without a refresh. The app
 * refreshes `viewing` every `viewingRefreshMs` while a conversation is open and sends `typing`
 * at most every `typingThrottleMs` while the agent types.
 */
export const PRESENCE = {
  viewingTtlMs: 12_000,
  viewingRefreshMs: 5_000,
  typingTtlMs: 5_000,
  typingThrottleMs: 2_000,
  /** Presence frames a socket may send per `budgetWindowMs`; more are refused (rate_limited). */
  budget: 30,
  budgetWindowMs: 10_000,
} as const;

const conversationIdSchema = z.string().min(1).max(100);
export const presenceActivitySchema = z.enum(['viewing', 'typing']);
export type PresenceActivity = z.infer<typeof presenceActivitySchema>;
export const presencePersonSchema = z.object({
  userId: z.string(),
  name: z.string(),
  activity: presenceActivitySchema,
});
export type PresencePerson = z.infer<typeof presencePersonSchema>;

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
  /**
   * Everyone else now viewing or typing in one conversation (never the receiving user), sent
   * when that changes and once per conversation after the hello; `people: []` when nobody is.
   */
  z.object({
    type: z.literal('presence'),
    conversationId: conversationIdSchema,
    people: z.array(presencePersonSchema).max(500),
  }),
]);
export type ServerFrame = z.infer<typeof serverFrameSchema>;

export const clientFrameSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('command'), clientId: clientIdSchema, command: commandSchema }),
  /** I have this conversation open (`null`: none any more). Refreshed while it stays open. */
  z.object({ type: z.literal('viewing'), conversationId: conversationIdSchema.nullable() }),
  /** I am typing a reply in this conversation (which I am viewing, then). */
  z.object({ type: z.literal('typing'), conversationId: conversationIdSchema }),
]);
export type PresenceFrame = Extract<ClientFrame, { type: 'viewing' | 'typing' }>;
export type ClientFrame = z.infer<typeof clientFrameSchema>;
