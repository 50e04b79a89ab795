import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  ShopError,
  type ShopConnection,
  type ShopProvider,
} from '../../src/server/orders/provider';
import { SHOPIFY_API_VERSION, shopifyKind } from '../../src/server/orders/shopify';
import { MAX_ANSWER_BYTES } from '../../src/server/orders/shopify/client';
import { startFakeShopify, type FakeShopify } from '../support/fake-shopify';

const TOKEN = 'shpat_0123456789abcdef0123456789abcdef';

let shop: FakeShopify;
let clock: number;
let waits: number[];
let ann: { id: number; gid: string };

function connect(overrides: Partial<ShopConnection> = {}): ShopProvider {
  return shopifyKind.create({
    id: 'shop-eu',
    url: shop.url,
    credentials: { accessToken: TOKEN },
    now: () => clock,
    sleep: async (ms) => {
      waits.push(ms);
    },
    ...overrides,
  });
}

/** The ShopError a call rejects with (fails the test if it resolves or throws another). */
async function shopError(call: Promise<unknown>): Promise<ShopError> {
  const error: unknown = await call.then(
    () => null,
    (thrown: unknown) => thrown,
  );
  expect(error).toBeInstanceOf(ShopError);
  return error as ShopError;
}

/** The next customer search answers with exactly these (Shopify's search is loose). */
function answerCustomers(nodes: readonly object[]): void {
  shop.answerNext({ status: 200, body: { data: { customers: { nodes } } } });
}

/** Bob's account, another number than Ann's. */
const BOB = {
  id: 'gid://shopify/Customer/102',
  displayName: 'Bob Smit',
  defaultPhoneNumber: { phoneNumber: '+31687654321' },
  defaultAddress: null,
};

const numbers = (orders: readonly { number: string }[]) => orders.map((order) => order.number);

beforeEach(async () => {
  clock = Date.UTC(2026, 11, 4, 12);
  waits = [];
  shop = await startFakeShopify({ token: TOKEN, shopName: 'Acme EU' });
  ann = shop.seedCustomer({
    id: 101,
    displayName: 'Ann Jansen',
    email: 'ann@example.com',
    phone: '+31612345678',
    country: 'NL',
  });
  const bob = shop.seedCustomer({ id: 102, displayName: 'Bob Smit', phone: '+31687654321' });
  shop.seedOrder({
    id: 9001,
    name: '#1001',
    customerId: ann.id,
    email: 'ann@example.com',
    createdAt: '2026-11-02T10:00:00Z',
    financialStatus: 'PAID',
    fulfillmentStatus: 'FULFILLED',
    total: '64.85',
    note: 'Please leave it at the door.',
    lineItems: [
      {
        title: 'Sunrise mug',
        variantTitle: 'Blue',
        sku: 'MUG-BLUE',
        quantity: 2,
        price: '29.95',
        imageUrl: 'https://cdn.shopify.com/s/files/mug-blue.jpg',
      },
    ],
    shippingLines: [{ title: 'Standard', price: '4.95' }],
    shippingAddress: {
      name: 'Ann Jansen',
      address1: 'Keizersgracht 1',
      zip: '1015 CJ',
      city: 'Amsterdam',
      country: 'Netherlands',
      countryCode: 'NL',
      phone: '06 1234 5678',
    },
    fulfillments: [
      {
        displayStatus: 'IN_TRANSIT',
        createdAt: '2026-11-03T08:30:00Z',
        tracking: [
          {
            company: 'PostNL',
            number: '3SABCD1234567',
            url: 'https://jouw.postnl.nl/track-and-trace/3SABCD1234567-NL-1015CJ',
          },
        ],
      },
    ],
  });
  shop.seedOrder({
    id: 9002,
    name: '#1002',
    customerId: ann.id,
    email: 'ann@example.com',
    createdAt: '2026-11-20T09:15:00Z',
    financialStatus: 'PARTIALLY_REFUNDED',
    fulfillmentStatus: 'FULFILLED',
    returnStatus: 'IN_PROGRESS',
    total: '19.95',
    lineItems: [{ title: 'Tea towel', variantTitle: 'Default Title', quantity: 1, price: '19.95' }],
    fulfillments: [
      {
        displayStatus: 'DELIVERED',
        createdAt: '2026-11-21T07:00:00Z',
        tracking: [
          { company: 'DHL Express', number: 'JD014600006281', url: null },
          { company: 'DHL Express', number: 'JD014600006282', url: null },
        ],
      },
    ],
    refunds: [
      { amount: '5.00', note: 'Shipping refunded', createdAt: '2026-11-24T10:00:00Z' },
      { amount: '10.00', note: 'Stained towel', createdAt: '2026-11-22T16:00:00Z' },
    ],
    returns: [{ name: '#1002-R1', status: 'OPEN' }],
  });
  // Found only by phone: no e-mail on it.
  shop.seedOrder({
    id: 9004,
    name: '#1004',
    customerId: ann.id,
    createdAt: '2026-11-10T12:00:00Z',
    financialStatus: 'PENDING',
    total: '9.50',
    lineItems: [{ title: 'Coaster', quantity: 1, price: '9.50' }],
  });
  shop.seedOrder({
    id: 9003,
    name: '#1003',
    customerId: bob.id,
    email: 'bob@example.com',
    createdAt: '2026-11-25T12:00:00Z',
    total: '5.00',
    lineItems: [{ title: 'Coaster', quantity: 1, price: '5.00' }],
  });
});

afterEach(async () => {
  await shop.close();
});

describe('Shopify shop kind', () => {
  it('declares one write-only credential, the access token', () => {
    expect(shopifyKind.kind).toBe('shopify');
    expect(shopifyKind.label).toBe('Shopify');
    expect(shopifyKind.credentials.map((credential) => credential.key)).toEqual(['accessToken']);
  });

  it('tests the connection with the shop’s name, on the pinned version with the token header', async () => {
    await expect(connect().testConnection()).resolves.toEqual({ shopName: 'Acme EU' });
    expect(shop.requests).toHaveLength(1);
    const request = shop.requests[0];
    expect(request?.path).toBe(`/admin/api/${SHOPIFY_API_VERSION}/graphql.json`);
    expect(request?.headers['x-shopify-access-token']).toBe(TOKEN);
    expect(request?.operationName).toBe('ReplydeskShop');
  });
});

describe('orders by customer', () => {
  it('finds orders by e-mail, case-insensitively, newest first', async () => {
    const orders = await connect().findByCustomer({ email: ' Ann@Example.COM ' });
    expect(numbers(orders)).toEqual(['1002', '1001']);
    expect(shop.requests[0]?.variables).toEqual({ query: 'email:"ann@example.com"', first: 20 });
  });

  it.each([
    ['national, in the customer’s country', '06 1234 5678', 'NL'],
    ['international with +', '+31 6 12345678', null],
    ['as WhatsApp spells it', '31612345678', null],
    ['with 00', '0031 (0)6-1234 5678', 'NL'],
  ])('finds the customer’s orders by phone, %s', async (_label, phone, country) => {
    const orders = await connect().findByCustomer({ phone, country });
    expect(numbers(orders)).toEqual(['1002', '1004', '1001']);
    const [customers, byCustomer] = shop.requests;
    expect(customers?.operationName).toBe('ReplydeskCustomers');
    expect(customers?.variables).toEqual({ query: 'phone:"+31612345678"' });
    expect(byCustomer?.variables).toEqual({ query: 'customer_id:101', first: 20 });
  });

  it('keeps only the customers whose phone is the same line', async () => {
    // Shopify's customer search is loose; Bob's phone is another number.
    answerCustomers([
      BOB,
      {
        id: ann.gid,
        displayName: 'Ann Jansen',
        defaultPhoneNumber: { phoneNumber: '+31612345678' },
        defaultAddress: { countryCodeV2: 'NL' },
      },
    ]);
    const orders = await connect().findByCustomer({ phone: '06 1234 5678', country: 'NL' });
    expect(numbers(orders)).toEqual(['1002', '1004', '1001']);
    expect(shop.requests[1]?.variables['query']).toBe('customer_id:102 OR customer_id:101');
  });

  it('takes an order of another customer whose own phone, read in its shipping country, is the line', async () => {
    // Bob ordered for Ann: his account's phone is his, the parcel's phone is Ann's, written as
    // the Netherlands writes it.
    shop.seedOrder({
      id: 9005,
      name: '#1005',
      customerId: 102,
      createdAt: '2026-11-28T12:00:00Z',
      total: '12.00',
      lineItems: [{ title: 'Gift card', quantity: 1, price: '12.00' }],
      shippingAddress: { name: 'Ann Jansen', countryCode: 'NL', phone: '06-12345678' },
    });
    answerCustomers([BOB]);
    const orders = await connect().findByCustomer({ phone: '+31612345678' });
    expect(numbers(orders)).toEqual(['1005']);
    expect(orders[0]?.phone).toBe('06-12345678');
  });

  it('merges e-mail and phone matches once each, newest first, up to the limit', async () => {
    const provider = connect();
    const both = { email: 'ann@example.com', phone: '+31612345678' };
    expect(numbers(await provider.findByCustomer(both))).toEqual(['1002', '1004', '1001']);
    expect(numbers(await provider.findByCustomer(both, 2))).toEqual(['1002', '1004']);
  });

  it('finds nothing for an unknown customer without failing', async () => {
    await expect(
      connect().findByCustomer({ email: 'nobody@example.com', phone: '+4915112345678' }),
    ).resolves.toEqual([]);
    await expect(connect().findByCustomer({})).resolves.toEqual([]);
  });
});

describe('orders by number', () => {
  it.each(['#1001', '1001', ' # 1001 '])('finds %j by its name', async (number) => {
    const orders = await connect().findByNumber(number);
    expect(numbers(orders)).toEqual(['1001']);
    expect(shop.requests[0]?.variables).toEqual({ query: 'name:"#1001"', first: 5 });
  });

  it('finds nothing for a number the shop does not have', async () => {
    await expect(connect().findByNumber('#9999')).resolves.toEqual([]);
    await expect(connect().findByNumber('  ')).resolves.toEqual([]);
  });
});

describe('order mapping', () => {
  it('maps a shipped order with items, address, shipping line, tracking and note', async () => {
    const [order] = await connect().findByNumber('1001');
    expect(order).toEqual({
      id: 'gid://shopify/Order/9001',
      provider: 'shop-eu',
      number: '1001',
      status: 'shipped',
      customerName: 'Ann Jansen',
      email: 'ann@example.com',
      phone: '06 1234 5678',
      items: [
        {
          title: 'Sunrise mug',
          quantity: 2,
          sku: 'MUG-BLUE',
          price: 29.95,
          variant: 'Blue',
          imageUrl: 'https://cdn.shopify.com/s/files/mug-blue.jpg',
        },
      ],
      total: 64.85,
      currency: 'EUR',
      carrier: 'PostNL',
      trackingNumber: '3SABCD1234567',
      trackingUrl: 'https://jouw.postnl.nl/track-and-trace/3SABCD1234567-NL-1015CJ',
      createdAt: Date.UTC(2026, 10, 2, 10),
      shopName: null,
      financialStatus: 'Paid',
      fulfillmentStatus: 'Fulfilled',
      shippingAddress: ['Ann Jansen', 'Keizersgracht 1', '1015 CJ Amsterdam', 'Netherlands'],
      shipping: [{ title: 'Standard', price: 4.95 }],
      fulfillments: [
        {
          status: 'In transit',
          carrier: 'PostNL',
          trackingNumber: '3SABCD1234567',
          trackingUrl: 'https://jouw.postnl.nl/track-and-trace/3SABCD1234567-NL-1015CJ',
          shippedAt: Date.UTC(2026, 10, 3, 8, 30),
        },
      ],
      refunds: [],
      returns: [],
      notes: ['Please leave it at the door.'],
      adminUrl: `${shop.url}/admin/orders/9001`,
    });
  });

  it('maps a delivered, partly refunded order with two parcels and a return', async () => {
    const [order] = await connect().findByNumber('#1002');
    expect(order?.status).toBe('delivered');
    expect(order?.financialStatus).toBe('Partially refunded');
    expect(order?.items).toEqual([
      { title: 'Tea towel', quantity: 1, sku: null, price: 19.95, variant: null, imageUrl: null },
    ]);
    expect([order?.carrier, order?.trackingNumber, order?.trackingUrl]).toEqual([
      'DHL Express',
      'JD014600006281',
      null,
    ]);
    expect(order?.fulfillments.map((f) => [f.status, f.trackingNumber])).toEqual([
      ['Delivered', 'JD014600006281'],
      ['Delivered', 'JD014600006282'],
    ]);
    expect(order?.refunds).toEqual([
      { amount: 10, note: 'Stained towel', createdAt: Date.UTC(2026, 10, 22, 16) },
      { amount: 5, note: 'Shipping refunded', createdAt: Date.UTC(2026, 10, 24, 10) },
    ]);
    expect(order?.returns).toEqual([{ name: '#1002-R1', status: 'Open' }]);
    expect(order?.shippingAddress).toBeNull();
    expect(shop.requests.map((r) => r.operationName)).toEqual([
      'ReplydeskOrders',
      'ReplydeskOrderReturns',
    ]);
  });

  it('still gives the order without its returns when the token lacks read_returns', async () => {
    shop.scopes = shop.scopes.filter((scope) => scope !== 'read_returns');
    const [order] = await connect().findByNumber('1002');
    expect(order?.number).toBe('1002');
    expect(order?.returns).toEqual([]);
  });

  it.each([
    [{ cancelledAt: '2026-11-03T00:00:00Z' }, 'cancelled'],
    [{ financialStatus: 'REFUNDED', fulfillmentStatus: 'FULFILLED' }, 'refunded'],
    [{ financialStatus: 'PAID', fulfillmentStatus: 'UNFULFILLED' }, 'processing'],
    [{ financialStatus: 'PENDING', fulfillmentStatus: 'UNFULFILLED' }, 'pending'],
    [{ financialStatus: 'PAID', fulfillmentStatus: 'ON_HOLD' }, 'on_hold'],
    [{ financialStatus: 'EXPIRED', fulfillmentStatus: 'UNFULFILLED' }, 'failed'],
    [
      { financialStatus: 'PAID', fulfillmentStatus: 'FULFILLED', returnStatus: 'RETURNED' },
      'returned',
    ],
    [{ financialStatus: 'PAID', fulfillmentStatus: 'PARTIALLY_FULFILLED' }, 'shipped'],
  ] as const)('normalises %j to %s', async (states, status) => {
    shop.seedOrder({
      name: '#2001',
      createdAt: '2026-11-02T10:00:00Z',
      total: '1.00',
      lineItems: [],
      ...states,
    });
    const [order] = await connect().findByNumber('2001');
    expect(order?.status).toBe(status);
  });
});

describe('throttling', () => {
  it('retries a THROTTLED answer after (requested − available) / restoreRate, then succeeds', async () => {
    shop.throttleNext(2, { available: 100 });
    const orders = await connect().findByNumber('1001');
    expect(numbers(orders)).toEqual(['1001']);
    // ReplydeskOrders requests 252 points; 100 available, 100 restored a second: 1.52 s.
    expect(waits).toEqual([1520, 1520]);
    expect(shop.requests.map((r) => r.status)).toEqual([200, 200, 200]);
  });

  it('treats HTTP 429 with THROTTLED the same way', async () => {
    shop.throttleNext(1, { available: 2, status: 429 });
    await expect(connect().testConnection()).resolves.toEqual({ shopName: 'Acme EU' });
    // ReplydeskShop requests 1 point and 2 are available: no bucket wait, the 1 s fallback.
    expect(waits).toEqual([1000]);
  });

  it('waits before sending when the last answer left too little in the bucket', async () => {
    shop.answerNext({
      status: 200,
      body: {
        data: { shop: { name: 'Acme EU' } },
        extensions: {
          cost: {
            requestedQueryCost: 1,
            actualQueryCost: 1,
            throttleStatus: { maximumAvailable: 2000, currentlyAvailable: 52, restoreRate: 100 },
          },
        },
      },
    });
    const provider = connect();
    await provider.testConnection();
    // Half a second later the bucket has 102; the orders query is estimated at 300 points.
    clock += 500;
    await provider.findByNumber('1001');
    expect(waits).toEqual([1980]);
    // Shopify said it costs 252 and left 1937: the next one goes at once.
    await provider.findByNumber('1002');
    expect(waits).toEqual([1980]);
  });

  it('gives up with ShopError throttled after three retries', async () => {
    shop.throttleNext(4, { available: 100 });
    const error = await shopError(connect().findByNumber('1001'));
    expect(error.failure).toBe('throttled');
    expect(error.retryable).toBe(true);
    expect(error.message).toBe(
      "Shopify is still throttling the hub's requests after 4 tries; try again in a minute.",
    );
    expect(waits).toEqual([1520, 1520, 1520]);
    expect(shop.requests).toHaveLength(4);
  });
});

describe('errors', () => {
  it('names a wrong token as unauthorized with Shopify’s status', async () => {
    const error = await shopError(
      connect({ credentials: { accessToken: 'shpat_wrong' } }).testConnection(),
    );
    expect(error.failure).toBe('unauthorized');
    expect(error.status).toBe(401);
    expect(error.message).toBe('Shopify refused the access token (401).');
    expect(shop.requests[0]?.body).toEqual({
      errors: '[API] Invalid API key or access token (unrecognized login or wrong password)',
    });
  });

  it.each([
    [
      402,
      { errors: 'Unavailable Shop' },
      'unavailable',
      'Shopify says the shop is frozen or unpaid (402).',
    ],
    [423, { errors: 'Locked' }, 'unavailable', 'Shopify says the shop is locked (423).'],
    [503, 'Service Unavailable', 'unavailable', 'Shopify answered 503; the shop may be down.'],
    [404, { errors: 'Not Found' }, 'not_found', 'No Shopify shop answers at <url> (404).'],
    [
      403,
      { errors: '[API] This action requires merchant approval for read_orders scope.' },
      'forbidden',
      'The Shopify access token lacks the read_orders scope (403).',
    ],
    [
      200,
      { data: { orders: { nodes: [{ id: 'gid://shopify/Order/1' }] } } },
      'bad_response',
      'Shopify sent an answer the hub cannot read (orders.nodes.0.name: Invalid input: expected string, received undefined).',
    ],
    [
      200,
      '<html>Checkpoint</html>',
      'bad_response',
      'Shopify sent an answer that is not GraphQL JSON.',
    ],
    [
      200,
      ' '.repeat(MAX_ANSWER_BYTES + 1),
      'bad_response',
      `Shopify sent an answer over ${MAX_ANSWER_BYTES} bytes.`,
    ],
  ] as const)('maps HTTP %i (%#) to its ShopError', async (status, body, failure, message) => {
    shop.answerNext({ status, body });
    const error = await shopError(connect().findByNumber('1001'));
    expect(error.failure).toBe(failure);
    expect(error.message).toBe(message.replace('<url>', shop.url));
  });

  it('names the missing scope from an ACCESS_DENIED answer', async () => {
    shop.scopes = shop.scopes.filter((scope) => scope !== 'read_customers');
    const error = await shopError(connect().findByCustomer({ phone: '+31612345678' }));
    expect(error.failure).toBe('forbidden');
    expect(error.message).toBe('The Shopify access token lacks the read_customers scope.');
  });

  it('reports a shop it cannot reach and one that does not answer in time', async () => {
    const closed = http.createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const url = `http://127.0.0.1:${(closed.address() as AddressInfo).port}`;
    await new Promise<void>((resolve) => closed.close(() => resolve()));
    const refused = await shopError(connect({ url }).testConnection());
    expect(refused.failure).toBe('unreachable');
    expect(refused.message).toBe(`Could not reach the Shopify shop at ${url} (ECONNREFUSED).`);

    // A shop that takes the request and never answers.
    const silent = http.createServer(() => undefined);
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    try {
      const slow = await shopError(
        connect({
          url: `http://127.0.0.1:${(silent.address() as AddressInfo).port}`,
          timeoutMs: 100,
        }).testConnection(),
      );
      expect(slow.failure).toBe('unreachable');
      expect(slow.message).toBe('Shopify did not answer within 0.1 s.');
    } finally {
      silent.closeAllConnections();
      await new Promise<void>((resolve) => silent.close(() => resolve()));
    }
  });

  it('never puts the token in an error message, even when Shopify echoes it', async () => {
    const messages: string[] = [];
    const collect = async (call: Promise<unknown>) =>
      messages.push((await shopError(call)).message);
    shop.answerNext({ status: 400, body: { errors: `Bad token ${TOKEN} in header` } });
    await collect(connect().testConnection());
    shop.answerNext({
      status: 200,
      body: { errors: [{ message: `Field 'x' doesn't exist (token ${TOKEN})` }] },
    });
    await collect(connect().testConnection());
    shop.answerNext({ status: 403, body: { errors: `Token ${TOKEN} is not allowed here` } });
    await collect(connect().testConnection());
    await collect(connect({ credentials: { accessToken: `${TOKEN}x` } }).testConnection());
    shop.throttleNext(4);
    await collect(connect().testConnection());
    expect(messages).toEqual([
      'Shopify answered 400: Bad token [token] in header',
      "Shopify refused the query: Field 'x' doesn't exist (token [token])",
      'Shopify refused access (403): Token [token] is not allowed here',
      'Shopify refused the access token (401).',
      "Shopify is still throttling the hub's requests after 4 tries; try again in a minute.",
    ]);
    for (const message of messages) expect(message).not.toContain(TOKEN);
  });
});

describe('catalog products and draft orders', () => {
  let mug: { variantId: number; productId: number; variantGid: string };
  let towel: { variantId: number; productId: number };

  beforeEach(() => {
    mug = shop.seedVariant({
      variantId: 801,
      productId: 800,
      productTitle: 'Sunrise mug',
      title: 'Blue',
      sku: 'MUG-BLUE',
      price: '29.95',
      imageUrl: 'https://cdn.shopify.com/s/files/mug-blue.jpg',
      productImageUrl: 'https://cdn.shopify.com/s/files/mug.jpg',
    });
    towel = shop.seedVariant({
      variantId: 811,
      productId: 810,
      productTitle: 'Tea towel',
      title: 'Default Title',
      sku: null,
      price: '19.95',
      productImageUrl: 'https://cdn.shopify.com/s/files/towel.jpg',
    });
  });

  it('resolves catalog ids as SKU, product id, variant id and Facebook catalog id', async () => {
    const products = await connect().findProducts([
      'MUG-BLUE',
      String(towel.productId),
      String(mug.variantId),
      `shopify_NL_${towel.productId}_${towel.variantId}`,
      'NO-SUCH-SKU',
      String(mug.productId),
    ]);
    const towelProduct = {
      title: 'Tea towel',
      variant: null,
      sku: null,
      imageUrl: 'https://cdn.shopify.com/s/files/towel.jpg',
      price: 19.95,
      currency: 'EUR',
    };
    const mugProduct = {
      title: 'Sunrise mug',
      variant: 'Blue',
      sku: 'MUG-BLUE',
      imageUrl: 'https://cdn.shopify.com/s/files/mug-blue.jpg',
      price: 29.95,
      currency: 'EUR',
    };
    expect(products).toEqual([
      { retailerId: 'MUG-BLUE', ...mugProduct },
      { retailerId: '810', ...towelProduct },
      { retailerId: '801', ...mugProduct },
      { retailerId: 'shopify_NL_810_811', ...towelProduct },
      // The product, not one of its variants: no variant name.
      {
        retailerId: '800',
        ...mugProduct,
        variant: null,
        imageUrl: 'https://cdn.shopify.com/s/files/mug.jpg',
      },
    ]);
    expect(shop.requests).toHaveLength(1);
    await expect(connect().findProducts([])).resolves.toEqual([]);
  });

  it('creates a draft order from a catalog order', async () => {
    const draft = await connect().createDraftOrder?.(
      [
        { retailerId: 'MUG-BLUE', quantity: 2 },
        { retailerId: String(towel.productId), quantity: 1 },
      ],
      { email: 'Ann@Example.com', phone: '+31 6 12345678', name: 'Ann Jansen' },
    );
    expect(draft).toEqual({
      name: '#D1',
      adminUrl: `${shop.url}/admin/draft_orders/5001`,
      invoiceUrl: `${shop.url}/1234567/invoices/1389`,
    });
    expect(shop.draftOrders[0]?.input).toEqual({
      lineItems: [
        { variantId: mug.variantGid, quantity: 2 },
        { variantId: 'gid://shopify/ProductVariant/811', quantity: 1 },
      ],
      email: 'ann@example.com',
      phone: '+31612345678',
      note: 'WhatsApp catalog order from Ann Jansen.',
    });
  });

  it('turns Shopify’s userErrors and unknown products into bad_response', async () => {
    const provider = connect();
    const refused = await shopError(
      provider.createDraftOrder?.([{ retailerId: 'MUG-BLUE', quantity: 0 }], {}) ??
        Promise.resolve(),
    );
    expect(refused.failure).toBe('bad_response');
    expect(refused.message).toBe(
      'Shopify did not create the draft order: Quantity must be greater than or equal to 1.',
    );
    const unknown = await shopError(
      provider.createDraftOrder?.([{ retailerId: 'NOPE', quantity: 1 }], {}) ?? Promise.resolve(),
    );
    expect(unknown.failure).toBe('bad_response');
    expect(unknown.message).toBe('Shopify has no product for NOPE.');
    expect(shop.draftOrders).toEqual([]);
  });
});
