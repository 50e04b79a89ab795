import type { ShopKindSpec } from '../provider';
import { createShopifyProvider } from './provider';

export { SHOPIFY_API_VERSION } from './client';
export { createShopifyProvider } from './provider';

/** Shopify, for the hub's registry of shop kinds (issue #17). */
export const shopifyKind: ShopKindSpec = {
  kind: 'shopify',
  label: 'Shopify',
  urlExample: 'https://acme.myshopify.com',
  credentials: [
    {
      key: 'accessToken',
      label: 'Admin API access token',
      hint: 'Shopify admin → Settings → Apps and sales channels → Develop apps → your app → API credentials (shpat_…), with read_orders (add read_all_orders for orders older than 60 days), read_customers and read_products; read_returns shows returns, write_draft_orders makes draft orders.',
    },
  ],
  create: createShopifyProvider,
};
