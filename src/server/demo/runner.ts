import type { InboundEvent } from '../channels/types';
import type { DemoOrderInput } from '../orders/demo-store';
import { createDemoWorld, createLiveStream, type DemoStep, type LiveStream } from './simulator';
import type { DemoTeamPort } from './team';

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
  /** The simulated teammates (none: customers only, as a bare test wants). */
  readonly team?: DemoTeamPort;
  readonly timers?: DemoTimers;
  readonly historyDays?: number;
  readonly episodesPerHour?: number;
  /** Called when a live step fails (the stream goes on). */
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

/** Customer messages handed to ingestion at once while seeding: one transaction each. */
export const SEED_BATCH = 256;

const realTimers: DemoTimers = {
  setTimeout: (fn, delayMs) => setTimeout(fn, delayMs),
  clearTimeout: (handle) => clearTimeout(handle as ReturnType<typeof setTimeout>),
};

/**
 * Run the demo. A hub without a demo yet gets the history first: the orders, the customers'
 * messages through ingestion (in batches, each committed before the next), then the teammates'
 * replies, resolutions and SLA breaches in one bulk write. A hub that has one (a restart) keeps
 * it. Then the shop goes on live, each step at its time, until `stop()`.
 */
export async function startDemo(options: DemoRunnerOptions): Promise<DemoRunner> {
  const { seed, now, ingest, team } = options;
  const timers = options.timers ?? realTimers;
  const onError =
    options.onError ??
    ((error: unknown) =>
      console.error('demo: step failed:', error instanceof Error ? error.message : error));

  let stream: LiveStream;
  let nextOrder: number;
  const start = now();
  if (team && (await team.seeded())) {
    nextOrder = await team.nextOrderNumber();
    stream = createLiveStream({
      seed,
      start,
      firstOrderNumber: nextOrder,
      episodesPerHour: options.episodesPerHour,
    });
  } else {
    const world = createDemoWorld({
      seed,
      now: start,
      historyDays: options.historyDays,
      episodesPerHour: options.episodesPerHour,
    });
    await options.orders.upsert(world.orders);
    for (let i = 0; i < world.backfill.length; i += SEED_BATCH) {
      // Handed over together, so ingestion commits them as one batch.
      await Promise.all(world.backfill.slice(i, i + SEED_BATCH).map((event) => ingest(event)));
    }
    await team?.writeHistory(world, start);
    nextOrder = 1001 + world.orders.length;
    stream = world.live;
  }

  let stopped = false;
  let handle: unknown = null;

  async function perform(step: DemoStep): Promise<void> {
    switch (step.kind) {
      case 'customer':
        if (step.orders.length > 0) {
          await options.orders.upsert([...step.orders]);
          for (const order of step.orders)
            nextOrder = Math.max(nextOrder, Number(order.number) + 1);
        }
        return ingest(step.event);
      case 'reply':
        return team?.reply(step);
      case 'resolve':
        return team?.resolve(step);
    }
  }

  function scheduleNext(): void {
    if (stopped) return;
    let next = stream.next();
    // Without teammates the demo is its customers alone.
    while (!team && next.kind !== 'customer') next = stream.next();
    handle = timers.setTimeout(
      () => {
        handle = null;
        if (stopped) return;
        if (now() - next.at > MAX_LAG_MS) {
          // Woken after a long pause: drop the stale step and carry on from now.
          stream = createLiveStream({
            seed,
            start: now(),
            firstOrderNumber: nextOrder,
            episodesPerHour: options.episodesPerHour,
          });
        } else {
          // Not awaited: a slow commit must not delay the next step's timer.
          perform(next).catch(onError);
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
