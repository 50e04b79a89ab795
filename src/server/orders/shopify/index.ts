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
      hint: 'Shopify admin → Settings → Apps → Develop apps → your app → API credentials (shpat_…), with the read_orders, read_customers and read_products scopes (read_returns for returns, write_draft_orders for draft orders).',
    },
  ],
  create: createShopifyProvider,
};
