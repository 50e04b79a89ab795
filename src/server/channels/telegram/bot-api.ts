import { z } from 'zod';
import type { ChannelSettings } from '../connector';
import { methodUrl } from './settings';

/**
 * One Bot API call: `POST <api>/bot<token>/<method>` with a JSON or multipart body, answered
 * `{"ok":true,"result":…}` or `{"ok":false,"error_code","description","parameters"?}`
 * (core.telegram.org/bots/api#making-requests). Transport errors are thrown to the caller, who
 * knows whether the request may have gone out.
 */

export const errorAnswerSchema = z.object({
  ok: z.literal(false),
  error_code: z.number().int(),
  description: z.string().max(2000).default(''),
  parameters: z
    .object({
      retry_after: z.number().nonnegative().optional(),
      migrate_to_chat_id: z.number().optional(),
    })
    .optional(),
});
export type ErrorAnswer = z.infer<typeof errorAnswerSchema>;

export type BotApiAnswer =
  | { readonly ok: true; readonly status: number; readonly result: unknown }
  | { readonly ok: false; readonly status: number; readonly error: ErrorAnswer | null };

export async function callBotApi(
  settings: ChannelSettings,
  method: string,
  body: Record<string, unknown> | FormData,
  init: { readonly fetch: typeof fetch; readonly signal: AbortSignal },
): Promise<BotApiAnswer> {
  const json = !(body instanceof FormData);
  const response = await init.fetch(methodUrl(settings, method), {
    method: 'POST',
    headers: json
      ? { 'Content-Type': 'application/json', Accept: 'application/json' }
      : { Accept: 'application/json' },
    body: json ? JSON.stringify(body) : body,
    signal: init.signal,
  });
  const text = await response.text();
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    parsed = undefined;
  }
  if (response.ok && typeof parsed === 'object' && parsed !== null) {
    const answer = parsed as { ok?: unknown; result?: unknown };
    if (answer.ok === true) return { ok: true, status: response.status, result: answer.result };
  }
  const error = errorAnswerSchema.safeParse(parsed);
  return { ok: false, status: response.status, error: error.success ? error.data : null };
}
