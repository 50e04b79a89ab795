import { z } from 'zod';

/**
 * The parts of WooCommerce REST v3 answers the hub reads (woocommerce-rest-api-docs `_orders.md`,
 * `_order-notes.md`, `_products.md`; CHANNEL-API.md §11). Lenient where shops differ (a field an
 * older version lacks defaults; money is a decimal string), strict where a wrong shape would
 * mislead (ids, quantities).
 */

const text = z
  .string()
  .nullish()
  .transform((value) => value ?? '');
/** `"19.95"` (Woo's money) or a number; `""` is 0. */
const money = z.union([z.string(), z.number()]).transform((value, ctx) => {
  const amount = typeof value === 'number' ? value : value.trim() === '' ? 0 : Number(value);
  if (!Number.isFinite(amount)) {
    ctx.addIssue({ code: 'custom', message: 'not an amount' });
    return z.NEVER;
  }
  return amount;
});

export const addressSchema = z.object({
  first_name: text,
  last_name: text,
  company: text,
  address_1: text,
  address_2: text,
  city: text,
  state: text,
  postcode: text,
  country: text,
  email: text,
  phone: text,
});
export type WooAddress = z.infer<typeof addressSchema>;
const EMPTY_ADDRESS = addressSchema.parse({});

const metaSchema = z.object({
  key: z.string(),
  value: z.unknown(),
  display_key: z.string().optional(),
  display_value: z.unknown().optional(),
});

export const lineItemSchema = z.object({
  name: z.string(),
  quantity: z.number(),
  sku: z.string().nullish(),
  variation_id: z.number().nullish(),
  total: money,
  /** The unit price after discounts (WC 3.5+); older shops leave it out. */
  price: money.nullish(),
  meta_data: z.array(metaSchema).default([]),
  image: z.object({ src: z.union([z.string(), z.number()]).nullish() }).nullish(),
});

export const wooOrderSchema = z.object({
  id: z.number().int(),
  number: z.union([z.string(), z.number()]).transform(String),
  status: z.string(),
  currency: z.string(),
  total: money,
  date_created: z.string().nullish(),
  date_created_gmt: z.string().nullish(),
  date_paid_gmt: z.string().nullish(),
  date_paid: z.string().nullish(),
  payment_method_title: text,
  customer_note: text,
  billing: addressSchema.nullish().transform((value) => value ?? EMPTY_ADDRESS),
  shipping: addressSchema.nullish().transform((value) => value ?? EMPTY_ADDRESS),
  line_items: z.array(lineItemSchema).default([]),
  shipping_lines: z.array(z.object({ method_title: text, total: money })).default([]),
  refunds: z.array(z.object({ reason: text, total: money })).default([]),
});
export type WooOrder = z.infer<typeof wooOrderSchema>;
export const wooOrdersSchema = z.array(wooOrderSchema);

export const orderNotesSchema = z.array(
  z.object({
    note: z.string(),
    customer_note: z.boolean().default(false),
    date_created_gmt: z.string().nullish(),
  }),
);

/** Shipment Tracking (woocommerce.com/document/shipment-tracking, REST API section). */
export const trackingsSchema = z.array(
  z.object({
    tracking_provider: text,
    tracking_link: text,
    tracking_number: text,
    /** `2026-01-02`; older versions send a Unix timestamp. */
    date_shipped: z.union([z.string(), z.number()]).nullish(),
  }),
);
export type WooTracking = z.infer<typeof trackingsSchema>[number];

export const siteIndexSchema = z.object({
  name: z.string().default(''),
  namespaces: z.array(z.string()).default([]),
});

const imageSchema = z.object({ src: z.string().nullish() });
export const wooProductSchema = z.object({
  id: z.number().int(),
  name: z.string(),
  sku: z.string().nullish(),
  /** `""` for a variable product's parent (its variations have prices). */
  price: z
    .union([z.string(), z.number()])
    .nullish()
    .transform((value) =>
      value === null || value === undefined || value === '' || !Number.isFinite(Number(value))
        ? null
        : Number(value),
    ),
  parent_id: z.number().nullish(),
  images: z.array(imageSchema).nullish(),
  /** Variations have one image. */
  image: imageSchema.nullish(),
  attributes: z
    .array(z.object({ name: z.string(), option: z.string().nullish() }))
    .nullish()
    .transform((value) => value ?? []),
});
export type WooProduct = z.infer<typeof wooProductSchema>;
export const wooProductsSchema = z.array(wooProductSchema);

export const currencySchema = z.object({ code: z.string() });
