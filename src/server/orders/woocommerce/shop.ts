import type { Order } from '../../../shared/domain/model';
import {
  clampOrderLimit,
  MAX_ORDER_LIMIT,
  normaliseEmail,
  normaliseOrderNumber,
  ShopError,
  type OrderQuery,
  type ShopConnection,
  type ShopProduct,
  type ShopProvider,
} from '../provider';
import { createWooClient, decodeEntities, isMiss, NO_API_MESSAGE, type WooMiss } from './client';
import { plainNote, toOrder, toProduct } from './mapping';
import {
  currencySchema,
  orderNotesSchema,
  siteIndexSchema,
  trackingsSchema,
  wooOrderSchema,
  wooOrdersSchema,
  wooProductSchema,
  wooProductsSchema,
  type WooOrder,
  type WooTracking,
} from './schemas';
import { isCustomers, newestFirst, phoneSearchTerms } from './search';

/**
 * A WooCommerce shop as an order provider (issue #17; CHANNEL-API.md §11): orders found with the
 * REST API's `search`, kept only when they are the customer's, with Shipment Tracking and the
 * notes sent to the customer.
 */

/** WordPress's largest `per_page`. */
const MAX_PAGE_SIZE = 100;
/** Pages read per search term: a broad term (the last digits of a phone) stops here. */
const MAX_PAGES_PER_SEARCH = 5;
/** Orders whose tracking is fetched (one request each): the ones a customer asks about. */
const TRACKED_ORDERS = 20;
/** Orders whose notes to the customer are fetched. */
const NOTED_ORDERS = 3;
/** Requests in flight at once to one shop (WordPress hosts are often small). */
const CONCURRENCY = 3;

const TRACKING_ROUTE = (id: number) => `wc-shipment-tracking/v3/orders/${id}/shipment-trackings`;

export interface WooCommerceOptions {
  /** `per_page` for every search (tests page small collections); default: by the limit. */
  readonly pageSize?: number;
}

export function createWooCommerceProvider(
  connection: ShopConnection,
  options: WooCommerceOptions = {},
): ShopProvider {
  const client = createWooClient(connection);
  // Shipment Tracking is an extension: once its route is missing, it is missing for this shop.
  let trackingInstalled: boolean | null = null;
  let currency: Promise<string | null> | null = null;

  /** A 404 for a missing object, or the API itself missing (no route, an HTML page). */
  function missingObject(miss: WooMiss): null {
    if (miss.code === null || miss.code === 'rest_no_route') {
      throw new ShopError('not_found', NO_API_MESSAGE, miss.status);
    }
    return null;
  }

  /** One search, page by page, until `wanted` orders pass `keep` or the pages run out. */
  async function search(
    term: string,
    perPage: number,
    wanted: number,
    keep: (order: WooOrder) => boolean,
  ): Promise<WooOrder[]> {
    const kept: WooOrder[] = [];
    for (let page = 1; page <= MAX_PAGES_PER_SEARCH; page += 1) {
      const answer = await client.get(
        'wc/v3/orders',
        { search: term, orderby: 'date', order: 'desc', per_page: perPage, page },
        wooOrdersSchema,
      );
      kept.push(...answer.data.filter(keep));
      if (kept.length >= wanted || answer.data.length === 0) break;
      const pages = answer.totalPages ?? (answer.data.length < perPage ? page : page + 1);
      if (page >= pages) break;
    }
    return kept;
  }

  async function orderById(id: string): Promise<WooOrder | null> {
    const answer = await client.lookup(`wc/v3/orders/${id}`, {}, wooOrderSchema, { allow: [404] });
    return isMiss(answer) ? missingObject(answer) : answer.data;
  }

  async function trackingOf(order: WooOrder): Promise<WooTracking[]> {
    if (trackingInstalled === false) return [];
    const answer = await client.lookup(TRACKING_ROUTE(order.id), {}, trackingsSchema, {
      allow: [404],
    });
    if (isMiss(answer)) {
      // rest_no_route: the extension is not installed, which is normal.
      if (answer.code === 'rest_no_route' || answer.code === null) trackingInstalled = false;
      return [];
    }
    trackingInstalled = true;
    return answer.data;
  }

  async function notesOf(order: WooOrder): Promise<string[]> {
    const answer = await client.lookup(
      `wc/v3/orders/${order.id}/notes`,
      { type: 'customer' },
      orderNotesSchema,
      { allow: [404] },
    );
    if (isMiss(answer)) return [];
    // Woo lists notes newest first; the panel reads them in the order they were sent.
    return answer.data
      .map((note) => plainNote(note.note))
      .filter((note) => note !== '')
      .reverse();
  }

  /** Orders (newest first) with tracking and notes for the first few. */
  async function detailed(orders: readonly WooOrder[]): Promise<Order[]> {
    const details = async (order: WooOrder, index: number) =>
      toOrder(order, {
        shopId: connection.id,
        shopUrl: connection.url,
        tracking: index < TRACKED_ORDERS ? await trackingOf(order) : [],
        customerNotes: index < NOTED_ORDERS ? await notesOf(order) : [],
      });
    // Ask once whether the extension is there before asking for every order.
    if (trackingInstalled === null && orders.length > 0) {
      const first = await details(orders[0] as WooOrder, 0);
      return [first, ...(await mapLimit(orders.slice(1), (order, i) => details(order, i + 1)))];
    }
    return mapLimit(orders, details);
  }

  function newestUnique(lists: readonly (readonly WooOrder[])[], limit: number): WooOrder[] {
    const byId = new Map<number, WooOrder>();
    for (const order of lists.flat()) byId.set(order.id, order);
    return [...byId.values()].sort(newestFirst).slice(0, limit);
  }

  async function siteCurrency(): Promise<string | null> {
    currency ??= client
      .lookup('wc/v3/data/currencies/current', {}, currencySchema, { allow: [403, 404] })
      .then((answer) => (isMiss(answer) ? null : answer.data.code.toUpperCase()))
      .catch((error: unknown) => {
        currency = null;
        throw error;
      });
    return currency;
  }

  async function product(retailerId: string): Promise<ShopProduct | null> {
    const bySku = await client.get(
      'wc/v3/products',
      { sku: retailerId, per_page: 10 },
      wooProductsSchema,
    );
    let found = bySku.data.find((item) => item.sku?.trim() === retailerId) ?? null;
    if (found === null && /^\d+$/.test(retailerId)) {
      const byId = await client.lookup(`wc/v3/products/${retailerId}`, {}, wooProductSchema, {
        allow: [404],
      });
      found = isMiss(byId) ? missingObject(byId) : byId.data;
    }
    return found === null ? null : toProduct(retailerId, found, await siteCurrency());
  }

  return {
    id: connection.id,
    kind: 'woocommerce',

    async findByCustomer(query: OrderQuery, limit?: number) {
      const wanted = clampOrderLimit(limit);
      const searches: { term: string; perPage: number }[] = [];
      const email = normaliseEmail(query.email);
      if (email !== null) {
        searches.push({ term: email, perPage: options.pageSize ?? wanted });
      }
      if (query.phone) {
        // Broad terms find others' orders too: read full pages.
        for (const term of phoneSearchTerms(query.phone, query.country)) {
          searches.push({ term, perPage: options.pageSize ?? MAX_PAGE_SIZE });
        }
      }
      const found = await mapLimit(searches, ({ term, perPage }) =>
        search(term, Math.min(perPage, MAX_PAGE_SIZE), wanted, (order) =>
          isCustomers(order, query),
        ),
      );
      return detailed(newestUnique(found, wanted));
    },

    async findByNumber(raw: string) {
      const number = normaliseOrderNumber(raw);
      if (number === null) return [];
      const wanted = number.toLowerCase();
      // With a sequential-number plugin the number is not the id: search finds it by number.
      const [found, byId] = await Promise.all([
        search(number, options.pageSize ?? MAX_PAGE_SIZE, 1, (order) => {
          return order.number.toLowerCase() === wanted;
        }),
        /^\d{1,18}$/.test(number) ? orderById(number) : Promise.resolve(null),
      ]);
      // The id too: a shop without such a plugin (number = id), or an agent typing the id.
      const orders =
        byId !== null && (byId.number.toLowerCase() === wanted || found.length === 0)
          ? [...found, byId]
          : found;
      return detailed(newestUnique([orders], MAX_ORDER_LIMIT));
    },

    async testConnection() {
      const allow = [401, 403, 404];
      let site = await client.lookup('', {}, siteIndexSchema, { auth: false, allow });
      // Security plugins often close the index to guests: ask it again with the keys.
      if (isMiss(site) && site.status !== 404) {
        site = await client.lookup('', {}, siteIndexSchema, { allow });
      }
      if (isMiss(site) && site.status === 404) {
        throw new ShopError('not_found', NO_API_MESSAGE, site.status);
      }
      if (!isMiss(site) && !site.data.namespaces.includes('wc/v3')) {
        throw new ShopError(
          'not_found',
          'WordPress answers at this address but WooCommerce’s REST API (wc/v3) is not there; is WooCommerce active?',
        );
      }
      // The site index is public: only an authenticated read proves the keys.
      await client.get('wc/v3/orders', { per_page: 1 }, wooOrdersSchema);
      const name = isMiss(site) ? '' : decodeEntities(site.data.name).trim();
      const shopName = name || new URL(connection.url).host;
      return { shopName };
    },

    async findProducts(retailerIds: readonly string[]) {
      const ids = [...new Set(retailerIds.map((id) => id.trim()).filter((id) => id !== ''))];
      const products = await mapLimit(ids, (id) => product(id));
      return products.filter((item): item is ShopProduct => item !== null);
    },
  };
}

/** `work` over `items`, at most CONCURRENCY at once, results in the items' order. */
async function mapLimit<T, R>(
  items: readonly T[],
  work: (item: T, index: number) => Promise<R>,
): Promise<R[]> {
  const results: R[] = new Array<R>(items.length);
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < items.length) {
      const index = next;
      next += 1;
      results[index] = await work(items[index] as T, index);
    }
  };
  await Promise.all(Array.from({ length: Math.min(CONCURRENCY, items.length) }, worker));
  return results;
}
