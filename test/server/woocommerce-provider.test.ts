import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import type { Order } from '../../src/shared/domain/model';
import { ShopError, type ShopConnection } from '../../src/server/orders/provider';
import { createWooCommerceProvider, woocommerceKind } from '../../src/server/orders/woocommerce';
import {
  addressLines,
  gmtInstant,
  normaliseStatus,
} from '../../src/server/orders/woocommerce/mapping';
import { phoneSearchTerms } from '../../src/server/orders/woocommerce/search';
import {
  startFakeWooCommerce,
  type FakeOrderInput,
  type FakeWooCommerce,
  type FakeWooOptions,
} from '../support/fake-woocommerce';

/**
 * Issue #17 item 2: the WooCommerce shop kind against a local fake of WooCommerce's REST API
 * (test/support/fake-woocommerce.ts): lookups by e-mail, phone (national and international
 * spellings) and number, paging, Shipment Tracking with and without the extension, notes,
 * refunds, products, the connection test and every kind of failure, with the keys never in a
 * message.
 */

const KEY = 'ck_4f2a9c1e7b3d5f60812a4b6c8d0e2f4a6b8c0d1e';
const SECRET = 'cs_9e8d7c6b5a4f3e2d1c0b9a8f7e6d5c4b3a2f1e0d';

const shops: FakeWooCommerce[] = [];
afterEach(async () => {
  await Promise.all(shops.splice(0).map((shop) => shop.close()));
});

async function fakeShop(options: Partial<FakeWooOptions> = {}): Promise<FakeWooCommerce> {
  const shop = await startFakeWooCommerce({
    key: KEY,
    secret: SECRET,
    siteName: 'Acme EU',
    ...options,
  });
  shops.push(shop);
  return shop;
}

function connect(shop: { url: string }, extra: Partial<ShopConnection> = {}, pageSize?: number) {
  return createWooCommerceProvider(
    {
      id: 'shop_woo1',
      url: shop.url,
      credentials: { consumerKey: KEY, consumerSecret: SECRET },
      ...extra,
    },
    pageSize === undefined ? {} : { pageSize },
  );
}

/** The ShopError a call throws, checked to name no key or secret. */
async function failure(call: Promise<unknown>): Promise<ShopError> {
  const error = await call.then(
    () => null,
    (thrown: unknown) => thrown,
  );
  expect(error).toBeInstanceOf(ShopError);
  const shopError = error as ShopError;
  for (const secret of [KEY, SECRET, KEY.slice(3), SECRET.slice(3)]) {
    expect(shopError.message).not.toContain(secret);
    expect(String(shopError.stack)).not.toContain(secret);
  }
  return shopError;
}

const numbers = (orders: readonly Order[]) => orders.map((order) => order.number);
const ordersRequests = (shop: FakeWooCommerce) =>
  shop.requestsTo('wc/v3/orders').filter((request) => request.path === '/wp-json/wc/v3/orders');

const ANN = {
  first_name: 'Ann',
  last_name: 'Lee',
  email: 'Ann.Lee@Example.com',
  phone: '06 1234 5678',
  country: 'NL',
};

function annOrder(extra: FakeOrderInput = {}): FakeOrderInput {
  return {
    billing: ANN,
    line_items: [{ name: 'Mug', quantity: 1, price: 10, sku: 'MUG' }],
    ...extra,
  };
}

describe('the WooCommerce kind', () => {
  it('lists its label, address example and write-only credentials, and makes providers', () => {
    expect(woocommerceKind.kind).toBe('woocommerce');
    expect(woocommerceKind.label).toBe('WooCommerce');
    expect(woocommerceKind.urlExample).toBe('https://shop.example.com');
    expect(woocommerceKind.credentials.map((field) => field.key)).toEqual([
      'consumerKey',
      'consumerSecret',
    ]);
    const provider = woocommerceKind.create({
      id: 'shop_x',
      url: 'https://shop.example.com',
      credentials: { consumerKey: KEY, consumerSecret: SECRET },
    });
    expect(provider.kind).toBe('woocommerce');
    expect(provider.id).toBe('shop_x');
  });
});

describe('mapping', () => {
  it('normalises WooCommerce’s statuses to the demo store’s words', () => {
    const cases = [
      ['pending', false, 'pending'],
      ['processing', false, 'processing'],
      ['processing', true, 'shipped'],
      ['on-hold', false, 'on_hold'],
      ['on-hold', true, 'on_hold'],
      ['completed', true, 'completed'],
      ['cancelled', false, 'cancelled'],
      ['refunded', false, 'refunded'],
      ['failed', false, 'failed'],
      ['checkout-draft', false, 'pending'],
      ['trash', false, 'cancelled'],
      ['awaiting-shipment', false, 'awaiting_shipment'],
    ] as const;
    expect(cases.map(([status, tracked]) => normaliseStatus(status, tracked))).toEqual(
      cases.map(([, , expected]) => expected),
    );
  });

  it('writes addresses as their country does, and reads GMT dates as UTC', () => {
    const blank = {
      first_name: 'Sam',
      last_name: 'Ray',
      company: '',
      address_1: '1 Main St',
      address_2: '',
      city: 'Austin',
      state: 'TX',
      postcode: '78701',
      country: 'US',
      email: '',
      phone: '',
    };
    expect(addressLines(blank)).toEqual([
      'Sam Ray',
      '1 Main St',
      'Austin, TX 78701',
      'United States',
    ]);
    expect(
      addressLines({ ...blank, city: 'London', state: '', postcode: 'SW1A 1AA', country: 'GB' }),
    ).toEqual(['Sam Ray', '1 Main St', 'London', 'SW1A 1AA', 'United Kingdom']);
    expect(addressLines({ ...blank, address_1: '', city: '', state: '', postcode: '' })).toBeNull();
    expect(gmtInstant('2026-12-01T10:00:00')).toBe(Date.UTC(2026, 11, 1, 10));
    expect(gmtInstant('2026-12-01T10:00:00+01:00')).toBe(Date.UTC(2026, 11, 1, 9));
    expect(gmtInstant(null)).toBeNull();
  });
});

describe('orders by e-mail', () => {
  it('maps a full order: items, variant, image, shipping, address, tracking, notes, admin link', async () => {
    const shop = await fakeShop();
    const seeded = shop.seedOrder({
      id: 812,
      number: '812',
      status: 'processing',
      currency: 'EUR',
      date_created_gmt: '2026-11-30T10:15:00',
      payment_method_title: 'Credit card',
      billing: { ...ANN, address_1: 'Keizersgracht 1', postcode: '1015 CJ', city: 'Amsterdam' },
      shipping: {
        first_name: 'Ann',
        last_name: 'Lee',
        company: 'Lee & Co',
        address_1: 'Keizersgracht 1',
        address_2: '3rd floor',
        postcode: '1015 CJ',
        city: 'Amsterdam',
        country: 'NL',
      },
      line_items: [
        {
          name: 'Hoodie - Blue, M',
          quantity: 2,
          total: '79.90',
          price: 39.95,
          sku: 'HOOD-BL-M',
          variation_id: 55,
          meta_data: [
            { key: 'pa_color', value: 'blue', display_key: 'Color', display_value: 'Blue' },
            { key: 'pa_size', value: 'm', display_key: 'Size', display_value: 'M' },
            { key: '_reduced_stock', value: '2' },
          ],
          image: { id: 9, src: 'https://shop.example.com/wp-content/uploads/hoodie-blue.jpg' },
        },
        { name: 'Sticker &amp; pin set', quantity: 3, total: '6.00', sku: '' },
      ],
      shipping_lines: [{ method_title: 'PostNL', total: '4.95' }],
      customer_note: 'Please leave it with the neighbours &amp; ring twice.',
      tracking: [
        {
          tracking_provider: 'PostNL',
          tracking_number: '3SABCD1234567',
          tracking_link: 'https://postnl.nl/tracktrace/?B=3SABCD1234567&P=1015CJ',
          date_shipped: '2026-12-01',
        },
      ],
      notes: [
        {
          note: 'Your parcel is on its way.<br/>Track it at PostNL.',
          date_created_gmt: '2026-12-01T08:00:00',
        },
        { note: 'Internal: packed by Jo', customer_note: false },
      ],
    });
    expect(seeded.total).toBe('90.85');
    const provider = connect(shop);

    const [order, ...rest] = await provider.findByCustomer({ email: 'ann.lee@example.com' });

    expect(rest).toEqual([]);
    expect(order).toEqual({
      id: 'shop_woo1:812',
      provider: 'shop_woo1',
      number: '812',
      status: 'shipped',
      customerName: 'Ann Lee',
      email: 'Ann.Lee@Example.com',
      phone: '+31612345678',
      items: [
        {
          title: 'Hoodie - Blue, M',
          quantity: 2,
          sku: 'HOOD-BL-M',
          price: 39.95,
          variant: 'Blue / M',
          imageUrl: 'https://shop.example.com/wp-content/uploads/hoodie-blue.jpg',
        },
        {
          title: 'Sticker & pin set',
          quantity: 3,
          sku: null,
          price: 2,
          variant: null,
          imageUrl: null,
        },
      ],
      total: 90.85,
      currency: 'EUR',
      carrier: 'PostNL',
      trackingNumber: '3SABCD1234567',
      trackingUrl: 'https://postnl.nl/tracktrace/?B=3SABCD1234567&P=1015CJ',
      createdAt: Date.UTC(2026, 10, 30, 10, 15),
      shopName: null,
      financialStatus: 'Paid by Credit card',
      fulfillmentStatus: 'Shipped',
      shippingAddress: [
        'Ann Lee',
        'Lee & Co',
        'Keizersgracht 1',
        '3rd floor',
        '1015 CJ Amsterdam',
        'Netherlands',
      ],
      shipping: [{ title: 'PostNL', price: 4.95 }],
      fulfillments: [
        {
          status: null,
          carrier: 'PostNL',
          trackingNumber: '3SABCD1234567',
          trackingUrl: 'https://postnl.nl/tracktrace/?B=3SABCD1234567&P=1015CJ',
          shippedAt: Date.UTC(2026, 11, 1),
        },
      ],
      refunds: [],
      returns: [],
      notes: [
        'Please leave it with the neighbours & ring twice.',
        'Your parcel is on its way.\nTrack it at PostNL.',
      ],
      adminUrl: `${shop.url}/wp-admin/post.php?post=812&action=edit`,
    });
    // Basic auth on every WooCommerce request; the search as the docs give it.
    const [search] = ordersRequests(shop);
    expect(search?.query).toEqual({
      search: 'ann.lee@example.com',
      orderby: 'date',
      order: 'desc',
      per_page: '20',
      page: '1',
    });
    expect(shop.requests.every((request) => request.auth === 'basic')).toBe(true);
  });

  it('keeps only the customer’s orders (case-insensitive) from the substring search, newest first', async () => {
    const shop = await fakeShop();
    shop.seedOrder(annOrder({ number: 'A1', date_created_gmt: '2026-10-01T09:00:00' }));
    shop.seedOrder(annOrder({ number: 'A3', date_created_gmt: '2026-12-01T09:00:00' }));
    shop.seedOrder(
      annOrder({
        number: 'A2',
        date_created_gmt: '2026-11-01T09:00:00',
        billing: { ...ANN, email: 'ANN.LEE@EXAMPLE.COM' },
      }),
    );
    // LIKE '%ann.lee@example.com%' also finds these two: not hers.
    shop.seedOrder(
      annOrder({ number: 'J1', billing: { ...ANN, email: 'joann.lee@example.com', phone: '' } }),
    );
    shop.seedOrder(
      annOrder({ number: 'J2', billing: { ...ANN, email: 'ann.lee@example.com.au', phone: '' } }),
    );
    shop.seedOrder(
      annOrder({ number: 'B1', billing: { first_name: 'Bo', email: 'bo@example.com' } }),
    );
    const provider = connect(shop);

    expect(numbers(await provider.findByCustomer({ email: '  Ann.Lee@example.COM ' }))).toEqual([
      'A3',
      'A2',
      'A1',
    ]);
    expect(await provider.findByCustomer({ email: 'nobody@example.com' })).toEqual([]);
    expect(await provider.findByCustomer({})).toEqual([]);
  });

  it('pages with X-WP-TotalPages up to the limit: 25 orders in pages of 10 are three requests', async () => {
    const shop = await fakeShop({ tracking: false });
    for (let i = 1; i <= 25; i += 1) {
      shop.seedOrder(
        annOrder({
          number: String(1000 + i),
          date_created_gmt: `2026-11-${String(i).padStart(2, '0')}T12:00:00`,
        }),
      );
    }
    const provider = connect(shop, {}, 10);

    const all = await provider.findByCustomer({ email: ANN.email }, 100);

    expect(all).toHaveLength(25);
    expect(all[0]?.number).toBe('1025');
    expect(all[24]?.number).toBe('1001');
    const pages = ordersRequests(shop);
    expect(
      pages.map((request) => [request.query.page, request.query.per_page, request.status]),
    ).toEqual([
      ['1', '10', 200],
      ['2', '10', 200],
      ['3', '10', 200],
    ]);

    shop.requests.length = 0;
    const twelve = await provider.findByCustomer({ email: ANN.email }, 12);
    expect(numbers(twelve)).toEqual([
      '1025',
      '1024',
      '1023',
      '1022',
      '1021',
      '1020',
      '1019',
      '1018',
      '1017',
      '1016',
      '1015',
      '1014',
    ]);
    expect(ordersRequests(shop).map((request) => request.query.page)).toEqual(['1', '2']);
  });

  it('answers the paging headers the docs describe', async () => {
    const shop = await fakeShop();
    for (let i = 0; i < 25; i += 1) shop.seedOrder(annOrder());
    const page2 = await fetch(`${shop.url}/wp-json/wc/v3/orders?per_page=10&page=2`, {
      headers: { Authorization: `Basic ${Buffer.from(`${KEY}:${SECRET}`).toString('base64')}` },
    });
    expect(page2.status).toBe(200);
    expect(page2.headers.get('x-wp-total')).toBe('25');
    expect(page2.headers.get('x-wp-totalpages')).toBe('3');
    expect(page2.headers.get('link')).toBe(
      `<${shop.url}/wp-json/wc/v3/orders?per_page=10&page=1>; rel="prev", <${shop.url}/wp-json/wc/v3/orders?per_page=10&page=3>; rel="next"`,
    );
    expect(((await page2.json()) as unknown[]).length).toBe(10);
    const tooMany = await fetch(`${shop.url}/wp-json/wc/v3/orders?per_page=101`, {
      headers: { Authorization: `Basic ${Buffer.from(`${KEY}:${SECRET}`).toString('base64')}` },
    });
    expect(tooMany.status).toBe(400);
    expect(((await tooMany.json()) as { code: string }).code).toBe('rest_invalid_param');
  });
});

describe('orders by phone', () => {
  it('finds national and international spellings of one number, read in the billing country', async () => {
    const shop = await fakeShop({ tracking: false });
    shop.seedOrder(
      annOrder({ number: 'N1', billing: { ...ANN, email: '', phone: '06 1234 5678' } }),
    );
    shop.seedOrder(
      annOrder({ number: 'N2', billing: { ...ANN, email: '', phone: '+31 6 12345678' } }),
    );
    shop.seedOrder(
      annOrder({ number: 'N3', billing: { ...ANN, email: '', phone: '0031612345678' } }),
    );
    shop.seedOrder(
      annOrder({ number: 'N4', billing: { ...ANN, email: '', phone: '(0)6-1234-5678' } }),
    );
    // The shipping phone counts too.
    shop.seedOrder(
      annOrder({
        number: 'N5',
        billing: { ...ANN, email: '', phone: '' },
        shipping: { first_name: 'Ann', phone: '0612345678', country: 'NL' },
      }),
    );
    // Same last digits, another line; the same national digits in Belgium are another number.
    shop.seedOrder(
      annOrder({ number: 'X1', billing: { ...ANN, email: '', phone: '06 9999 5678' } }),
    );
    shop.seedOrder(
      annOrder({
        number: 'X2',
        billing: { ...ANN, email: '', phone: '0612345678', country: 'BE' },
      }),
    );
    shop.seedOrder(
      annOrder({ number: 'X3', billing: { ...ANN, email: '', phone: '', postcode: '5678 AB' } }),
    );
    const provider = connect(shop);
    const expected = ['N5', 'N4', 'N3', 'N2', 'N1'];

    // As WhatsApp knows her (wa_id), and as she typed it at checkout in the Netherlands.
    expect(numbers(await provider.findByCustomer({ phone: '31612345678' }))).toEqual(expected);
    expect(numbers(await provider.findByCustomer({ phone: '+31 6 1234 5678' }))).toEqual(expected);
    expect(
      numbers(await provider.findByCustomer({ phone: '06 1234 5678', country: 'NL' })),
    ).toEqual(expected);
  });

  it('searches the spellings a LIKE can find, France’s pairs among them', async () => {
    expect(phoneSearchTerms('31612345678', null)).toEqual([
      '31612345678',
      '612345678',
      '06 12345678',
      '+31 6 12345678',
      '5678',
    ]);
    expect(phoneSearchTerms('06 12 34 56 78', 'FR')).toEqual([
      '33612345678',
      '612345678',
      '06 12 34 56 78',
      '+33 6 12 34 56 78',
      '5678',
    ]);
    expect(phoneSearchTerms('not a phone', 'NL')).toEqual([]);

    const shop = await fakeShop({ tracking: false });
    shop.seedOrder(
      annOrder({
        number: 'F1',
        billing: { first_name: 'Léa', phone: '06 12 34 56 78', country: 'FR' },
      }),
    );
    const found = await connect(shop).findByCustomer({ phone: '+33612345678' });
    expect(numbers(found)).toEqual(['F1']);
    expect(found[0]?.phone).toBe('+33612345678');
  });

  it('merges e-mail and phone matches once each', async () => {
    const shop = await fakeShop({ tracking: false });
    shop.seedOrder(annOrder({ number: 'E1', billing: { ...ANN, phone: '' } }));
    shop.seedOrder(annOrder({ number: 'P1', billing: { ...ANN, email: '' } }));
    shop.seedOrder(annOrder({ number: 'B1' }));
    const found = await connect(shop).findByCustomer(
      { email: ANN.email, phone: '+31612345678' },
      10,
    );
    expect(numbers(found)).toEqual(['B1', 'P1', 'E1']);
  });
});

describe('orders by number', () => {
  it('finds a sequential-number plugin’s number, which is not the id', async () => {
    const shop = await fakeShop({ tracking: false });
    shop.seedOrder(annOrder({ id: 4711, number: '2026-0042' }));
    shop.seedOrder(annOrder({ id: 4712, number: '2026-00421' }));
    // Number 1043 belongs to order 5000; order 1043 has another number.
    shop.seedOrder(
      annOrder({ id: 1043, number: '2025-0001', date_created_gmt: '2025-01-01T00:00:00' }),
    );
    shop.seedOrder(annOrder({ id: 5000, number: '1043' }));
    const provider = connect(shop);

    const plugin = await provider.findByNumber('#2026-0042');
    expect(plugin.map((order) => [order.id, order.number])).toEqual([
      ['shop_woo1:4711', '2026-0042'],
    ]);
    expect(numbers(await provider.findByNumber('1043'))).toEqual(['1043']);
    // Nothing has number 4712: the agent typed the id.
    expect(numbers(await provider.findByNumber('4712'))).toEqual(['2026-00421']);
    expect(await provider.findByNumber('9999')).toEqual([]);
    expect(await provider.findByNumber(' # ')).toEqual([]);
  });

  it('finds a plain shop’s order by its id when the search does not list it', async () => {
    const shop = await fakeShop({ tracking: false });
    shop.seedOrder(annOrder({ id: 321 }));
    // A search that finds nothing (older versions do not search the number).
    shop.failNext(200, [], 'wc/v3/orders');
    const found = await connect(shop).findByNumber('321');
    expect(found.map((order) => order.id)).toEqual(['shop_woo1:321']);
  });
});

describe('Shipment Tracking', () => {
  it('maps every shipment; a completed order stays completed, a processing one is shipped', async () => {
    const shop = await fakeShop();
    shop.seedOrder(
      annOrder({
        number: 'T1',
        status: 'completed',
        date_created_gmt: '2026-11-01T09:00:00',
        tracking: [
          {
            tracking_provider: 'DHL',
            tracking_number: 'JD0001',
            tracking_link: 'https://dhl.example/JD0001',
            date_shipped: '2026-11-02',
          },
          { tracking_provider: 'DPD', tracking_number: '0150 1234', date_shipped: '2026-11-03' },
        ],
      }),
    );
    const t2Seeded = shop.seedOrder(
      annOrder({ number: 'T2', status: 'processing', date_created_gmt: '2026-11-05T09:00:00' }),
    );
    const provider = connect(shop);

    const [t2, t1] = await provider.findByCustomer({ email: ANN.email });
    expect([
      t1?.status,
      t1?.fulfillmentStatus,
      t1?.carrier,
      t1?.trackingNumber,
      t1?.trackingUrl,
    ]).toEqual(['completed', 'Shipped', 'DHL', 'JD0001', 'https://dhl.example/JD0001']);
    expect(t1?.fulfillments).toEqual([
      {
        status: null,
        carrier: 'DHL',
        trackingNumber: 'JD0001',
        trackingUrl: 'https://dhl.example/JD0001',
        shippedAt: Date.UTC(2026, 10, 2),
      },
      {
        status: null,
        carrier: 'DPD',
        trackingNumber: '0150 1234',
        trackingUrl: null,
        shippedAt: Date.UTC(2026, 10, 3),
      },
    ]);
    expect([t2?.status, t2?.fulfillmentStatus, t2?.fulfillments]).toEqual([
      'processing',
      'Not shipped',
      [],
    ]);

    shop.addTracking(t2Seeded.id, {
      tracking_provider: 'PostNL',
      tracking_number: '3S999',
      date_shipped: '2026-11-06',
    });
    const [shipped] = await provider.findByCustomer({ email: ANN.email });
    expect([
      shipped?.number,
      shipped?.status,
      shipped?.fulfillmentStatus,
      shipped?.carrier,
      shipped?.trackingNumber,
    ]).toEqual(['T2', 'shipped', 'Shipped', 'PostNL', '3S999']);
  });

  it('without the extension: no tracking, no error, and asked only once for the provider’s life', async () => {
    const shop = await fakeShop({ tracking: false });
    shop.seedOrder(annOrder({ number: 'W1', status: 'completed' }));
    shop.seedOrder(
      annOrder({
        number: 'W2',
        status: 'on-hold',
        date_paid: null,
        date_paid_gmt: null,
        payment_method_title: 'Direct bank transfer',
      }),
    );
    shop.seedOrder(annOrder({ number: 'W3' }));
    const provider = connect(shop);

    const orders = await provider.findByCustomer({ email: ANN.email });
    expect(
      orders.map((order) => [
        order.number,
        order.status,
        order.fulfillmentStatus,
        order.financialStatus,
        order.fulfillments,
      ]),
    ).toEqual([
      ['W3', 'processing', 'Not shipped', 'Paid by Credit card', []],
      ['W2', 'on_hold', 'Not shipped', 'Awaiting payment (Direct bank transfer)', []],
      ['W1', 'completed', 'Completed', 'Paid by Credit card', []],
    ]);
    await provider.findByCustomer({ email: ANN.email });
    await provider.findByNumber('W1');
    const asked = shop.requestsTo('wc-shipment-tracking/');
    expect(asked.map((request) => [request.path, request.status])).toEqual([
      [`/wp-json/wc-shipment-tracking/v3/orders/${102}/shipment-trackings`, 404],
    ]);
  });
});

describe('notes and refunds', () => {
  it('shows the customer’s note and the notes sent to them, for the three newest orders', async () => {
    const shop = await fakeShop({ tracking: false });
    for (let i = 1; i <= 5; i += 1) {
      shop.seedOrder(
        annOrder({
          number: `R${i}`,
          customer_note: i === 5 ? 'Gift wrap, please' : '',
          notes: [
            { note: `Note ${i}a` },
            { note: `Private ${i}`, customer_note: false },
            { note: `Note ${i}b` },
          ],
        }),
      );
    }
    const orders = await connect(shop).findByCustomer({ email: ANN.email });

    expect(orders.map((order) => [order.number, order.notes])).toEqual([
      ['R5', ['Gift wrap, please', 'Note 5a', 'Note 5b']],
      ['R4', ['Note 4a', 'Note 4b']],
      ['R3', ['Note 3a', 'Note 3b']],
      ['R2', []],
      ['R1', []],
    ]);
    const notes = shop.requests.filter((request) => request.path.endsWith('/notes'));
    expect(notes.map((request) => request.query)).toEqual([
      { type: 'customer' },
      { type: 'customer' },
      { type: 'customer' },
    ]);
  });

  it('shows refunds as positive amounts with their reasons', async () => {
    const shop = await fakeShop({ tracking: false });
    shop.seedOrder(
      annOrder({
        number: 'F1',
        line_items: [{ name: 'Lamp', quantity: 2, price: 25 }],
        refunds: [
          { amount: 5, reason: 'Scratched &amp; dented' },
          { amount: 12.5, reason: '' },
        ],
      }),
    );
    shop.seedOrder(
      annOrder({ number: 'F2', status: 'refunded', refunds: [{ amount: 10, reason: 'Returned' }] }),
    );
    const provider = connect(shop);
    const [f2, f1] = await provider.findByCustomer({ email: ANN.email });

    expect([f1?.refunds, f1?.financialStatus, f1?.total]).toEqual([
      [
        { amount: 5, note: 'Scratched & dented', createdAt: null },
        { amount: 12.5, note: null, createdAt: null },
      ],
      'Partially refunded',
      50,
    ]);
    expect([f2?.status, f2?.financialStatus, f2?.refunds]).toEqual([
      'refunded',
      'Refunded',
      [{ amount: 10, note: 'Returned', createdAt: null }],
    ]);
  });
});

describe('the connection test', () => {
  it('names the site and proves the keys with an authenticated read', async () => {
    const shop = await fakeShop({ siteName: 'Acme EU &amp; Co' });
    expect(await connect(shop).testConnection()).toEqual({ shopName: 'Acme EU & Co' });
    expect(shop.requests.map((request) => [request.path, request.auth, request.status])).toEqual([
      ['/wp-json/', null, 200],
      ['/wp-json/wc/v3/orders', 'basic', 200],
    ]);
  });

  it('fails with a wrong key, naming WooCommerce’s reason and not the key', async () => {
    const shop = await fakeShop();
    const provider = createWooCommerceProvider({
      id: 'shop_woo1',
      url: shop.url,
      credentials: { consumerKey: KEY, consumerSecret: `${SECRET}x` },
    });
    for (const call of [
      () => provider.testConnection(),
      () => provider.findByCustomer({ email: ANN.email }),
      () => provider.findByNumber('1001'),
      () => provider.findProducts(['MUG']),
    ]) {
      const error = await failure(call());
      expect([error.failure, error.status, error.message, error.retryable]).toEqual([
        'unauthorized',
        401,
        'WooCommerce refused the consumer key (401): Invalid signature - provided signature does not match.',
        false,
      ]);
    }
  });

  it('leaves out the shop’s words when they quote the key', async () => {
    const shop = await fakeShop();
    shop.failNext(401, {
      code: 'woocommerce_rest_authentication_error',
      message: `Consumer key ${KEY} is not valid.`,
      data: { status: 401 },
    });
    const error = await failure(connect(shop).findByCustomer({ email: ANN.email }));
    expect([error.failure, error.message]).toEqual([
      'unauthorized',
      'WooCommerce refused the consumer key (401).',
    ]);
  });

  it('asks the site index again with the keys when it is closed to guests', async () => {
    const shop = await fakeShop();
    shop.failNext(
      401,
      {
        code: 'rest_cannot_access',
        message: 'Only authenticated users can access the REST API.',
        data: { status: 401 },
      },
      '',
    );
    expect(await connect(shop).testConnection()).toEqual({ shopName: 'Acme EU' });
    expect(shop.requests.map((request) => [request.path, request.auth, request.status])).toEqual([
      ['/wp-json/', null, 401],
      ['/wp-json/', 'basic', 200],
      ['/wp-json/wc/v3/orders', 'basic', 200],
    ]);
  });

  it('does not follow a redirect, and names where it goes without its query', async () => {
    const server = http.createServer((req, res) => {
      res.writeHead(301, { Location: `https://www.acme.example${req.url ?? '/'}` });
      res.end();
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    try {
      const { port } = server.address() as AddressInfo;
      const provider = connect({ url: `http://127.0.0.1:${port}` });
      for (const call of [() => provider.testConnection(), () => provider.findByNumber('7')]) {
        const error = await failure(call());
        expect([error.failure, error.status, error.message]).toEqual([
          'not_found',
          301,
          'The shop’s address redirects to https://www.acme.example (301); enter that address instead.',
        ]);
      }
    } finally {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    }
  });

  it('says when there is no WooCommerce REST API at the address', async () => {
    const shop = await fakeShop();
    const wrongPath = await failure(connect({ url: `${shop.url}/shop` }).testConnection());
    expect([wrongPath.failure, wrongPath.status, wrongPath.message]).toEqual([
      'not_found',
      404,
      'No WooCommerce REST API at this address (404); check the address and that pretty permalinks are on.',
    ]);
    const lookup = await failure(
      connect({ url: `${shop.url}/shop` }).findByCustomer({ email: ANN.email }),
    );
    expect(lookup.message).toBe(wrongPath.message);
  });
});

describe('a server that strips Authorization', () => {
  it('sends the keys once as query parameters, then keeps to them', async () => {
    const shop = await fakeShop({ stripAuthorization: true, tracking: false });
    shop.seedOrder(annOrder({ number: 'S1' }));
    const provider = connect(shop);

    expect(await provider.testConnection()).toEqual({ shopName: 'Acme EU' });
    expect(numbers(await provider.findByCustomer({ email: ANN.email }))).toEqual(['S1']);
    const woo = shop.requests.filter((request) => request.path.startsWith('/wp-json/wc'));
    expect(woo.map((request) => [request.path, request.auth, request.status])).toEqual([
      ['/wp-json/wc/v3/orders', null, 401],
      ['/wp-json/wc/v3/orders', 'query', 200],
      ['/wp-json/wc/v3/orders', 'query', 200],
      ['/wp-json/wc-shipment-tracking/v3/orders/100/shipment-trackings', 'query', 404],
      ['/wp-json/wc/v3/orders/100/notes', 'query', 200],
    ]);
    expect(woo[1]?.query.consumer_key).toBe(KEY);
  });

  it('also retries when WooCommerce took the request for a guest’s (cannot_view)', async () => {
    const shop = await fakeShop({ tracking: false });
    shop.seedOrder(annOrder({ number: 'G1' }));
    shop.failNext(
      401,
      {
        code: 'woocommerce_rest_cannot_view',
        message: 'Sorry, you cannot list resources.',
        data: { status: 401 },
      },
      'wc/v3/orders',
    );
    expect(numbers(await connect(shop).findByCustomer({ email: ANN.email }))).toEqual(['G1']);
    expect(ordersRequests(shop).map((request) => [request.auth, request.status])).toEqual([
      ['basic', 401],
      ['query', 200],
    ]);
  });

  it('still reports a wrong key as refused after the fallback', async () => {
    const shop = await fakeShop({ stripAuthorization: true });
    const provider = createWooCommerceProvider({
      id: 'shop_woo1',
      url: shop.url,
      credentials: { consumerKey: 'ck_wrong', consumerSecret: 'cs_wrong' },
    });
    const error = await failure(provider.testConnection());
    expect([error.failure, error.message]).toEqual([
      'unauthorized',
      'WooCommerce refused the consumer key (401): Invalid signature - provided signature does not match.',
    ]);
    expect(error.message).not.toContain('ck_wrong');
  });
});

describe('products for catalog orders', () => {
  it('finds products by SKU and by numeric id, leaving unknown ids out', async () => {
    const shop = await fakeShop({ currency: 'EUR' });
    shop.seedProduct({
      id: 300,
      name: 'Mug &amp; saucer',
      sku: 'MUG-01',
      price: '12.50',
      images: [{ id: 1, src: 'https://shop.example.com/mug.jpg' }],
    });
    shop.seedProduct({
      id: 301,
      name: 'Hoodie',
      sku: 'HOOD-BL-M',
      price: '39.95',
      parent_id: 299,
      attributes: [
        { id: 1, name: 'Color', option: 'Blue' },
        { id: 2, name: 'Size', option: 'M' },
      ],
    });
    shop.seedProduct({ id: 302, name: 'Gift card', sku: '', price: '' });
    const products = await connect(shop).findProducts([
      'MUG-01',
      'HOOD-BL-M',
      '302',
      'NOPE',
      '999',
      'MUG-01',
    ]);

    expect(products).toEqual([
      {
        retailerId: 'MUG-01',
        title: 'Mug & saucer',
        variant: null,
        sku: 'MUG-01',
        imageUrl: 'https://shop.example.com/mug.jpg',
        price: 12.5,
        currency: 'EUR',
      },
      {
        retailerId: 'HOOD-BL-M',
        title: 'Hoodie',
        variant: 'Blue / M',
        sku: 'HOOD-BL-M',
        imageUrl: null,
        price: 39.95,
        currency: 'EUR',
      },
      {
        retailerId: '302',
        title: 'Gift card',
        variant: null,
        sku: null,
        imageUrl: null,
        price: null,
        currency: 'EUR',
      },
    ]);
    expect(shop.requestsTo('wc/v3/data/currencies').length).toBe(1);
    expect(await connect(shop).findProducts([])).toEqual([]);
  });
});

describe('failures', () => {
  it('maps 403, 5xx and a malformed answer', async () => {
    const shop = await fakeShop();
    const provider = connect(shop);
    shop.failNext(403, {
      code: 'woocommerce_rest_cannot_view',
      message: 'Sorry, you cannot list resources.',
      data: { status: 403 },
    });
    const forbidden = await failure(provider.findByCustomer({ email: ANN.email }));
    expect([forbidden.failure, forbidden.status, forbidden.message]).toEqual([
      'forbidden',
      403,
      'WooCommerce did not give this key permission (403): Sorry, you cannot list resources.',
    ]);

    // findByNumber asks the search and the id at once: fail the search, which it always asks.
    shop.failNext(503, '<html>Service Unavailable</html>', 'wc/v3/orders');
    const down = await failure(provider.findByNumber('1001'));
    expect([down.failure, down.status, down.message, down.retryable]).toEqual([
      'unavailable',
      503,
      'The shop is unavailable (503); try again later.',
      true,
    ]);

    shop.failNext(200, { orders: 'not a list' }, 'wc/v3/orders');
    const malformed = await failure(provider.findByCustomer({ email: ANN.email }));
    expect([malformed.failure, malformed.message]).toEqual([
      'bad_response',
      'WooCommerce sent an answer the hub cannot read (is this a WooCommerce shop?).',
    ]);
  });

  it('reports a shop that does not answer in time, or at all, as unreachable', async () => {
    const shop = await fakeShop();
    shop.hangNext();
    const slow = await failure(
      connect(shop, { timeoutMs: 300 }).findByCustomer({ email: ANN.email }),
    );
    expect([slow.failure, slow.message, slow.retryable]).toEqual([
      'unreachable',
      'The shop did not answer within 0.3 s.',
      true,
    ]);

    const server = http.createServer();
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    await new Promise<void>((resolve) => server.close(() => resolve()));
    const closed = await failure(connect({ url: `http://127.0.0.1:${port}` }).testConnection());
    expect([closed.failure, closed.message]).toEqual([
      'unreachable',
      'Could not reach the shop (ECONNREFUSED).',
    ]);
  });
});
