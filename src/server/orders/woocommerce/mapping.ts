import type { Order } from '../../../shared/domain/model';
import { phoneE164 } from '../../../shared/domain/contact';
import { ORDER_STATUSES } from '../demo-store';
import type { ShopProduct } from '../provider';
import { decodeEntities } from './client';
import type { WooAddress, WooOrder, WooProduct, WooTracking } from './schemas';

/** What one order needs besides its own JSON: the shop, its tracking and notes. */
export interface OrderContext {
  readonly shopId: string;
  readonly shopUrl: string;
  readonly tracking: readonly WooTracking[];
  /** Notes the shop sent the customer, as `GET /orders/<id>/notes?type=customer` lists them. */
  readonly customerNotes: readonly string[];
}

const KNOWN = new Set<string>(ORDER_STATUSES);

/**
 * WooCommerce's statuses in the demo store's words: `on-hold` → `on_hold`. Woo has no "shipped":
 * a processing order with tracking is one (a completed one stays completed). Plugin statuses
 * keep their own word, normalised (`awaiting-shipment` → `awaiting_shipment`).
 */
export function normaliseStatus(status: string, tracked: boolean): string {
  const word = status
    .trim()
    .toLowerCase()
    .replace(/^wc-/, '')
    .replace(/[\s-]+/g, '_');
  if (word === 'processing' && tracked) return 'shipped';
  if (word === 'checkout_draft') return 'pending';
  if (word === 'trash') return 'cancelled';
  return KNOWN.has(word) ? word : word || 'pending';
}

function financialStatus(order: WooOrder): string | null {
  const status = order.status.toLowerCase();
  const method = order.payment_method_title.trim();
  if (status === 'refunded') return 'Refunded';
  if (order.refunds.length > 0) return 'Partially refunded';
  if (order.date_paid_gmt || order.date_paid) return method ? `Paid by ${method}` : 'Paid';
  if (status === 'failed') return 'Payment failed';
  if (status === 'cancelled') return 'Not paid';
  return method ? `Awaiting payment (${method})` : 'Awaiting payment';
}

function fulfillmentStatus(order: WooOrder, tracked: boolean): string | null {
  if (tracked) return 'Shipped';
  const status = order.status.toLowerCase();
  if (status === 'completed') return 'Completed';
  if (status === 'processing' || status === 'on-hold' || status === 'pending') return 'Not shipped';
  return null;
}

/** WooCommerce's GMT dates have no zone (`2026-12-01T10:00:00`): they are UTC. */
export function gmtInstant(value: string | null | undefined): number | null {
  if (!value) return null;
  const at = Date.parse(/[zZ]|[+-]\d{2}:?\d{2}$/.test(value) ? value : `${value}Z`);
  return Number.isNaN(at) ? null : at;
}

/** `2026-01-02` (the extension's REST answer) or a Unix timestamp (older versions). */
function shippedAt(value: string | number | null | undefined): number | null {
  if (value === null || value === undefined || value === '') return null;
  if (typeof value === 'number' || /^\d{9,11}$/.test(value)) return Number(value) * 1000;
  return gmtInstant(/^\d{4}-\d{2}-\d{2}$/.test(value) ? `${value}T00:00:00` : value);
}

const cents = (amount: number): number => Math.round(amount * 100) / 100;
const orNull = (value: string | null | undefined): string | null => value?.trim() || null;

const regionNames = new Intl.DisplayNames(['en'], { type: 'region' });
function countryName(code: string): string {
  try {
    return regionNames.of(code.toUpperCase()) ?? code;
  } catch {
    return code;
  }
}

/** Address lines as the country writes them, roughly: `1012 AB Amsterdam`, `Austin, TX 78701`. */
export function addressLines(address: WooAddress): string[] | null {
  const name = `${address.first_name} ${address.last_name}`.trim();
  const { city, state, postcode } = address;
  const country = address.country.trim().toUpperCase();
  const place = ['US', 'CA', 'AU'].includes(country)
    ? [[city, [state, postcode].filter(Boolean).join(' ')].filter(Boolean).join(', ')]
    : country === 'GB'
      ? [city, postcode]
      : [[postcode, city].filter(Boolean).join(' '), state];
  const street = [address.address_1, address.address_2, ...place].map((line) => line.trim());
  if (street.every((line) => line === '')) return null;
  return [name, address.company, ...street, country ? countryName(country) : '']
    .map((line) => line.trim())
    .filter((line) => line !== '');
}

/** A variation's attributes (`Blue / M`) from the line item's visible meta. */
function variantOf(item: WooOrder['line_items'][number]): string | null {
  if (!item.variation_id) return null;
  const values = item.meta_data
    .filter((meta) => !meta.key.startsWith('_'))
    .map((meta) => meta.display_value ?? meta.value)
    .filter(
      (value): value is string | number => typeof value === 'string' || typeof value === 'number',
    )
    .map((value) => decodeEntities(String(value).replace(/<[^>]*>/g, '')).trim())
    .filter((value) => value !== '');
  return values.length > 0 ? values.join(' / ') : null;
}

function httpUrl(src: unknown): string | null {
  return typeof src === 'string' && /^https?:\/\//i.test(src) ? src : null;
}

/** A note as plain text: WooCommerce keeps notes as HTML (`<br>`, links, `&#8217;`). */
export function plainNote(note: string): string {
  return decodeEntities(note.replace(/<br\s*\/?>/gi, '\n').replace(/<[^>]*>/g, ''))
    .replace(/[ \t]+\n/g, '\n')
    .trim();
}

export function toOrder(order: WooOrder, context: OrderContext): Order {
  const tracking = context.tracking.map((item) => ({
    status: null,
    carrier: orNull(item.tracking_provider),
    trackingNumber: orNull(item.tracking_number),
    trackingUrl: httpUrl(item.tracking_link),
    shippedAt: shippedAt(item.date_shipped),
  }));
  const tracked = tracking.length > 0;
  const first = tracking[0];
  const { billing, shipping } = order;
  const name =
    `${billing.first_name} ${billing.last_name}`.trim() ||
    `${shipping.first_name} ${shipping.last_name}`.trim();
  const phone = orNull(billing.phone) ?? orNull(shipping.phone);
  const phoneCountry = orNull(billing.phone)
    ? billing.country
    : shipping.country || billing.country;
  const customerNote = plainNote(order.customer_note);
  return {
    id: `${context.shopId}:${order.id}`,
    provider: context.shopId,
    number: order.number,
    status: normaliseStatus(order.status, tracked),
    customerName: name || orNull(billing.company),
    email: orNull(billing.email),
    phone: phone === null ? null : (phoneE164(phone, phoneCountry) ?? phone),
    items: order.line_items.map((item) => ({
      title: decodeEntities(item.name),
      quantity: item.quantity,
      sku: orNull(item.sku),
      price: cents(item.price ?? (item.quantity > 0 ? item.total / item.quantity : item.total)),
      variant: variantOf(item),
      imageUrl: httpUrl(item.image?.src),
    })),
    total: cents(order.total),
    currency: order.currency.toUpperCase(),
    carrier: first?.carrier ?? null,
    trackingNumber: first?.trackingNumber ?? null,
    trackingUrl: first?.trackingUrl ?? null,
    createdAt: gmtInstant(order.date_created_gmt) ?? gmtInstant(order.date_created) ?? 0,
    shopName: null,
    financialStatus: financialStatus(order),
    fulfillmentStatus: fulfillmentStatus(order, tracked),
    shippingAddress: addressLines(shipping),
    shipping: order.shipping_lines.map((line) => ({
      title: decodeEntities(line.method_title) || 'Shipping',
      price: cents(line.total),
    })),
    fulfillments: tracking,
    // Woo lists a refund's total as negative (`"-5.00"`); the panel shows amounts refunded.
    refunds: order.refunds.map((refund) => ({
      amount: cents(Math.abs(refund.total)),
      note: orNull(plainNote(refund.reason)),
      createdAt: null,
    })),
    returns: [],
    notes: [...(customerNote ? [customerNote] : []), ...context.customerNotes],
    adminUrl: `${context.shopUrl}/wp-admin/post.php?post=${order.id}&action=edit`,
  };
}

export function toProduct(
  retailerId: string,
  product: WooProduct,
  currency: string | null,
): ShopProduct {
  const variant = product.attributes
    .map((attribute) => attribute.option?.trim() ?? '')
    .filter((option) => option !== '')
    .join(' / ');
  return {
    retailerId,
    title: decodeEntities(product.name),
    variant: product.parent_id && variant ? variant : null,
    sku: orNull(product.sku),
    imageUrl: httpUrl(product.image?.src) ?? httpUrl(product.images?.[0]?.src),
    price: product.price === null ? null : cents(product.price),
    currency,
  };
}
