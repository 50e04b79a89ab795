import { z } from 'zod';
import { settingOf, type ChannelConnector } from '../connector';
import { callBotApi, type BotApiAnswer } from './bot-api';
import { scrubber } from './settings';
import { causeCode } from '../fetch-errors';

/**
 * The Channels page's "register webhook" (CHANNEL-API.md §4.1): `setWebhook` with the hub's URL,
 * the secret token every delivery must then carry, and the updates the connector maps; then
 * `getWebhookInfo` for what Telegram has queued.
 */

export const ALLOWED_UPDATES = ['message', 'edited_message', 'callback_query', 'my_chat_member'];
const DEFAULT_TIMEOUT_MS = 15_000;

const webhookInfoSchema = z.object({
  url: z.string(),
  pending_update_count: z.number().int().nonnegative(),
  last_error_message: z.string().optional(),
});

export const registerTelegramWebhook: NonNullable<ChannelConnector['registerWebhook']> = async (
  webhookUrl,
  settings,
  deps,
) => {
  const scrub = scrubber(settings, 500);
  const init = {
    fetch: deps.fetch ?? fetch,
    signal: AbortSignal.timeout(deps.timeoutMs ?? DEFAULT_TIMEOUT_MS),
  };
  const refusal = (text: string) => ({ ok: false as const, reason: text, message: text });
  let set: BotApiAnswer;
  let info: BotApiAnswer;
  try {
    set = await callBotApi(
      settings,
      'setWebhook',
      {
        url: webhookUrl,
        secret_token: settingOf(settings, 'webhookSecret'),
        allowed_updates: ALLOWED_UPDATES,
      },
      init,
    );
    if (!set.ok) {
      const description = scrub(set.error?.description ?? `HTTP ${set.status}`);
      return refusal(`Telegram refused the webhook: ${description}.`);
    }
    info = await callBotApi(settings, 'getWebhookInfo', {}, init);
  } catch (error) {
    const cause = causeCode(error);
    const detail = cause ?? (error instanceof Error ? error.message : String(error));
    return refusal(scrub(`Could not reach Telegram (${detail}).`));
  }
  const parsed = info.ok ? webhookInfoSchema.safeParse(info.result) : null;
  if (!parsed?.success) {
    return { ok: true, detail: `Telegram delivers to ${webhookUrl}.` };
  }
  const { pending_update_count: pending, last_error_message: lastError } = parsed.data;
  return {
    ok: true,
    detail: `Telegram delivers to ${parsed.data.url}; ${pending} update${pending === 1 ? '' : 's'} pending${lastError ? `; last error: ${scrub(lastError)}` : ''}.`,
  };
};
