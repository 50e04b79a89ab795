/**
 * The order panel in its states (issue #17) side by side at the workspace's width, light or dark
 * (`?scheme=dark`), for looking at it and taking screenshots without a hub:
 *
 *   npx vite --config test/renderer/orders/harness/vite.config.mts
 *
 * Searching "3999" in the last panel finds another customer's order to link; links, unlinks
 * and refreshes are logged to the console. Product pictures come through the hub
 * (`useShopImage`), so none show here: the browser-build check against a hub shows them.
 */
import '@mantine/core/styles.css';
import { useState } from 'react';
import { createRoot } from 'react-dom/client';
import { Box, MantineProvider, Text } from '@mantine/core';
import { theme } from '../../../../src/renderer/src/app/theme';
import { OrderPanel } from '../../../../src/renderer/src/features/orders/OrderPanel';
import type { Order } from '../../../../src/shared/domain/model';
import { order, shopOrder, sourceState } from '../fixtures';

const scheme = new URLSearchParams(location.search).get('scheme') === 'dark' ? 'dark' : 'light';
const NOW = Date.parse('2026-11-21T15:00:00Z');

const source = (id: string, name: string, overrides: Parameters<typeof sourceState>[2] = {}) =>
  sourceState(id, name, { fetchedAt: NOW - 2 * 60_000, ...overrides });

const builtIn = source('demo', 'Built-in store');
const eu = source('shop-eu', 'Acme EU');
const us = source('shop-us', 'Acme US', { kind: 'woocommerce' });

const anna = { name: 'Anna de Vries', phone: '+31612345678', email: 'anna@example.com' };

const euOrder = shopOrder('eu-1');
const euOlder = shopOrder('eu-0', {
  number: '#1987',
  status: 'delivered',
  createdAt: Date.parse('2026-10-02T10:00:00Z'),
  fulfillments: [],
  refunds: [],
  returns: [],
  notes: [],
});
const usOrder = order('us-1', {
  provider: 'shop-us',
  number: '3001',
  shopName: 'Acme US',
  status: 'processing',
  currency: 'USD',
  total: 58,
  items: [
    { title: 'Wool beanie', quantity: 2, sku: 'WB-01', price: 29, variant: 'Grey', imageUrl: null },
  ],
  carrier: null,
  trackingNumber: null,
  trackingUrl: null,
  createdAt: Date.parse('2026-11-19T10:00:00Z'),
});
const demoOrder = order('demo-1', {
  number: '1043',
  createdAt: Date.parse('2026-09-12T10:00:00Z'),
});
const linked = order('linked-1', {
  number: '7007',
  customerName: 'Mia de Vries',
  email: 'mia@example.com',
  phone: null,
  status: 'delivered',
  createdAt: Date.parse('2026-08-01T10:00:00Z'),
});
const strangers: Order[] = [
  order('stranger', {
    provider: 'shop-us',
    shopName: 'Acme US',
    number: '3999',
    customerName: 'Joe Bloggs',
    email: 'joe@example.com',
    phone: null,
    status: 'pending',
  }),
];

function Panel({
  title,
  orders,
  sources,
  loading = false,
  error = null,
}: {
  title: string;
  orders: Order[];
  sources: ReturnType<typeof sourceState>[] | null;
  loading?: boolean;
  error?: string | null;
}) {
  const [selected, setSelected] = useState<string | null>(null);
  return (
    <Box
      w={320}
      data-scenario={title}
      style={{
        flex: '0 0 320px',
        borderLeft: '1px solid var(--mantine-color-default-border)',
        borderRight: '1px solid var(--mantine-color-default-border)',
        overflow: 'auto',
        height: 'calc(100vh - 24px)',
      }}
    >
      <Text size="xs" c="dimmed" px="xs" pt={4}>
        {title}
      </Text>
      <OrderPanel
        orders={orders}
        loading={loading}
        error={error}
        sources={sources}
        onRefresh={() => console.log('refresh')}
        onSearch={async (number) => (number === '3999' ? strangers : [])}
        onLink={async (o) => console.log('link', o.number)}
        onUnlink={async (o) => console.log('unlink', o.number)}
        selectedOrderId={selected}
        onSelect={(o) => setSelected(o.id)}
        customer={anna}
        customerContact="+31 6 1234 5678"
        locale="en-GB"
        now={NOW}
      />
    </Box>
  );
}

createRoot(document.getElementById('root') as HTMLElement).render(
  <MantineProvider theme={theme} forceColorScheme={scheme}>
    <Box
      py={12}
      bg="var(--mantine-color-body)"
      style={{ display: 'flex', gap: 0, minHeight: '100vh', boxSizing: 'border-box' }}
    >
      <Panel
        title="two shops, one still asking"
        orders={[demoOrder, usOrder]}
        sources={[builtIn, { ...eu, state: 'loading' }, us]}
        loading
      />
      <Panel
        title="a shop error, cached orders"
        orders={[euOlder, usOrder]}
        sources={[
          builtIn,
          {
            ...eu,
            state: 'error',
            error: 'Shopify refused the access token (401).',
            fetchedAt: NOW - 3 * 3_600_000,
            stale: true,
          },
          us,
        ]}
      />
      <Panel title="several shipments" orders={[euOrder, euOlder]} sources={[builtIn, eu]} />
      <Panel
        title="linked order; search 3999"
        orders={[linked]}
        sources={[{ ...builtIn, linkedNumbers: ['7007'] }, eu, us]}
      />
    </Box>
  </MantineProvider>,
);
