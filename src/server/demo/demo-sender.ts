import type { ChannelKind } from '../../shared/domain/channels';
import type { ChannelSender, InboundStatus, OutboundRequest, SendResult } from '../channels/types';
import { createRng, hashSeed } from './simulator';

export interface DemoSenderOptions {
  /** Runs `fn` after `delayMs` (the hub's timers; a fake scheduler in tests). */
  readonly schedule: (delayMs: number, fn: () => void) => void;
  /** Where delivery statuses go: the hub's ingestion, like a channel's status webhook. */
  readonly onStatus: (status: InboundStatus) => void;
  readonly now: () => number;
  readonly seed?: number;
}

/** Share of messages the demo customer never opens. */
const NEVER_READ = 0.2;

/**
 * The demo channel's outgoing side: accepts every message, then reports it `sent` at once,
 * `delivered` 1–4 s later and (for most) `read` 5–40 s after sending, as WhatsApp's status
 * webhooks would. Deterministic for a seed (and the order of sends).
 *
 * Ids are `demo-out.<creation time, base 36>.<n>`: the hub stores them in a unique index, so a
 * restarted hub (same data folder, counter back at 1) must not hand out ids it used before.
 */
export function createDemoSender(channel: ChannelKind, options: DemoSenderOptions): ChannelSender {
  const { schedule, onStatus, now } = options;
  // One sequence per channel, so the order of sends on one channel does not shift another's.
  const rng = createRng(
    hashSeed(options.seed ?? 1, 0x5e4d, ...Array.from(channel, (char) => char.charCodeAt(0))),
  );
  const epoch = Math.floor(now()).toString(36);
  let count = 0;

  return {
    channel,
    send(request: OutboundRequest): Promise<SendResult> {
      count += 1;
      const externalId = `demo-out.${epoch}.${count}`;
      const sentAt = now();
      const deliveredAfter = rng.int(1_000, 4_000);
      const readAfter = rng.chance(NEVER_READ) ? null : rng.int(5_000, 40_000);
      const report = (status: InboundStatus['status'], delayMs: number): void =>
        schedule(delayMs, () =>
          onStatus({
            kind: 'status',
            channel: request.channel,
            channelAccountId: request.channelAccountId,
            externalId,
            status,
            at: sentAt + delayMs,
            recipientId: request.to,
          }),
        );
      // Even `sent` goes through the scheduler: the hub records the external id only after
      // send() resolves, and a status for an id it does not know yet would be dropped.
      report('sent', 0);
      report('delivered', deliveredAfter);
      if (readAfter !== null) report('read', readAfter);
      return Promise.resolve({ ok: true, externalId });
    },
  };
}
