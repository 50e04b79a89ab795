import type { ChannelKind } from '../domain/channels';
import { smsDestinationCountry } from '../sms/country';

/**
 * The country a message to this customer is priced at: for SMS the country of their number
 * (CHANNEL-API.md §9.3: SMS is priced by destination), on other channels the customer record's
 * country. Null: price at the card's `default` row. One function, so the hub's recorded cost and
 * every quote in the app agree.
 */
export function recipientCountryOf(
  channel: ChannelKind,
  customer: { readonly phone: string | null; readonly country: string | null },
): string | null {
  if (channel === 'sms') return smsDestinationCountry(customer);
  return customer.country;
}
