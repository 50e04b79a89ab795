import { parsePhoneNumberFromString } from 'libphonenumber-js';
import { normaliseEmail, phoneE164, samePhone } from '../../../shared/domain/contact';
import type { OrderQuery } from '../provider';
import type { WooOrder } from './schemas';

/**
 * How to find a customer's orders with WooCommerce's `search`, which is a substring match (SQL
 * `LIKE '%term%'`) over each order's billing and shipping fields as the customer typed them, and
 * how to keep only theirs from what it finds.
 */

/**
 * The spellings to search a phone number by. Woo keeps the billing phone as typed (`06 1234 5678`,
 * `+31612345678`, `0031 6 12345678`), and a LIKE only finds what appears verbatim, so:
 * - the E.164 digits without `+` (`31612345678`): found in `+31612345678`, `0031612345678`;
 * - the national significant number (`612345678`): also in `0612345678`, `+31 612345678`;
 * - the country's usual national and international layouts (`06 12345678`, `+31 6 12345678`;
 *   France's pairs, `06 12 34 56 78`, are found only this way);
 * - the last four digits (`5678`), for any other spacing (`06 1234 5678`, `(0)6-1234-5678`).
 *   It finds other orders too (postcodes, other numbers): the caller keeps only `samePhone` ones.
 */
export function phoneSearchTerms(phone: string, country: string | null | undefined): string[] {
  const e164 = phoneE164(phone, country);
  if (e164 === null) return [];
  const digits = e164.replace(/\D/g, '');
  const terms = [digits];
  const parsed = e164.startsWith('+') ? parsePhoneNumberFromString(e164) : undefined;
  if (parsed) {
    terms.push(parsed.nationalNumber, parsed.formatNational(), parsed.formatInternational());
  }
  if (digits.length >= 4) terms.push(digits.slice(-4));
  return [...new Set(terms.map((term) => term.trim()).filter((term) => term.length >= 4))];
}

/** Whether an order is this customer's: the same e-mail, or the same billing or shipping phone. */
export function isCustomers(order: WooOrder, query: OrderQuery): boolean {
  const email = normaliseEmail(query.email);
  if (email !== null && normaliseEmail(order.billing.email) === email) return true;
  if (!query.phone) return false;
  const customer = { b: query.country ?? null };
  const billingCountry = order.billing.country || null;
  return (
    samePhone(order.billing.phone, query.phone, { a: billingCountry, ...customer }) ||
    samePhone(order.shipping.phone, query.phone, {
      a: order.shipping.country || billingCountry,
      ...customer,
    })
  );
}

/** Newest first; WooCommerce ids grow with time, so they break ties. */
export function newestFirst(a: WooOrder, b: WooOrder): number {
  const at = (order: WooOrder) => order.date_created_gmt ?? order.date_created ?? '';
  return at(b).localeCompare(at(a)) || b.id - a.id;
}
