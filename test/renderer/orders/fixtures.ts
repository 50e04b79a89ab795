import type { OrderSourceState } from '../../../src/renderer/src/data/data-layer';
import { orderSchema, type Order } from '../../../src/shared/domain/model';

/** A shipped two-line order; `overrides` set what a test is about. */
export function order(id: string, overrides: Partial<Order> = {}): Order {
  return orderSchema.parse({
    id,
    provider: 'demo',
    number: '1043',
    status: 'shipped',
    customerName: 'Anna de Vries',
    email: 'anna@example.com',
    phone: '+31612345678',
    items: [
      { title: 'Linen shirt', quantity: 2, sku: 'LS-M-01', price: 39.95 },
      { title: 'Canvas tote', quantity: 1, sku: null, price: 15 },
    ],
    total: 94.9,
    currency: 'EUR',
    carrier: 'PostNL',
    trackingNumber: '3SAAAA123456789',
    trackingUrl: 'https://jouw.postnl.nl/track-and-trace/3SAAAA123456789',
    createdAt: Date.parse('2026-11-12T10:00:00Z'),
    ...overrides,
  });
}

/** An Acme EU (Shopify) order with two shipments and everything a shop tells. */
export function shopOrder(id: string, overrides: Partial<Order> = {}): Order {
  return order(id, {
    provider: 'shop-eu',
    number: '#2001',
    shopName: 'Acme EU',
    status: 'shipped',
    financialStatus: 'Partially refunded',
    fulfillmentStatus: 'Fulfilled',
    items: [
      {
        title: 'Linen shirt',
        quantity: 2,
        sku: 'LS-B-M',
        price: 39.95,
        variant: 'Blue / M',
        imageUrl: 'https://cdn.shop.example/linen-blue.jpg',
      },
      {
        title: 'Canvas tote',
        quantity: 1,
        sku: null,
        price: 15,
        variant: null,
        imageUrl: 'javascript:alert(1)',
      },
    ],
    shipping: [{ title: 'DHL Express', price: 6.5 }],
    total: 101.4,
    carrier: 'DHL',
    trackingNumber: 'JD0001',
    trackingUrl: 'https://dhl.example/track/JD0001',
    fulfillments: [
      {
        status: 'in_transit',
        carrier: 'DHL',
        trackingNumber: 'JD0001',
        trackingUrl: 'https://dhl.example/track/JD0001',
        shippedAt: Date.parse('2026-11-13T09:00:00Z'),
      },
      {
        status: 'delivered',
        carrier: 'PostNL',
        trackingNumber: '3SBBBB987',
        trackingUrl: 'https://jouw.postnl.nl/track-and-trace/3SBBBB987',
        shippedAt: Date.parse('2026-11-12T16:00:00Z'),
      },
    ],
    refunds: [{ amount: 15, note: 'Tote arrived torn', createdAt: null }],
    returns: [{ name: '#2001-R1', status: 'in_progress' }],
    shippingAddress: ['Anna de Vries', 'Keizersgracht 1', '1015 CJ Amsterdam', 'Netherlands'],
    notes: ['Please leave it with the neighbours.'],
    adminUrl: 'https://acme-eu.myshopify.com/admin/orders/5001',
    ...overrides,
  });
}

/** A source's answer: `ok` with no links unless `overrides` say otherwise. */
export function sourceState(
  id: string,
  name: string,
  overrides: Partial<OrderSourceState> = {},
): OrderSourceState {
  return {
    id,
    name,
    kind: id === 'demo' ? 'demo' : 'shopify',
    state: 'ok',
    error: null,
    fetchedAt: null,
    stale: false,
    linkedNumbers: [],
    ...overrides,
  };
}
