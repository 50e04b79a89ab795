import type { ShopKindSpec } from './provider';

/** The shop kinds this hub connects; each is one folder under `src/server/orders/<kind>/`. */
export const SHOP_KIND_SPECS: readonly ShopKindSpec[] = [];
