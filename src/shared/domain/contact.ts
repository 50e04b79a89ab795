import { parsePhoneNumberFromString, type CountryCode } from 'libphonenumber-js';

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

/**
 * A phone number in E.164 (`+31612345678`) read with libphonenumber: international spellings as
 * they are, national ones (`06 1234 5678`) in `country` (ISO 3166 alpha-2, the customer's or the
 * shop's country). Falls back to `normalisePhone`'s form when the metadata cannot place it
 * (fictional ranges), so such numbers still match their own spelling. `null`: not a phone number.
 */
export function phoneE164(raw: string | null | undefined, country?: string | null): string | null {
  const loose = normalisePhone(raw);
  if (loose === null || raw === null || raw === undefined) return null;
  const region = country?.trim().toUpperCase();
  const written = raw.trim().replace(/^tel:/i, '');
  // Written without `+` or `00`: national in the given country if it is a valid number there
  // (`(415) 555-0132` in US), else bare international digits as WhatsApp ids are (`316…`).
  if (!/^(\+|00)/.test(written) && region && /^[A-Z]{2}$/.test(region)) {
    const national = parsePhoneNumberFromString(written, region as CountryCode);
    if (national?.isValid()) return national.number;
  }
  const parsed = loose.startsWith('+') ? parsePhoneNumberFromString(loose) : undefined;
  return parsed?.isPossible() ? parsed.number : loose;
}

/**
 * Whether two phone numbers are the same line: compared in E.164, each national spelling read
 * in its own country (a shop's order in the Netherlands spelled `06 1234 5678` is the customer
 * WhatsApp knows as `31612345678`).
 */
export function samePhone(
  a: string | null | undefined,
  b: string | null | undefined,
  countries: { readonly a?: string | null; readonly b?: string | null } = {},
): boolean {
  const left = phoneE164(a, countries.a);
  return left !== null && left === phoneE164(b, countries.b);
}
