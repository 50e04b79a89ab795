import type { ShopKindSpec } from '../provider';
import { createWooCommerceProvider } from './shop';

export { createWooCommerceProvider, type WooCommerceOptions } from './shop';

/** WooCommerce REST v3 with a consumer key and secret (CHANNEL-API.md §11). */
export const woocommerceKind: ShopKindSpec = {
  kind: 'woocommerce',
  label: 'WooCommerce',
  urlExample: 'https://shop.example.com',
  credentials: [
    {
      key: 'consumerKey',
      label: 'Consumer key',
      hint: 'WooCommerce → Settings → Advanced → REST API → Add key (Read is enough); starts with ck_.',
    },
    {
      key: 'consumerSecret',
      label: 'Consumer secret',
      hint: 'Shown once beside the consumer key when the key is created; starts with cs_.',
    },
  ],
  create: (connection) => createWooCommerceProvider(connection),
};
