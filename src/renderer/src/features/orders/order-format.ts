import type { Order } from '../../../../shared/domain/model';
import { formatDate } from '../../format/dates';

/**
 * How orders read in the panel: status colours, money, dates, order numbers, safe tracking
 * links. Pure, so the panel stays a layout.
 */

export type StatusTone =
  | 'waiting'
  | 'paid'
  | 'processing'
  | 'shipped'
  | 'delivered'
  | 'cancelled'
  | 'refunded'
  | 'returned'
  | 'unknown';

/** Statuses as shops spell them (Shopify, WooCommerce, the demo store), normalised to a tone. */
const TONES: Readonly<Record<string, StatusTone>> = {
  pending: 'waiting',
  unpaid: 'waiting',
  awaiting_payment: 'waiting',
  pending_payment: 'waiting',
  on_hold: 'waiting',
  draft: 'waiting',
  paid: 'paid',
  authorized: 'paid',
  partially_paid: 'paid',
  processing: 'processing',
  fulfilling: 'processing',
  packed: 'processing',
  ready_to_ship: 'processing',
  unfulfilled: 'processing',
  partially_fulfilled: 'processing',
  shipped: 'shipped',
  in_transit: 'shipped',
  out_for_delivery: 'shipped',
  partially_shipped: 'shipped',
  fulfilled: 'shipped',
  delivered: 'delivered',
  completed: 'delivered',
  complete: 'delivered',
  cancelled: 'cancelled',
  canceled: 'cancelled',
  voided: 'cancelled',
  failed: 'cancelled',
  declined: 'cancelled',
  refunded: 'refunded',
  partially_refunded: 'refunded',
  returned: 'returned',
  return_requested: 'returned',
  returning: 'returned',
};

/** Mantine colours, muted through `variant="light"` badges; one hue per stage of an order. */
export const TONE_COLORS: Readonly<Record<StatusTone, string>> = {
  waiting: 'yellow',
  paid: 'blue',
  processing: 'indigo',
  shipped: 'cyan',
  delivered: 'teal',
  cancelled: 'red',
  refunded: 'grape',
  returned: 'orange',
  unknown: 'gray',
};

const normalStatus = (status: string): string =>
  status
    .trim()
    .toLowerCase()
    .replace(/[\s-]+/g, '_');

export function statusTone(status: string): StatusTone {
  return TONES[normalStatus(status)] ?? 'unknown';
}

export const statusColor = (status: string): string => TONE_COLORS[statusTone(status)];

/** `on_hold` → `On hold`, `IN-TRANSIT` → `In transit`. */
export function statusLabel(status: string): string {
  const words = normalStatus(status).replace(/_+/g, ' ').trim();
  return words ? words.charAt(0).toUpperCase() + words.slice(1) : 'Unknown';
}

const moneyFormats = new Map<string, Intl.NumberFormat>();

/**
 * `€ 1.234,50` / `$1,234.50` in the agent's locale. A currency code Intl does not know is shown
 * after the amount rather than throwing.
 */
export function formatMoney(amount: number, currency: string, locale?: string): string {
  const code = currency.trim().toUpperCase();
  const cacheKey = `${locale ?? ''}|${code}`;
  let format = moneyFormats.get(cacheKey);
  if (!format) {
    try {
      format = new Intl.NumberFormat(locale, { style: 'currency', currency: code });
    } catch {
      const plain = new Intl.NumberFormat(locale, {
        minimumFractionDigits: 2,
        maximumFractionDigits: 2,
      });
      return `${plain.format(amount)} ${code}`.trim();
    }
    moneyFormats.set(cacheKey, format);
  }
  return format.format(amount);
}

/** `12 Nov 2026`: unambiguous in every locale, unlike 11/12/2026. */
export function formatOrderDate(at: number, locale?: string): string {
  return formatDate(at, { locale });
}

/** The number as the shop shows it: `#1043` (a bare `1043` gets the `#`), `SO-2291` as is. */
export function orderNumberLabel(number: string): string {
  const trimmed = number.trim();
  return /^\d/.test(trimmed) ? `#${trimmed}` : trimmed;
}

/** What the agent typed, as a number to search: `# 1043 ` → `1043`; empty for nothing. */
export function searchTermOf(input: string): string {
  return input.trim().replace(/^#\s*/, '').trim();
}

/**
 * A link (tracking page, the shop's admin, a product image) only when it is plain `http(s)`:
 * the desktop shell checks again, but a `javascript:` or `file:` href never reaches the page.
 */
export function safeHttpUrl(url: string | null): string | null {
  if (!url) return null;
  try {
    const parsed = new URL(url);
    return parsed.protocol === 'https:' || parsed.protocol === 'http:' ? parsed.href : null;
  } catch {
    return null;
  }
}

export type Shipment = Order['fulfillments'][number];

/**
 * Every shipment of the order with its tracking. An order cached before issue #17 has none
 * listed, only the top-level tracking (the first shipment's): that one then.
 */
export function shipmentsOf(order: Order): readonly Shipment[] {
  if (order.fulfillments.length > 0) return order.fulfillments;
  if (!order.carrier && !order.trackingNumber && !order.trackingUrl) return [];
  return [
    {
      status: null,
      carrier: order.carrier,
      trackingNumber: order.trackingNumber,
      trackingUrl: order.trackingUrl,
      shippedAt: null,
    },
  ];
}

/**
 * The tracking a reply names: the order's own (the hub sets it to the first shipment's), else
 * the first shipment that has any.
 */
export function replyTracking(
  order: Order,
): Pick<Shipment, 'carrier' | 'trackingNumber' | 'trackingUrl'> {
  if (order.carrier || order.trackingNumber || order.trackingUrl) return order;
  const first = order.fulfillments.find((s) => s.trackingNumber || s.trackingUrl);
  return (
    first ?? {
      carrier: order.fulfillments[0]?.carrier ?? null,
      trackingNumber: null,
      trackingUrl: null,
    }
  );
}

export const sortNewestFirst = (orders: readonly Order[]): Order[] =>
  [...orders].sort((a, b) => b.createdAt - a.createdAt);

export function itemCount(order: Order): number {
  return order.items.reduce((sum, item) => sum + item.quantity, 0);
}

/**
 * What the total holds beyond the items and the shipping lines (tax, discounts; shipping too
 * when the shop lists none): `null` when they add up to the total, within a cent.
 */
export function adjustmentOf(order: Order): number | null {
  const items = order.items.reduce((sum, item) => sum + item.price * item.quantity, 0);
  const shipping = order.shipping.reduce((sum, line) => sum + line.price, 0);
  const difference = Math.round((order.total - items - shipping) * 100) / 100;
  return Math.abs(difference) < 0.01 ? null : difference;
}

/** What was refunded in all, or `null` when nothing was. */
export function refundedOf(order: Order): number | null {
  const refunded = order.refunds.reduce((sum, refund) => sum + refund.amount, 0);
  return refunded > 0 ? Math.round(refunded * 100) / 100 : null;
}

/** What the order's stage says in a reply: `Your order #1043 ${phrase}.` */
const STAGE_PHRASES: Readonly<Record<Exclude<StatusTone, 'unknown'>, string>> = {
  waiting: 'is waiting for payment',
  paid: 'is paid and will be prepared soon',
  processing: 'is being prepared',
  shipped: 'has shipped',
  delivered: 'was delivered',
  cancelled: 'was cancelled',
  refunded: 'was refunded',
  returned: 'is being returned',
};

/**
 * The sentence "Use in reply" writes into an empty reply: the order's number and stage, and how
 * to follow the parcel when there is one — what the customer asking "where is my order?" needs.
 * (English, as the starter quick replies are; a quick reply per language fills the same facts.)
 */
export function orderReplyText(order: Order): string {
  const tone = statusTone(order.status);
  const phrase =
    tone === 'unknown' ? `is ${statusLabel(order.status).toLowerCase()}` : STAGE_PHRASES[tone];
  const sentence = `Your order ${orderNumberLabel(order.number)} ${phrase}.`;
  const tracking = replyTracking(order);
  const url = safeHttpUrl(tracking.trackingUrl);
  const follow = tone !== 'cancelled' && tone !== 'refunded' && (url || tracking.trackingNumber);
  if (!follow) return sentence;
  const carrier = tracking.carrier?.trim() || null;
  if (url) return `${sentence} ${carrier ? `Track it with ${carrier}` : 'Track it here'}: ${url}`;
  return `${sentence} ${carrier ? `${carrier} tracking` : 'Tracking'} number: ${tracking.trackingNumber}`;
}
