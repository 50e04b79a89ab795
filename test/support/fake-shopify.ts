import http, { type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * A local stand-in for a Shopify shop's Admin GraphQL API (CHANNEL-API.md §10), over real HTTP
 * on 127.0.0.1: `POST /admin/api/<version>/graphql.json` with `X-Shopify-Access-Token`.
 *
 *     const shop = await startFakeShopify({ token: 'shpat_test', shopName: 'Acme EU' });
 *     const ann = shop.seedCustomer({ displayName: 'Ann Jansen', phone: '+31612345678', country: 'NL' });
 *     shop.seedOrder({ name: '#1001', customerId: ann.id, email: 'ann@example.com', total: '59.90',
 *       createdAt: '2026-11-02T10:00:00Z', lineItems: [{ title: 'Mug', quantity: 2, price: '29.95' }] });
 *     shop.seedVariant({ productTitle: 'Mug', title: 'Blue', sku: 'MUG-BLUE', price: '29.95' });
 *     shop.throttleNext(2);           // the next two queries answer THROTTLED
 *     … shop.url is the connection's URL; shop.requests has every request …
 *     await shop.close();
 *
 * It answers by `operationName` (or the operation's name in the query text) the operations the
 * hub sends (src/server/orders/shopify/queries.ts): ReplydeskShop, ReplydeskOrders (search by
 * `email:`, `name:`, `customer_id:`, joined by `OR`, values bare or quoted; newest first),
 * ReplydeskCustomers (`phone:`, compared by digits), ReplydeskOrderReturns and ReplydeskProducts
 * (`nodes(ids:)` over orders, products and variants; `sku:` over variants), and
 * ReplydeskDraftOrderCreate (`userErrors` for an unknown variant or a quantity below 1). It
 * returns every field those queries select, whatever the selection.
 *
 * As Shopify does: a wrong or missing token is 401 `{"errors":"[API] Invalid API key or access
 * token (unrecognized login or wrong password)"}`; another path is 404; a scope the test left out
 * (`scopes`) is an ACCESS_DENIED error naming it; every GraphQL answer carries
 * `extensions.cost` (requested cost from `FAKE_SHOPIFY_COSTS`, a 2000-point bucket restoring 100
 * points/s, full before each query). `throttleNext(n, { available, status })` answers the next n
 * queries `THROTTLED` with `currentlyAvailable: available` (100 unless told) on HTTP 200 (or
 * 429); `answerNext({ status, body })` scripts one raw answer (402, 503, …).
 */

export const FAKE_SHOPIFY_VERSION_PATH = /^\/admin\/api\/(\d{4}-\d{2}|unstable)\/graphql\.json$/;

/** requestedQueryCost by operation (actualQueryCost is a quarter of it). */
export const FAKE_SHOPIFY_COSTS: Readonly<Record<string, number>> = {
  ReplydeskShop: 1,
  ReplydeskOrders: 252,
  ReplydeskOrderReturns: 12,
  ReplydeskCustomers: 7,
  ReplydeskProducts: 112,
  ReplydeskDraftOrderCreate: 10,
};
export const FAKE_SHOPIFY_BUCKET = { maximumAvailable: 2000, restoreRate: 100 } as const;

const SCOPE_OF: Readonly<Record<string, string>> = {
  ReplydeskOrders: 'read_orders',
  ReplydeskOrderReturns: 'read_returns',
  ReplydeskCustomers: 'read_customers',
  ReplydeskProducts: 'read_products',
  ReplydeskDraftOrderCreate: 'write_draft_orders',
};
const ALL_SCOPES = Object.values(SCOPE_OF);

export interface FakeShopifyAddress {
  readonly name?: string;
  readonly address1?: string;
  readonly address2?: string;
  readonly zip?: string;
  readonly city?: string;
  readonly country?: string;
  /** ISO 3166 alpha-2 (`countryCodeV2`). */
  readonly countryCode?: string;
  readonly phone?: string;
}

export interface FakeShopifyOrderInput {
  /** Numeric id (the gid's tail); counted from 5001 unless given. */
  readonly id?: number;
  /** `#1001`. */
  readonly name: string;
  /** ISO 8601. */
  readonly createdAt: string;
  readonly cancelledAt?: string | null;
  readonly email?: string | null;
  readonly phone?: string | null;
  readonly note?: string | null;
  /** A seeded customer's numeric id. */
  readonly customerId?: number | null;
  /** `displayFinancialStatus`; PAID unless given. */
  readonly financialStatus?: string | null;
  /** `displayFulfillmentStatus`; UNFULFILLED unless given. */
  readonly fulfillmentStatus?: string;
  /** NO_RETURN unless given. */
  readonly returnStatus?: string;
  /** EUR unless given. */
  readonly currency?: string;
  /** Decimal string as Shopify sends it. */
  readonly total: string;
  readonly lineItems: readonly {
    readonly title: string;
    readonly variantTitle?: string | null;
    readonly sku?: string | null;
    readonly quantity: number;
    readonly price: string;
    readonly imageUrl?: string | null;
  }[];
  readonly shippingAddress?: FakeShopifyAddress | null;
  readonly billingAddress?: FakeShopifyAddress | null;
  readonly shippingLines?: readonly { readonly title: string; readonly price: string }[];
  readonly fulfillments?: readonly {
    /** FulfillmentStatus; SUCCESS unless given. */
    readonly status?: string;
    /** FulfillmentDisplayStatus (`IN_TRANSIT`, `DELIVERED`…). */
    readonly displayStatus?: string | null;
    readonly createdAt?: string | null;
    readonly tracking?: readonly {
      readonly company?: string | null;
      readonly number?: string | null;
      readonly url?: string | null;
    }[];
  }[];
  readonly refunds?: readonly {
    readonly amount: string;
    readonly note?: string | null;
    readonly createdAt: string;
  }[];
  /** Served by ReplydeskOrderReturns (ReturnStatus: OPEN, CLOSED…). */
  readonly returns?: readonly { readonly name: string; readonly status: string }[];
}

export interface FakeShopifyCustomerInput {
  readonly id?: number;
  readonly displayName: string;
  readonly email?: string | null;
  /** As Shopify keeps it (E.164). */
  readonly phone?: string | null;
  /** The default address's country (ISO alpha-2). */
  readonly country?: string | null;
}

export interface FakeShopifyVariantInput {
  readonly variantId?: number;
  /** Variants with the same product id are one product; a new one unless given. */
  readonly productId?: number;
  readonly productTitle: string;
  /** `Default Title` for a product without options. */
  readonly title?: string;
  readonly sku?: string | null;
  readonly price: string;
  readonly imageUrl?: string | null;
  readonly productImageUrl?: string | null;
}

export interface RecordedShopifyRequest {
  readonly path: string;
  readonly headers: IncomingHttpHeaders;
  readonly operationName: string | null;
  readonly query: string;
  readonly variables: Record<string, unknown>;
  status: number;
  body: unknown;
}

export interface FakeShopify {
  /** The shop's base URL (the connection's `url`). */
  readonly url: string;
  readonly requests: RecordedShopifyRequest[];
  /** Draft orders made, with the input the hub sent. */
  readonly draftOrders: { readonly name: string; readonly input: Record<string, unknown> }[];
  seedOrder(order: FakeShopifyOrderInput): { id: number; gid: string };
  seedCustomer(customer: FakeShopifyCustomerInput): { id: number; gid: string };
  seedVariant(variant: FakeShopifyVariantInput): {
    variantId: number;
    productId: number;
    variantGid: string;
    productGid: string;
  };
  /** The next `count` GraphQL queries answer THROTTLED. */
  throttleNext(
    count: number,
    options?: { readonly available?: number; readonly status?: 200 | 429 },
  ): void;
  /** The next request gets exactly this answer (queued, one per call). */
  answerNext(answer: { readonly status: number; readonly body: unknown }): void;
  /** The scopes the token has (every one unless given). */
  scopes: string[];
  close(): Promise<void>;
}

type Json = Record<string, unknown>;

export async function startFakeShopify(options: {
  readonly token: string;
  readonly shopName: string;
  readonly currency?: string;
  readonly scopes?: readonly string[];
}): Promise<FakeShopify> {
  const requests: RecordedShopifyRequest[] = [];
  const orders: (FakeShopifyOrderInput & { id: number })[] = [];
  const customers: (FakeShopifyCustomerInput & { id: number })[] = [];
  const variants: (FakeShopifyVariantInput & { variantId: number; productId: number })[] = [];
  const draftOrders: FakeShopify['draftOrders'] = [];
  const scripted: { status: number; body: unknown }[] = [];
  const throttles: { available: number; status: 200 | 429 }[] = [];
  let nextId = 5001;
  let url = '';

  const gid = (type: string, id: number) => `gid://shopify/${type}/${id}`;
  const money = (amount: string, currencyCode: string) => ({
    shopMoney: { amount, currencyCode },
  });
  const currencyOf = (order: FakeShopifyOrderInput) => order.currency ?? options.currency ?? 'EUR';

  function formatted(address: FakeShopifyAddress): string[] {
    return [
      address.name,
      address.address1,
      address.address2,
      [address.zip, address.city].filter(Boolean).join(' '),
      address.country,
    ].filter((line): line is string => Boolean(line));
  }

  function orderNode(order: FakeShopifyOrderInput & { id: number }): Json {
    const currency = currencyOf(order);
    const customer = customers.find((c) => c.id === order.customerId);
    return {
      id: gid('Order', order.id),
      name: order.name,
      createdAt: order.createdAt,
      cancelledAt: order.cancelledAt ?? null,
      email: order.email ?? null,
      phone: order.phone ?? null,
      note: order.note ?? null,
      displayFinancialStatus: order.financialStatus === undefined ? 'PAID' : order.financialStatus,
      displayFulfillmentStatus: order.fulfillmentStatus ?? 'UNFULFILLED',
      returnStatus: order.returnStatus ?? 'NO_RETURN',
      customer: customer
        ? { id: gid('Customer', customer.id), displayName: customer.displayName }
        : null,
      totalPriceSet: money(order.total, currency),
      shippingAddress: order.shippingAddress
        ? {
            formatted: formatted(order.shippingAddress),
            countryCodeV2: order.shippingAddress.countryCode ?? null,
            phone: order.shippingAddress.phone ?? null,
          }
        : null,
      billingAddress: order.billingAddress
        ? {
            countryCodeV2: order.billingAddress.countryCode ?? null,
            phone: order.billingAddress.phone ?? null,
          }
        : null,
      lineItems: {
        nodes: order.lineItems.map((item) => ({
          title: item.title,
          variantTitle: item.variantTitle ?? null,
          sku: item.sku ?? null,
          quantity: item.quantity,
          originalUnitPriceSet: money(item.price, currency),
          image: item.imageUrl ? { url: item.imageUrl } : null,
        })),
      },
      shippingLines: {
        nodes: (order.shippingLines ?? []).map((line) => ({
          title: line.title,
          originalPriceSet: money(line.price, currency),
        })),
      },
      fulfillments: (order.fulfillments ?? []).map((fulfillment) => ({
        status: fulfillment.status ?? 'SUCCESS',
        displayStatus: fulfillment.displayStatus ?? null,
        createdAt: fulfillment.createdAt ?? null,
        trackingInfo: (fulfillment.tracking ?? []).map((tracking) => ({
          company: tracking.company ?? null,
          number: tracking.number ?? null,
          url: tracking.url ?? null,
        })),
      })),
      refunds: (order.refunds ?? []).map((refund) => ({
        createdAt: refund.createdAt,
        note: refund.note ?? null,
        totalRefundedSet: money(refund.amount, currency),
      })),
    };
  }

  function variantNode(variant: (typeof variants)[number]): Json {
    return {
      id: gid('ProductVariant', variant.variantId),
      title: variant.title ?? 'Default Title',
      sku: variant.sku ?? null,
      price: variant.price,
      image: variant.imageUrl ? { url: variant.imageUrl } : null,
      product: productCore(variant),
    };
  }

  function productCore(variant: (typeof variants)[number]): Json {
    const first = variants.find((v) => v.productId === variant.productId) ?? variant;
    return {
      id: gid('Product', variant.productId),
      title: first.productTitle,
      featuredMedia: first.productImageUrl
        ? { preview: { image: { url: first.productImageUrl } } }
        : null,
    };
  }

  /** Shopify's search syntax, as far as the hub uses it: `field:value` terms joined by OR. */
  function terms(query: string): { field: string; value: string }[] {
    return query.split(/\s+OR\s+/).flatMap((term) => {
      const match = /^(\w+):(?:"((?:[^"\\]|\\.)*)"|(\S+))$/.exec(term.trim());
      if (!match) return [];
      const value = match[2] !== undefined ? match[2].replace(/\\(.)/g, '$1') : (match[3] ?? '');
      return [{ field: match[1] ?? '', value }];
    });
  }

  const digits = (phone: string | null | undefined) => (phone ?? '').replace(/\D/g, '');

  function matchesOrder(order: FakeShopifyOrderInput & { id: number }, query: string): boolean {
    return terms(query).some(({ field, value }) => {
      if (field === 'email') return (order.email ?? '').toLowerCase() === value.toLowerCase();
      if (field === 'name') return order.name === value || order.name === `#${value}`;
      if (field === 'customer_id') return String(order.customerId ?? '') === value;
      return false;
    });
  }

  function node(id: string): Json | null {
    const [, type, raw] = /^gid:\/\/shopify\/(\w+)\/(\d+)$/.exec(id) ?? [];
    const numeric = Number(raw);
    if (type === 'Order') {
      const order = orders.find((o) => o.id === numeric);
      return order
        ? {
            __typename: 'Order',
            id: gid('Order', order.id),
            returns: { nodes: (order.returns ?? []).map((r) => ({ ...r })) },
          }
        : null;
    }
    if (type === 'ProductVariant') {
      const variant = variants.find((v) => v.variantId === numeric);
      return variant ? { __typename: 'ProductVariant', ...variantNode(variant) } : null;
    }
    if (type === 'Product') {
      const own = variants.filter((v) => v.productId === numeric);
      const first = own[0];
      return first
        ? {
            __typename: 'Product',
            ...productCore(first),
            variants: { nodes: own.slice(0, 1).map(variantNode) },
          }
        : null;
    }
    return null;
  }

  function data(operation: string, variables: Json): Json | { userErrorsOnly: true } {
    const first = typeof variables['first'] === 'number' ? variables['first'] : 10;
    switch (operation) {
      case 'ReplydeskShop':
        return { shop: { name: options.shopName } };
      case 'ReplydeskOrders': {
        const query = String(variables['query'] ?? '');
        const found = orders
          .filter((order) => matchesOrder(order, query))
          .sort((a, b) => Date.parse(b.createdAt) - Date.parse(a.createdAt))
          .slice(0, first);
        return { orders: { nodes: found.map(orderNode) } };
      }
      case 'ReplydeskOrderReturns':
      case 'ReplydeskProducts': {
        const ids = Array.isArray(variables['ids']) ? variables['ids'].map(String) : [];
        const nodes = ids.map(node);
        if (operation === 'ReplydeskOrderReturns') return { nodes };
        const skus = terms(String(variables['skus'] ?? ''))
          .filter((term) => term.field === 'sku')
          .map((term) => term.value);
        return {
          shop: { currencyCode: options.currency ?? 'EUR' },
          productVariants: {
            nodes: variants
              .filter((v) => v.sku && skus.includes(v.sku))
              .slice(0, first)
              .map(variantNode),
          },
          nodes,
        };
      }
      case 'ReplydeskCustomers': {
        const wanted = terms(String(variables['query'] ?? ''))
          .filter((term) => term.field === 'phone')
          .map((term) => digits(term.value));
        return {
          customers: {
            nodes: customers
              .filter((c) => c.phone && wanted.includes(digits(c.phone)))
              .slice(0, 5)
              .map((c) => ({
                id: gid('Customer', c.id),
                displayName: c.displayName,
                defaultPhoneNumber: c.phone ? { phoneNumber: c.phone } : null,
                defaultAddress: c.country ? { countryCodeV2: c.country } : null,
              })),
          },
        };
      }
      case 'ReplydeskDraftOrderCreate':
        return { draftOrderCreate: draftOrderCreate((variables['input'] ?? {}) as Json) };
      default:
        return { userErrorsOnly: true };
    }
  }

  function draftOrderCreate(input: Json): Json {
    const lines = Array.isArray(input['lineItems']) ? (input['lineItems'] as Json[]) : [];
    const userErrors: { field: string[]; message: string }[] = [];
    if (lines.length === 0)
      userErrors.push({ field: ['lineItems'], message: 'Add at least 1 product' });
    lines.forEach((line, index) => {
      if (!variants.some((v) => gid('ProductVariant', v.variantId) === line['variantId']))
        userErrors.push({
          field: ['lineItems', String(index), 'variantId'],
          message: 'Product variant not found',
        });
      if (typeof line['quantity'] !== 'number' || line['quantity'] < 1)
        userErrors.push({
          field: ['lineItems', String(index), 'quantity'],
          message: 'Quantity must be greater than or equal to 1',
        });
    });
    if (userErrors.length > 0) return { draftOrder: null, userErrors };
    const id = nextId++;
    const name = `#D${draftOrders.length + 1}`;
    draftOrders.push({ name, input });
    return {
      draftOrder: {
        id: gid('DraftOrder', id),
        name,
        invoiceUrl: `${url}/1234567/invoices/${id.toString(16)}`,
      },
      userErrors: [],
    };
  }

  const cost = (operation: string, throttle?: { available: number }) => {
    const requested = FAKE_SHOPIFY_COSTS[operation] ?? 10;
    const actual = Math.ceil(requested / 4);
    return {
      cost: {
        requestedQueryCost: requested,
        actualQueryCost: throttle ? null : actual,
        throttleStatus: {
          maximumAvailable: FAKE_SHOPIFY_BUCKET.maximumAvailable,
          currentlyAvailable: throttle
            ? throttle.available
            : FAKE_SHOPIFY_BUCKET.maximumAvailable - actual,
          restoreRate: FAKE_SHOPIFY_BUCKET.restoreRate,
        },
      },
    };
  };

  function answer(raw: Buffer, req: http.IncomingMessage, record: RecordedShopifyRequest) {
    const reply = (status: number, body: unknown) => ({ status, body });
    const next = scripted.shift();
    if (next) return next;
    if (!FAKE_SHOPIFY_VERSION_PATH.test(record.path) || req.method !== 'POST')
      return reply(404, { errors: 'Not Found' });
    if (req.headers['x-shopify-access-token'] !== options.token)
      return reply(401, {
        errors: '[API] Invalid API key or access token (unrecognized login or wrong password)',
      });
    if (record.query === '' && raw.length > 0)
      return reply(400, { errors: { query: 'Required parameter missing or invalid' } });
    const operation = record.operationName ?? '';
    const throttle = throttles.shift();
    if (throttle)
      return reply(throttle.status, {
        errors: [
          {
            message: 'Throttled',
            extensions: {
              code: 'THROTTLED',
              documentation: 'https://shopify.dev/api/usage/rate-limits',
            },
          },
        ],
        extensions: cost(operation, throttle),
      });
    const scope = SCOPE_OF[operation];
    if (scope && !fake.scopes.includes(scope))
      return reply(200, {
        data: null,
        errors: [
          {
            message: `Access denied for ${operation} field. Required access: \`${scope}\` access scope.`,
            extensions: { code: 'ACCESS_DENIED' },
          },
        ],
        extensions: cost(operation),
      });
    const result = data(operation, record.variables);
    if ('userErrorsOnly' in result)
      return reply(200, {
        errors: [
          { message: `Unknown operation ${operation}`, extensions: { code: 'undefinedField' } },
        ],
        extensions: cost(operation),
      });
    return reply(200, { data: result, extensions: cost(operation) });
  }

  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const raw = Buffer.concat(chunks);
      let body: Json;
      try {
        body = raw.length > 0 ? (JSON.parse(raw.toString('utf8')) as Json) : {};
      } catch {
        body = {};
      }
      const query = typeof body['query'] === 'string' ? body['query'] : '';
      const record: RecordedShopifyRequest = {
        path: req.url ?? '',
        headers: req.headers,
        operationName:
          typeof body['operationName'] === 'string'
            ? body['operationName']
            : (/\b(?:query|mutation)\s+(\w+)/.exec(query)?.[1] ?? null),
        query,
        variables: (body['variables'] as Json | undefined) ?? {},
        status: 0,
        body: null,
      };
      requests.push(record);
      const { status, body: out } = answer(raw, req, record);
      record.status = status;
      record.body = out;
      res.writeHead(status, { 'content-type': 'application/json; charset=utf-8' });
      res.end(typeof out === 'string' ? out : JSON.stringify(out));
    });
  });

  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  const fake: FakeShopify = {
    url,
    requests,
    draftOrders,
    scopes: [...(options.scopes ?? ALL_SCOPES)],
    seedOrder(order) {
      const id = order.id ?? nextId++;
      orders.push({ ...order, id });
      return { id, gid: gid('Order', id) };
    },
    seedCustomer(customer) {
      const id = customer.id ?? nextId++;
      customers.push({ ...customer, id });
      return { id, gid: gid('Customer', id) };
    },
    seedVariant(variant) {
      const variantId = variant.variantId ?? nextId++;
      const productId = variant.productId ?? nextId++;
      variants.push({ ...variant, variantId, productId });
      return {
        variantId,
        productId,
        variantGid: gid('ProductVariant', variantId),
        productGid: gid('Product', productId),
      };
    },
    throttleNext(count, throttle = {}) {
      for (let i = 0; i < count; i += 1)
        throttles.push({ available: throttle.available ?? 100, status: throttle.status ?? 200 });
    },
    answerNext(next) {
      scripted.push({ status: next.status, body: next.body });
    },
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((error) => (error ? reject(error) : resolve()));
      }),
  };
  return fake;
}
