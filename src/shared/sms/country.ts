import { parsePhoneNumberFromString } from 'libphonenumber-js';

/**
 * The country an SMS goes to, for its price: the country of the customer's E.164 number (by
 * libphonenumber's metadata, so +1 415 is US and +1 613 is CA), else the country the customer
 * record names, else null (the caller prices at the card's `default` rate). A number the
 * metadata cannot place (fictional ranges, national format without a country) falls through.
 */
export function smsDestinationCountry(customer: {
  readonly phone: string | null;
  readonly country?: string | null;
}): string | null {
  const phone = customer.phone?.trim();
  if (phone) {
    const parsed = parsePhoneNumberFromString(phone.startsWith('+') ? phone : `+${phone}`);
    if (parsed?.country) return parsed.country;
  }
  const recorded = customer.country?.trim().toUpperCase();
  return recorded ? recorded : null;
}
