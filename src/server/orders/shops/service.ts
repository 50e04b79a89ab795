import type { ChannelKind } from '../../../shared/domain/channels';
import type { Order } from '../../../shared/domain/model';
import {
  BUILT_IN_SOURCE_ID,
  type CatalogProduct,
  type NumberSearch,
  type OrderSource,
  type ShopInput,
  type ShopKindView,
  type ShopPatch,
  type ShopTestAnswer,
  type ShopView,
  type SourceOrders,
  type SourceState,
} from '../../../shared/protocol/shops';
import type { FieldError } from '../../../shared/protocol/field-errors';
import { badRequest, HttpError, notFound } from '../../http/errors';
import { newId } from '../../ids';
import type { SecretBox } from '../../secrets/secret-box';
import type { Db } from '../../store/db';
import {
  checkShopUrl,
  clampOrderLimit,
  normaliseOrderNumber,
  ShopError,
  type DraftOrderLine,
  type DraftOrderResult,
  type OrderProvider,
  type OrderQuery,
  type ShopKindSpec,
  type ShopProvider,
} from '../provider';
import { createShopImages, type ShopImage } from './images';
import {
  deleteLink,
  deleteShop,
  forgetLookups,
  getShop,
  insertLink,
  insertShop,
  linkedNumbers,
  listShops,
  openCredentials,
  pruneLookups,
  readLookup,
  recordShopError,
  recordShopOk,
  sealCredentials,
  shopView,
  updateShop,
  writeLookup,
  type StoredShop,
} from './store';

/**
 * Where agents' orders come from (issue #17): the built-in store and every connected shop
 * (Shopify, WooCommerce) serving the conversation's channel. A shop's answer for a customer is
 * cached in the database for `freshMs`; an older one is fetched again (one request per shop and
 * customer at a time, however many agents open the conversation), and refreshed in the
 * background once half its time is up, so the next agent sees fresh orders at once. When a shop
 * fails, agents get the reason and the orders it gave last time.
 */

/** The customer an agent looks at, as the hub knows them. */
export interface OrderCustomer {
  /** null: a bare phone/email lookup (`GET /api/orders?phone=`), nothing to link or key by. */
  readonly id: string | null;
  readonly phone: string | null;
  readonly email: string | null;
  readonly country: string | null;
  /** For a draft order's customer. */
  readonly name?: string | null;
  /** The conversation's channel (shops serve chosen channels); null: every shop. */
  readonly channel: ChannelKind | null;
}

export interface OrderServiceOptions {
  readonly db: Db;
  readonly secrets: SecretBox;
  readonly now: () => number;
  /** The built-in store (demo data and imports). */
  readonly builtIn: OrderProvider;
  readonly kinds: readonly ShopKindSpec[];
  readonly fetch?: typeof fetch;
  readonly sleep?: (ms: number) => Promise<void>;
  readonly timeoutMs?: number;
  /** How long a shop's answer is used as is; default one minute. */
  readonly freshMs?: number;
}

export interface OrderService extends OrderProvider {
  sourcesFor(channel: ChannelKind | null): Promise<OrderSource[]>;
  lookup(
    sourceId: string,
    customer: OrderCustomer,
    options?: { readonly refresh?: boolean },
  ): Promise<SourceOrders>;
  lookupAll(customer: OrderCustomer): Promise<{ orders: Order[]; sources: SourceState[] }>;
  byNumber(number: string, sourceId?: string): Promise<NumberSearch>;
  /** Links an order (by number) to the customer; null when the source has no such order. */
  link(
    customer: OrderCustomer,
    sourceId: string,
    number: string,
    userId: string,
  ): Promise<Order | null>;
  unlink(customer: OrderCustomer, sourceId: string, number: string): Promise<boolean>;
  products(
    channel: ChannelKind | null,
    retailerIds: readonly string[],
  ): Promise<{ products: CatalogProduct[]; sources: (OrderSource & { drafts: boolean })[] }>;
  /** A catalog cart as a draft order in the shop, for the customer (502 when the shop fails). */
  createDraft(
    customer: OrderCustomer,
    sourceId: string,
    lines: readonly DraftOrderLine[],
  ): Promise<DraftOrderResult>;
  listShops(): Promise<ShopView[]>;
  kindViews(): ShopKindView[];
  createShop(input: ShopInput): Promise<ShopView>;
  updateShop(id: string, patch: ShopPatch): Promise<ShopView>;
  /** Removes the shop with its cached lookups and links; answers what it was. */
  deleteShop(id: string): Promise<ShopView>;
  testShop(id: string): Promise<ShopTestAnswer>;
  /** A product picture a shop sent (`images.ts`). */
  image(url: string): Promise<ShopImage>;
}

const BUILT_IN: OrderSource = { id: BUILT_IN_SOURCE_ID, name: 'Built-in store', kind: 'demo' };
const DEFAULT_FRESH_MS = 60_000;
/** Cached answers older than this are deleted (customers' orders are not kept for ever). */
export const LOOKUP_RETENTION_MS = 30 * 86_400_000;
const PRUNE_EVERY_MS = 3_600_000;
/** A lookup's successes are written to the shop's health at most this often. */
const HEALTH_WRITE_MS = 60_000;

const newestFirst = (a: Order, b: Order): number =>
  b.createdAt - a.createdAt || a.id.localeCompare(b.id);

const sourceOf = (shop: StoredShop): OrderSource => ({
  id: shop.id,
  name: shop.name,
  kind: shop.kind,
});

const serves = (shop: StoredShop, channel: ChannelKind | null): boolean =>
  shop.enabled &&
  (channel === null || shop.channels.length === 0 || shop.channels.includes(channel));

/** Errors from a provider are ShopErrors by contract; anything else is a bug, said plainly. */
function shopErrorOf(error: unknown): ShopError {
  if (error instanceof ShopError) return error;
  console.error(
    'orders: a shop lookup failed unexpectedly:',
    error instanceof Error ? error.message : error,
  );
  return new ShopError('bad_response', 'The shop’s answer could not be read.');
}

function keyOf(customer: OrderCustomer): string {
  return customer.id !== null
    ? `c:${customer.id}`
    : `q:${customer.phone ?? ''}|${(customer.email ?? '').toLowerCase()}`;
}

export function createOrderService(options: OrderServiceOptions): OrderService {
  const { db, secrets, now, builtIn } = options;
  const freshMs = options.freshMs ?? DEFAULT_FRESH_MS;
  const kinds = new Map(options.kinds.map((spec) => [spec.kind, spec]));
  const providers = new Map<string, { version: number; provider: ShopProvider }>();
  const inFlight = new Map<string, Promise<SourceOrders>>();
  const images = createShopImages({
    db,
    ...(options.fetch ? { fetch: options.fetch } : {}),
    ...(options.timeoutMs === undefined ? {} : { timeoutMs: options.timeoutMs }),
  });
  let prunedAt = 0;
  /** At most hourly, as lookups are written: old cached answers go. */
  async function pruneNow(at: number): Promise<void> {
    if (at - prunedAt < PRUNE_EVERY_MS) return;
    prunedAt = at;
    await pruneLookups(db, at - LOOKUP_RETENTION_MS);
  }
  const pictures = (orders: readonly Order[]): (string | null)[] =>
    orders.flatMap((order) => order.items.map((item) => item.imageUrl));

  function specOf(shop: StoredShop): ShopKindSpec {
    const spec = kinds.get(shop.kind);
    if (!spec) throw new ShopError('bad_response', `This hub cannot connect ${shop.kind} shops.`);
    return spec;
  }

  function providerOf(shop: StoredShop): ShopProvider {
    const known = providers.get(shop.id);
    if (known && known.version === shop.updatedAt) return known.provider;
    const provider = specOf(shop).create({
      id: shop.id,
      url: shop.url,
      credentials: openCredentials(shop, secrets),
      ...(options.fetch ? { fetch: options.fetch } : {}),
      ...(options.sleep ? { sleep: options.sleep } : {}),
      ...(options.timeoutMs === undefined ? {} : { timeoutMs: options.timeoutMs }),
      now,
    });
    providers.set(shop.id, { version: shop.updatedAt, provider });
    return provider;
  }

  const credentialKeys = (shop: StoredShop): string[] =>
    (kinds.get(shop.kind)?.credentials ?? []).map((c) => c.key);

  async function shopOrThrow(id: string): Promise<StoredShop> {
    const shop = await getShop(db, id);
    if (!shop) throw notFound('No such shop.');
    return shop;
  }

  /** The source's orders for a customer, straight from it (links included). */
  async function fetchOrders(
    provider: OrderProvider,
    source: OrderSource,
    customer: OrderCustomer,
    links: readonly string[],
  ): Promise<Order[]> {
    const query: OrderQuery = {
      phone: customer.phone,
      email: customer.email,
      country: customer.country,
    };
    const found = await Promise.all([
      customer.phone || customer.email ? provider.findByCustomer(query) : Promise.resolve([]),
      ...links.map(async (number) =>
        (await provider.findByNumber(number)).filter(
          (order) => normaliseOrderNumber(order.number) === number,
        ),
      ),
    ]);
    const byId = new Map<string, Order>();
    for (const order of found.flat())
      byId.set(order.id, {
        ...order,
        provider: source.id,
        shopName: source.kind === 'demo' ? null : source.name,
      });
    return [...byId.values()].sort(newestFirst);
  }

  async function lookupShop(
    shop: StoredShop,
    customer: OrderCustomer,
    refresh: boolean,
  ): Promise<SourceOrders> {
    const source = sourceOf(shop);
    const key = keyOf(customer);
    const links = customer.id === null ? [] : await linkedNumbers(db, customer.id, shop.id);
    const cached = await readLookup(db, shop.id, key);
    const age = cached ? now() - cached.fetchedAt : Infinity;
    const flightKey = `${shop.id}|${key}`;
    const live = (): Promise<SourceOrders> => {
      const running = inFlight.get(flightKey);
      if (running) return running;
      const work = (async (): Promise<SourceOrders> => {
        const at = now();
        try {
          const orders = await fetchOrders(providerOf(shop), source, customer, links);
          await writeLookup(db, shop.id, key, orders, at);
          await images.remember(shop.id, pictures(orders), at);
          await pruneNow(at);
          if (shop.lastError !== null || (shop.lastOkAt ?? 0) < at - HEALTH_WRITE_MS)
            await recordShopOk(db, shop.id, at);
          return {
            orders,
            source: { ...source, state: 'ok', error: null, fetchedAt: at, stale: false },
            linkedNumbers: links,
          };
        } catch (caught) {
          const error = shopErrorOf(caught);
          await recordShopError(db, shop.id, error.message, at);
          // The answer read before asking (another agent's refresh in between changes little).
          const last = cached;
          return {
            orders: last?.orders ?? [],
            source: {
              ...source,
              state: 'error',
              error: error.message,
              fetchedAt: last?.fetchedAt ?? null,
              stale: last !== null,
            },
            linkedNumbers: links,
          };
        } finally {
          inFlight.delete(flightKey);
        }
      })();
      inFlight.set(flightKey, work);
      return work;
    };
    if (!refresh && cached && age < freshMs) {
      // Past half its time: fetched again behind the agent's back for the next look.
      if (age >= freshMs / 2 && !inFlight.has(flightKey)) void live().catch(() => undefined);
      return {
        orders: cached.orders,
        source: { ...source, state: 'ok', error: null, fetchedAt: cached.fetchedAt, stale: false },
        linkedNumbers: links,
      };
    }
    return live();
  }

  async function lookupBuiltIn(customer: OrderCustomer): Promise<SourceOrders> {
    const links =
      customer.id === null ? [] : await linkedNumbers(db, customer.id, BUILT_IN_SOURCE_ID);
    const orders = await fetchOrders(builtIn, BUILT_IN, customer, links);
    return {
      orders,
      source: { ...BUILT_IN, state: 'ok', error: null, fetchedAt: now(), stale: false },
      linkedNumbers: links,
    };
  }

  /** A connected shop of a kind this hub has, serving `channel`; else 404 with `missing`. */
  async function servingShop(
    sourceId: string,
    channel: ChannelKind | null,
    missing: string,
  ): Promise<StoredShop> {
    const shop = await getShop(db, sourceId);
    if (!shop || !kinds.has(shop.kind) || !serves(shop, channel)) throw notFound(missing);
    return shop;
  }

  async function servingShops(channel: ChannelKind | null): Promise<StoredShop[]> {
    return (await listShops(db)).filter((shop) => kinds.has(shop.kind) && serves(shop, channel));
  }

  async function lookup(
    sourceId: string,
    customer: OrderCustomer,
    lookupOptions: { readonly refresh?: boolean } = {},
  ): Promise<SourceOrders> {
    if (sourceId === BUILT_IN_SOURCE_ID) return lookupBuiltIn(customer);
    const shop = await servingShop(
      sourceId,
      customer.channel,
      'No such order source for this conversation.',
    );
    return lookupShop(shop, customer, lookupOptions.refresh === true);
  }

  async function byNumber(number: string, sourceId?: string): Promise<NumberSearch> {
    const wanted = normaliseOrderNumber(number);
    if (wanted === null) return { orders: [], errors: [] };
    const shops = (await servingShops(null)).filter(
      (shop) => sourceId === undefined || shop.id === sourceId,
    );
    const errors: NumberSearch['errors'] = [];
    const found = await Promise.all([
      sourceId === undefined || sourceId === BUILT_IN_SOURCE_ID
        ? builtIn.findByNumber(wanted)
        : Promise.resolve([]),
      ...shops.map(async (shop) => {
        try {
          const orders = await providerOf(shop).findByNumber(wanted);
          return orders.map((order) => ({ ...order, provider: shop.id, shopName: shop.name }));
        } catch (caught) {
          errors.push({ source: shop.id, name: shop.name, error: shopErrorOf(caught).message });
          return [];
        }
      }),
    ]);
    return { orders: found.flat().sort(newestFirst), errors };
  }

  /** A shop's fields checked together; 400 naming each bad field as the forms show them. */
  function checkShop(
    spec: ShopKindSpec | undefined,
    url: string,
    credentials: Readonly<Record<string, string>>,
    creating: boolean,
  ): string {
    const fields: FieldError[] = [];
    const checked = checkShopUrl(url);
    if ('error' in checked) fields.push({ path: 'url', message: checked.error });
    if (!spec)
      fields.push({ path: 'kind', message: 'This hub cannot connect shops of this kind.' });
    else {
      const known = new Set(spec.credentials.map((c) => c.key));
      for (const key of Object.keys(credentials))
        if (!known.has(key))
          fields.push({ path: `credentials.${key}`, message: `${spec.label} takes no ${key}.` });
      if (creating)
        for (const c of spec.credentials)
          if (!credentials[c.key])
            fields.push({ path: `credentials.${c.key}`, message: `Enter the ${c.label}.` });
    }
    if (fields.length > 0) throw badRequest(fields.map((f) => f.message).join(' '), { fields });
    return 'url' in checked ? checked.url : url;
  }

  const viewOf = (shop: StoredShop): ShopView => shopView(shop, credentialKeys(shop));

  async function sourcesFor(channel: ChannelKind | null): Promise<OrderSource[]> {
    return [BUILT_IN, ...(await servingShops(channel)).map(sourceOf)];
  }

  async function lookupAll(
    customer: OrderCustomer,
  ): Promise<{ orders: Order[]; sources: SourceState[] }> {
    const sources = await sourcesFor(customer.channel);
    const answers = await Promise.all(sources.map((source) => lookup(source.id, customer)));
    return {
      orders: answers.flatMap((answer) => answer.orders).sort(newestFirst),
      sources: answers.map((answer) => answer.source),
    };
  }

  return {
    id: 'all',

    async findByCustomer(query, limit) {
      const customer: OrderCustomer = {
        id: null,
        phone: query.phone ?? null,
        email: query.email ?? null,
        country: query.country ?? null,
        channel: null,
      };
      const { orders } = await lookupAll(customer);
      return orders.slice(0, clampOrderLimit(limit));
    },

    async findByNumber(number) {
      return (await byNumber(number)).orders;
    },

    sourcesFor,

    lookup,

    lookupAll,

    byNumber,

    async link(customer, sourceId, number, userId) {
      if (customer.id === null) throw badRequest('Link orders to a conversation’s customer.');
      const wanted = normaliseOrderNumber(number);
      if (wanted === null)
        throw badRequest('Enter an order number.', {
          fields: [{ path: 'number', message: 'Enter an order number.' }],
        });
      const shop =
        sourceId === BUILT_IN_SOURCE_ID
          ? null
          : await servingShop(
              sourceId,
              customer.channel,
              'No such order source for this conversation.',
            );
      let orders: Order[];
      try {
        orders = await (shop ? providerOf(shop) : builtIn).findByNumber(wanted);
      } catch (caught) {
        throw badRequest(shopErrorOf(caught).message);
      }
      const order = orders.find((o) => normaliseOrderNumber(o.number) === wanted);
      if (!order) return null;
      await insertLink(db, {
        customerId: customer.id,
        sourceId,
        number: wanted,
        userId,
        at: now(),
      });
      // The next look at this customer fetches again, with the linked order.
      await forgetLookups(db, sourceId, keyOf(customer));
      return { ...order, provider: sourceId, shopName: shop?.name ?? null };
    },

    async unlink(customer, sourceId, number) {
      const wanted = normaliseOrderNumber(number);
      if (customer.id === null || wanted === null) return false;
      const gone = await deleteLink(db, { customerId: customer.id, sourceId, number: wanted });
      if (gone) await forgetLookups(db, sourceId, keyOf(customer));
      return gone;
    },

    async products(channel, retailerIds) {
      const wanted = [...new Set(retailerIds.map((id) => id.trim()).filter((id) => id !== ''))];
      if (wanted.length === 0) return { products: [], sources: [] };
      const found = new Map<string, CatalogProduct>();
      const answered: (OrderSource & { drafts: boolean })[] = [];
      for (const shop of await servingShops(channel)) {
        const missing = wanted.filter((id) => !found.has(id));
        if (missing.length === 0) break;
        try {
          const provider = providerOf(shop);
          const products = await provider.findProducts(missing);
          await images.remember(
            shop.id,
            products.map((p) => p.imageUrl),
            now(),
          );
          for (const product of products)
            if (!found.has(product.retailerId))
              found.set(product.retailerId, { source: shop.id, ...product });
          if (products.length > 0)
            answered.push({ ...sourceOf(shop), drafts: provider.createDraftOrder !== undefined });
        } catch (caught) {
          // Products are a nicety beside a catalog order: the next shop may know them.
          shopErrorOf(caught);
        }
      }
      return {
        products: wanted.flatMap((id) => {
          const product = found.get(id);
          return product ? [product] : [];
        }),
        sources: answered,
      };
    },

    async createDraft(customer, sourceId, lines) {
      const shop = await servingShop(
        sourceId,
        customer.channel,
        'No such shop for this conversation.',
      );
      const provider = providerOf(shop);
      if (!provider.createDraftOrder)
        throw badRequest(`${specOf(shop).label} shops cannot make draft orders from here.`);
      try {
        return await provider.createDraftOrder(lines, {
          email: customer.email,
          phone: customer.phone,
          name: customer.name,
        });
      } catch (caught) {
        throw new HttpError(502, 'bad_gateway', shopErrorOf(caught).message);
      }
    },

    async listShops() {
      return (await listShops(db)).map(viewOf);
    },

    kindViews() {
      return options.kinds.map((spec) => ({
        kind: spec.kind,
        label: spec.label,
        urlExample: spec.urlExample,
        credentials: spec.credentials.map((c) => ({ ...c })),
      }));
    },

    async createShop(input) {
      const spec = kinds.get(input.kind);
      const url = checkShop(spec, input.url, input.credentials, true);
      const at = now();
      const shop: StoredShop = {
        id: newId('shop', at),
        kind: input.kind,
        name: input.name || new URL(url).host,
        url,
        sealed: sealCredentials(input.credentials, secrets),
        channels: [...new Set(input.channels)],
        enabled: input.enabled,
        shopName: null,
        lastOkAt: null,
        lastError: null,
        createdAt: at,
        updatedAt: at,
      };
      await insertShop(db, shop);
      return viewOf(shop);
    },

    async updateShop(id, patch) {
      const shop = await shopOrThrow(id);
      const spec = kinds.get(shop.kind);
      const url = checkShop(spec, patch.url ?? shop.url, patch.credentials ?? {}, false);
      const changedCredentials = Object.entries(patch.credentials ?? {}).filter(
        ([key, value]) => (shop.sealed[key] ? secrets.open(shop.sealed[key]) : '') !== value,
      );
      const at = Math.max(now(), shop.updatedAt + 1);
      const change = {
        name: patch.name || shop.name,
        url,
        sealed: {
          ...shop.sealed,
          ...sealCredentials(Object.fromEntries(changedCredentials), secrets),
        },
        channels: patch.channels ? [...new Set(patch.channels)] : shop.channels,
        enabled: patch.enabled ?? shop.enabled,
        connectionChanged: url !== shop.url || changedCredentials.length > 0,
      };
      await updateShop(db, id, change, at);
      if (change.connectionChanged) await forgetLookups(db, id);
      return viewOf(await shopOrThrow(id));
    },

    async deleteShop(id) {
      const shop = await shopOrThrow(id);
      if (!(await deleteShop(db, id))) throw notFound('No such shop.');
      providers.delete(id);
      return viewOf(shop);
    },

    image: (url) => images.fetchImage(url),

    async testShop(id) {
      const shop = await shopOrThrow(id);
      const at = now();
      try {
        const { shopName } = await providerOf(shop).testConnection();
        await recordShopOk(db, id, at, shopName);
        return { ok: true, shopName };
      } catch (caught) {
        const error = shopErrorOf(caught);
        await recordShopError(db, id, error.message, at);
        return { ok: false, error: error.message };
      }
    },
  };
}
