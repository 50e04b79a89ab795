import { NO_ORDER_DETAILS, type Order } from '../../src/shared/domain/model';
import { phoneE164 } from '../../src/shared/domain/contact';
import {
  normaliseOrderNumber,
  ShopError,
  type ShopConnection,
  type ShopKindSpec,
  type ShopProduct,
} from '../../src/server/orders/provider';

/**
 * A shop kind for the hub's order-source tests (the service's cache, failures, links, admin
 * API), backed by an in-memory shop per URL. The Shopify and WooCommerce kinds are tested
 * against their fake APIs (fake-shopify.ts, fake-woocommerce.ts); this one lets a test hold an
 * answer back, fail on cue and count calls without a network in between.
 */
export interface TestShop {
  name: string;
  /** The credential `token` the shop accepts. */
  token: string;
  orders: Order[];
  products: ShopProduct[];
  /** Thrown by the next calls while set. */
  failWith: ShopError | null;
  /** While set, lookups wait for it. */
  gate: Promise<void> | null;
  calls: { method: string; arg: string }[];
}

const shops = new Map<string, TestShop>();

export function testShopAt(url: string, name = 'Test Shop', token = 'tok-1'): TestShop {
  const shop: TestShop = {
    name,
    token,
    orders: [],
    products: [],
    failWith: null,
    gate: null,
    calls: [],
  };
  shops.set(url.replace(/\/+$/, ''), shop);
  return shop;
}

export function shopOrder(number: string, overrides: Partial<Order> = {}): Order {
  return {
    id: `test-${number}`,
    provider: 'ignored',
    number,
    status: 'processing',
    customerName: 'Anna de Vries',
    email: 'anna@example.com',
    phone: '+31612345678',
    items: [
      { title: 'Linen shirt', quantity: 1, sku: 'LS-1', price: 40, variant: 'M', imageUrl: null },
    ],
    total: 40,
    currency: 'EUR',
    carrier: null,
    trackingNumber: null,
    trackingUrl: null,
    createdAt: Date.parse('2026-11-20T10:00:00Z'),
    ...NO_ORDER_DETAILS,
    ...overrides,
  };
}

export const testShopKind: ShopKindSpec = {
  kind: 'shopify',
  label: 'Test shop',
  urlExample: 'https://shop.test',
  credentials: [{ key: 'accessToken', label: 'access token', hint: 'Any.' }],
  create(connection: ShopConnection) {
    const shop = (): TestShop => {
      const found = shops.get(connection.url);
      if (!found) throw new ShopError('not_found', 'No shop at this address (404).', 404);
      if (connection.credentials['accessToken'] !== found.token)
        throw new ShopError('unauthorized', 'The shop refused the access token (401).', 401);
      return found;
    };
    const call = async (method: string, arg: string): Promise<TestShop> => {
      const found = shop();
      found.calls.push({ method, arg });
      if (found.gate) await found.gate;
      if (found.failWith) throw found.failWith;
      return found;
    };
    return {
      id: connection.id,
      kind: 'shopify',
      async findByCustomer(query) {
        const found = await call('findByCustomer', `${query.phone ?? ''}|${query.email ?? ''}`);
        const phone = phoneE164(query.phone, query.country);
        return found.orders.filter(
          (o) =>
            (phone !== null && phoneE164(o.phone) === phone) ||
            (!!query.email && o.email?.toLowerCase() === query.email.toLowerCase()),
        );
      },
      async findByNumber(number) {
        const found = await call('findByNumber', number);
        return found.orders.filter((o) => o.number === normaliseOrderNumber(number));
      },
      async testConnection() {
        const found = await call('testConnection', '');
        return { shopName: found.name };
      },
      async findProducts(ids) {
        const found = await call('findProducts', ids.join(','));
        return found.products.filter((p) => ids.includes(p.retailerId));
      },
    };
  },
};
