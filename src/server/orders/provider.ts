import type { Order } from '../../shared/domain/model';
import { causeCode } from '../channels/fetch-errors';

/**
 * Where the hub looks up a customer's orders (Shopify, WooCommerce, the demo store…). Agents see
 * them beside the conversation and fill reply variables from them.
 */
export interface OrderQuery {
  readonly phone?: string | null;
  readonly email?: string | null;
  /** The customer's country (ISO 3166 alpha-2), to read a shop's national phone spellings. */
  readonly country?: string | null;
}

export interface OrderProvider {
  readonly id: string;
  /** Orders whose phone or email matches (either is enough), newest first. */
  findByCustomer(query: OrderQuery, limit?: number): Promise<Order[]>;
  /** Orders with this number (`#1043` and `1043` alike), newest first. */
  findByNumber(number: string): Promise<Order[]>;
}

/** The kinds of shop an admin can connect (issue #17); the built-in store is `demo`. */
export const SHOP_KINDS = ['shopify', 'woocommerce'] as const;
export type ShopKind = (typeof SHOP_KINDS)[number];

/**
 * Why a shop did not answer, in words an agent or admin can act on. `retryable`: worth trying
 * again later by itself (down, throttled); the others need an admin (token, URL, scope).
 */
export type ShopFailure =
  | 'unauthorized' // 401: the token or key is wrong or revoked
  | 'forbidden' // 403: a missing scope or permission
  | 'not_found' // 404: no shop at this URL (or no API there)
  | 'unavailable' // 402/423/5xx: frozen, locked or down
  | 'unreachable' // DNS, refused, TLS, timeout
  | 'throttled' // still throttled after the retries
  | 'bad_response'; // an answer that is not what the API documents

export class ShopError extends Error {
  override readonly name = 'ShopError';
  constructor(
    readonly failure: ShopFailure,
    /** One sentence for the order panel and the admin's test, no secrets in it. */
    message: string,
    readonly status: number | null = null,
  ) {
    super(message);
  }
  get retryable(): boolean {
    return (
      this.failure === 'unavailable' ||
      this.failure === 'unreachable' ||
      this.failure === 'throttled'
    );
  }
}

/** A product as a catalog order names it (WhatsApp `product_retailer_id` = SKU or product id). */
export interface ShopProduct {
  /** The id the catalog used to ask for it. */
  readonly retailerId: string;
  readonly title: string;
  readonly variant: string | null;
  readonly sku: string | null;
  readonly imageUrl: string | null;
  readonly price: number | null;
  readonly currency: string | null;
}

/**
 * A connected shop (Shopify, WooCommerce). Every call may throw `ShopError`; nothing else
 * escapes. Orders come back with `provider` = the shop's id and `shopName` set by the caller.
 */
export interface ShopProvider extends OrderProvider {
  readonly kind: ShopKind;
  /** The shop's own name ("Acme EU"), proving the URL and credentials work. */
  testConnection(): Promise<{ readonly shopName: string }>;
  /** Products by the ids a WhatsApp catalog order uses; unknown ids are left out. */
  findProducts(retailerIds: readonly string[]): Promise<ShopProduct[]>;
  /**
   * A draft order from a catalog order's lines (Shopify), for the agent to finish in the shop's
   * admin and send as an invoice. Absent: the kind cannot make one.
   */
  createDraftOrder?(
    lines: readonly DraftOrderLine[],
    customer: DraftOrderCustomer,
  ): Promise<DraftOrderResult>;
}

/** One line of a catalog order: the catalog's product id and how many. */
export interface DraftOrderLine {
  readonly retailerId: string;
  readonly quantity: number;
}

export interface DraftOrderCustomer {
  readonly email?: string | null;
  readonly phone?: string | null;
  readonly name?: string | null;
}

export interface DraftOrderResult {
  /** The shop's name for it (`#D12`). */
  readonly name: string;
  /** The draft in the shop's admin. */
  readonly adminUrl: string;
  /** The checkout link the shop made for the customer, when it made one. */
  readonly invoiceUrl: string | null;
}

/** A kind of shop, as the hub's registry of shop kinds lists it (`orders/<kind>/index.ts`). */
export interface ShopKindSpec {
  readonly kind: ShopKind;
  /** 'Shopify', 'WooCommerce'. */
  readonly label: string;
  /** An example address for the admin's form. */
  readonly urlExample: string;
  /** The credentials it needs, every one secret (write-only in the admin API). */
  readonly credentials: readonly {
    readonly key: string;
    readonly label: string;
    /** Where the admin finds it, one sentence. */
    readonly hint: string;
  }[];
  create(connection: ShopConnection): ShopProvider;
}

export const DEFAULT_ORDER_LIMIT = 20;
export const MAX_ORDER_LIMIT = 100;

/** A sane page size from whatever the caller passed. */
export function clampOrderLimit(limit: number | undefined): number {
  if (limit === undefined || !Number.isFinite(limit)) return DEFAULT_ORDER_LIMIT;
  return Math.min(MAX_ORDER_LIMIT, Math.max(1, Math.floor(limit)));
}

// The hub and the app match orders to customers by the same rules (src/shared/domain/contact).
export { normaliseEmail, normalisePhone } from '../../shared/domain/contact';

/** Order numbers as people type them: `#1043`, ` # 1043 ` and `1043` are the same order. */
export function normaliseOrderNumber(raw: string | null | undefined): string | null {
  const number = raw?.trim().replace(/^#\s*/, '').trim() ?? '';
  return number === '' ? null : number;
}

/** What a shop provider is made from: the admin's connection, and the hub's clock and fetch. */
export interface ShopConnection {
  /** The shop's id in the hub: `Order.provider` of its orders. */
  readonly id: string;
  /** The shop's base URL as `checkShopUrl` accepted it (no trailing slash). */
  readonly url: string;
  /** Shopify: `accessToken`; WooCommerce: `consumerKey`, `consumerSecret`. */
  readonly credentials: Readonly<Record<string, string>>;
  readonly fetch?: typeof fetch;
  readonly now?: () => number;
  /** Waits (a throttle's backoff); tests pass one that records and resolves at once. */
  readonly sleep?: (ms: number) => Promise<void>;
  /** Per request; default 10 s. */
  readonly timeoutMs?: number;
}

const LOOPBACK = new Set(['127.0.0.1', 'localhost', '[::1]']);

/**
 * A shop's base URL, or why it cannot be one: https only (credentials travel as basic auth or a
 * header), plain http only on loopback (the test fakes, a tunnel on the same machine); no user
 * info, query or fragment. Returns the URL without a trailing slash.
 */
export function checkShopUrl(raw: string): { url: string } | { error: string } {
  let url: URL;
  try {
    url = new URL(raw.trim());
  } catch {
    return { error: 'Enter the shop’s address, such as https://acme.myshopify.com.' };
  }
  if (url.protocol !== 'https:' && !(url.protocol === 'http:' && LOOPBACK.has(url.hostname)))
    return { error: 'The shop’s address must start with https://.' };
  if (url.username || url.password || url.search || url.hash)
    return { error: 'The shop’s address takes no user name, query or fragment.' };
  return { url: `${url.origin}${url.pathname.replace(/\/+$/, '')}` };
}

/**
 * A shop request that got no answer: the hub's own timeout, or the connection failing (only the
 * system's code, ECONNREFUSED or ENOTFOUND, is named: an error's text may hold a URL with keys).
 * `who` answers ("Shopify", "The shop"); `where` is reached ("the shop", "the Shopify shop at …").
 */
export function shopUnreachable(
  error: unknown,
  timeoutMs: number,
  names: { readonly who: string; readonly where: string },
): ShopError {
  if (error instanceof Error && (error.name === 'TimeoutError' || error.name === 'AbortError'))
    return new ShopError(
      'unreachable',
      `${names.who} did not answer within ${Math.round(timeoutMs / 100) / 10} s.`,
    );
  const code = causeCode(error);
  return new ShopError('unreachable', `Could not reach ${names.where}${code ? ` (${code})` : ''}.`);
}
