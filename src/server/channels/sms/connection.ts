import type { Refusal } from '../connector';
import type { SmsSendOptions } from './provider';

/**
 * One authenticated GET for an SMS provider's "Test connection" (vonage/connection.ts,
 * bird/connection.ts): the answer's status and text, or the refusal when the provider was not
 * reached (the detail scrubbed of every secret).
 */
export async function readForTest(
  url: string,
  authorization: string,
  provider: string,
  options: SmsSendOptions,
  scrub: (text: string) => string,
): Promise<{ readonly status: number; readonly text: string } | Refusal> {
  try {
    const response = await options.fetch(url, {
      method: 'GET',
      headers: { Authorization: authorization, Accept: 'application/json' },
      signal: AbortSignal.timeout(options.timeoutMs),
    });
    return { status: response.status, text: await response.text() };
  } catch (error) {
    const detail = scrub(error instanceof Error ? error.message : String(error));
    const said = `Could not reach ${provider} (${detail}).`;
    return { ok: false, reason: said, message: said };
  }
}

/** A refusal the admin reads as is, on the channel's status and in the answer. */
export const testRefusal = (said: string): Refusal => ({ ok: false, reason: said, message: said });
