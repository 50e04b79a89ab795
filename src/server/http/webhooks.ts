import type { IncomingMessage, ServerResponse } from 'node:http';
import { answerSubscription } from '../channels/whatsapp/verify';
import { verifyWebhookSignature } from '../channels/whatsapp/signature';
import { parseWhatsAppWebhook, WebhookPayloadError } from '../channels/whatsapp/webhook';
import type { InboundEvent } from '../channels/types';
import type { Ingestor } from '../core/ingest';
import { badRequest, HttpError } from './errors';
import { parseJson, readRawBody, sendJson } from './io';
import type { Router } from './router';
import { storableText } from './untrusted-text';

export interface WhatsAppWebhookConfig {
  readonly appSecret: string;
  readonly verifyToken: string;
}

/**
 * What the admin's channel status shows (issue 5): when Meta's verification succeeded and the
 * last thing that went wrong. Never given a secret; messages say what failed, not with what.
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

/** Problems after which something the customer sent is not stored (webhook.ts's wording). */
const LOST = /\((message|change) skipped\)$/;

/** Meta's webhook bodies are small; anything near this is not a real delivery. */
export const WEBHOOK_BODY_LIMIT = 1024 * 1024;

/**
 * Deliveries being read, verified or waiting for their commit at once. Past it a delivery is
 * answered 503 at once, before its body is read: a hub offered more than it can store keeps its
 * memory bounded (every waiting request holds its socket, buffers and parsed body), and Meta
 * redelivers. About half a second of work at the hub's sustained rate.
 */
export const DEFAULT_WEBHOOKS_IN_FLIGHT = 1024;

function busy(res: { setHeader(name: string, value: string): unknown }): HttpError {
  res.setHeader('Retry-After', '1');
  return new HttpError(503, 'rate_limited', 'The hub is busy; deliver this again shortly.');
}

/**
 * WhatsApp Cloud API webhooks (CHANNELS.md). The signature is checked on the raw bytes before
 * anything is parsed; an unsigned or forged delivery gets 401 and nothing is stored. A valid
 * one is answered 200 only after its messages are committed, so Meta retries anything we did
 * not keep — and the retry is deduplicated by `wamid`.
 */
const errorText = (error: unknown): string =>
  (error instanceof Error ? error.message : String(error)).slice(0, 300);

const describeEvent = (event: InboundEvent | undefined): string =>
  event ? `${event.kind} ${event.externalId}` : 'an event';

export function registerWhatsAppWebhooks(
  router: Router,
  /** The secrets in force; a function when an admin may change them while the hub runs. */
  configOf: WhatsAppWebhookConfig | null | (() => WhatsAppWebhookConfig | null),
  ingestor: Ingestor,
  monitor?: WebhookMonitor,
  maxInFlight = DEFAULT_WEBHOOKS_IN_FLIGHT,
): void {
  let inFlight = 0;
  const current = (): WhatsAppWebhookConfig | null =>
    typeof configOf === 'function' ? configOf() : configOf;

  router.get('/webhooks/whatsapp', async ({ res, url }) => {
    const config = current();
    if (!config) throw new HttpError(404, 'not_found', 'WhatsApp is not configured on this hub.');
    const answer = answerSubscription(url.searchParams, config.verifyToken);
    if (!answer.ok) {
      monitor?.failed('Webhook verification refused: the verify token did not match.');
      throw new HttpError(403, 'forbidden', 'The verify token does not match.');
    }
    monitor?.verified();
    res.writeHead(200, { 'Content-Type': 'text/plain; charset=utf-8' });
    res.end(answer.challenge);
  });

  router.post('/webhooks/whatsapp', async ({ req, res }) => {
    const config = current();
    if (!config) throw new HttpError(404, 'not_found', 'WhatsApp is not configured on this hub.');
    if (inFlight >= maxInFlight) throw busy(res);
    inFlight += 1;
    try {
      await receive(req, res, config);
    } finally {
      inFlight -= 1;
    }
  });

  async function receive(
    req: IncomingMessage,
    res: ServerResponse,
    config: WhatsAppWebhookConfig,
  ): Promise<void> {
    const raw = await readRawBody(req, WEBHOOK_BODY_LIMIT);
    const signature = req.headers['x-hub-signature-256'];
    if (
      !verifyWebhookSignature(
        raw,
        typeof signature === 'string' ? signature : undefined,
        config.appSecret,
      )
    ) {
      monitor?.failed('A delivery was refused: its X-Hub-Signature-256 was missing or wrong.');
      throw new HttpError(
        401,
        'unauthorized',
        'The X-Hub-Signature-256 signature is missing or wrong.',
      );
    }
    let parsed: ReturnType<typeof parseWhatsAppWebhook>;
    try {
      // Text Meta relays from customers may hold what PostgreSQL cannot store (NUL, lone
      // surrogates): made storable here, so the message is kept rather than refused for days.
      parsed = parseWhatsAppWebhook(storableText(parseJson(raw)));
    } catch (error) {
      if (error instanceof WebhookPayloadError) {
        monitor?.failed(`A delivery was refused: ${error.message}`);
        throw badRequest(error.message);
      }
      throw error;
    }
    // Overloaded: Meta redelivers what was not answered 200, so refusing loses nothing and
    // keeps the backlog (and the hub's memory) bounded.
    if (!ingestor.hasRoomFor(parsed.events.length)) throw busy(res);
    const settled = await Promise.allSettled(parsed.events.map((event) => ingestor.ingest(event)));
    const results = settled.flatMap((r) => (r.status === 'fulfilled' ? [r.value] : []));
    const reasons = [
      ...parsed.problems.filter((problem) => LOST.test(problem)),
      ...settled.flatMap((r, i) =>
        r.status === 'rejected'
          ? [`${describeEvent(parsed.events[i])}: ${errorText(r.reason)}`]
          : [],
      ),
    ];
    if (reasons.length > 0) {
      // Without somewhere to keep it, the delivery fails and the channel redelivers it.
      if (!monitor) throw new Error(`A delivery could not be stored: ${reasons.join('; ')}`);
      await monitor.keep(raw, reasons);
    }
    const stored = results.filter((r) => r.kind === 'message' && r.outcome === 'stored').length;
    const duplicates = results.filter(
      (r) => r.kind === 'message' && r.outcome === 'duplicate',
    ).length;
    sendJson(res, 200, {
      received: parsed.events.length,
      stored,
      duplicates,
      deadLettered: reasons.length,
    });
  }
}
