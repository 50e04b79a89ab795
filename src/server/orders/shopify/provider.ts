import { phoneE164, samePhone } from '../../../shared/domain/contact';
import type { Order } from '../../../shared/domain/model';
import {
  clampOrderLimit,
  normaliseEmail,
  normaliseOrderNumber,
  ShopError,
  type DraftOrderCustomer,
  type DraftOrderLine,
  type OrderQuery,
  type ShopConnection,
  type ShopProduct,
  type ShopProvider,
} from '../provider';
import { createShopifyClient } from './client';
import { orderCountry, orderPhone, toOrder, toProduct } from './mapping';
import {
  CUSTOMERS,
  DRAFT_ORDER_CREATE,
  numericId,
  ORDER_RETURNS,
  ORDERS,
  PRODUCTS,
  searchValue,
  SHOP,
  type OrderNode,
  type VariantNode,
} from './queries';

/**
 * A connected Shopify shop (issue #17), through the Admin GraphQL API.
 *
 * - By e-mail: `orders(query: "email:…")`.
 * - By phone: orders have no reliable phone filter (CHANNEL-API.md §10.2), so customers first,
 *   `customers(query: "phone:<E.164>")`, then their orders, `customer_id:… OR customer_id:…`.
 *   Shopify's search is loose: a customer counts when their phone is the same line as the
 *   customer's (`samePhone`, each read in its own country), and an order of another customer
 *   found there counts when its own phone is (read in its shipping or billing country).
 * - By number: `name:#1001`, exact names only.
 * - Returns come from a second query that needs `read_returns`; without that scope an order
 *   still comes, with its status but no return list.
 */

/** Products per catalog lookup (Shopify's input arrays take 250). */
const MAX_PRODUCTS = 50;

/**
 * The Facebook & Instagram channel's catalog ids for Shopify products:
 * `shopify_<country>_<product id>_<variant id>`.
 */
const FACEBOOK_CATALOG_ID = /^shopify_[A-Z]{2}_(\d+)_(\d+)$/;

/**
 * A catalog id's variant; `wholeProduct` when the id named the product (its first variant gives
 * the price and SKU, and no variant name is shown).
 */
interface Resolved {
  readonly variant: VariantNode;
  readonly wholeProduct: boolean;
}

export function createShopifyProvider(connection: ShopConnection): ShopProvider {
  const client = createShopifyClient(connection);
  const context = { provider: connection.id, shopUrl: connection.url };

  async function searchOrders(query: string, first: number): Promise<OrderNode[]> {
    const data = await client.request(ORDERS, { query, first });
    return data.orders.nodes;
  }

  async function ordersByPhone(query: OrderQuery, limit: number): Promise<OrderNode[]> {
    const phone = query.phone ? phoneE164(query.phone, query.country) : null;
    if (!phone) return [];
    const { customers } = await client.request(CUSTOMERS, { query: `phone:${searchValue(phone)}` });
    if (customers.nodes.length === 0) return [];
    const same = (other: string | null | undefined, country: string | null | undefined) =>
      samePhone(query.phone, other, { a: query.country, b: country });
    const matched = new Set(
      customers.nodes
        .filter((c) => same(c.defaultPhoneNumber?.phoneNumber, c.defaultAddress?.countryCodeV2))
        .map((c) => c.id),
    );
    const search = customers.nodes
      .map((customer) => `customer_id:${numericId(customer.id)}`)
      .join(' OR ');
    const orders = await searchOrders(search, limit);
    return orders.filter(
      (order) =>
        (order.customer && matched.has(order.customer.id)) ||
        same(orderPhone(order), orderCountry(order)),
    );
  }

  /** The orders as the hub shows them, their returns fetched where Shopify says they have one. */
  async function finish(nodes: readonly OrderNode[]): Promise<Order[]> {
    const withReturns = nodes
      .filter((order) => order.returnStatus && order.returnStatus !== 'NO_RETURN')
      .map((order) => order.id);
    const returns = new Map<string, { name: string; status: string }[]>();
    if (withReturns.length > 0) {
      try {
        const data = await client.request(ORDER_RETURNS, { ids: withReturns });
        for (const node of data.nodes) if (node) returns.set(node.id, node.returns.nodes);
      } catch (error) {
        // No `read_returns`: the orders still come, with their return status.
        if (!(error instanceof ShopError && error.failure === 'forbidden')) throw error;
      }
    }
    return nodes.map((order) => toOrder(order, context, returns.get(order.id) ?? []));
  }

  /** Variants for the catalog's ids: SKUs, variant or product ids, Facebook catalog ids. */
  async function resolveVariants(
    retailerIds: readonly string[],
  ): Promise<{ currency: string; byRetailerId: Map<string, Resolved> }> {
    const wanted = [...new Set(retailerIds.map((id) => id.trim()).filter(Boolean))].slice(
      0,
      MAX_PRODUCTS,
    );
    const byRetailerId = new Map<string, Resolved>();
    if (wanted.length === 0) return { currency: '', byRetailerId };
    const ids = wanted.flatMap((id) => {
      const facebook = FACEBOOK_CATALOG_ID.exec(id);
      if (facebook) return [`gid://shopify/ProductVariant/${facebook[2]}`];
      return /^\d+$/.test(id)
        ? [`gid://shopify/ProductVariant/${id}`, `gid://shopify/Product/${id}`]
        : [];
    });
    const data = await client.request(PRODUCTS, {
      skus: wanted.map((id) => `sku:${searchValue(id)}`).join(' OR '),
      first: wanted.length,
      ids,
    });
    const byId = new Map<string, Resolved>();
    for (const node of data.nodes) {
      if (!node) continue;
      if (node.__typename === 'ProductVariant' && 'product' in node)
        byId.set(node.id, { variant: node, wholeProduct: false });
      if (node.__typename === 'Product' && 'variants' in node) {
        const variant = node.variants.nodes[0];
        if (variant) byId.set(node.id, { variant, wholeProduct: true });
      }
    }
    for (const id of wanted) {
      // A SKU first: that is what a catalog synced by hand uses.
      const sku = data.productVariants.nodes.find((variant) => variant.sku === id);
      const bySku = sku ? { variant: sku, wholeProduct: false } : undefined;
      const facebook = FACEBOOK_CATALOG_ID.exec(id);
      const resolved =
        bySku ??
        (facebook
          ? byId.get(`gid://shopify/ProductVariant/${facebook[2]}`)
          : (byId.get(`gid://shopify/ProductVariant/${id}`) ??
            byId.get(`gid://shopify/Product/${id}`)));
      if (resolved) byRetailerId.set(id, resolved);
    }
    return { currency: data.shop.currencyCode, byRetailerId };
  }

  return {
    id: connection.id,
    kind: 'shopify',

    async findByCustomer(query, limit) {
      const max = clampOrderLimit(limit);
      const email = normaliseEmail(query.email);
      const nodes = new Map<string, OrderNode>();
      if (email)
        for (const order of await searchOrders(`email:${searchValue(email)}`, max))
          nodes.set(order.id, order);
      for (const order of await ordersByPhone(query, max)) nodes.set(order.id, order);
      const newest = [...nodes.values()]
        .sort((a, b) => Date.parse(b.createdAt) - Date.parse(a.createdAt))
        .slice(0, max);
      return finish(newest);
    },

    async findByNumber(raw) {
      const number = normaliseOrderNumber(raw);
      if (!number) return [];
      const orders = await searchOrders(`name:${searchValue(`#${number}`)}`, 5);
      return finish(orders.filter((order) => order.name === `#${number}` || order.name === number));
    },

    async testConnection() {
      const { shop } = await client.request(SHOP);
      return { shopName: shop.name };
    },

    async findProducts(retailerIds): Promise<ShopProduct[]> {
      const { currency, byRetailerId } = await resolveVariants(retailerIds);
      return [...byRetailerId].map(([retailerId, { variant, wholeProduct }]) =>
        toProduct(retailerId, variant, currency, wholeProduct),
      );
    },

    async createDraftOrder(lines: readonly DraftOrderLine[], customer: DraftOrderCustomer) {
      const { byRetailerId } = await resolveVariants(lines.map((line) => line.retailerId));
      const unknown = lines.filter((line) => !byRetailerId.has(line.retailerId.trim()));
      if (unknown.length > 0)
        throw new ShopError(
          'bad_response',
          `Shopify has no product for ${unknown.map((line) => line.retailerId).join(', ')}.`,
        );
      const email = normaliseEmail(customer.email);
      const phone = customer.phone ? phoneE164(customer.phone) : null;
      const input = {
        lineItems: lines.map((line) => ({
          variantId: byRetailerId.get(line.retailerId.trim())?.variant.id,
          quantity: line.quantity,
        })),
        ...(email ? { email } : {}),
        ...(phone?.startsWith('+') ? { phone } : {}),
        note: customer.name?.trim()
          ? `WhatsApp catalog order from ${customer.name.trim()}.`
          : 'WhatsApp catalog order.',
      };
      const { draftOrderCreate: created } = await client.request(DRAFT_ORDER_CREATE, { input });
      const problem = created?.userErrors[0];
      if (problem || !created?.draftOrder)
        throw new ShopError(
          'bad_response',
          `Shopify did not create the draft order: ${problem?.message ?? 'no draft order in its answer'}.`,
        );
      const draft = created.draftOrder;
      return {
        name: draft.name,
        adminUrl: `${connection.url}/admin/draft_orders/${numericId(draft.id)}`,
        invoiceUrl: draft.invoiceUrl ?? null,
      };
    },
  };
}
