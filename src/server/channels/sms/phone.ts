/**
 * Phone numbers in E.164 (`+` and 7 to 15 digits, no leading 0): the customer's id on the SMS
 * channel, so the same person is the same customer through Vonage (which writes numbers without
 * the `+`, CHANNEL-API.md §9.1) and Bird (with it, §9.2). Spaces, dashes, dots and brackets are
 * dropped, and a leading `00` is the international prefix; anything else is not a number (an
 * alphanumeric sender id, a short code) and null.
 */
export function e164(value: string): string | null {
  const compact = value.trim().replace(/[\s\-.()]/g, '');
  const digits = compact.startsWith('+')
    ? compact.slice(1)
    : compact.startsWith('00')
      ? compact.slice(2)
      : compact;
  return /^[1-9]\d{6,14}$/.test(digits) ? `+${digits}` : null;
}

/** The number as Vonage takes it in `to` and `from`: E.164 digits without the `+`. */
export const vonageNumber = (value: string): string => (e164(value) ?? value).replace(/^\+/, '');
