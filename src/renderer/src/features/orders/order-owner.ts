import { normaliseEmail, normalisePhone, samePhone } from '../../../../shared/domain/contact';
import type { Customer, Order } from '../../../../shared/domain/model';

/** Whose an order is, as far as the conversation's customer is concerned. */
export type OrderOwner =
  | { readonly kind: 'own' }
  /**
   * `other`: its phone or e-mail is someone else's. `unknown`: the customer has neither (a
   * Telegram user), so nothing can tie the order to them. `who`: the order's customer in words.
   */
  | { readonly kind: 'other' | 'unknown'; readonly who: string };

const OWN: OrderOwner = { kind: 'own' };

/** What tells whose an order is: the customer's phone and e-mail, and their country if known. */
export type OwnerContact = Pick<Customer, 'phone' | 'email'> & Partial<Pick<Customer, 'country'>>;

/**
 * Whether `order` is the conversation customer's: one the hub found for them (`ownIds`, matched
 * by phone or e-mail), or one whose phone or e-mail is theirs by the hub's own rules (phones in
 * E.164, a national spelling read in the customer's country). A search by number finds anyone's
 * order; one that is not theirs must not slip into their reply unnoticed.
 */
export function orderOwner(
  order: Order,
  customer: OwnerContact,
  ownIds: ReadonlySet<string>,
): OrderOwner {
  if (ownIds.has(order.id)) return OWN;
  const email = normaliseEmail(order.email);
  const customerPhone = normalisePhone(customer.phone);
  const customerEmail = normaliseEmail(customer.email);
  const country = customer.country ?? null;
  if (samePhone(order.phone, customer.phone, { a: country, b: country })) return OWN;
  if (email !== null && email === customerEmail) return OWN;
  const who =
    order.customerName?.trim() || order.email?.trim() || order.phone?.trim() || 'no name given';
  return { kind: customerPhone === null && customerEmail === null ? 'unknown' : 'other', who };
}

/** The mark on such an order's card. */
export function ownerNotice(owner: OrderOwner): string | null {
  if (owner.kind === 'own') return null;
  return owner.kind === 'other'
    ? `Another customer’s order — ${owner.who}`
    : `Not linked to this customer — ${owner.who}`;
}

/** Whether `text` names order `number` (`#1043`, `1043`, `order 1043`), not inside a longer number. */
export function mentionsOrder(text: string, number: string): boolean {
  const bare = number.trim().replace(/^#\s*/, '');
  if (bare === '') return false;
  const escaped = bare.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  return new RegExp(`(?<![\\p{L}\\p{N}])#?\\s?${escaped}(?![\\p{L}\\p{N}])`, 'iu').test(text);
}

/**
 * The order whose values fill the reply's `{{order.*}}`: the one the agent picked; else the
 * customer's only order; else the one of theirs the customer named in `customerTexts` (their
 * messages) when exactly one is — the order the reply is about, without a click first.
 */
export function orderForReply(
  picked: Order | undefined,
  customerOrders: readonly Order[],
  customerTexts: readonly string[] = [],
): Order | null {
  if (picked) return picked;
  if (customerOrders.length === 1) return customerOrders[0] ?? null;
  const named = customerOrders.filter((o) => customerTexts.some((t) => mentionsOrder(t, o.number)));
  return named.length === 1 ? (named[0] ?? null) : null;
}
