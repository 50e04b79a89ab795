import { z } from 'zod';
import type { ChannelSettings, SenderDeps, WebhookRegistration } from '../connector';
import { readAnswer, scrubber, viberRequest } from './api';
import { DEFAULT_SEND_TIMEOUT_MS } from './sender';

/** The callbacks the hub reads; `message` always comes and is not named (CHANNEL-API.md §6.1). */
export const VIBER_EVENT_TYPES = [
  'delivered',
  'seen',
  'failed',
  'subscribed',
  'unsubscribed',
  'conversation_started',
] as const;

/**
 * `POST /pa/set_webhook {url, event_types, send_name, send_photo}`. Viber checks the URL with a
 * signed `event: "webhook"` callback before answering, so the hub must already receive Viber
 * (its auth token saved) for this to succeed.
 */
export async function registerViberWebhook(
  webhookUrl: string,
  settings: ChannelSettings,
  deps: Pick<SenderDeps, 'fetch' | 'timeoutMs'>,
): Promise<WebhookRegistration> {
  const scrub = scrubber(settings, 500);
  const timeoutMs = deps.timeoutMs ?? DEFAULT_SEND_TIMEOUT_MS;
  let status: number;
  let text: string;
  try {
    const response = await viberRequest(
      settings,
      'set_webhook',
      { url: webhookUrl, event_types: VIBER_EVENT_TYPES, send_name: true, send_photo: true },
      { fetch: deps.fetch ?? fetch, timeoutMs },
    );
    status = response.status;
    text = await response.text();
  } catch (error) {
    const detail = error instanceof Error ? error.message : String(error);
    return {
      ok: false,
      reason: scrub(`Could not reach the Viber API to set the webhook (${detail}).`),
      message: scrub(`Could not reach the Viber API (${detail}).`),
    };
  }
  const answer = readAnswer(text);
  if (status < 200 || status >= 300 || !answer) {
    return {
      ok: false,
      reason: `Viber's set_webhook answered HTTP ${status} without its JSON.`,
      message: `The Viber API answered HTTP ${status}.`,
    };
  }
  if (answer.status !== 0) {
    const said = scrub(answer.status_message ?? `status ${answer.status}`);
    return {
      ok: false,
      reason: `Viber refused the webhook: ${said} (status ${answer.status}).`,
      message: `Viber refused the webhook: ${said} (status ${answer.status}).`,
    };
  }
  const types = z.array(z.string()).safeParse(answer['event_types']);
  return {
    ok: true,
    detail: `Viber delivers to ${webhookUrl}${types.success ? `: ${types.data.join(', ')}` : ''}.`,
  };
}
