import { createHash } from 'node:crypto';
import { z } from 'zod';
import { settingOf, type ChannelSettings, type Refusal } from '../connector';
import { apiBase, scrubber } from './settings';

/**
 * WeChat's API (CHANNEL-API.md §7.4–7.5): `https://api.weixin.qq.com/cgi-bin/…?access_token=…`,
 * errors as HTTP 200 with `{"errcode","errmsg"}`. The access token is fetched with the AppID and
 * AppSecret and cached here for the whole hub process, shared by the sender and the media part:
 * WeChat allows about 2000 token calls a day, and a new token may end the old one, so there is
 * one token per account, one refresh at a time (a single-flight promise), and a token the API
 * refused (40001, 42001) is forgotten only if it is still the cached one, so concurrent sends that
 * all saw it refused cause one refresh, not one each.
 */

export const DEFAULT_TIMEOUT_MS = 15_000;
/** A token is renewed this long before WeChat says it expires. */
export const TOKEN_MARGIN_MS = 5 * 60_000;
/** The errcodes of a token WeChat no longer takes: invalid (40001, 40014) or expired (42001). */
export const TOKEN_REFUSED = new Set([40001, 40014, 42001]);

export const wechatAnswerSchema = z
  .object({
    errcode: z.number().int().optional(),
    errmsg: z.string().max(2000).optional(),
  })
  .passthrough();
export type WechatAnswer = z.infer<typeof wechatAnswerSchema>;

const tokenAnswerSchema = z.object({
  access_token: z.string().min(1).max(2000),
  expires_in: z.number().int().positive(),
});

/** The answer's JSON of WeChat's shape, or null. */
export function readAnswer(text: string): WechatAnswer | null {
  try {
    const parsed = wechatAnswerSchema.safeParse(JSON.parse(text));
    return parsed.success ? parsed.data : null;
  } catch {
    return null;
  }
}

/** The access token could not be had: what to tell the agent or admin, and whether to retry. */
export class WechatTokenError extends Error {
  override readonly name = 'WechatTokenError';
  constructor(
    message: string,
    readonly retryable: boolean,
    readonly code: string,
  ) {
    super(message);
  }
}

interface CachedToken {
  token: string | null;
  expiresAt: number;
  pending: Promise<string> | null;
}

const tokens = new Map<string, CachedToken>();

/** One cache entry per API host, AppID and AppSecret (a new secret is a new entry). */
const keyOf = (settings: ChannelSettings): string =>
  [
    apiBase(settings),
    settingOf(settings, 'appId'),
    createHash('sha256').update(settingOf(settings, 'appSecret')).digest('hex').slice(0, 16),
  ].join('|');

/** What a refused token request means (CHANNEL-API.md §7.4 and the global return codes). */
function tokenRefusal(
  errcode: number,
  errmsg: string,
  scrub: (t: string) => string,
): WechatTokenError {
  const said = errmsg ? ` (${scrub(errmsg)})` : '';
  switch (errcode) {
    case -1:
      return new WechatTokenError(
        `WeChat is busy and gave no access token${said}; will retry.`,
        true,
        'wechat_-1',
      );
    case 40013:
      return new WechatTokenError(
        `WeChat does not know this AppID${said}: check the AppID on the Channels page.`,
        false,
        'wechat_40013',
      );
    case 40001:
    case 40125:
      return new WechatTokenError(
        `WeChat refused the AppSecret${said}: check it on the Channels page (a reset AppSecret ends the old one).`,
        false,
        `wechat_${errcode}`,
      );
    case 40164:
      return new WechatTokenError(
        `WeChat refused the token request from this address${said}: add the hub’s public IP to the IP whitelist on the Official Accounts Platform.`,
        false,
        'wechat_40164',
      );
    default:
      return new WechatTokenError(
        `WeChat gave no access token${said} (errcode ${errcode}).`,
        false,
        `wechat_${errcode}`,
      );
  }
}

async function fetchToken(
  settings: ChannelSettings,
  fetchImpl: typeof fetch,
  timeoutMs: number,
): Promise<{ token: string; expiresInMs: number }> {
  const scrub = scrubber(settings);
  const url = new URL(`${apiBase(settings)}/cgi-bin/token`);
  url.searchParams.set('grant_type', 'client_credential');
  url.searchParams.set('appid', settingOf(settings, 'appId'));
  url.searchParams.set('secret', settingOf(settings, 'appSecret'));
  let status: number;
  let text: string;
  try {
    const response = await fetchImpl(url, { signal: AbortSignal.timeout(timeoutMs) });
    status = response.status;
    text = await response.text();
  } catch (error) {
    // Asking for a token sends nothing to a customer: always safe to try again.
    const detail =
      error instanceof Error
        ? error.cause instanceof Error
          ? error.cause.message
          : error.message
        : String(error);
    throw new WechatTokenError(
      scrub(`Could not reach WeChat for an access token (${detail}); will retry.`),
      true,
      'network_error',
    );
  }
  if (status === 429 || status >= 500)
    throw new WechatTokenError(
      `WeChat’s token endpoint is unavailable (HTTP ${status}); will retry.`,
      true,
      `http_${status}`,
    );
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    json = null;
  }
  const ok = tokenAnswerSchema.safeParse(json);
  if (ok.success) return { token: ok.data.access_token, expiresInMs: ok.data.expires_in * 1000 };
  const answer = wechatAnswerSchema.safeParse(json);
  if (answer.success && answer.data.errcode !== undefined && answer.data.errcode !== 0)
    throw tokenRefusal(answer.data.errcode, answer.data.errmsg ?? '', scrub);
  throw new WechatTokenError(
    `WeChat’s token endpoint answered HTTP ${status} without a token; will retry.`,
    true,
    'bad_response',
  );
}

/**
 * The account's access token: the cached one while it has more than 5 minutes left, else the one
 * refresh in flight, else a new refresh. Failures are not cached.
 * @throws WechatTokenError
 */
export function accessToken(
  settings: ChannelSettings,
  deps: { readonly fetch?: typeof fetch; readonly timeoutMs?: number },
): Promise<string> {
  const key = keyOf(settings);
  let entry = tokens.get(key);
  if (!entry) {
    entry = { token: null, expiresAt: 0, pending: null };
    tokens.set(key, entry);
  }
  if (entry.token !== null && Date.now() < entry.expiresAt) return Promise.resolve(entry.token);
  if (entry.pending) return entry.pending;
  const cached = entry;
  const pending = fetchToken(settings, deps.fetch ?? fetch, deps.timeoutMs ?? DEFAULT_TIMEOUT_MS)
    .then(({ token, expiresInMs }) => {
      cached.token = token;
      // Renewed 5 minutes early; a token given for less than 10 minutes, at half its life.
      const margin = expiresInMs > 2 * TOKEN_MARGIN_MS ? TOKEN_MARGIN_MS : expiresInMs / 2;
      cached.expiresAt = Date.now() + expiresInMs - margin;
      return token;
    })
    .finally(() => {
      cached.pending = null;
    });
  cached.pending = pending;
  return pending;
}

/** WeChat refused `stale`: forget it, unless a newer token has replaced it already. */
export function forgetToken(settings: ChannelSettings, stale: string): void {
  const entry = tokens.get(keyOf(settings));
  if (entry && entry.token === stale) {
    entry.token = null;
    entry.expiresAt = 0;
  }
}

/** `<base><path>?access_token=<token>&<query>`. */
export function apiUrl(
  settings: ChannelSettings,
  path: string,
  token: string,
  query: Record<string, string> = {},
): URL {
  const url = new URL(`${apiBase(settings)}${path}`);
  url.searchParams.set('access_token', token);
  for (const [name, value] of Object.entries(query)) url.searchParams.set(name, value);
  return url;
}

/**
 * Call the API with the account's token; when WeChat refuses the token (expired, or ended by a
 * newer one), forget it, get the next one (shared with every other caller) and call once more.
 * `call` is given the token and answers the errcode it saw (null when there was none).
 */
export async function withToken<T>(
  settings: ChannelSettings,
  deps: { readonly fetch?: typeof fetch; readonly timeoutMs?: number },
  call: (token: string) => Promise<{ readonly errcode: number | null; readonly result: T }>,
): Promise<{ readonly result: T; readonly tokenRefusedTwice: boolean }> {
  const first = await accessToken(settings, deps);
  const once = await call(first);
  if (once.errcode === null || !TOKEN_REFUSED.has(once.errcode))
    return { result: once.result, tokenRefusedTwice: false };
  forgetToken(settings, first);
  const next = await accessToken(settings, deps);
  const twice = await call(next);
  return {
    result: twice.result,
    tokenRefusedTwice: twice.errcode !== null && TOKEN_REFUSED.has(twice.errcode),
  };
}

/**
 * "Test connection": the AppID and AppSecret give an access token (the cached one while it lasts,
 * so the test never ends a token the sender holds). It does not prove the customer-service
 * permission (48001 shows on the first send).
 */
export async function testWechatConnection(
  settings: ChannelSettings,
  deps: { readonly fetch?: typeof fetch; readonly timeoutMs?: number },
): Promise<{ readonly ok: true; readonly detail: string } | Refusal> {
  try {
    await accessToken(settings, deps);
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    return { ok: false, reason: message, message };
  }
  return {
    ok: true,
    detail: `WeChat accepts AppID ${settingOf(settings, 'appId')} and its AppSecret: an access token was issued.`,
  };
}
