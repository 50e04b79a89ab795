/**
 * Viber's `message_token` is a 64-bit integer written as a bare JSON number
 * (`"message_token":4912661846655238145`, CHANNEL-API.md §6.2–6.3): above 2^53, so `JSON.parse`
 * rounds it (to …238144) and two messages could share an id, and a `delivered` callback would not
 * match the token the send answered. These read such JSON with every integer literal of 16 or more
 * digits kept as its exact decimal string.
 */

/** Integers with more digits than this may not survive a double (2^53 has 16 digits). */
const SAFE_DIGITS = 15;

/**
 * The JSON text with each integer literal longer than 15 digits, outside strings, wrapped in
 * quotes. A scanner rather than a regular expression: a digit run inside a string (a customer
 * typing `"message_token":1…`) is never touched.
 */
export function quoteLongIntegers(text: string): string {
  let out = '';
  let last = 0;
  let i = 0;
  while (i < text.length) {
    const c = text.charCodeAt(i);
    if (c === 0x22 /* " */) {
      // Skip the string, honouring escapes.
      i += 1;
      while (i < text.length) {
        const s = text.charCodeAt(i);
        if (s === 0x5c /* \ */) i += 2;
        else if (s === 0x22) break;
        else i += 1;
      }
      i += 1;
      continue;
    }
    if (c === 0x2d /* - */ || (c >= 0x30 && c <= 0x39)) {
      let end = i + 1;
      while (end < text.length && /[0-9.eE+-]/.test(text.charAt(end))) end += 1;
      const literal = text.slice(i, end);
      if (/^-?\d+$/.test(literal) && literal.replace('-', '').length > SAFE_DIGITS) {
        out += `${text.slice(last, i)}"${literal}"`;
        last = end;
      }
      i = end;
      continue;
    }
    i += 1;
  }
  return last === 0 ? text : out + text.slice(last);
}

/** `JSON.parse` with long integers as exact strings; throws as `JSON.parse` does. */
export function parseExactJson(text: string): unknown {
  return JSON.parse(quoteLongIntegers(text)) as unknown;
}

/** A token as its exact decimal string: a string as given, a safe integer written out. */
export function tokenText(value: string | number): string {
  return typeof value === 'string' ? value : String(value);
}
