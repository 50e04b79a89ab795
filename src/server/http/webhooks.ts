import { answerSubscription } from '../channels/whatsapp/verify';
import { verifyWebhookSignature } from '../channels/whatsapp/signature';
import { parseWhatsAppWebhook, WebhookPayloadError } from '../channels/whatsapp/webhook';
import type { Ingestor } from '../core/ingest';
import { badRequest, HttpError } from './errors';
import { parseJson, readRawBody, sendJson } from './io';
import type { Router } from './router';

export interface WhatsAppWebhookConfig {
  readonly appSecret: string;
  readonly verifyToken: string;
}

/** Meta's webhook bodies are small; anything near this is not a real delivery. */
export const WEBHOOK_BODY_LIMIT = 1024 * 1024;

/**
 * WhatsApp Cloud API webhooks (CHANNELS.md). The signature is checked on the raw bytes before
 * anything is parsed; an unsigned or forged delivery gets 401 and nothing is stored. A valid
 * one is answered 200 only after its messages are committed, so Meta retries anything we did
 * not keep — and the retry is deduplicated by `wamid`.
 */
export function registerWhatsAppWebhooks(
  router: Router,
  config: WhatsAppWebhookConfig | null,
  ingestor: Ingestor,
): void {
  router.get('/webhooks/whatsapp', async ({ res, url }) => {
    if (!config) throw new HttpError(404, 'not_found', 'WhatsApp is not configured on this hub.');
    const answer = answerSubscription(url.searchParams, config.verifyToken);
    if (!answer.ok) throw new HttpError(403, 'forbidden', 'The verify token does not match.');
    res.writeHead(200, { 'Content-Type': 'text/plain; charset=utf-8' });
    res.end(answer.challenge);
  });

  router.post('/webhooks/whatsapp', async ({ req, res }) => {
    if (!config) throw new HttpError(404, 'not_found', 'WhatsApp is not configured on this hub.');
    const raw = await readRawBody(req, WEBHOOK_BODY_LIMIT);
    const signature = req.headers['x-hub-signature-256'];
    if (
      !verifyWebhookSignature(
        raw,
        typeof signature === 'string' ? signature : undefined,
        config.appSecret,
      )
    ) {
      throw new HttpError(
        401,
        'unauthorized',
        'The X-Hub-Signature-256 signature is missing or wrong.',
      );
    }
    let parsed: ReturnType<typeof parseWhatsAppWebhook>;
    try {
      parsed = parseWhatsAppWebhook(parseJson(raw));
    } catch (error) {
      if (error instanceof WebhookPayloadError) throw badRequest(error.message);
      throw error;
    }
    const results = await Promise.all(parsed.events.map((event) => ingestor.ingest(event)));
    const stored = results.filter((r) => r.kind === 'message' && r.outcome === 'stored').length;
    const duplicates = results.filter(
      (r) => r.kind === 'message' && r.outcome === 'duplicate',
    ).length;
    sendJson(res, 200, { received: parsed.events.length, stored, duplicates });
  });
}
