import type { ShopKindSpec } from './provider';
import { shopifyKind } from './shopify';
import { woocommerceKind } from './woocommerce';

/** The shop kinds this hub connects; each is one folder under `src/server/orders/<kind>/`. */
export const SHOP_KIND_SPECS: readonly ShopKindSpec[] = [shopifyKind, woocommerceKind];
