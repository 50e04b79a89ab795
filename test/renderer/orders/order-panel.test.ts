import { createElement, type ReactNode } from 'react';
import { renderToStaticMarkup } from 'react-dom/server';
import { MantineProvider } from '@mantine/core';
import { describe, expect, it } from 'vitest';
import type { Order } from '../../../src/shared/domain/model';
import {
  OrderPanel,
  type OrderPanelProps,
} from '../../../src/renderer/src/features/orders/OrderPanel';
import { OrderCard } from '../../../src/renderer/src/features/orders/OrderCard';
import { order, shopOrder, sourceState } from './fixtures';

/** Server-rendered markup: enough to pin what the panel shows for given props. */
function render(props: Partial<OrderPanelProps>): string {
  const all: OrderPanelProps = {
    orders: [],
    loading: false,
    error: null,
    onSearch: async () => [],
    selectedOrderId: null,
    onSelect: () => undefined,
    ...props,
  };
  const tree: ReactNode = createElement(MantineProvider, null, createElement(OrderPanel, all));
  return renderToStaticMarkup(tree);
}

function count(html: string, needle: string): number {
  return html.split(needle).length - 1;
}

const older: Order = order('o-1', {
  number: '1001',
  status: 'delivered',
  createdAt: Date.parse('2026-09-01T10:00:00Z'),
});
const newest: Order = order('o-2', {
  number: '1043',
  createdAt: Date.parse('2026-11-12T10:00:00Z'),
});

describe('OrderPanel', () => {
  it('shows every order as a card, the newest first and expanded', () => {
    const html = render({ orders: [older, newest], locale: 'en-IE' });
    expect(count(html, 'data-testid="order-card"')).toBe(2);
    expect(html.indexOf('data-order-id="o-2"')).toBeLessThan(html.indexOf('data-order-id="o-1"'));
    expect(html).toMatch(/data-order-id="o-2" data-expanded="true"/);
    expect(html).not.toMatch(/data-order-id="o-1" data-expanded/);
    expect(html).toContain('#1043');
    expect(html).toContain('€94.90');
    expect(count(html, 'data-testid="order-use"')).toBe(2);
    expect(html).toContain('data-testid="order-search"');
  });

  it('links the tracking page in a new window without a referrer', () => {
    const html = render({ orders: [newest] });
    expect(html).toMatch(
      /<a[^>]*href="https:\/\/jouw\.postnl\.nl\/track-and-trace\/3SAAAA123456789"[^>]*>/,
    );
    const anchor = /<a[^>]*data-testid="order-tracking-link"[^>]*>/.exec(html)?.[0] ?? '';
    expect(anchor).toContain('target="_blank"');
    expect(anchor).toContain('rel="noreferrer"');
  });

  it('never links an unsafe tracking URL', () => {
    const html = render({ orders: [order('x', { trackingUrl: 'javascript:alert(1)' })] });
    expect(html).not.toContain('javascript:');
    expect(html).not.toContain('order-tracking-link');
  });

  it('marks the order used in the reply, and keeps "Use in reply" on every card', () => {
    const html = render({ orders: [older, newest], selectedOrderId: 'o-1' });
    expect(html).toMatch(/data-order-id="o-1"[^>]*data-selected="true"/);
    expect(count(html, 'data-testid="order-in-reply"')).toBe(1);
    expect(count(html, 'In reply · fills the order variables<')).toBe(1);
    expect(count(html, 'Use in reply<')).toBe(2);
  });

  it('does not mark the customer’s own orders as another customer’s', () => {
    const html = render({
      orders: [older, newest],
      customer: { name: 'Sheena Nelson', phone: '+16505551234', email: null },
    });
    expect(html).not.toContain('data-testid="order-foreign"');
  });

  it('says whose orders it looked for when there are none', () => {
    const html = render({ customerContact: '+31 6 1234 5678' });
    expect(html).toContain('No orders for +31 6 1234 5678');
    expect(html).toContain('Search by order number');
  });

  it('shows placeholders while the lookup runs, and the lookup error', () => {
    expect(render({ loading: true })).toContain('aria-busy="true"');
    const failed = render({ error: 'The shop did not answer.' });
    expect(failed).toContain('Could not look up orders');
    expect(failed).toContain('The shop did not answer.');
    expect(failed).not.toContain('No orders for');
  });
});

const source = sourceState;

/** The markup of the section of `sourceId`, up to the next section. */
function section(html: string, sourceId: string): string {
  const start = html.indexOf(`data-source-id="${sourceId}"`);
  if (start < 0) return '';
  const next = html.indexOf('data-testid="order-source"', start + 1);
  return html.slice(start, next < 0 ? undefined : next);
}

describe('OrderPanel with several shops', () => {
  const NOW = Date.parse('2026-11-21T15:00:00Z');
  const builtIn = source('demo', 'Built-in store');
  const eu = source('shop-eu', 'Acme EU');

  it('groups the orders by shop, each named, the built-in store too', () => {
    const html = render({
      orders: [newest, shopOrder('eu-1')],
      sources: [builtIn, eu],
      now: NOW,
    });
    expect(count(html, 'data-testid="order-source"')).toBe(2);
    expect(section(html, 'demo')).toContain('Built-in store');
    expect(section(html, 'demo')).toContain('data-order-id="o-2"');
    expect(section(html, 'shop-eu')).toContain('Acme EU');
    expect(section(html, 'shop-eu')).toContain('data-order-id="eu-1"');
    expect(section(html, 'shop-eu')).not.toContain('data-order-id="o-2"');
  });

  it('shows a shop still asking as loading while the others’ orders show', () => {
    const html = render({
      orders: [newest],
      loading: true,
      sources: [builtIn, { ...eu, state: 'loading' }],
      now: NOW,
    });
    expect(section(html, 'shop-eu')).toContain('data-state="loading"');
    expect(section(html, 'shop-eu')).toContain('aria-label="Asking Acme EU"');
    expect(section(html, 'shop-eu')).toContain('aria-busy="true"');
    expect(section(html, 'demo')).toContain('data-order-id="o-2"');
  });

  it('says why a shop failed and keeps its cached orders, marked with when they were fetched', () => {
    const fetchedAt = new Date(2026, 10, 21, 14, 32).getTime();
    const html = render({
      orders: [shopOrder('eu-1')],
      sources: [
        builtIn,
        {
          ...eu,
          state: 'error',
          error: 'Shopify refused the access token (401).',
          fetchedAt,
          stale: true,
        },
      ],
      now: new Date(2026, 10, 21, 15, 0).getTime(),
      locale: 'en-GB',
    });
    const shop = section(html, 'shop-eu');
    expect(shop).toMatch(
      /data-testid="order-source-error"[\s\S]*Shopify refused the access token \(401\)\.</,
    );
    expect(shop).toContain('Cached · updated 14:32');
    expect(shop).toContain('data-order-id="eu-1"');
    expect(html).not.toContain('Could not look up orders');
  });

  it('shows no shop chrome when the built-in store is the only source and has nothing', () => {
    const html = render({ sources: [builtIn], customerContact: 'anna@example.com' });
    expect(html).not.toContain('data-testid="order-source"');
    expect(html).toContain('No orders for anna@example.com');
  });

  it('names the shops searched when none has an order, and offers linking one', () => {
    const html = render({ sources: [builtIn, eu], onLink: async () => undefined });
    expect(html).not.toContain('data-testid="order-source"');
    expect(html).toContain('Searched Built-in store and Acme EU.');
    expect(html).toContain('to find one and link it.');
  });

  it('shows the cache’s built-in orders as before when the sources are unknown', () => {
    const html = render({ orders: [newest], error: 'The hub cannot be reached.' });
    expect(html).not.toContain('data-testid="order-source"');
    expect(html).toContain('data-order-id="o-2"');
    expect(html).toContain('The hub cannot be reached.');
  });

  it('has a refresh action when given one', () => {
    expect(render({ onRefresh: () => undefined })).toContain('aria-label="Refresh orders"');
    expect(render({})).not.toContain('order-refresh');
  });

  it('marks orders linked by an agent, and only those, as linked', () => {
    const linked = order('o-linked', { number: '7007', email: 'x@example.com', phone: null });
    const html = render({
      orders: [newest, linked],
      sources: [sourceState('demo', 'Built-in store', { linkedNumbers: ['#7007'] })],
      customer: { name: 'Anna de Vries', phone: '+31612345678', email: 'anna@example.com' },
      onUnlink: async () => undefined,
    });
    expect(html).toMatch(/data-order-id="o-linked"[^>]*data-linked="true"/);
    expect(html).not.toMatch(/data-order-id="o-2"[^>]*data-linked/);
    expect(count(html, 'data-testid="order-linked"')).toBe(1);
    // Unknown without the sources' answers (offline): nothing to unlink.
    expect(render({ orders: [linked], onUnlink: async () => undefined })).not.toContain(
      'order-linked',
    );
  });
});

describe('OrderCard of a shop', () => {
  const card = (props: Partial<Parameters<typeof OrderCard>[0]> = {}) =>
    renderToStaticMarkup(
      createElement(
        MantineProvider,
        null,
        createElement(OrderCard, {
          order: shopOrder('eu-1'),
          expanded: true,
          onToggle: () => undefined,
          selected: false,
          onSelect: () => undefined,
          locale: 'en-IE',
          ...props,
        }),
      ),
    );

  it('keeps the collapsed card to two lines, counting the shipments', () => {
    const html = card({ expanded: false });
    expect(html).toContain('#2001');
    expect(html).toContain('12 Nov 2026 · 3 items · 2 shipments');
    expect(card({ expanded: false, showShop: true })).toContain(
      '12 Nov 2026 · Acme EU · 3 items · 2 shipments',
    );
  });

  it('shows every shipment with its carrier, number and tracking link', () => {
    const html = card();
    expect(count(html, 'data-testid="order-shipment"')).toBe(2);
    expect(count(html, 'data-testid="order-tracking-link"')).toBe(2);
    expect(html).toMatch(/href="https:\/\/dhl\.example\/track\/JD0001"[^>]*target="_blank"/);
    expect(html).toContain('href="https://jouw.postnl.nl/track-and-trace/3SBBBB987"');
    expect(html).toContain('3SBBBB987');
    expect(html).toContain('In transit · shipped 13 Nov 2026');
  });

  it('shows items with their variant, and never loads a picture from the shop itself', () => {
    const html = card();
    expect(html).toContain('Blue / M');
    // Pictures come through the hub (useShopImage), once it handed one over: none yet here.
    expect(html).not.toContain('cdn.shop.example');
    expect(html).not.toContain('order-item-image');
    expect(html).not.toContain('javascript:');
  });

  it('shows the shop’s statuses, shipping, refunds, returns, address, notes and admin link', () => {
    const html = card();
    expect(html).toMatch(/Payment <[^>]*>Partially refunded</);
    expect(html).toMatch(/Shipping <[^>]*>Fulfilled</);
    expect(html).toContain('DHL Express');
    expect(html).toContain('€6.50');
    expect(html).toContain('−€15.00');
    expect(html).toContain('Tote arrived torn');
    expect(html).toContain('Return #2001-R1');
    expect(html).toContain('In progress');
    expect(html).toContain('Anna de Vries, Keizersgracht 1, 1015 CJ Amsterdam, Netherlands');
    expect(html).toContain('Please leave it with the neighbours.');
    expect(html).toMatch(
      /href="https:\/\/acme-eu\.myshopify\.com\/admin\/orders\/5001"[^>]*target="_blank"[^>]*rel="noreferrer"/,
    );
    expect(html).toContain('Open in shop');
    // The items and the shipping line make the total: nothing left for taxes and discounts.
    expect(html).not.toContain('Tax and discounts');
  });

  it('never links an unsafe admin URL', () => {
    const html = card({ order: shopOrder('eu-2', { adminUrl: 'javascript:alert(1)' }) });
    expect(html).not.toContain('order-admin-link');
  });

  it('offers to link an order found by number, and to unlink a linked one', () => {
    const offer = card({ onLink: async () => undefined, customerName: 'Anna de Vries' });
    expect(offer).toContain('title="Show this order among Anna de Vries’s from now on"');
    expect(offer).toContain('Link to this customer');
    expect(offer).not.toContain('order-unlink');
    const linked = card({ onUnlink: async () => undefined });
    expect(linked).toContain('data-testid="order-linked"');
    expect(linked).toContain('data-testid="order-unlink"');
    expect(linked).not.toContain('Link to this customer');
  });

  it('reads an order cached before the shop details like before', () => {
    const html = card({ order: order('old') });
    expect(count(html, 'data-testid="order-shipment"')).toBe(1);
    expect(html).toContain('3SAAAA123456789');
    expect(html).not.toContain('order-admin-link');
    expect(html).not.toContain('order-shop-status');
  });
});

describe('OrderCard of another customer', () => {
  const card = (foreign: string | null) =>
    renderToStaticMarkup(
      createElement(
        MantineProvider,
        null,
        createElement(OrderCard, {
          order: newest,
          expanded: false,
          onToggle: () => undefined,
          selected: false,
          onSelect: () => undefined,
          foreign,
          customerName: 'Sheena Nelson',
        }),
      ),
    );

  it('says whose order it is, on the card', () => {
    const html = card('Another customer’s order — Anna de Vries');
    expect(html).toContain('data-foreign="true"');
    expect(html).toMatch(
      /data-testid="order-foreign"[\s\S]*Another customer’s order — Anna de Vries</,
    );
    expect(card(null)).not.toContain('order-foreign');
  });
});
