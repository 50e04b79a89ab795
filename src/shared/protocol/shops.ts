import { z } from 'zod';
import { channelKindSchema } from '../domain/channels';
import { orderSchema } from '../domain/model';

/**
 * Shops and order sources (issue #17): the admin API's shops, and the order lookups agents make
 * beside a conversation. Parsed by the hub at its edge and by the app when it reads the answers.
 */

export const shopKindSchema = z.enum(['shopify', 'woocommerce']);
export type ShopKindName = z.infer<typeof shopKindSchema>;

/** Where an agent's orders come from: the built-in store (`demo`: demo data, imports) or a shop. */
export const orderSourceKindSchema = z.enum(['demo', 'shopify', 'woocommerce']);
export type OrderSourceKind = z.infer<typeof orderSourceKindSchema>;

/** The built-in store's source id (and `Order.provider` of its orders). */
export const BUILT_IN_SOURCE_ID = 'demo';

/** A connected shop as admins see it: credentials only as set / not set. */
export const shopViewSchema = z.object({
  id: z.string(),
  kind: shopKindSchema,
  name: z.string(),
  url: z.string(),
  /** The channels whose customers it serves; empty: every channel. */
  channels: z.array(channelKindSchema),
  enabled: z.boolean(),
  credentials: z.record(z.string(), z.object({ set: z.boolean() })),
  /** The shop's own name from the last good test or lookup. */
  shopName: z.string().nullable(),
  lastOkAt: z.number().nullable(),
  lastError: z.object({ message: z.string(), at: z.number() }).nullable(),
  createdAt: z.number(),
  updatedAt: z.number(),
});
export type ShopView = z.infer<typeof shopViewSchema>;

export const shopKindViewSchema = z.object({
  kind: shopKindSchema,
  label: z.string(),
  urlExample: z.string(),
  credentials: z.array(z.object({ key: z.string(), label: z.string(), hint: z.string() })),
});
export type ShopKindView = z.infer<typeof shopKindViewSchema>;

export const shopListSchema = z.object({
  shops: z.array(shopViewSchema),
  kinds: z.array(shopKindViewSchema),
});

const credentialValue = z.string().trim().min(1, 'Enter a value.').max(500);

export const shopInputSchema = z.object({
  kind: shopKindSchema,
  name: z.string().trim().max(80).optional(),
  url: z.string().trim().min(1, 'Enter the shop’s address.').max(300),
  channels: z.array(channelKindSchema).max(20).default([]),
  enabled: z.boolean().default(true),
  credentials: z.record(z.string().max(40), credentialValue),
});
export type ShopInput = z.infer<typeof shopInputSchema>;

export const shopPatchSchema = z.object({
  name: z.string().trim().max(80).optional(),
  url: z.string().trim().min(1, 'Enter the shop’s address.').max(300).optional(),
  channels: z.array(channelKindSchema).max(20).optional(),
  enabled: z.boolean().optional(),
  /** A credential given replaces the stored one; those not given stay. */
  credentials: z.record(z.string().max(40), credentialValue).optional(),
});
export type ShopPatch = z.infer<typeof shopPatchSchema>;

export const shopTestAnswerSchema = z.union([
  z.object({ ok: z.literal(true), shopName: z.string() }),
  z.object({ ok: z.literal(false), error: z.string() }),
]);
export type ShopTestAnswer = z.infer<typeof shopTestAnswerSchema>;

export const orderSourceSchema = z.object({
  id: z.string(),
  name: z.string(),
  kind: orderSourceKindSchema,
});
export type OrderSource = z.infer<typeof orderSourceSchema>;

export const orderSourcesSchema = z.object({ sources: z.array(orderSourceSchema) });

/** One source's answer for a customer: its orders, or why it could not answer and its cache. */
export const sourceStateSchema = orderSourceSchema.extend({
  state: z.enum(['ok', 'error']),
  error: z.string().nullable(),
  /** When these orders were fetched from the shop (null: never). */
  fetchedAt: z.number().nullable(),
  /** The orders are from the hub's cache, not a fresh answer (the shop failed). */
  stale: z.boolean(),
});
export type SourceState = z.infer<typeof sourceStateSchema>;

export const sourceOrdersSchema = z.object({
  orders: z.array(orderSchema),
  source: sourceStateSchema,
  /** Numbers of the orders an agent linked to this customer (they can be unlinked). */
  linkedNumbers: z.array(z.string()).default([]),
});
export type SourceOrders = z.infer<typeof sourceOrdersSchema>;

/** Orders by number across sources, with the shops that could not be searched. */
export const numberSearchSchema = z.object({
  orders: z.array(orderSchema),
  errors: z
    .array(z.object({ source: z.string(), name: z.string(), error: z.string() }))
    .default([]),
});
export type NumberSearch = z.infer<typeof numberSearchSchema>;

export const orderLinkInputSchema = z.object({
  conversation: z.string().min(1).max(100),
  source: z.string().min(1).max(100),
  number: z.string().trim().min(1, 'Enter an order number.').max(50),
});
export type OrderLinkInput = z.infer<typeof orderLinkInputSchema>;

export const catalogProductSchema = z.object({
  source: z.string(),
  retailerId: z.string(),
  title: z.string(),
  variant: z.string().nullable(),
  sku: z.string().nullable(),
  imageUrl: z.string().nullable(),
  price: z.number().nullable(),
  currency: z.string().nullable(),
});
export type CatalogProduct = z.infer<typeof catalogProductSchema>;
export const catalogProductsSchema = z.object({
  products: z.array(catalogProductSchema),
  /** The shops the products came from, and whether the hub can make a draft order in each. */
  sources: z.array(orderSourceSchema.extend({ drafts: z.boolean() })).default([]),
});

/** A catalog cart made into a draft order in a shop (Shopify `draftOrderCreate`). */
export const draftOrderInputSchema = z.object({
  conversation: z.string().min(1).max(100),
  source: z.string().min(1).max(100),
  lines: z
    .array(
      z.object({
        retailerId: z.string().min(1).max(200),
        quantity: z.number().int().min(1).max(10_000),
      }),
    )
    .min(1)
    .max(200),
});
export type DraftOrderInput = z.infer<typeof draftOrderInputSchema>;

export const draftOrderAnswerSchema = z.object({
  draft: z.object({ name: z.string(), adminUrl: z.string(), invoiceUrl: z.string().nullable() }),
});
export type DraftOrderAnswer = z.infer<typeof draftOrderAnswerSchema>;
