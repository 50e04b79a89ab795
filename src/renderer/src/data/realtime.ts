import { z } from 'zod';
import { conversationSchema } from '../../../shared/domain/model';
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

/** Parse a frame at the edge (DESIGN.md rule 7): anything else is reported and changes nothing. */
export function parseServerFrame(
  data: unknown,
): { ok: true; frame: ServerFrame } | { ok: false; error: string } {
  if (typeof data !== 'string') return { ok: false, error: 'a binary frame' };
  let raw: unknown;
  try {
    raw = JSON.parse(data);
  } catch {
    return { ok: false, error: 'a frame that is not JSON' };
  }
  const parsed = serverFrameSchema.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    return {
      ok: false,
      error: `an invalid frame (${issue ? `${issue.path.join('.') || 'frame'}: ${issue.message}` : 'unknown'})`,
    };
  }
  return { ok: true, frame: parsed.data };
}
