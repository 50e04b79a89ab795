import { z } from 'zod';
import { readCapped } from '../../media/read-capped';
import { ShopError, shopUnreachable, type ShopConnection, type ShopFailure } from '../provider';
import type { Operation } from './queries';

/**
 * A small Admin GraphQL client (CHANNEL-API.md §10): `POST <shop>/admin/api/<version>/graphql.json`
 * with `X-Shopify-Access-Token`, every answer's `data` parsed with the operation's zod schema.
 *
 * Not `@shopify/admin-api-client` (v2.0.0): it rewrites the store's address to https (so it
 * cannot talk to the loopback fakes without a fetch that rewrites URLs back), warns on a pinned
 * version by the wall clock, and retries 429/5xx on its own fixed 1 s timer; what it would save
 * us is a `JSON.stringify` and a header, while the cost-based throttle and the mapping of its
 * errors to `ShopError` would still be ours.
 *
 * Throttle (§10.3): every answer's `extensions.cost.throttleStatus` is kept; before a request
 * whose requested cost (Shopify's figure from the last answer to the same operation, or the
 * operation's estimate) is above what the bucket holds by now, the client waits
 * `(requested - available) / restoreRate` seconds. A THROTTLED answer (HTTP 200 or 429) is
 * retried after that wait, `MAX_THROTTLE_RETRIES` times, then it is `ShopError('throttled')`.
 * The token is scrubbed from every message.
 */

/** Pinned; Shopify supports each quarterly version for at least 12 months. */
export const SHOPIFY_API_VERSION = '2026-10';
export const DEFAULT_TIMEOUT_MS = 10_000;
export const MAX_THROTTLE_RETRIES = 3;
/** One wait never longer than this (a bucket smaller than the query would wait forever). */
export const MAX_THROTTLE_WAIT_MS = 60_000;
/** A bigger answer is not Shopify's (20 orders of 50 items are well under 1 MB). */
export const MAX_ANSWER_BYTES = 8 * 1024 * 1024;
/** When a throttled answer tells no bucket (a bare 429): 1 s, 2 s, 4 s. */
const FALLBACK_BACKOFF_MS = 1_000;

export interface ShopifyClient {
  request<T>(operation: Operation<T>, variables?: Record<string, unknown>): Promise<T>;
}

const throttleStatusSchema = z.object({
  maximumAvailable: z.number(),
  currentlyAvailable: z.number(),
  restoreRate: z.number().positive(),
});

const graphQLErrorSchema = z.object({
  message: z.string(),
  extensions: z.object({ code: z.string().optional() }).nullish(),
});

const envelopeSchema = z.object({
  data: z.unknown().optional(),
  // GraphQL errors, or the REST-style string Shopify sends with 401/403/404.
  errors: z.union([z.string(), z.array(graphQLErrorSchema)]).optional(),
  extensions: z
    .object({
      cost: z
        .object({
          requestedQueryCost: z.number().nullish(),
          throttleStatus: throttleStatusSchema,
        })
        .optional(),
    })
    .nullish(),
});
type Envelope = z.infer<typeof envelopeSchema>;

interface Bucket {
  readonly available: number;
  readonly maximum: number;
  readonly restoreRate: number;
  /** `now()` when it was read. */
  readonly at: number;
}

interface Answer {
  readonly status: number;
  readonly envelope: Envelope | null;
  readonly text: string;
}

export function createShopifyClient(connection: ShopConnection): ShopifyClient {
  const endpoint = `${connection.url}/admin/api/${SHOPIFY_API_VERSION}/graphql.json`;
  const token = connection.credentials['accessToken'] ?? '';
  const fetchImpl = connection.fetch ?? fetch;
  const now = connection.now ?? Date.now;
  const sleep =
    connection.sleep ?? ((ms: number) => new Promise<void>((done) => setTimeout(done, ms)));
  const timeoutMs = connection.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  /** Shopify's requested cost of each operation, as its last answer said. */
  const costs = new Map<string, number>();
  let bucket: Bucket | null = null;

  const scrub = (text: string) => (token === '' ? text : text.split(token).join('[token]'));
  const fail = (failure: ShopFailure, message: string, status: number | null = null) =>
    new ShopError(failure, scrub(message), status);

  /** How long to wait before a request of this cost, by the last bucket read and the clock. */
  function waitFor(requested: number): number {
    if (!bucket) return 0;
    const elapsed = Math.max(0, now() - bucket.at) / 1000;
    const available = Math.min(bucket.maximum, bucket.available + elapsed * bucket.restoreRate);
    if (available >= requested) return 0;
    return Math.min(
      MAX_THROTTLE_WAIT_MS,
      Math.ceil(((requested - available) * 1000) / bucket.restoreRate),
    );
  }

  /** Waits, then counts the bucket as refilled by what the wait restored. */
  async function wait(ms: number, requested: number): Promise<void> {
    await sleep(ms);
    if (bucket) bucket = { ...bucket, available: Math.max(bucket.available, requested), at: now() };
  }

  function readCost(operation: string, envelope: Envelope | null): void {
    const cost = envelope?.extensions?.cost;
    if (!cost) return;
    if (typeof cost.requestedQueryCost === 'number') costs.set(operation, cost.requestedQueryCost);
    const status = cost.throttleStatus;
    bucket = {
      available: status.currentlyAvailable,
      maximum: status.maximumAvailable,
      restoreRate: status.restoreRate,
      at: now(),
    };
  }

  async function post(operation: Operation<unknown>, variables: object): Promise<Answer> {
    const signal = AbortSignal.timeout(timeoutMs);
    let response: Response;
    let text: string;
    try {
      response = await fetchImpl(endpoint, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          accept: 'application/json',
          'x-shopify-access-token': token,
        },
        body: JSON.stringify({
          query: operation.query,
          operationName: operation.name,
          variables,
        }),
        signal,
      });
      const tooLarge = () =>
        fail('bad_response', `Shopify sent an answer over ${MAX_ANSWER_BYTES} bytes.`);
      text = (await readCapped(response, MAX_ANSWER_BYTES, tooLarge)).toString('utf8');
    } catch (error) {
      if (error instanceof ShopError) throw error;
      throw shopUnreachable(error, timeoutMs, {
        who: 'Shopify',
        where: `the Shopify shop at ${connection.url}`,
      });
    }
    let envelope: Envelope | null = null;
    try {
      const parsed = envelopeSchema.safeParse(JSON.parse(text));
      if (parsed.success) envelope = parsed.data;
    } catch {
      // Not JSON: judged by its status below.
    }
    return { status: response.status, envelope, text };
  }

  return {
    async request<T>(operation: Operation<T>, variables: Record<string, unknown> = {}) {
      for (let attempt = 0; ; attempt += 1) {
        const requested = costs.get(operation.name) ?? operation.estimatedCost;
        const before = waitFor(requested);
        if (before > 0) await wait(before, requested);

        const answer = await post(operation, variables);
        readCost(operation.name, answer.envelope);
        if (!throttled(answer)) return interpret(answer, operation);

        if (attempt >= MAX_THROTTLE_RETRIES)
          throw fail(
            'throttled',
            `Shopify is still throttling the hub's requests after ${MAX_THROTTLE_RETRIES + 1} tries; try again in a minute.`,
            answer.status,
          );
        const again = costs.get(operation.name) ?? requested;
        await wait(waitFor(again) || FALLBACK_BACKOFF_MS * 2 ** attempt, again);
      }
    },
  };

  function interpret<T>(answer: Answer, operation: Operation<T>): T {
    const { status, envelope } = answer;
    const said = shopifySaid(envelope);
    if (status === 401) throw fail('unauthorized', 'Shopify refused the access token (401).', 401);
    if (status === 403) throw forbidden(said, 403);
    if (status === 404)
      throw fail('not_found', `No Shopify shop answers at ${connection.url} (404).`, 404);
    if (status === 402)
      throw fail('unavailable', 'Shopify says the shop is frozen or unpaid (402).', 402);
    if (status === 423) throw fail('unavailable', 'Shopify says the shop is locked (423).', 423);
    if (status >= 500)
      throw fail('unavailable', `Shopify answered ${status}; the shop may be down.`, status);
    if (status < 200 || status >= 300)
      throw fail('bad_response', `Shopify answered ${status}${said ? `: ${said}` : '.'}`, status);
    if (!envelope) throw fail('bad_response', 'Shopify sent an answer that is not GraphQL JSON.');

    const errors = Array.isArray(envelope.errors) ? envelope.errors : [];
    const denied = errors.find((error) => error.extensions?.code === 'ACCESS_DENIED');
    if (denied) throw forbidden(denied.message, null);
    if (errors.length > 0 || typeof envelope.errors === 'string')
      throw fail('bad_response', `Shopify refused the query: ${said}`, status);

    const data = operation.data.safeParse(envelope.data);
    if (!data.success) {
      const issue = data.error.issues[0];
      const where = issue?.path.join('.') || 'data';
      throw fail(
        'bad_response',
        `Shopify sent an answer the hub cannot read (${where}: ${issue?.message ?? 'invalid'}).`,
        status,
      );
    }
    return data.data;
  }

  /** 403 or ACCESS_DENIED, naming the scope when Shopify names it. */
  function forbidden(said: string, status: number | null): ShopError {
    const scope = /\b((?:read|write)_[a-z_]+)\b/.exec(said)?.[1];
    const code = status === null ? '' : ` (${status})`;
    return fail(
      'forbidden',
      scope
        ? `The Shopify access token lacks the ${scope} scope${code}.`
        : `Shopify refused access${code}${said ? `: ${said}` : '.'}`,
      status,
    );
  }
}

function throttled(answer: Answer): boolean {
  const errors = answer.envelope?.errors;
  return (
    answer.status === 429 ||
    (Array.isArray(errors) && errors.some((error) => error.extensions?.code === 'THROTTLED'))
  );
}

/** Shopify's own words from an answer, one line of at most 300 characters. */
function shopifySaid(envelope: Envelope | null): string {
  const errors = envelope?.errors;
  const said =
    typeof errors === 'string'
      ? errors
      : Array.isArray(errors)
        ? errors.map((error) => error.message).join('; ')
        : '';
  return said.replace(/\s+/g, ' ').trim().slice(0, 300);
}
