import { describe, expect, it } from 'vitest';
import { CONNECTORS } from '../../src/server/channels/registry';
import type { InboundMessage } from '../../src/server/channels/types';
import { createDemoWorld } from '../../src/server/demo/simulator';
import { throughConnector } from '../../src/server/demo/through-connector';

/**
 * Issue #14 item 7: the demo's Messenger and Instagram customers go through their connectors'
 * signed webhooks and mapping, and come out as the simulator meant them.
 */
/** Text messages of Messenger and Instagram customers in the seed-7 demo history. */
const COUNT = 1105;

describe('demo traffic through the Meta connectors', () => {
  const world = createDemoWorld({ seed: 7, now: Date.parse('2026-12-01T12:00:00Z') });
  const meta = world.backfill.filter(
    (e): e is InboundMessage =>
      e.kind === 'message' && (e.channel === 'messenger' || e.channel === 'instagram'),
  );

  it('maps every demo text message back to the same event', () => {
    const texts = meta.filter((e) => e.content.type === 'text');
    // Each is a signed delivery of its connector, not the pass-through.
    const delivered = texts.filter((event) =>
      CONNECTORS.find((c) => c.channel === event.channel)?.demoDelivery?.(event),
    );
    expect(delivered.length).toBe(texts.length);
    expect(texts.length).toBe(COUNT);
    for (const event of texts) expect(throughConnector(CONNECTORS, event)).toEqual([event]);
  });

  it('hands files and other channels to ingestion as they are', () => {
    const others = world.backfill.filter(
      (e) => e.kind !== 'message' || e.content.type !== 'text' || e.channel === 'whatsapp',
    );
    for (const event of others.slice(0, 200))
      expect(throughConnector(CONNECTORS, event)).toEqual([event]);
  });
});
