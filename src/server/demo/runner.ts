import type { InboundEvent } from '../channels/types';
import type { DemoOrderInput } from '../orders/demo-store';
import { createDemoWorld, createLiveStream, type LiveStream } from './simulator';

export interface DemoTimers {
  setTimeout(fn: () => void, delayMs: number): unknown;
  clearTimeout(handle: unknown): void;
}

export interface DemoRunnerOptions {
  readonly seed: number;
  readonly now: () => number;
  /** The hub's ingestion: the same path a real channel's webhook takes. */
  readonly ingest: (event: InboundEvent) => Promise<void>;
  readonly orders: { upsert(orders: DemoOrderInput[]): Promise<number> };
  readonly timers?: DemoTimers;
  readonly customers?: number;
  readonly meanIntervalMs?: number;
  /** Called when a live message fails to ingest (the stream goes on). */
  readonly onError?: (error: unknown) => void;
}

export interface DemoRunner {
  stop(): void;
}

/**
 * When the process was suspended (a laptop asleep) the stream falls behind the clock. Rather than
 * replaying hours of messages in a burst, a stream further behind than this restarts at `now`.
 */
export const MAX_LAG_MS = 60_000;

const realTimers: DemoTimers = {
  setTimeout: (fn, delayMs) => setTimeout(fn, delayMs),
  clearTimeout: (handle) => clearTimeout(handle as ReturnType<typeof setTimeout>),
};

/**
 * Run the demo: store the orders, ingest the history (in order, each awaited), then feed live
 * customer messages at their times until `stop()`. Messages only ever enter through `ingest`.
 */
export async function startDemo(options: DemoRunnerOptions): Promise<DemoRunner> {
  const { seed, now, ingest } = options;
  const timers = options.timers ?? realTimers;
  const onError =
    options.onError ??
    ((error: unknown) =>
      console.error('demo: ingest failed:', error instanceof Error ? error.message : error));

  const world = createDemoWorld({ seed, now: now(), customers: options.customers });
  await options.orders.upsert(world.orders);
  for (const event of world.backfill) await ingest(event);

  const live = (start: number): LiveStream =>
    createLiveStream({
      seed,
      start,
      customers: options.customers,
      meanIntervalMs: options.meanIntervalMs,
    });
  let stream = live(now());
  let stopped = false;
  let handle: unknown = null;

  function scheduleNext(): void {
    if (stopped) return;
    const next = stream.next();
    handle = timers.setTimeout(
      () => {
        handle = null;
        if (stopped) return;
        if (now() - next.at > MAX_LAG_MS) {
          // Woken after a long pause: drop the stale message and carry on from now.
          stream = live(now());
        } else {
          // Not awaited: a slow commit must not delay the next message's timer.
          ingest(next.event).catch(onError);
        }
        scheduleNext();
      },
      Math.max(0, next.at - now()),
    );
  }
  scheduleNext();

  return {
    stop() {
      stopped = true;
      if (handle !== null) timers.clearTimeout(handle);
      handle = null;
    },
  };
}
