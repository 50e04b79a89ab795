import { z } from 'zod';
import { settingOf, type ChannelSettings } from '../connector';
import { parseExactJson } from './exact-json';
import { apiBase } from './settings';

/**
 * One call to Viber's REST Bot API (CHANNEL-API.md §6.1): `POST {base}/pa/<method>` with
 * `X-Viber-Auth-Token`, JSON both ways. Errors come as HTTP 200 with `status != 0` (§6.5), so the
 * caller reads `status`; the answer is read with its 64-bit `message_token` kept exact.
 */

export const viberAnswerSchema = z
  .object({
    status: z.number().int(),
    status_message: z.string().max(2000).optional(),
    message_token: z
      .union([
        z.string().regex(/^\d{1,20}$/),
        // z.number().int() refuses integers above 2^53: a rounded token is still a token.
        z.number().nonnegative().refine(Number.isInteger),
      ])
      .optional(),
  })
  .passthrough();
export type ViberAnswer = z.infer<typeof viberAnswerSchema>;

export function viberRequest(
  settings: ChannelSettings,
  method: string,
  body: unknown,
  options: { readonly fetch: typeof fetch; readonly timeoutMs: number },
): Promise<Response> {
  return options.fetch(`${apiBase(settings)}/pa/${method}`, {
    method: 'POST',
    headers: {
      'X-Viber-Auth-Token': settingOf(settings, 'authToken'),
      'Content-Type': 'application/json',
      Accept: 'application/json',
    },
    body: typeof body === 'string' ? body : JSON.stringify(body),
    signal: AbortSignal.timeout(options.timeoutMs),
  });
}

/** The answer's JSON (long integers exact), or null when it is not JSON of Viber's shape. */
export function readAnswer(text: string): ViberAnswer | null {
  let json: unknown;
  try {
    json = parseExactJson(text);
  } catch {
    return null;
  }
  const parsed = viberAnswerSchema.safeParse(json);
  return parsed.success ? parsed.data : null;
}

/** The token as redacted text in anything an agent or admin reads. */
export function scrubber(settings: ChannelSettings, max = 1000): (text: string) => string {
  const token = settingOf(settings, 'authToken');
  return (text) => {
    const clean = token.length > 0 ? text.split(token).join('[redacted]') : text;
    return clean.length > max ? `${clean.slice(0, max - 1)}…` : clean;
  };
}
