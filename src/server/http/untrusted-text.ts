/**
 * Text that PostgreSQL cannot store. A NUL character is refused in `text` and `jsonb` (the insert
 * fails: a 500, and for a webhook a delivery redelivered for days); a lone UTF-16 surrogate is
 * not a character at all. Both arrive from outside, in JSON escapes (`\u0000`, `\ud800`) or URL
 * escapes (`%00`), so every string from outside is checked at the edge (issue #13, items 1 and 7).
 */

/** Where a string with a NUL character is in `value` (`labels.2`), or null when there is none. */
export function findNul(value: unknown, path: readonly (string | number)[] = []): string | null {
  if (typeof value === 'string')
    return value.includes('\u0000') ? path.join('.') || '(value)' : null;
  if (Array.isArray(value)) {
    for (const [i, item] of value.entries()) {
      const found = findNul(item, [...path, i]);
      if (found !== null) return found;
    }
    return null;
  }
  if (typeof value === 'object' && value !== null) {
    for (const [key, item] of Object.entries(value)) {
      if (key.includes('\u0000')) return [...path, key].join('.');
      const found = findNul(item, [...path, key]);
      if (found !== null) return found;
    }
  }
  return null;
}

const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

/** A string with each lone surrogate replaced by U+FFFD (ES2024's `toWellFormed`). */
export const wellFormedString = (text: string): string => text.replace(LONE_SURROGATE, '\uFFFD');

/** Lone surrogates become U+FFFD, keys and values alike. */
export function wellFormed<T>(value: T): T {
  if (typeof value === 'string') return wellFormedString(value) as T;
  if (Array.isArray(value)) return value.map((item: unknown) => wellFormed(item)) as T;
  if (typeof value === 'object' && value !== null) {
    const out: Record<string, unknown> = {};
    for (const [key, item] of Object.entries(value)) out[wellFormedString(key)] = wellFormed(item);
    return out as T;
  }
  return value;
}

/**
 * Make text from a channel storable without refusing it: a customer's message must never be lost
 * for one bad character. NUL characters become U+FFFD (visible, rather than silently dropped)
 * and lone surrogates too.
 */
export function storableText<T>(value: T): T {
  if (typeof value === 'string') return wellFormedString(value).replaceAll('\u0000', '\uFFFD') as T;
  if (Array.isArray(value)) return value.map((item: unknown) => storableText(item)) as T;
  if (typeof value === 'object' && value !== null) {
    const out: Record<string, unknown> = {};
    for (const [key, item] of Object.entries(value)) out[storableText(key)] = storableText(item);
    return out as T;
  }
  return value;
}
