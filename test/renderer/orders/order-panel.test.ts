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
import { order } from './fixtures';

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
