import type { Order } from '../../../shared/domain/model';
import type { ShopProduct } from '../provider';
import { numericId, type OrderNode, type VariantNode } from './queries';

/**
 * Shopify's orders and products in the hub's shapes. Status is the demo store's word
 * (src/server/orders/demo-store.ts ORDER_STATUSES); Shopify's own wording stays in
 * financialStatus / fulfillmentStatus, as the admin shows it ("Partially refunded").
 */

/** `PARTIALLY_REFUNDED` → `Partially refunded`. */
export function humanise(value: string | null | undefined): string | null {
  if (!value) return null;
  const words = value.toLowerCase().replace(/_/g, ' ');
  return words.charAt(0).toUpperCase() + words.slice(1);
}

/**
 * One status word from Shopify's states, the most telling first: cancelled, then money back,
 * then goods back, then where the parcels are, then the payment.
 */
export function orderStatus(order: OrderNode): string {
  const financial = order.displayFinancialStatus ?? null;
  const fulfilment = order.displayFulfillmentStatus;
  if (order.cancelledAt || financial === 'VOIDED') return 'cancelled';
  if (financial === 'REFUNDED') return 'refunded';
  if (order.returnStatus === 'RETURNED' || fulfilment === 'RESTOCKED') return 'returned';
  if (fulfilment === 'FULFILLED' || fulfilment === 'PARTIALLY_FULFILLED') {
    const shipments = order.fulfillments.filter((f) => f.status !== 'CANCELLED');
    const delivered =
      fulfilment === 'FULFILLED' &&
      shipments.length > 0 &&
      shipments.every((f) => f.displayStatus === 'DELIVERED');
    return delivered ? 'delivered' : 'shipped';
  }
  if (fulfilment === 'ON_HOLD') return 'on_hold';
  if (financial === 'EXPIRED') return 'failed';
  if (financial === 'PENDING' || financial === 'PARTIALLY_PAID') return 'pending';
  return 'processing';
}

const ms = (iso: string | null | undefined): number | null => {
  if (!iso) return null;
  const at = Date.parse(iso);
  return Number.isNaN(at) ? null : at;
};

const amount = (value: string): number => {
  const number = Number(value);
  return Number.isFinite(number) ? number : 0;
};

/** The phone the order carries (its own, else the shipping or billing address's). */
export function orderPhone(order: OrderNode): string | null {
  return order.phone ?? order.shippingAddress?.phone ?? order.billingAddress?.phone ?? null;
}

/** The country the order's phone is most likely written in. */
export function orderCountry(order: OrderNode): string | null {
  return order.shippingAddress?.countryCodeV2 ?? order.billingAddress?.countryCodeV2 ?? null;
}

export interface MapContext {
  /** The connection's id: `Order.provider`. */
  readonly provider: string;
  /** The shop's base URL, for the admin link. */
  readonly shopUrl: string;
}

export function toOrder(
  order: OrderNode,
  context: MapContext,
  returns: readonly { readonly name: string; readonly status: string }[] = [],
): Order {
  // One entry per parcel: a fulfilment with several tracking numbers is several parcels.
  const shipments = order.fulfillments.flatMap((fulfillment) =>
    (fulfillment.trackingInfo.length > 0 ? fulfillment.trackingInfo : [null]).map((tracking) => ({
      status: humanise(fulfillment.displayStatus ?? fulfillment.status),
      carrier: tracking?.company ?? null,
      trackingNumber: tracking?.number ?? null,
      trackingUrl: tracking?.url ?? null,
      shippedAt: ms(fulfillment.createdAt),
    })),
  );
  const first = shipments.find((shipment) => shipment.trackingNumber || shipment.trackingUrl);
  return {
    id: order.id,
    provider: context.provider,
    number: order.name.replace(/^#/, ''),
    status: orderStatus(order),
    customerName: order.customer?.displayName ?? order.shippingAddress?.formatted[0] ?? null,
    email: order.email ?? null,
    phone: orderPhone(order),
    items: order.lineItems.nodes.map((item) => ({
      title: item.title,
      quantity: item.quantity,
      sku: item.sku || null,
      price: amount(item.originalUnitPriceSet.shopMoney.amount),
      variant:
        item.variantTitle && item.variantTitle !== 'Default Title' ? item.variantTitle : null,
      imageUrl: item.image?.url ?? null,
    })),
    total: amount(order.totalPriceSet.shopMoney.amount),
    currency: order.totalPriceSet.shopMoney.currencyCode,
    carrier: first?.carrier ?? null,
    trackingNumber: first?.trackingNumber ?? null,
    trackingUrl: first?.trackingUrl ?? null,
    createdAt: ms(order.createdAt) ?? 0,
    shopName: null,
    financialStatus: humanise(order.displayFinancialStatus),
    fulfillmentStatus: humanise(order.displayFulfillmentStatus),
    shippingAddress: order.shippingAddress?.formatted.length
      ? order.shippingAddress.formatted
      : null,
    shipping: order.shippingLines.nodes.map((line) => ({
      title: line.title,
      price: amount(line.originalPriceSet.shopMoney.amount),
    })),
    fulfillments: shipments,
    refunds: order.refunds
      .map((refund) => ({
        amount: amount(refund.totalRefundedSet.shopMoney.amount),
        note: refund.note || null,
        createdAt: ms(refund.createdAt),
      }))
      .sort((a, b) => (a.createdAt ?? 0) - (b.createdAt ?? 0)),
    returns: returns.map((entry) => ({ name: entry.name, status: humanise(entry.status) ?? '' })),
    notes: order.note?.trim() ? [order.note.trim()] : [],
    adminUrl: `${context.shopUrl}/admin/orders/${numericId(order.id)}`,
  };
}

/** A variant (or a product, by its first variant) as a catalog order names it. */
export function toProduct(
  retailerId: string,
  variant: VariantNode,
  currency: string,
  wholeProduct = false,
): ShopProduct {
  const price =
    variant.price === null || variant.price === undefined ? null : Number(variant.price);
  const productImage = variant.product.featuredMedia?.preview?.image?.url;
  const variantImage = variant.image?.url;
  // A product id asks for the product: its own picture first.
  const images = wholeProduct ? [productImage, variantImage] : [variantImage, productImage];
  return {
    retailerId,
    title: variant.product.title,
    variant:
      !wholeProduct && variant.title && variant.title !== 'Default Title' ? variant.title : null,
    sku: variant.sku || null,
    imageUrl: images.find(Boolean) ?? null,
    price: price !== null && Number.isFinite(price) ? price : null,
    currency,
  };
}
