/**
 * Customer contact details in one comparable form. The hub finds a customer's orders by them
 * (src/server/orders); the app uses the same rules to tell whether an order it found by number
 * is this customer's.
 */

/**
 * A phone number in one comparable, E.164-like form: `+31 (0)6-1234 5678`, `0031 6 12345678`
 * and `31612345678` all become `+31612345678`. `null` when it is not a phone number.
 *
 * - Spaces, dashes, dots, slashes and parentheses are dropped; `(0)` (the national trunk
 *   prefix people write after the country code) is dropped with them.
 * - A leading international `00` becomes `+`.
 * - Bare digits not starting with `0` are taken as international without the `+`: that is how
 *   WhatsApp spells its ids (`wa_id`), the commonest source of such strings here.
 * - National numbers (`06 1234 5678`) stay as they are: without a country they cannot be
 *   made international, but still match the same national spelling.
 */
export function normalisePhone(raw: string | null | undefined): string | null {
  if (raw === null || raw === undefined) return null;
  let phone = raw
    .trim()
    .replace(/^tel:/i, '')
    .replace(/\(0\)/g, '')
    .replace(/[\s\-.()/\u2010-\u2015]/g, '');
  if (phone.startsWith('00')) phone = `+${phone.slice(2)}`;
  if (!/^\+?\d{3,20}$/.test(phone)) return null;
  if (!phone.startsWith('+') && !phone.startsWith('0')) phone = `+${phone}`;
  return phone;
}

/** Emails compare case-insensitively (in practice mailboxes are case-insensitive too). */
export function normaliseEmail(raw: string | null | undefined): string | null {
  const email = raw?.trim().toLowerCase() ?? '';
  return email === '' ? null : email;
}
