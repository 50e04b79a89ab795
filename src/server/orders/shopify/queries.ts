import { z } from 'zod';

/**
 * The Admin GraphQL operations the hub sends (CHANNEL-API.md §10.2), each with the zod schema of
 * its `data` and a first guess at its requested cost (the client learns the real one from
 * `extensions.cost.requestedQueryCost` after the first answer). Schemas read only what the
 * mapping uses; unknown fields are dropped.
 */

export interface Operation<T> {
  /** The operation's name, sent as `operationName` (the fake answers by it). */
  readonly name: string;
  readonly query: string;
  readonly data: z.ZodType<T>;
  /** Requested cost before Shopify has told it: connection = 2 + first (× its objects). */
  readonly estimatedCost: number;
}

const operation = <T>(
  name: string,
  query: string,
  data: z.ZodType<T>,
  estimatedCost: number,
): Operation<T> => ({ name, query, data, estimatedCost });

const money = z.object({ shopMoney: z.object({ amount: z.string(), currencyCode: z.string() }) });
const amountOnly = z.object({ shopMoney: z.object({ amount: z.string() }) });
const image = z.object({ url: z.string() }).nullish();

const orderNode = z.object({
  id: z.string(),
  name: z.string(),
  createdAt: z.string(),
  cancelledAt: z.string().nullish(),
  email: z.string().nullish(),
  phone: z.string().nullish(),
  note: z.string().nullish(),
  displayFinancialStatus: z.string().nullish(),
  displayFulfillmentStatus: z.string(),
  returnStatus: z.string().nullish(),
  customer: z.object({ id: z.string(), displayName: z.string().nullish() }).nullish(),
  totalPriceSet: money,
  shippingAddress: z
    .object({
      formatted: z.array(z.string()),
      countryCodeV2: z.string().nullish(),
      phone: z.string().nullish(),
    })
    .nullish(),
  billingAddress: z
    .object({ countryCodeV2: z.string().nullish(), phone: z.string().nullish() })
    .nullish(),
  lineItems: z.object({
    nodes: z.array(
      z.object({
        title: z.string(),
        variantTitle: z.string().nullish(),
        sku: z.string().nullish(),
        quantity: z.number(),
        originalUnitPriceSet: amountOnly,
        image,
      }),
    ),
  }),
  shippingLines: z.object({
    nodes: z.array(z.object({ title: z.string(), originalPriceSet: amountOnly })),
  }),
  fulfillments: z.array(
    z.object({
      status: z.string().nullish(),
      displayStatus: z.string().nullish(),
      createdAt: z.string().nullish(),
      trackingInfo: z.array(
        z.object({
          company: z.string().nullish(),
          number: z.string().nullish(),
          url: z.string().nullish(),
        }),
      ),
    }),
  ),
  refunds: z.array(
    z.object({
      createdAt: z.string().nullish(),
      note: z.string().nullish(),
      totalRefundedSet: amountOnly,
    }),
  ),
});
export type OrderNode = z.infer<typeof orderNode>;

const ORDER_FIELDS = `
fragment ReplydeskOrderFields on Order {
  id name createdAt cancelledAt email phone note
  displayFinancialStatus displayFulfillmentStatus returnStatus
  customer { id displayName }
  totalPriceSet { shopMoney { amount currencyCode } }
  shippingAddress { formatted(withName: true) countryCodeV2 phone }
  billingAddress { countryCodeV2 phone }
  lineItems(first: 50) {
    nodes { title variantTitle sku quantity originalUnitPriceSet { shopMoney { amount } } image { url } }
  }
  shippingLines(first: 5) { nodes { title originalPriceSet { shopMoney { amount } } } }
  fulfillments(first: 10) { status displayStatus createdAt trackingInfo(first: 5) { company number url } }
  refunds(first: 10) { createdAt note totalRefundedSet { shopMoney { amount } } }
}`;

/** Orders by a search (`email:`, `name:`, `customer_id:`), newest first. */
export const ORDERS = operation(
  'ReplydeskOrders',
  `query ReplydeskOrders($query: String!, $first: Int!) {
  orders(first: $first, query: $query, sortKey: CREATED_AT, reverse: true) {
    nodes { ...ReplydeskOrderFields }
  }
}
${ORDER_FIELDS}`,
  z.object({ orders: z.object({ nodes: z.array(orderNode) }) }),
  // 20 orders × (the order, its addresses, money, 50 items, 5 shipping lines, 10 fulfilments…).
  300,
);

/**
 * Returns, asked apart because they need the `read_returns` scope: a shop that did not grant it
 * still gets its orders (the order's `returnStatus` tells that there is one).
 */
export const ORDER_RETURNS = operation(
  'ReplydeskOrderReturns',
  `query ReplydeskOrderReturns($ids: [ID!]!) {
  nodes(ids: $ids) { ... on Order { id returns(first: 5) { nodes { name status } } } }
}`,
  z.object({
    nodes: z.array(
      z
        .object({
          id: z.string(),
          returns: z.object({ nodes: z.array(z.object({ name: z.string(), status: z.string() })) }),
        })
        .nullable(),
    ),
  }),
  30,
);

const customerNode = z.object({
  id: z.string(),
  displayName: z.string().nullish(),
  defaultPhoneNumber: z.object({ phoneNumber: z.string() }).nullish(),
  defaultAddress: z.object({ countryCodeV2: z.string().nullish() }).nullish(),
});
export type CustomerNode = z.infer<typeof customerNode>;

/** Customers by `phone:` (orders have no reliable phone filter, §10.2). */
export const CUSTOMERS = operation(
  'ReplydeskCustomers',
  `query ReplydeskCustomers($query: String!) {
  customers(first: 5, query: $query) {
    nodes { id displayName defaultPhoneNumber { phoneNumber } defaultAddress { countryCodeV2 } }
  }
}`,
  z.object({ customers: z.object({ nodes: z.array(customerNode) }) }),
  20,
);

export const SHOP = operation(
  'ReplydeskShop',
  `query ReplydeskShop { shop { name } }`,
  z.object({ shop: z.object({ name: z.string() }) }),
  1,
);

const productCore = z.object({
  id: z.string(),
  title: z.string(),
  featuredMedia: z.object({ preview: z.object({ image }).nullish() }).nullish(),
});
const variantNode = z.object({
  id: z.string(),
  title: z.string(),
  sku: z.string().nullish(),
  /** A decimal string in the shop's currency. */
  price: z.string().nullish(),
  image,
  product: productCore,
});
export type VariantNode = z.infer<typeof variantNode>;

const VARIANT_FIELDS = `
fragment ReplydeskVariantFields on ProductVariant {
  id title sku price image { url }
  product { id title featuredMedia { preview { image { url } } } }
}`;

/** Variants by SKU and products or variants by id, with the shop's currency for their prices. */
export const PRODUCTS = operation(
  'ReplydeskProducts',
  `query ReplydeskProducts($skus: String!, $first: Int!, $ids: [ID!]!) {
  shop { currencyCode }
  productVariants(first: $first, query: $skus) { nodes { ...ReplydeskVariantFields } }
  nodes(ids: $ids) {
    __typename
    ... on ProductVariant { ...ReplydeskVariantFields }
    ... on Product {
      id title featuredMedia { preview { image { url } } }
      variants(first: 1) { nodes { ...ReplydeskVariantFields } }
    }
  }
}
${VARIANT_FIELDS}`,
  z.object({
    shop: z.object({ currencyCode: z.string() }),
    productVariants: z.object({ nodes: z.array(variantNode) }),
    nodes: z.array(
      z
        .discriminatedUnion('__typename', [
          variantNode.extend({ __typename: z.literal('ProductVariant') }),
          productCore.extend({
            __typename: z.literal('Product'),
            variants: z.object({ nodes: z.array(variantNode) }),
          }),
        ])
        // Another kind of node (an id of an order, say) or none: left out.
        .or(z.object({ __typename: z.string() }).transform(() => null))
        .nullable(),
    ),
  }),
  150,
);

export const DRAFT_ORDER_CREATE = operation(
  'ReplydeskDraftOrderCreate',
  `mutation ReplydeskDraftOrderCreate($input: DraftOrderInput!) {
  draftOrderCreate(input: $input) {
    draftOrder { id name invoiceUrl }
    userErrors { field message }
  }
}`,
  z.object({
    draftOrderCreate: z
      .object({
        draftOrder: z
          .object({ id: z.string(), name: z.string(), invoiceUrl: z.string().nullish() })
          .nullable(),
        userErrors: z.array(
          z.object({ field: z.array(z.string()).nullish(), message: z.string() }),
        ),
      })
      .nullable(),
  }),
  10,
);

/** A value for Shopify's search syntax, quoted so spaces, `:` and `#` stay in it. */
export function searchValue(value: string): string {
  return `"${value.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`;
}

/** `gid://shopify/Order/450789469` → `450789469`. */
export function numericId(gid: string): string {
  return gid.slice(gid.lastIndexOf('/') + 1);
}
