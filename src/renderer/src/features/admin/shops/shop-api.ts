import { z } from 'zod';
import { channelKindSchema } from '../../../../../shared/domain/channels';
import type { DataLayer } from '../../../data/data-layer';

/**
 * The hub's admin shops API (issue #17, notes/shops-api.md), as the Orders page reads it.
 * Credentials are write-only: the hub answers whether each is set, never its value.
 */

export const shopKindSchema = z.enum(['shopify', 'woocommerce']);
export type ShopKind = z.infer<typeof shopKindSchema>;

export const shopViewSchema = z.object({
  id: z.string(),
  kind: shopKindSchema,
  name: z.string(),
  url: z.string(),
  /** Empty: the shop serves every channel's customers. */
  channels: z.array(channelKindSchema),
  enabled: z.boolean(),
  credentials: z.record(z.string(), z.object({ set: z.boolean() })),
  /** The shop's own name, from the last test that succeeded. */
  shopName: z.string().nullable(),
  lastOkAt: z.number().nullable(),
  lastError: z.object({ message: z.string(), at: z.number() }).nullable(),
  createdAt: z.number(),
});
export type ShopView = z.infer<typeof shopViewSchema>;

export const shopKindViewSchema = z.object({
  kind: shopKindSchema,
  label: z.string(),
  urlExample: z.string(),
  credentials: z.array(z.object({ key: z.string(), label: z.string(), hint: z.string() })),
});
export type ShopKindView = z.infer<typeof shopKindViewSchema>;

export const shopsAnswerSchema = z.object({
  shops: z.array(shopViewSchema),
  kinds: z.array(shopKindViewSchema),
});
export type ShopsAnswer = z.infer<typeof shopsAnswerSchema>;

const shopAnswerSchema = z.object({ shop: shopViewSchema });

export const shopTestAnswerSchema = z.discriminatedUnion('ok', [
  z.object({ ok: z.literal(true), shopName: z.string() }),
  z.object({ ok: z.literal(false), error: z.string() }),
]);
export type ShopTestAnswer = z.infer<typeof shopTestAnswerSchema>;

export interface NewShop {
  readonly kind: ShopKind;
  readonly name: string;
  readonly url: string;
  readonly channels: readonly z.infer<typeof channelKindSchema>[];
  readonly credentials: Readonly<Record<string, string>>;
}

/** Any of a shop's editable fields; a credential given replaces it, omitted ones stay. */
export type ShopChanges = Partial<Omit<NewShop, 'kind'>> & { readonly enabled?: boolean };

export const SHOPS_PATH = '/api/admin/shops';

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
      await layer.request('DELETE', shopPath(id), z.unknown());
    },
    test: (id) => layer.request('POST', `${shopPath(id)}/test`, shopTestAnswerSchema, {}),
  };
}
