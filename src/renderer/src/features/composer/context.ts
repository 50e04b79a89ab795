import { CHANNEL_INFO } from '../../../../shared/domain/channels';
import type { Conversation, Order } from '../../../../shared/domain/model';
import type { TemplateContext } from '../../../../shared/templates';
import type { Me } from '../../data/types';

export interface TemplateContextInput {
  readonly conversation: Conversation | null;
  /** The order the agent picked in the order panel, if any. */
  readonly order: Order | null;
  readonly me: Me | null;
  readonly businessName: string | null;
}

/** Items shown in `order.items` before "+N more". */
const MAX_ITEMS = 3;

const HAS_LETTER = /\p{L}/u;

/** The customer's name split for greetings; a "name" that is only a phone number gives nothing. */
function splitName(name: string | null | undefined): { first?: string; last?: string } {
  const words = (name ?? '').trim().split(/\s+/).filter(Boolean);
  if (words.length === 0 || !HAS_LETTER.test(words.join(' '))) return {};
  const [first, ...rest] = words;
  return rest.length > 0 ? { first, last: rest.join(' ') } : { first };
}

/** Fraction digits of a currency (USD 2, JPY 0), 2 for codes Intl does not know. */
function fractionDigits(currency: string): number {
  try {
    return (
      new Intl.NumberFormat('en-US', { style: 'currency', currency }).resolvedOptions()
        .maximumFractionDigits ?? 2
    );
  } catch {
    return 2;
  }
}

/** `49.90`: the total with its currency's decimals, no grouping or symbol (TEMPLATE_VARIABLES). */
export function formatOrderTotal(total: number, currency: string): string {
  return total.toFixed(fractionDigits(currency));
}

/**
 * `2 × Linen shirt (M), 1 × Canvas tote`, at most three, then `+2 more`. A shop's variant
 * (`Blue / M`) goes in brackets unless the title already names it.
 */
export function summarizeItems(
  items: readonly (Pick<Order['items'][number], 'title' | 'quantity'> & {
    readonly variant?: string | null;
  })[],
): string {
  const shown = items.slice(0, MAX_ITEMS).map((item) => {
    const variant = item.variant?.trim();
    const named = variant && !item.title.includes(variant) ? ` (${variant})` : '';
    return `${item.quantity} × ${item.title}${named}`;
  });
  const more = items.length - shown.length;
  return more > 0 ? `${shown.join(', ')}, +${more} more` : shown.join(', ');
}

const blankToUndefined = (value: string | null | undefined): string | undefined =>
  value === null || value === undefined || value.trim() === '' ? undefined : value;

/**
 * The values quick replies and template suggestions are filled from: the customer, the selected
 * order, the signed-in agent and the business. Missing facts are left out, so their placeholders
 * stay visible and block sending.
 */
export function buildTemplateContext({
  conversation,
  order,
  me,
  businessName,
}: TemplateContextInput): TemplateContext {
  const customer = conversation?.customer;
  const customerName = splitName(customer?.name);
  const agentName = splitName(me?.name);
  return {
    customer: customer
      ? {
          name: HAS_LETTER.test(customer.name) ? customer.name.trim() : undefined,
          first_name: customerName.first,
          last_name: customerName.last,
          phone: blankToUndefined(customer.phone),
          email: blankToUndefined(customer.email),
        }
      : {},
    conversation: conversation
      ? { id: conversation.id, channel: CHANNEL_INFO[conversation.channel].label }
      : {},
    agent: me
      ? {
          name: blankToUndefined(me.name),
          first_name: agentName.first,
          email: blankToUndefined(me.email),
        }
      : {},
    order: order ? orderValues(order) : {},
    business: { name: blankToUndefined(businessName) },
  };
}

/**
 * `order.*`. The tracking is the order's own (the hub sets it to the first shipment's), else
 * that of the first shipment that has any (issue #17: orders with several shipments).
 */
function orderValues(order: Order): NonNullable<TemplateContext['order']> {
  const tracking =
    order.trackingNumber || order.trackingUrl
      ? order
      : (order.fulfillments.find((s) => s.trackingNumber || s.trackingUrl) ?? order);
  return {
    number: blankToUndefined(order.number),
    // "Order status in words" (TEMPLATE_VARIABLES): providers send codes like `on_hold`.
    status: blankToUndefined(order.status.replace(/_/g, ' ')),
    total: formatOrderTotal(order.total, order.currency),
    currency: blankToUndefined(order.currency),
    tracking_number: blankToUndefined(tracking.trackingNumber),
    tracking_url: blankToUndefined(tracking.trackingUrl),
    carrier: blankToUndefined(tracking.carrier ?? order.carrier),
    items: order.items.length > 0 ? summarizeItems(order.items) : undefined,
  };
}
