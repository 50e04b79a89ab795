import { describe, expect, it } from 'vitest';
import {
  adjustmentOf,
  formatMoney,
  formatOrderDate,
  itemCount,
  refundedOf,
  shipmentsOf,
  orderNumberLabel,
  safeHttpUrl,
  searchTermOf,
  sortNewestFirst,
  statusColor,
  statusLabel,
  statusTone,
} from '../../../src/renderer/src/features/orders/order-format';
import { order, shopOrder } from './fixtures';

describe('order status', () => {
  it('colours each stage of an order', () => {
    expect(statusColor('pending')).toBe('yellow');
    expect(statusColor('paid')).toBe('blue');
    expect(statusColor('processing')).toBe('indigo');
    expect(statusColor('shipped')).toBe('cyan');
    expect(statusColor('delivered')).toBe('teal');
    expect(statusColor('cancelled')).toBe('red');
    expect(statusColor('refunded')).toBe('grape');
    expect(statusColor('returned')).toBe('orange');
  });

  it('reads statuses however the shop spells them', () => {
    expect(statusTone('On hold')).toBe('waiting');
    expect(statusTone('CANCELED')).toBe('cancelled');
    expect(statusTone('in-transit')).toBe('shipped');
    expect(statusTone('completed')).toBe('delivered');
    expect(statusTone('partially_refunded')).toBe('refunded');
  });

  it('shows an unknown status in grey, as written', () => {
    expect(statusColor('awaiting_pickup_by_courier')).toBe('gray');
    expect(statusLabel('awaiting_pickup_by_courier')).toBe('Awaiting pickup by courier');
  });

  it('labels statuses in sentence case', () => {
    expect(statusLabel('on_hold')).toBe('On hold');
    expect(statusLabel('IN-TRANSIT')).toBe('In transit');
    expect(statusLabel('  ')).toBe('Unknown');
  });
});

describe('formatMoney', () => {
  it('formats with the currency and the locale', () => {
    expect(formatMoney(1234.5, 'EUR', 'en-IE')).toBe('€1,234.50');
    expect(formatMoney(1234.5, 'USD', 'en-US')).toBe('$1,234.50');
    expect(formatMoney(1234.5, 'EUR', 'nl-NL')).toMatch(/^€\s1\.234,50$/);
    expect(formatMoney(1500, 'JPY', 'ja-JP')).toMatch(/1,500/);
  });

  it('accepts lower-case codes', () => {
    expect(formatMoney(5, 'eur', 'en-IE')).toBe('€5.00');
  });

  it('shows an unknown currency after the amount instead of throwing', () => {
    expect(formatMoney(12, 'XXXX', 'en-US')).toBe('12.00 XXXX');
  });
});

describe('order fields', () => {
  it('writes dates without day/month ambiguity', () => {
    expect(formatOrderDate(Date.parse('2026-11-12T10:00:00Z'), 'en-GB')).toBe('12 Nov 2026');
  });

  it('puts # before numeric order numbers only', () => {
    expect(orderNumberLabel('1043')).toBe('#1043');
    expect(orderNumberLabel('#1043')).toBe('#1043');
    expect(orderNumberLabel('SO-2291')).toBe('SO-2291');
  });

  it('searches for the number without # and spaces', () => {
    expect(searchTermOf(' # 1043 ')).toBe('1043');
    expect(searchTermOf('#1043')).toBe('1043');
    expect(searchTermOf('SO-2291')).toBe('SO-2291');
    expect(searchTermOf('   ')).toBe('');
  });

  it('links tracking only over http(s)', () => {
    expect(safeHttpUrl('https://www.ups.com/track?tracknum=1Z')).toBe(
      'https://www.ups.com/track?tracknum=1Z',
    );
    expect(safeHttpUrl('http://example.com/t')).toBe('http://example.com/t');
    expect(safeHttpUrl('javascript:alert(1)')).toBeNull();
    expect(safeHttpUrl('file:///etc/passwd')).toBeNull();
    expect(safeHttpUrl('not a url')).toBeNull();
    expect(safeHttpUrl(null)).toBeNull();
  });

  it('sorts newest first without changing the input', () => {
    const input = [
      order('a', { createdAt: 1 }),
      order('b', { createdAt: 3 }),
      order('c', { createdAt: 2 }),
    ];
    expect(sortNewestFirst(input).map((o) => o.id)).toEqual(['b', 'c', 'a']);
    expect(input.map((o) => o.id)).toEqual(['a', 'b', 'c']);
  });

  it('counts items by quantity', () => {
    expect(itemCount(order('a'))).toBe(3);
  });

  it('shows what the total holds beyond the items, to the cent', () => {
    expect(adjustmentOf(order('a'))).toBeNull();
    expect(adjustmentOf(order('a', { total: 99.85 }))).toBe(4.95);
    expect(adjustmentOf(order('a', { total: 84.9 }))).toBe(-10);
    expect(adjustmentOf(order('a', { total: 94.904 }))).toBeNull();
  });
});

describe('shop details', () => {
  it('lists every shipment, or the order’s own tracking for an order cached before them', () => {
    expect(shipmentsOf(shopOrder('s')).map((s) => s.trackingNumber)).toEqual([
      'JD0001',
      '3SBBBB987',
    ]);
    expect(shipmentsOf(order('old'))).toEqual([
      {
        status: null,
        carrier: 'PostNL',
        trackingNumber: '3SAAAA123456789',
        trackingUrl: 'https://jouw.postnl.nl/track-and-trace/3SAAAA123456789',
        shippedAt: null,
      },
    ]);
    expect(
      shipmentsOf(order('none', { carrier: null, trackingNumber: null, trackingUrl: null })),
    ).toEqual([]);
  });

  it('counts the shipping lines in the total, and adds up the refunds', () => {
    expect(adjustmentOf(shopOrder('s'))).toBeNull();
    expect(adjustmentOf(shopOrder('s', { total: 110 }))).toBe(8.6);
    expect(refundedOf(shopOrder('s'))).toBe(15);
    expect(refundedOf(order('o'))).toBeNull();
  });
});
