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
