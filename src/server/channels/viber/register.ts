import { z } from 'zod';
import type { ChannelSettings, Refusal, SenderDeps, WebhookRegistration } from '../connector';
import { readAnswer, scrubber, viberRequest, type ViberAnswer } from './api';
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
 * One call of the Viber API for the Channels page's actions, its failures worded for the admin:
 * not reached, an answer without Viber's JSON, or Viber's refusal (`refused` names what it
 * refused).
 */
async function askViber(
  settings: ChannelSettings,
  method: string,
  body: unknown,
  deps: Pick<SenderDeps, 'fetch' | 'timeoutMs'>,
  words: { readonly doing: string; readonly refused: string },
): Promise<{ readonly ok: true; readonly answer: ViberAnswer } | Refusal> {
  const scrub = scrubber(settings, 500);
  const timeoutMs = deps.timeoutMs ?? DEFAULT_SEND_TIMEOUT_MS;
  let status: number;
  let text: string;
  try {
    const response = await viberRequest(settings, method, body, {
      fetch: deps.fetch ?? fetch,
      timeoutMs,
    });
    status = response.status;
    text = await response.text();
  } catch (error) {
    const detail = error instanceof Error ? error.message : String(error);
    return {
      ok: false,
      reason: scrub(`Could not reach the Viber API to ${words.doing} (${detail}).`),
      message: scrub(`Could not reach the Viber API (${detail}).`),
    };
  }
  const answer = readAnswer(text);
  if (status < 200 || status >= 300 || !answer) {
    return {
      ok: false,
      reason: `Viber's ${method} answered HTTP ${status} without its JSON.`,
      message: `The Viber API answered HTTP ${status}.`,
    };
  }
  if (answer.status !== 0) {
    const said = scrub(answer.status_message ?? `status ${answer.status}`);
    const refusal = `Viber refused ${words.refused}: ${said} (status ${answer.status}).`;
    return { ok: false, reason: refusal, message: refusal };
  }
  return { ok: true, answer };
}

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
  const asked = await askViber(
    settings,
    'set_webhook',
    { url: webhookUrl, event_types: VIBER_EVENT_TYPES, send_name: true, send_photo: true },
    deps,
    { doing: 'set the webhook', refused: 'the webhook' },
  );
  if (!asked.ok) return asked;
  const types = z.array(z.string()).safeParse(asked.answer['event_types']);
  return {
    ok: true,
    detail: `Viber delivers to ${webhookUrl}${types.success ? `: ${types.data.join(', ')}` : ''}.`,
  };
}

/** "Test connection": `get_account_info` names the bot the auth token opens. */
export async function testViberConnection(
  settings: ChannelSettings,
  deps: Pick<SenderDeps, 'fetch' | 'timeoutMs'>,
): Promise<WebhookRegistration> {
  const asked = await askViber(settings, 'get_account_info', {}, deps, {
    doing: 'read the account',
    refused: 'the auth token',
  });
  if (!asked.ok) return asked;
  const info = z
    .object({
      name: z.string().optional(),
      uri: z.string().optional(),
      subscribers_count: z.number().optional(),
      webhook: z.string().optional(),
    })
    .safeParse(asked.answer);
  const data = info.success ? info.data : {};
  const who = [data.name, data.uri ? `(${data.uri})` : null].filter(Boolean).join(' ') || 'the bot';
  const subscribers =
    data.subscribers_count === undefined
      ? ''
      : ` · ${data.subscribers_count.toLocaleString('en')} subscribers`;
  const webhook = data.webhook ? ` · delivers to ${data.webhook}` : ' · no webhook set';
  return { ok: true, detail: `Connected to ${who}${subscribers}${webhook}.` };
}
