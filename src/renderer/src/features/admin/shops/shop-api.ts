import { z } from 'zod';
import {
  shopListSchema,
  shopTestAnswerSchema,
  shopViewSchema,
  type shopInputSchema,
  type ShopKindName,
  type shopPatchSchema,
  type ShopTestAnswer,
  type ShopView,
} from '../../../../../shared/protocol/shops';
import type { DataLayer } from '../../../data/data-layer';

/**
 * The hub's admin shops API (issue #17; docs/api.md "Shops") as the Orders page calls it.
 * Credentials are write-only: the hub answers whether each is set, never its value.
 */

export type { ShopKindView, ShopTestAnswer, ShopView } from '../../../../../shared/protocol/shops';
export type ShopKind = ShopKindName;
/** `POST /api/admin/shops`. */
export type NewShop = z.input<typeof shopInputSchema>;
/** `PATCH /api/admin/shops/:id`: a credential given replaces it, omitted ones stay. */
export type ShopChanges = z.input<typeof shopPatchSchema>;

export const SHOPS_PATH = '/api/admin/shops';
export const shopsAnswerSchema = shopListSchema;

const shopAnswerSchema = z.object({ shop: shopViewSchema });
const deletedAnswerSchema = z.object({ deleted: z.string() });

const shopPath = (id: string): string => `${SHOPS_PATH}/${encodeURIComponent(id)}`;

/** The shop calls the page makes, each rejecting with the hub's `HubRequestError`. */
export interface ShopsApi {
  create(shop: NewShop): Promise<ShopView>;
  update(id: string, changes: ShopChanges): Promise<ShopView>;
  remove(id: string): Promise<void>;
  test(id: string): Promise<ShopTestAnswer>;
}

export function shopsApi(layer: Pick<DataLayer, 'request'>): ShopsApi {
  return {
    create: async (shop) => (await layer.request('POST', SHOPS_PATH, shopAnswerSchema, shop)).shop,
    update: async (id, changes) =>
      (await layer.request('PATCH', shopPath(id), shopAnswerSchema, changes)).shop,
    remove: async (id) => {
      await layer.request('DELETE', shopPath(id), deletedAnswerSchema);
    },
    test: (id) => layer.request('POST', `${shopPath(id)}/test`, shopTestAnswerSchema, {}),
  };
}
