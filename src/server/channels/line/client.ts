import { z } from 'zod';
import { settingOf, type ChannelSettings } from '../connector';
import { DEFAULT_LINE_API_URL, baseOf } from './settings';
import { causeCode } from '../fetch-errors';

/**
 * Calls to LINE's Messaging API (CHANNEL-API.md §5.3): `Authorization: Bearer <channel access
 * token>`, JSON in and out, errors as `{"message","details":[{"message","property"}]}`. The token
 * never appears in what this module answers (`scrub`).
 */

export const DEFAULT_LINE_TIMEOUT_MS = 15_000;
const MAX_REASON_LENGTH = 1000;

export interface LineCallDeps {
  readonly fetch?: typeof fetch;
  readonly timeoutMs?: number;
}

export interface LineAnswer {
  readonly status: number;
  readonly headers: Headers;
  readonly text: string;
  /** The body as JSON, undefined when it is not JSON. */
  readonly json: unknown;
}

export const lineErrorSchema = z.object({
  message: z.string().max(2000),
  details: z
    .array(
      z.object({
        message: z.string().max(2000).optional(),
        property: z.string().max(500).optional(),
      }),
    )
    .optional(),
});

/** Removes the channel access token from a text and keeps it short. */
export function scrubber(settings: ChannelSettings): (text: string) => string {
  const token = settingOf(settings, 'channelAccessToken');
  return (text) => {
    const clean = token.length > 0 ? text.split(token).join('[redacted]') : text;
    return clean.length > MAX_REASON_LENGTH ? `${clean.slice(0, MAX_REASON_LENGTH - 1)}…` : clean;
  };
}

/** LINE's error message with its details (`property: message`), '' when the body has none. */
export function lineErrorText(json: unknown): string {
  const parsed = lineErrorSchema.safeParse(json);
  if (!parsed.success) return '';
  const details = (parsed.data.details ?? [])
    .slice(0, 5)
    .map((d) => [d.property, d.message].filter(Boolean).join(': '))
    .filter((d) => d !== '');
  return details.length > 0
    ? `${parsed.data.message} (${details.join('; ')})`
    : parsed.data.message;
}

/**
 * One call to the Messaging API at `path` (`/v2/bot/message/push`). Throws what fetch throws
 * (no connection, timeout): the callers decide what that means for them.
 */
export async function lineCall(
  settings: ChannelSettings,
  deps: LineCallDeps,
  method: 'GET' | 'POST' | 'PUT',
  path: string,
  body?: unknown,
  headers: Record<string, string> = {},
): Promise<LineAnswer> {
  const base = baseOf(settingOf(settings, 'apiUrl') || DEFAULT_LINE_API_URL);
  const response = await (deps.fetch ?? fetch)(`${base}${path}`, {
    method,
    headers: {
      Authorization: `Bearer ${settingOf(settings, 'channelAccessToken')}`,
      Accept: 'application/json',
      ...(body === undefined ? {} : { 'Content-Type': 'application/json' }),
      ...headers,
    },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    signal: AbortSignal.timeout(deps.timeoutMs ?? DEFAULT_LINE_TIMEOUT_MS),
  });
  const text = await response.text();
  let json: unknown;
  try {
    json = text === '' ? undefined : JSON.parse(text);
  } catch {
    json = undefined;
  }
  return { status: response.status, headers: response.headers, text, json };
}

/** A short account of a fetch that threw, for a reason (`ECONNREFUSED`, `timeout`). */
export function transportDetail(error: unknown): string {
  if (error instanceof Error && (error.name === 'TimeoutError' || error.name === 'AbortError'))
    return 'no answer in time';
  const cause = causeCode(error);
  if (cause !== null) return cause;
  return error instanceof Error ? error.message : String(error);
}
