import type { IncomingMessage, ServerResponse } from 'node:http';
import type { ChannelKind } from '../../shared/domain/channels';
import {
  WebhookPayloadError,
  type ChannelConnector,
  type ChannelSettings,
  type ParsedDelivery,
  type WebhookAnswer,
  type WebhookTools,
} from '../channels/connector';
import type { InboundEvent } from '../channels/types';
import type { Ingestor } from '../core/ingest';
import { badRequest, HttpError } from './errors';
import { readRawBody } from './body';
import { parseJson, sendJson } from './io';
import type { Router } from './router';
import { storableText } from './untrusted-text';

/**
 * What the admin's channel status shows (issue 5): when the platform's verification succeeded and
 * the last thing that went wrong. Never given a secret; messages say what failed, not with what.
 */
export interface WebhookMonitor {
  verified(): void;
  failed(reason: string): void;
  /**
   * Keep what a signed delivery held that could not be stored (a dead letter) and report it on
   * the channel's status. Resolves once it is kept: only then is the delivery answered 200.
   */
  keep(raw: Buffer, reasons: readonly string[]): Promise<void>;
}

/** Webhook bodies of the platforms are small; anything near this is not a real delivery. */
export const WEBHOOK_BODY_LIMIT = 1024 * 1024;

/**
 * Deliveries being read, verified or waiting for their commit at once, over all channels. Past it
 * a delivery is answered 503 at once, before its body is read: a hub offered more than it can
 * store keeps its memory bounded (every waiting request holds its socket, buffers and parsed
 * body), and the platform redelivers. About half a second of work at the hub's sustained rate.
 */
export const DEFAULT_WEBHOOKS_IN_FLIGHT = 1024;

/** How long a connector's `afterStored` call to its platform may take (each request). */
export const AFTER_STORED_TIMEOUT_MS = 10_000;

function busy(res: { setHeader(name: string, value: string): unknown }): HttpError {
  res.setHeader('Retry-After', '1');
  return new HttpError(503, 'rate_limited', 'The hub is busy; deliver this again shortly.');
}

const errorText = (error: unknown): string =>
  (error instanceof Error ? error.message : String(error)).slice(0, 300);

const describeEvent = (event: InboundEvent | undefined): string =>
  event ? `${event.kind} ${event.externalId}` : 'an event';

/** One route per channel: a second connector for a channel is a mistake, refused at start. */
export function checkOneConnectorPerChannel(connectors: readonly ChannelConnector[]): void {
  const channels = connectors.map((connector) => connector.channel);
  const twice = channels.filter((channel, i) => channels.indexOf(channel) !== i);
  if (twice.length > 0) throw new Error(`Two connectors for the channel ${twice.join(', ')}.`);
}

export interface ChannelWebhooksOptions {
  /** The registry's connectors (or a test's): each gets `/webhooks/<channel>`. */
  readonly connectors: readonly ChannelConnector[];
  /** The settings in force for a channel, read on every request (an admin may change them). */
  readonly settingsOf: (channel: ChannelKind) => ChannelSettings;
  /** Where each channel's verification, refusals and dead letters are recorded. */
  readonly monitorOf: (channel: ChannelKind) => WebhookMonitor;
  readonly ingestor: Ingestor;
  readonly maxInFlight?: number;
  /** Lent to a connector's `answer` (the hub's clock). */
  readonly tools?: WebhookTools;
}

/**
 * Every connector's webhooks, the same way (docs/adding-a-channel.md): the GET subscription
 * handshake where the platform has one; POST deliveries verified on the raw bytes before anything
 * is parsed (unsigned or forged → 401, nothing stored), then parsed and mapped by the connector,
 * then ingested. A valid delivery is answered 200 only after its events are committed (or kept as
 * a dead letter), so the platform retries anything we did not keep — and the retry is
 * deduplicated by the channel's message id. A channel not configured on this hub is 404.
 */
export function registerChannelWebhooks(
  router: Router,
  options: ChannelWebhooksOptions,
): { settle(): Promise<void> } {
  const { ingestor, settingsOf, monitorOf } = options;
  const tools: WebhookTools = options.tools ?? { now: Date.now };
  const maxInFlight = options.maxInFlight ?? DEFAULT_WEBHOOKS_IN_FLIGHT;
  let inFlight = 0;
  /** Connectors' `afterStored` work still running (the hub waits for it when it closes). */
  const background = new Set<Promise<void>>();
  checkOneConnectorPerChannel(options.connectors);

  for (const connector of options.connectors) {
    const path = `/webhooks/${connector.channel}`;
    const configured = (): ChannelSettings => {
      const settings = settingsOf(connector.channel);
      if (!connector.receives(settings))
        throw new HttpError(404, 'not_found', `${connector.name} is not configured on this hub.`);
      return settings;
    };

    const { handshake } = connector;
    if (handshake) {
      router.get(path, async ({ res, url }) => {
        const answer = handshake.call(connector, url, configured());
        const monitor = monitorOf(connector.channel);
        if (!answer.ok) {
          monitor.failed(answer.reason);
          throw new HttpError(403, 'forbidden', answer.message);
        }
        monitor.verified();
        res.writeHead(200, { 'Content-Type': 'text/plain; charset=utf-8' });
        res.end(answer.body);
      });
    }

    router.post(path, async ({ req, res, url }) => {
      const settings = configured();
      if (inFlight >= maxInFlight) throw busy(res);
      inFlight += 1;
      try {
        await receive(connector, settings, req, res, url);
      } finally {
        inFlight -= 1;
      }
    });
  }

  async function receive(
    connector: ChannelConnector,
    settings: ChannelSettings,
    req: IncomingMessage,
    res: ServerResponse,
    url: URL,
  ): Promise<void> {
    const monitor = monitorOf(connector.channel);
    const raw = await readRawBody(req, WEBHOOK_BODY_LIMIT);
    const verdict = connector.verify({ headers: req.headers, raw, url }, settings);
    if (!verdict.ok) {
      monitor.failed(verdict.reason);
      throw new HttpError(401, 'unauthorized', verdict.message);
    }
    let parsed: ParsedDelivery;
    let body: unknown;
    try {
      const decoded = connector.decode
        ? connector.decode({ headers: req.headers, raw, url }, settings)
        : parseJson(raw);
      // Text the platform relays from customers may hold what PostgreSQL cannot store (NUL, lone
      // surrogates): made storable here, so the message is kept rather than refused for days.
      body = storableText(decoded);
      parsed = connector.parse(body, settings);
    } catch (error) {
      if (error instanceof WebhookPayloadError) {
        monitor.failed(`A delivery was refused: ${error.message}`);
        throw badRequest(error.message);
      }
      throw error;
    }
    // Overloaded: the platform redelivers what was not answered 200, so refusing loses nothing
    // and keeps the backlog (and the hub's memory) bounded.
    if (!ingestor.hasRoomFor(parsed.events.length)) throw busy(res);
    const settled = await Promise.allSettled(parsed.events.map((event) => ingestor.ingest(event)));
    const results = settled.flatMap((r) => (r.status === 'fulfilled' ? [r.value] : []));
    const reasons = [
      ...parsed.lost,
      ...settled.flatMap((r, i) =>
        r.status === 'rejected'
          ? [`${describeEvent(parsed.events[i])}: ${errorText(r.reason)}`]
          : [],
      ),
    ];
    if (reasons.length > 0) await monitor.keep(raw, reasons);
    afterStored(
      connector,
      parsed.events.filter((_, i) => {
        const r = settled[i];
        return (
          r?.status === 'fulfilled' && r.value.kind === 'message' && r.value.outcome === 'stored'
        );
      }),
      settings,
    );
    const stored = results.filter((r) => r.kind === 'message' && r.outcome === 'stored').length;
    const duplicates = results.filter(
      (r) => r.kind === 'message' && r.outcome === 'duplicate',
    ).length;
    const answer = await answerOf(connector, body, parsed, settings);
    if (answer) {
      res.writeHead(answer.status, { 'Content-Type': answer.contentType });
      res.end(answer.body);
      return;
    }
    sendJson(res, 200, {
      received: parsed.events.length,
      stored,
      duplicates,
      deadLettered: reasons.length,
    });
  }

  /** The connector's work after the commit, in the background; a failure is logged, not retried. */
  function afterStored(
    connector: ChannelConnector,
    stored: readonly InboundEvent[],
    settings: ChannelSettings,
  ): void {
    const { afterStored: hook } = connector;
    if (!hook || stored.length === 0) return;
    const work: Promise<void> = Promise.resolve()
      .then(() => hook.call(connector, stored, settings, { timeoutMs: AFTER_STORED_TIMEOUT_MS }))
      .catch((error: unknown) => {
        const reason = `After a delivery: ${errorText(error)}`;
        console.error(`hub: ${connector.channel} webhook: ${reason}`);
        monitorOf(connector.channel).failed(reason);
      })
      .finally(() => background.delete(work));
    background.add(work);
  }

  /** The connector's own answer; a failing one is reported and replaced by the counts. */
  async function answerOf(
    connector: ChannelConnector,
    body: unknown,
    parsed: ParsedDelivery,
    settings: ChannelSettings,
  ): Promise<WebhookAnswer | null> {
    if (!connector.answer) return null;
    try {
      return await connector.answer(body, parsed, settings, tools);
    } catch (error) {
      monitorOf(connector.channel).failed(`Answering a delivery failed: ${errorText(error)}`);
      return null;
    }
  }

  return {
    async settle() {
      while (background.size > 0) await Promise.allSettled([...background]);
    },
  };
}
