import http, { type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * A local stand-in for a WordPress site running WooCommerce (CHANNEL-API.md §11;
 * woocommerce-rest-api-docs `_orders.md`, `_order-notes.md`, `_products.md`), over real HTTP on
 * 127.0.0.1. Routes, all GET:
 *
 * - `/wp-json/` — the site index: `name`, `description`, `url`, `namespaces` (no keys needed).
 * - `/wp-json/wc/v3/orders` — `search` (a case-insensitive substring of the billing and shipping
 *   fields joined, as WooCommerce's `_billing_address_index` LIKE search; the order number; the
 *   id for a numeric term; item names), `status`, `orderby` (date|id), `order`, `page`,
 *   `per_page` (1–100, else 400 `rest_invalid_param`), answered with `X-WP-Total`,
 *   `X-WP-TotalPages` and a `Link` header (`rel="prev"`, `rel="next"`).
 * - `/wp-json/wc/v3/orders/<id>` (404 `woocommerce_rest_shop_order_invalid_id`),
 *   `/wp-json/wc/v3/orders/<id>/notes?type=any|customer|internal` (newest first).
 * - `/wp-json/wc/v3/products?sku=<sku>[,<sku>]`, `/wp-json/wc/v3/products/<id>`
 *   (404 `woocommerce_rest_product_invalid_id`), `/wp-json/wc/v3/data/currencies/current`.
 * - `/wp-json/wc-shipment-tracking/v3/orders/<id>/shipment-trackings` when the Shipment Tracking
 *   extension is on (`tracking: true`, or `setTracking`); off → 404 `rest_no_route`, as for any
 *   unknown route under `/wp-json/`. Paths outside `/wp-json/` get an HTML 404 (a web server).
 *
 * Keys: HTTP Basic `key:secret`, or `consumer_key`/`consumer_secret` query parameters (read
 * first, as WooCommerce does). None → 401 "Consumer key is missing."; wrong → 401 "Invalid
 * signature - provided signature does not match.". `stripAuthorization` makes the server drop
 * the `Authorization` header before WooCommerce sees it (some FastCGI setups). Every request is
 * recorded (`requests`); `failNext` scripts the next answer under `/wp-json/`, `hangNext` leaves
 * the next one unanswered (a timeout).
 *
 * Usage: `const shop = await startFakeWooCommerce({ key, secret, siteName: 'Acme EU' });
 * shop.seedOrder({ number: '1001', billing: { email: 'ann@example.com', phone: '06 1234 5678',
 * country: 'NL' }, line_items: [{ name: 'Mug', quantity: 2, price: 9.5 }], tracking: [...] });`
 * then point a provider at `shop.url`; `await shop.close()` after the test.
 */

export interface FakeWooAddress {
  first_name: string;
  last_name: string;
  company: string;
  address_1: string;
  address_2: string;
  city: string;
  state: string;
  postcode: string;
  country: string;
  email?: string;
  phone: string;
}

export interface FakeWooLineItem {
  id: number;
  name: string;
  product_id: number;
  variation_id: number;
  quantity: number;
  tax_class: string;
  subtotal: string;
  subtotal_tax: string;
  total: string;
  total_tax: string;
  taxes: unknown[];
  meta_data: {
    id: number;
    key: string;
    value: unknown;
    display_key: string;
    display_value: unknown;
  }[];
  sku: string;
  price: number;
  image: { id: number | string; src: string };
  parent_name: string | null;
}

/** An order as `GET /orders/<id>` answers it (the fields the docs list; taxes left empty). */
export interface FakeWooOrder {
  id: number;
  parent_id: number;
  number: string;
  order_key: string;
  created_via: string;
  version: string;
  status: string;
  currency: string;
  date_created: string;
  date_created_gmt: string;
  date_modified: string;
  date_modified_gmt: string;
  discount_total: string;
  discount_tax: string;
  shipping_total: string;
  shipping_tax: string;
  cart_tax: string;
  total: string;
  total_tax: string;
  prices_include_tax: boolean;
  customer_id: number;
  customer_ip_address: string;
  customer_user_agent: string;
  customer_note: string;
  billing: FakeWooAddress & { email: string };
  shipping: FakeWooAddress;
  payment_method: string;
  payment_method_title: string;
  transaction_id: string;
  date_paid: string | null;
  date_paid_gmt: string | null;
  date_completed: string | null;
  date_completed_gmt: string | null;
  cart_hash: string;
  meta_data: { id: number; key: string; value: unknown }[];
  line_items: FakeWooLineItem[];
  tax_lines: unknown[];
  shipping_lines: {
    id: number;
    method_title: string;
    method_id: string;
    total: string;
    total_tax: string;
    taxes: unknown[];
    meta_data: unknown[];
  }[];
  fee_lines: unknown[];
  coupon_lines: unknown[];
  refunds: { id: number; reason: string; total: string }[];
  _links: Record<string, unknown>;
}

/** A Shipment Tracking item as the extension's REST API answers it. */
export interface FakeTracking {
  tracking_provider: string;
  tracking_number: string;
  tracking_link?: string;
  /** `2026-01-02`. */
  date_shipped?: string;
}

export interface FakeNoteInput {
  note: string;
  /** A note to the customer (emailed to them) rather than a private one. Default true. */
  customer_note?: boolean;
  date_created_gmt?: string;
}

type DeepPartialAddress = Partial<FakeWooAddress & { email: string }>;

export interface FakeOrderInput extends Partial<
  Omit<FakeWooOrder, 'billing' | 'shipping' | 'line_items' | 'shipping_lines' | 'refunds'>
> {
  billing?: DeepPartialAddress;
  shipping?: DeepPartialAddress;
  /** `price` is the unit price; `total` defaults to price × quantity. */
  line_items?: (Partial<Omit<FakeWooLineItem, 'meta_data' | 'image'>> & {
    name: string;
    meta_data?: { key: string; value: unknown; display_key?: string; display_value?: unknown }[];
    image?: { id?: number; src: string };
  })[];
  shipping_lines?: { method_title: string; total: string | number }[];
  /** Refunds as amounts refunded (positive); stored as WooCommerce does, negative. */
  refunds?: { amount: number; reason?: string }[];
  tracking?: FakeTracking[];
  notes?: FakeNoteInput[];
}

export interface FakeWooProduct {
  id: number;
  name: string;
  slug: string;
  type: string;
  status: string;
  sku: string;
  price: string;
  regular_price: string;
  sale_price: string;
  parent_id: number;
  images: { id: number; src: string }[];
  attributes: { id: number; name: string; option?: string; options?: string[] }[];
}

export interface FakeProductInput extends Partial<FakeWooProduct> {
  name: string;
}

export interface RecordedWooRequest {
  readonly method: string;
  /** The path without the query. */
  readonly path: string;
  readonly query: Readonly<Record<string, string>>;
  readonly headers: IncomingHttpHeaders;
  /** How the request carried the keys WooCommerce saw: header, query parameters, or none. */
  readonly auth: 'basic' | 'query' | null;
  status: number;
}

export interface FakeWooOptions {
  readonly key: string;
  readonly secret: string;
  /** `name` in the site index. Default 'Fake Woo Shop'. */
  readonly siteName?: string;
  /** The Shipment Tracking extension. Default true. */
  readonly tracking?: boolean;
  /** Drop `Authorization` before WooCommerce sees it. Default false. */
  readonly stripAuthorization?: boolean;
  /** The store's currency (orders default to it). Default 'EUR'. */
  readonly currency?: string;
}

export interface FakeWooCommerce {
  readonly url: string;
  readonly requests: RecordedWooRequest[];
  /** Stores an order (defaults filled) and returns it as the API will answer it. */
  seedOrder(input: FakeOrderInput): FakeWooOrder;
  seedProduct(input: FakeProductInput): FakeWooProduct;
  /** Adds a Shipment Tracking item to an order. */
  addTracking(orderId: number, item: FakeTracking): void;
  /** Adds a note to an order (newest). */
  addNote(orderId: number, note: FakeNoteInput): void;
  setTracking(installed: boolean): void;
  setStripAuthorization(strip: boolean): void;
  /**
   * The next request under `/wp-json/` (or to exactly `/wp-json/<path>`, e.g. `wc/v3/orders`)
   * gets this answer; queued, one per call.
   */
  failNext(status: number, body: unknown, path?: string): void;
  /** The next request under `/wp-json/` is never answered (until `close`). */
  hangNext(): void;
  /** Requests whose path starts with `prefix` (after `/wp-json/`), e.g. `wc/v3/orders`. */
  requestsTo(prefix: string): RecordedWooRequest[];
  close(): Promise<void>;
}

type Answer = { status: number; body: unknown; headers?: Record<string, string> };

/** A `WP_Error` as the REST API sends it: `{code, message, data: {status}}`. */
function wpError(status: number, code: string, message: string, data: object = {}): Answer {
  return { status, body: { code, message, data: { status, ...data } } };
}

const NO_ROUTE = {
  code: 'rest_no_route',
  message: 'No route was found matching the URL and request method.',
  data: { status: 404 },
};
const KEY_MISSING = {
  code: 'woocommerce_rest_authentication_error',
  message: 'Consumer key is missing.',
  data: { status: 401 },
};
const BAD_SIGNATURE = {
  code: 'woocommerce_rest_authentication_error',
  message: 'Invalid signature - provided signature does not match.',
  data: { status: 401 },
};

const ADDRESS_FIELDS = [
  'first_name',
  'last_name',
  'company',
  'address_1',
  'address_2',
  'city',
  'state',
  'postcode',
  'country',
  'email',
  'phone',
] as const;

function address(
  input: DeepPartialAddress | undefined,
  withEmail: boolean,
): FakeWooAddress & { email: string } {
  const filled = Object.fromEntries(
    ADDRESS_FIELDS.filter((field) => withEmail || field !== 'email').map((field) => [
      field,
      input?.[field] ?? '',
    ]),
  );
  return filled as unknown as FakeWooAddress & { email: string };
}

const money = (amount: number): string => amount.toFixed(2);

export async function startFakeWooCommerce(options: FakeWooOptions): Promise<FakeWooCommerce> {
  const currency = options.currency ?? 'EUR';
  const siteName = options.siteName ?? 'Fake Woo Shop';
  let tracking = options.tracking ?? true;
  let stripAuthorization = options.stripAuthorization ?? false;
  const orders = new Map<number, FakeWooOrder>();
  const trackings = new Map<number, FakeTracking[]>();
  const notes = new Map<
    number,
    { id: number; note: string; customer_note: boolean; date_created_gmt: string }[]
  >();
  const products = new Map<number, FakeWooProduct>();
  const requests: RecordedWooRequest[] = [];
  const failures: { status: number; body: unknown; path: string | null }[] = [];
  let hangs = 0;
  let nextId = 100;
  let nextSubId = 1;
  let clock = Date.UTC(2026, 0, 1, 9, 0, 0);
  let url = '';

  const wpDate = (at: number): string => new Date(at).toISOString().slice(0, 19);

  function seedOrder(input: FakeOrderInput): FakeWooOrder {
    const id = input.id ?? nextId;
    nextId = Math.max(nextId, id) + 1;
    clock += 60_000;
    const created = input.date_created_gmt ?? wpDate(clock);
    const lineItems: FakeWooLineItem[] = (input.line_items ?? []).map((item) => {
      const quantity = item.quantity ?? 1;
      const total = item.total ?? money((item.price ?? 0) * quantity);
      return {
        id: nextSubId++,
        name: item.name,
        product_id: item.product_id ?? 0,
        variation_id: item.variation_id ?? 0,
        quantity,
        tax_class: '',
        subtotal: item.subtotal ?? total,
        subtotal_tax: '0.00',
        total,
        total_tax: '0.00',
        taxes: [],
        meta_data: (item.meta_data ?? []).map((meta) => ({
          id: nextSubId++,
          key: meta.key,
          value: meta.value,
          display_key: meta.display_key ?? meta.key,
          display_value: meta.display_value ?? meta.value,
        })),
        sku: item.sku ?? '',
        price: item.price ?? Number(total) / quantity,
        image: { id: item.image?.id ?? '', src: item.image?.src ?? '' },
        parent_name: item.parent_name ?? null,
      };
    });
    const shippingLines = (input.shipping_lines ?? []).map((line) => ({
      id: nextSubId++,
      method_title: line.method_title,
      method_id: 'flat_rate',
      total: money(Number(line.total)),
      total_tax: '0.00',
      taxes: [],
      meta_data: [],
    }));
    const paid = input.date_paid === undefined ? created : input.date_paid;
    const itemsTotal = lineItems.reduce((sum, item) => sum + Number(item.total), 0);
    const shippingTotal = shippingLines.reduce((sum, line) => sum + Number(line.total), 0);
    const order: FakeWooOrder = {
      id,
      parent_id: 0,
      number: input.number ?? String(id),
      order_key: `wc_order_${id}`,
      created_via: 'checkout',
      version: '9.4.0',
      status: input.status ?? 'processing',
      currency: input.currency ?? currency,
      date_created: input.date_created ?? created,
      date_created_gmt: created,
      date_modified: created,
      date_modified_gmt: created,
      discount_total: '0.00',
      discount_tax: '0.00',
      shipping_total: money(shippingTotal),
      shipping_tax: '0.00',
      cart_tax: '0.00',
      total: input.total ?? money(itemsTotal + shippingTotal),
      total_tax: '0.00',
      prices_include_tax: false,
      customer_id: input.customer_id ?? 0,
      customer_ip_address: '',
      customer_user_agent: '',
      customer_note: input.customer_note ?? '',
      billing: address(input.billing, true),
      shipping: address(input.shipping, false),
      payment_method: input.payment_method ?? 'stripe',
      payment_method_title: input.payment_method_title ?? 'Credit card',
      transaction_id: '',
      // Paid when placed unless the test says otherwise (`date_paid: null`: awaiting payment).
      date_paid: paid,
      date_paid_gmt: input.date_paid_gmt === undefined ? paid : input.date_paid_gmt,
      date_completed: input.date_completed ?? null,
      date_completed_gmt: input.date_completed_gmt ?? null,
      cart_hash: '',
      meta_data: input.meta_data ?? [],
      line_items: lineItems,
      tax_lines: [],
      shipping_lines: shippingLines,
      fee_lines: [],
      coupon_lines: [],
      refunds: (input.refunds ?? []).map((refund) => ({
        id: nextSubId++,
        reason: refund.reason ?? '',
        total: money(-Math.abs(refund.amount)),
      })),
      _links: {},
    };
    orders.set(id, order);
    trackings.set(id, [...(input.tracking ?? [])]);
    notes.set(id, []);
    for (const note of input.notes ?? []) addNote(id, note);
    return order;
  }

  function addNote(orderId: number, note: FakeNoteInput): void {
    clock += 1_000;
    notes.get(orderId)?.unshift({
      id: nextSubId++,
      note: note.note,
      customer_note: note.customer_note ?? true,
      date_created_gmt: note.date_created_gmt ?? wpDate(clock),
    });
  }

  function seedProduct(input: FakeProductInput): FakeWooProduct {
    const id = input.id ?? nextId;
    nextId = Math.max(nextId, id) + 1;
    const product: FakeWooProduct = {
      id,
      name: input.name,
      slug: input.slug ?? input.name.toLowerCase().replace(/\W+/g, '-'),
      type: input.type ?? (input.parent_id ? 'variation' : 'simple'),
      status: input.status ?? 'publish',
      sku: input.sku ?? '',
      price: input.price ?? '',
      regular_price: input.regular_price ?? input.price ?? '',
      sale_price: input.sale_price ?? '',
      parent_id: input.parent_id ?? 0,
      images: input.images ?? [],
      attributes: input.attributes ?? [],
    };
    products.set(id, product);
    return product;
  }

  /** WooCommerce's order search: a substring of the address indexes, the number, the items. */
  function matches(order: FakeWooOrder, term: string): boolean {
    const needle = term.toLowerCase();
    const index = [
      ...ADDRESS_FIELDS.map((field) => order.billing[field] ?? ''),
      ...ADDRESS_FIELDS.map((field) => order.shipping[field] ?? ''),
      order.number,
      ...order.line_items.map((item) => item.name),
    ]
      .join(' ')
      .toLowerCase();
    return index.includes(needle) || (/^\d+$/.test(term) && Number(term) === order.id);
  }

  function listOrders(query: URLSearchParams): Answer {
    const perPage = Number(query.get('per_page') ?? '10');
    const page = Number(query.get('page') ?? '1');
    if (!Number.isInteger(perPage) || perPage < 1 || perPage > 100) {
      return wpError(400, 'rest_invalid_param', 'Invalid parameter(s): per_page', {
        params: { per_page: 'per_page must be between 1 (inclusive) and 100 (inclusive)' },
      });
    }
    if (!Number.isInteger(page) || page < 1) {
      return wpError(400, 'rest_invalid_param', 'Invalid parameter(s): page');
    }
    const search = query.get('search') ?? '';
    const status = query.get('status') ?? 'any';
    const orderby = query.get('orderby') ?? 'date';
    const direction = (query.get('order') ?? 'desc') === 'asc' ? 1 : -1;
    const all = [...orders.values()]
      .filter((order) =>
        status === 'any' ? order.status !== 'trash' : status.split(',').includes(order.status),
      )
      .filter((order) => search === '' || matches(order, search))
      .sort((a, b) =>
        orderby === 'id'
          ? direction * (a.id - b.id)
          : direction * (a.date_created_gmt.localeCompare(b.date_created_gmt) || a.id - b.id),
      );
    const totalPages = Math.ceil(all.length / perPage);
    const links: string[] = [];
    const pageLink = (n: number) => {
      const next = new URLSearchParams(query);
      next.set('page', String(n));
      next.delete('consumer_key');
      next.delete('consumer_secret');
      return `${url}/wp-json/wc/v3/orders?${next.toString()}`;
    };
    if (page > 1 && page - 1 <= totalPages) links.push(`<${pageLink(page - 1)}>; rel="prev"`);
    if (page < totalPages) links.push(`<${pageLink(page + 1)}>; rel="next"`);
    return {
      status: 200,
      body: all.slice((page - 1) * perPage, page * perPage),
      headers: {
        'X-WP-Total': String(all.length),
        'X-WP-TotalPages': String(totalPages),
        ...(links.length > 0 ? { Link: links.join(', ') } : {}),
      },
    };
  }

  function route(path: string, query: URLSearchParams): Answer {
    let match: RegExpExecArray | null;
    if (path === 'wc/v3/orders') return listOrders(query);
    if ((match = /^wc\/v3\/orders\/(\d+)$/.exec(path))) {
      const order = orders.get(Number(match[1]));
      return order
        ? { status: 200, body: order }
        : wpError(404, 'woocommerce_rest_shop_order_invalid_id', 'Invalid ID.');
    }
    if ((match = /^wc\/v3\/orders\/(\d+)\/notes$/.exec(path))) {
      const list = notes.get(Number(match[1]));
      if (!list) {
        return wpError(404, 'woocommerce_rest_order_invalid_id', 'Invalid order ID.');
      }
      const type = query.get('type') ?? 'any';
      const picked = list.filter(
        (note) => type === 'any' || (type === 'customer') === note.customer_note,
      );
      return {
        status: 200,
        body: picked.map((note) => ({
          id: note.id,
          author: 'Shop Manager',
          date_created: note.date_created_gmt,
          date_created_gmt: note.date_created_gmt,
          note: note.note,
          customer_note: note.customer_note,
          _links: {},
        })),
      };
    }
    if (path === 'wc/v3/products') {
      const skus = (query.get('sku') ?? '')
        .split(',')
        .map((sku) => sku.trim())
        .filter(Boolean);
      const list = [...products.values()].filter(
        (product) => skus.length === 0 || skus.includes(product.sku),
      );
      return {
        status: 200,
        body: list,
        headers: {
          'X-WP-Total': String(list.length),
          'X-WP-TotalPages': list.length > 0 ? '1' : '0',
        },
      };
    }
    if ((match = /^wc\/v3\/products\/(\d+)$/.exec(path))) {
      const product = products.get(Number(match[1]));
      return product
        ? { status: 200, body: product }
        : wpError(404, 'woocommerce_rest_product_invalid_id', 'Invalid ID.');
    }
    if (path === 'wc/v3/data/currencies/current') {
      return {
        status: 200,
        body: {
          code: currency,
          name: currency,
          symbol: currency === 'EUR' ? '€' : '$',
          _links: {},
        },
      };
    }
    if (
      tracking &&
      (match = /^wc-shipment-tracking\/v3\/orders\/(\d+)\/shipment-trackings$/.exec(path))
    ) {
      const list = trackings.get(Number(match[1]));
      if (!list) {
        return wpError(404, 'woocommerce_rest_order_invalid_id', 'Order ID is invalid.');
      }
      return {
        status: 200,
        body: list.map((item, index) => ({
          tracking_id: `${match?.[1]}-${index + 1}`,
          tracking_provider: item.tracking_provider,
          tracking_link: item.tracking_link ?? '',
          tracking_number: item.tracking_number,
          date_shipped: item.date_shipped ?? '',
          _links: {},
        })),
      };
    }
    return { status: 404, body: NO_ROUTE };
  }

  /** Which keys WooCommerce sees: query parameters first, then HTTP Basic. */
  function keysOf(
    req: http.IncomingMessage,
    query: URLSearchParams,
  ): { how: 'basic' | 'query' | null; ok: boolean } {
    const queryKey = query.get('consumer_key');
    const querySecret = query.get('consumer_secret');
    if (queryKey && querySecret) {
      return { how: 'query', ok: queryKey === options.key && querySecret === options.secret };
    }
    const header = stripAuthorization ? undefined : req.headers.authorization;
    const basic = header && /^Basic\s+(.+)$/i.exec(header);
    if (!basic) return { how: null, ok: false };
    const decoded = Buffer.from(basic[1] as string, 'base64').toString('utf8');
    const colon = decoded.indexOf(':');
    return {
      how: 'basic',
      ok:
        colon > 0 &&
        decoded.slice(0, colon) === options.key &&
        decoded.slice(colon + 1) === options.secret,
    };
  }

  const server = http.createServer((req, res) => {
    const parsed = new URL(req.url ?? '/', 'http://fake');
    const query = parsed.searchParams;
    const keys = keysOf(req, query);
    const record: RecordedWooRequest = {
      method: req.method ?? 'GET',
      path: parsed.pathname,
      query: Object.fromEntries(query),
      headers: req.headers,
      auth: keys.how,
      status: 0,
    };
    requests.push(record);
    const answer = (status: number, body: unknown, headers: Record<string, string> = {}): void => {
      record.status = status;
      res.writeHead(status, { 'Content-Type': 'application/json; charset=UTF-8', ...headers });
      res.end(JSON.stringify(body));
    };
    req.resume();
    if (!parsed.pathname.startsWith('/wp-json/')) {
      record.status = 404;
      res.writeHead(404, { 'Content-Type': 'text/html; charset=UTF-8' });
      res.end('<!DOCTYPE html><html><body><h1>Page not found</h1></body></html>');
      return;
    }
    if (hangs > 0) {
      hangs -= 1;
      return;
    }
    const path = parsed.pathname.slice('/wp-json/'.length).replace(/\/+$/, '');
    const failing = failures.findIndex((failure) => failure.path === null || failure.path === path);
    if (failing >= 0) {
      const [failure] = failures.splice(failing, 1);
      if (failure) return answer(failure.status, failure.body);
    }
    if (req.method !== 'GET') return answer(404, NO_ROUTE);
    if (path === '') {
      const namespaces = ['oembed/1.0', 'wc/v3', 'wc/store/v1', 'wp/v2'];
      if (tracking) namespaces.push('wc-shipment-tracking/v3');
      return answer(200, {
        name: siteName,
        description: 'Just another WordPress site',
        url,
        home: url,
        gmt_offset: '1',
        timezone_string: 'Europe/Amsterdam',
        namespaces,
        authentication: [],
        routes: {},
      });
    }
    const routed = route(path, query);
    // WooCommerce authenticates before routing a known route; unknown routes are 404 for all.
    if (routed.status !== 404 || routed.body !== NO_ROUTE) {
      if (keys.how === null) return answer(401, KEY_MISSING);
      if (!keys.ok) return answer(401, BAD_SIGNATURE);
    }
    return answer(routed.status, routed.body, routed.headers);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  return {
    url,
    requests,
    seedOrder,
    seedProduct,
    addTracking(orderId, item) {
      trackings.get(orderId)?.push(item);
    },
    addNote,
    setTracking(installed) {
      tracking = installed;
    },
    setStripAuthorization(strip) {
      stripAuthorization = strip;
    },
    failNext(status, body, path) {
      failures.push({ status, body, path: path ?? null });
    },
    hangNext() {
      hangs += 1;
    },
    requestsTo(prefix) {
      return requests.filter((request) => request.path.startsWith(`/wp-json/${prefix}`));
    },
    close() {
      server.closeAllConnections();
      return new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
