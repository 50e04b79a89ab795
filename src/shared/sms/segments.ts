/**
 * How many SMS segments a text takes, by the rules of CHANNEL-API.md §9.3. Pure and allocation
 * light: it runs on every keystroke in the composer (a 2,000-character text in well under a
 * millisecond).
 *
 * - GSM-7 (3GPP TS 23.038 basic set): 160 septets in one message, 153 per segment when
 *   concatenated (the UDH takes 6 octets). Extension-table characters (`\f ^ { } \ [ ~ ] | €`)
 *   take 2 septets (ESC + code).
 * - A single character outside GSM-7 makes the whole message UCS-2: 70 UTF-16 code units in one
 *   message, 67 per segment. Astral characters (emoji) are surrogate pairs, 2 units.
 * - Segments are packed greedily, character by character: an escape pair and a surrogate pair
 *   never straddle two segments, so `ceil(units / 153)` can undercount by one (81 × `€`).
 * National shift tables and provider transliteration are not modelled (§9.3: without them the
 * 160/153/70/67 rule holds).
 */

export type SmsEncoding = 'gsm7' | 'ucs2';

export interface SmsSegments {
  readonly encoding: SmsEncoding;
  /** The first character that is not in GSM-7 (a whole emoji, not half of it); null for GSM-7. */
  readonly forcedBy: string | null;
  /** Its index in the text, in UTF-16 code units (a textarea's selection offsets); null for GSM-7. */
  readonly forcedAt: number | null;
  /** Septets (GSM-7) or UTF-16 code units (UCS-2) the text takes, without padding. */
  readonly units: number;
  /** Segments it is sent as; 0 for the empty text (nothing to send). */
  readonly segments: number;
  /** Units one segment holds here: 160 or 153 (GSM-7), 70 or 67 (UCS-2). */
  readonly perSegment: number;
  /** Units still free in the last segment before another one is needed ("12 left"). */
  readonly remaining: number;
}

/** Units in one message, and per segment of a concatenated one (§9.3). */
export const SMS_LIMITS = {
  gsm7: { single: 160, concatenated: 153 },
  ucs2: { single: 70, concatenated: 67 },
} as const;

// The GSM 03.38 basic character set, as listed in §9.3 (ESC itself is not a character to type).
const GSM7_BASIC =
  '@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !"#¤%&\'()*+,-./0123456789:;<=>?' +
  '¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà';
// The extension table: each costs 2 septets (ESC + code).
const GSM7_EXTENSION = '\f^{}\\[~]|€';

/** 1 or 2 septets per GSM-7 character, keyed by UTF-16 code unit (all are in the BMP). */
const SEPTETS = new Map<number, 1 | 2>([
  ...[...GSM7_BASIC].map((c): [number, 1] => [c.charCodeAt(0), 1]),
  ...[...GSM7_EXTENSION].map((c): [number, 2] => [c.charCodeAt(0), 2]),
]);

/** Septets a character takes in GSM-7, or undefined when it is not in GSM-7. */
export function gsm7Septets(char: string): 1 | 2 | undefined {
  return char.length === 1 ? SEPTETS.get(char.charCodeAt(0)) : undefined;
}

/** Encoding, units and greedily packed segments of `text` (§9.3). */
export function smsSegments(text: string): SmsSegments {
  // One pass decides the encoding: the first code unit outside GSM-7 forces UCS-2.
  let septets = 0;
  for (let i = 0; i < text.length; i++) {
    const cost = SEPTETS.get(text.charCodeAt(i));
    if (cost === undefined) {
      return ucs2(text, i);
    }
    septets += cost;
  }
  return pack('gsm7', septets, null, null, text, (at) => SEPTETS.get(text.charCodeAt(at)) ?? 1);
}

function ucs2(text: string, at: number): SmsSegments {
  const forcedBy = String.fromCodePoint(text.codePointAt(at) ?? 0xfffd);
  // A lone surrogate (a broken string) is one unit and names itself.
  const named = isPair(text, at) ? forcedBy : text.charAt(at);
  return pack('ucs2', text.length, named, at, text, (i) => (isPair(text, i) ? 2 : 1));
}

/** Whether a surrogate pair starts at `i`. */
function isPair(text: string, i: number): boolean {
  const high = text.charCodeAt(i);
  if (high < 0xd800 || high > 0xdbff || i + 1 >= text.length) return false;
  const low = text.charCodeAt(i + 1);
  return low >= 0xdc00 && low <= 0xdfff;
}

/**
 * Segments by greedy packing. `cost(i)` is the units of the character starting at code unit
 * `i`; that character spans `cost(i)` code units in UCS-2 and 1 in GSM-7.
 */
function pack(
  encoding: SmsEncoding,
  units: number,
  forcedBy: string | null,
  forcedAt: number | null,
  text: string,
  cost: (i: number) => number,
): SmsSegments {
  const { single, concatenated } = SMS_LIMITS[encoding];
  if (units <= single) {
    return {
      encoding,
      forcedBy,
      forcedAt,
      units,
      segments: units === 0 ? 0 : 1,
      perSegment: single,
      remaining: single - units,
    };
  }
  let segments = 1;
  let used = 0;
  for (let i = 0; i < text.length;) {
    const n = cost(i);
    if (used + n > concatenated) {
      segments += 1;
      used = 0;
    }
    used += n;
    // A GSM-7 escape pair is one code unit of text; a surrogate pair is two.
    i += encoding === 'ucs2' ? n : 1;
  }
  return {
    encoding,
    forcedBy,
    forcedAt,
    units,
    segments,
    perSegment: concatenated,
    remaining: concatenated - used,
  };
}
