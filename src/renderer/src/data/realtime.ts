import { z } from 'zod';
import { conversationSchema } from '../../../shared/domain/model';
import { hubEventSchema, type SequencedEvent } from '../../../shared/protocol/events';
import {
  REALTIME_PATH,
  serverFrameSchema,
  type ServerFrame,
} from '../../../shared/protocol/realtime';

/**
 * The edges of the hub connection (docs/api.md, docs/protocol.md): the conversation page schema,
 * the WebSocket address, frame parsing and the reconnect backoff. Pure, tested in
 * test/renderer/data/realtime.test.ts.
 */

export interface Timers {
  setTimeout(fn: () => void, delayMs: number): unknown;
  clearTimeout(handle: unknown): void;
}

export const MIN_RETRY_MS = 1_000;
export const MAX_RETRY_MS = 30_000;

export const conversationPageSchema = z.object({
  conversations: z.array(conversationSchema),
  nextCursor: z.string().nullable(),
  headSeq: z.number().int().min(0),
  hubTime: z.number(),
});

/** Exponential backoff, 1 s doubling to 30 s, with ±20 % jitter so clients do not stampede a hub that restarts. */
export function retryDelay(failures: number, random: () => number = Math.random): number {
  const base = Math.min(MAX_RETRY_MS, MIN_RETRY_MS * 2 ** Math.max(0, failures - 1));
  const jittered = base * (0.8 + 0.4 * random());
  return Math.round(Math.min(MAX_RETRY_MS, Math.max(MIN_RETRY_MS, jittered)));
}

/** `ws(s)://<hub>/ws?since=<seq>` for an `http(s)://` hub. */
export function realtimeUrl(hubUrl: string, since: number): string {
  const url = new URL(REALTIME_PATH, hubUrl);
  url.protocol = url.protocol === 'https:' ? 'wss:' : 'ws:';
  url.searchParams.set('since', String(since));
  return url.toString();
}

/**
 * An event of a type this app does not know, from a newer hub: its `seq` counts (the app stays
 * in step with the log) and nothing else is done with it.
 */
export interface SkippedEvent {
  readonly seq: number;
  readonly at: number;
  readonly event: { readonly type: 'unknown'; readonly name: string };
}
export type AppEvent = SequencedEvent | SkippedEvent;
export type AppServerFrame =
  Exclude<ServerFrame, { type: 'events' }> | { type: 'events'; events: AppEvent[] };

const KNOWN_EVENT_TYPES: ReadonlySet<string> = new Set(
  hubEventSchema.options.map((option) => option.shape.type.value),
);
const unknownEventSchema = z.object({
  seq: z.number().int().positive(),
  at: z.number(),
  event: z.looseObject({
    type: z.string().refine((type) => !KNOWN_EVENT_TYPES.has(type)),
  }),
});

/**
 * Events of types this app does not know, taken out of an events frame (so the rest is checked
 * whole), to be put back as `SkippedEvent`s. Events of known types are checked strictly.
 */
function withoutUnknownEvents(raw: unknown): { raw: unknown; skipped: SkippedEvent[] } {
  if (typeof raw !== 'object' || raw === null) return { raw, skipped: [] };
  const frame = raw as { type?: unknown; events?: unknown };
  if (frame.type !== 'events' || !Array.isArray(frame.events)) return { raw, skipped: [] };
  const skipped: SkippedEvent[] = [];
  const known: unknown[] = [];
  for (const event of frame.events) {
    const unknown = unknownEventSchema.safeParse(event);
    if (unknown.success) {
      const { seq, at, event: inner } = unknown.data;
      skipped.push({ seq, at, event: { type: 'unknown', name: inner.type } });
    } else known.push(event);
  }
  return { raw: { ...frame, events: known }, skipped };
}

/** Parse a frame at the edge (DESIGN.md rule 7): anything else is reported and changes nothing. */
export function parseServerFrame(
  data: unknown,
): { ok: true; frame: AppServerFrame } | { ok: false; error: string } {
  if (typeof data !== 'string') return { ok: false, error: 'a binary frame' };
  let json: unknown;
  try {
    json = JSON.parse(data);
  } catch {
    return { ok: false, error: 'a frame that is not JSON' };
  }
  const { raw, skipped } = withoutUnknownEvents(json);
  const parsed = serverFrameSchema.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    return {
      ok: false,
      error: `an invalid frame (${issue ? `${issue.path.join('.') || 'frame'}: ${issue.message}` : 'unknown'})`,
    };
  }
  if (parsed.data.type !== 'events' || skipped.length === 0)
    return { ok: true, frame: parsed.data };
  const events: AppEvent[] = [...parsed.data.events, ...skipped].sort((a, b) => a.seq - b.seq);
  return { ok: true, frame: { type: 'events', events } };
}
