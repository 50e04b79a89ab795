import type { z } from 'zod';
import { ShopError, shopUnreachable, type ShopConnection } from '../provider';

/**
 * A small client for the WordPress REST API that WooCommerce extends (CHANNEL-API.md §11): GET
 * only, JSON answers parsed with zod, every failure a `ShopError` whose message names no key.
 *
 * Not the official `@woocommerce/woocommerce-rest-api`: it brings axios (a second HTTP stack next
 * to Node's fetch), signs OAuth 1.0a for plain http, which the hub never uses (checkShopUrl wants
 * https), and has no types for the answers; what we need of it is one header.
 */

const DEFAULT_TIMEOUT_MS = 10_000;

/** What WordPress puts in an error answer (`WP_Error` as JSON). */
interface WpError {
  readonly code: string | null;
  readonly message: string | null;
}

export interface WooAnswer<T> {
  readonly data: T;
  /** `X-WP-Total` and `X-WP-TotalPages` on collections; null when absent. */
  readonly total: number | null;
  readonly totalPages: number | null;
}

/** A non-2xx answer the caller may want to read itself (a 404 that means "no such order"). */
export interface WooMiss {
  readonly status: number;
  readonly code: string | null;
}

export type Query = Readonly<Record<string, string | number>>;

export interface WooClient {
  /** `GET <url>/wp-json/<route>` with the keys (unless `auth: false`); not 200 → `ShopError`. */
  get<T>(
    route: string,
    query: Query,
    schema: z.ZodType<T>,
    options?: { readonly auth?: boolean },
  ): Promise<WooAnswer<T>>;
  /** The same, but the statuses in `allow` come back as a `WooMiss` (a 404: no such order). */
  lookup<T>(
    route: string,
    query: Query,
    schema: z.ZodType<T>,
    options: { readonly auth?: boolean; readonly allow: readonly number[] },
  ): Promise<WooAnswer<T> | WooMiss>;
}

export const isMiss = <T>(answer: WooAnswer<T> | WooMiss): answer is WooMiss => 'status' in answer;

/**
 * A server that strips `Authorization` (some CGI/FastCGI setups) leaves WooCommerce without keys:
 * it answers "Consumer key is missing" (the docs' wording), or treats the request as a guest's,
 * `woocommerce_rest_cannot_view`. Either way the keys are worth sending once as query parameters.
 */
function keysLookMissing(error: WpError): boolean {
  return (
    /consumer key is missing/i.test(error.message ?? '') ||
    error.code === 'woocommerce_rest_cannot_view'
  );
}

export function createWooClient(connection: ShopConnection): WooClient {
  const doFetch = connection.fetch ?? fetch;
  const timeoutMs = connection.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const key = connection.credentials.consumerKey ?? '';
  const secret = connection.credentials.consumerSecret ?? '';
  const basic = `Basic ${Buffer.from(`${key}:${secret}`).toString('base64')}`;
  // Once the query-parameter fallback has worked, this shop strips the header: keep to the query.
  let keysInQuery = false;

  /** The shop's own words, if they are safe to show: no markup, no key, one short sentence. */
  function safeText(text: string | null): string | null {
    if (text === null) return null;
    const plain = decodeEntities(text.replace(/<[^>]*>/g, ' '))
      .replace(/\s+/g, ' ')
      .trim();
    if (plain === '' || plain.length > 300) return null;
    if ((key && plain.includes(key)) || (secret && plain.includes(secret))) return null;
    if (/\b(ck|cs)_[0-9a-f]{8,}/i.test(plain)) return null;
    return plain;
  }

  async function send(route: string, query: Query, auth: 'none' | 'header' | 'query') {
    const url = new URL(`${connection.url}/wp-json/${route}`);
    for (const [name, value] of Object.entries(query)) url.searchParams.set(name, String(value));
    if (auth === 'query') {
      url.searchParams.set('consumer_key', key);
      url.searchParams.set('consumer_secret', secret);
    }
    const headers: Record<string, string> = { Accept: 'application/json' };
    if (auth === 'header') headers.Authorization = basic;
    let response: Response;
    let text: string;
    try {
      // Redirects are not followed: fetch drops Authorization on another origin, and would carry
      // query-parameter keys there; the admin is told the address to use instead.
      response = await doFetch(url, {
        headers,
        redirect: 'manual',
        signal: AbortSignal.timeout(timeoutMs),
      });
      text = await response.text();
    } catch (error) {
      throw shopUnreachable(error, timeoutMs, { who: 'The shop', where: 'the shop' });
    }
    if (response.status >= 300 && response.status < 400) throw redirected(response);
    let body: unknown;
    try {
      body = JSON.parse(text);
    } catch {
      body = undefined;
    }
    return { response, body };
  }

  async function lookup<T>(
    route: string,
    query: Query,
    schema: z.ZodType<T>,
    options: { readonly auth?: boolean; readonly allow: readonly number[] },
  ): Promise<WooAnswer<T> | WooMiss> {
    const auth = options.auth === false ? 'none' : keysInQuery ? 'query' : 'header';
    let { response, body } = await send(route, query, auth);
    if (response.status === 401 && auth === 'header' && keysLookMissing(wpError(body))) {
      const retry = await send(route, query, 'query');
      if (retry.response.status !== 401) keysInQuery = true;
      ({ response, body } = retry);
    }
    if (response.status !== 200) {
      const error = wpError(body);
      if (options.allow.includes(response.status)) {
        return { status: response.status, code: error.code };
      }
      throw failure(response.status, error, safeText(error.message));
    }
    const parsed = schema.safeParse(body);
    if (!parsed.success) {
      throw new ShopError(
        'bad_response',
        'WooCommerce sent an answer the hub cannot read (is this a WooCommerce shop?).',
        200,
      );
    }
    return {
      data: parsed.data,
      total: headerCount(response.headers.get('x-wp-total')),
      totalPages: headerCount(response.headers.get('x-wp-totalpages')),
    };
  }

  async function get<T>(
    route: string,
    query: Query,
    schema: z.ZodType<T>,
    options: { readonly auth?: boolean } = {},
  ): Promise<WooAnswer<T>> {
    // Nothing is allowed, so every answer but 200 has thrown.
    return (await lookup(route, query, schema, { ...options, allow: [] })) as WooAnswer<T>;
  }

  return { get, lookup };
}

function wpError(body: unknown): WpError {
  if (typeof body !== 'object' || body === null) return { code: null, message: null };
  const { code, message } = body as { code?: unknown; message?: unknown };
  return {
    code: typeof code === 'string' ? code : null,
    message: typeof message === 'string' ? message : null,
  };
}

export const NO_API_MESSAGE =
  'No WooCommerce REST API at this address (404); check the address and that pretty permalinks are on.';

function failure(status: number, error: WpError, said: string | null): ShopError {
  const because = said ? `: ${said}` : '.';
  if (status === 401) {
    return new ShopError(
      'unauthorized',
      `WooCommerce refused the consumer key (401)${because}`,
      status,
    );
  }
  if (status === 403) {
    return new ShopError(
      'forbidden',
      `WooCommerce did not give this key permission (403)${because}`,
      status,
    );
  }
  if (status === 404) return new ShopError('not_found', NO_API_MESSAGE, status);
  if (status === 429) {
    return new ShopError(
      'throttled',
      'The shop’s server is limiting requests (429); try again later.',
      status,
    );
  }
  if (status >= 500 || status === 402 || status === 423) {
    return new ShopError(
      'unavailable',
      `The shop is unavailable (${status}); try again later.`,
      status,
    );
  }
  return new ShopError(
    'bad_response',
    `WooCommerce answered ${status}${error.code ? ` (${error.code})` : ''}${because}`,
    status,
  );
}

function redirected(response: Response): ShopError {
  let target: string | null = null;
  try {
    const location = response.headers.get('location');
    // Only the origin: a redirect's query may repeat the keys.
    if (location) target = new URL(location, response.url || undefined).origin;
  } catch {
    target = null;
  }
  return new ShopError(
    'not_found',
    target
      ? `The shop’s address redirects to ${target} (${response.status}); enter that address instead.`
      : `The shop’s address redirects elsewhere (${response.status}); enter the shop’s own address.`,
    response.status,
  );
}

function headerCount(value: string | null): number | null {
  if (value === null || !/^\d+$/.test(value.trim())) return null;
  return Number(value.trim());
}

const ENTITIES: Readonly<Record<string, string>> = {
  amp: '&',
  lt: '<',
  gt: '>',
  quot: '"',
  apos: "'",
  nbsp: ' ',
  hellip: '…',
  ndash: '–',
  mdash: '—',
  rsquo: '’',
  lsquo: '‘',
};

/** WordPress escapes names and notes as HTML (`Acme &amp; Co`, `&#8217;`). */
export function decodeEntities(text: string): string {
  return text.replace(/&(#x[0-9a-f]+|#\d+|[a-z]+);/gi, (whole, entity: string) => {
    if (entity[0] === '#') {
      const code =
        entity[1] === 'x' || entity[1] === 'X'
          ? parseInt(entity.slice(2), 16)
          : parseInt(entity.slice(1), 10);
      return Number.isFinite(code) && code > 0 && code <= 0x10ffff
        ? String.fromCodePoint(code)
        : whole;
    }
    return ENTITIES[entity.toLowerCase()] ?? whole;
  });
}
