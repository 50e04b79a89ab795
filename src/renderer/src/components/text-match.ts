/**
 * Finding what an agent typed in what the app shows, and marking it: pure string functions
 * shared by the inbox search and the command palette (issue 12, item 7). Matching ignores case,
 * diacritics and runs of spaces ("zoe" finds "Zoë"); phone numbers match on their digits ("+31 6
 * 1234" finds "+31612345678"). Marked text is returned as parts, never as HTML: React renders
 * each part as text, so a customer's name or message cannot inject markup.
 */

const MARKS = /\p{M}/gu;
const SPACES = /\s+/g;
const NON_DIGITS = /\D/g;

/** Lower case, without diacritics, spaces collapsed: "  Zoë  ÁLVAREZ " → "zoe alvarez". */
export function normalizeText(text: string): string {
  return text.normalize('NFD').replace(MARKS, '').toLowerCase().replace(SPACES, ' ').trim();
}

/** The digits of a phone number, without the leading zeros of a national or "00" prefix. */
export function phoneDigits(text: string): string {
  return text.replace(NON_DIGITS, '').replace(/^0+/, '');
}

/** What a search looks for. */
export interface SearchTerms {
  /** Normalised words; a conversation matches when it contains every one of them. */
  readonly words: readonly string[];
  /** The digits of a query that looks like a phone number ("+31 6-123"), else null. */
  readonly digits: string | null;
}

export function parseSearch(text: string): SearchTerms | null {
  const normalized = normalizeText(text);
  if (normalized === '') return null;
  const phoneLike = /^\+?[\d\s().-]+$/.test(normalized);
  // Without leading zeros, so the national ("06 …", "020 …") and international ("0031 …")
  // prefixes find numbers stored as "+31 6 …".
  const digits = phoneDigits(normalized);
  return {
    words: normalized.split(' '),
    digits: phoneLike && digits.length >= 3 ? digits : null,
  };
}

/** A piece of shown text: marked when it is (part of) what was searched for. */
export interface TextPart {
  readonly text: string;
  readonly match: boolean;
}

/**
 * `text` folded as `normalizeText` does (without trimming), with, for each folded character, the
 * span of the original it came from: so a match found in the folded text can be marked in the
 * original one.
 */
interface Folded {
  readonly folded: string;
  readonly starts: readonly number[];
  readonly ends: readonly number[];
}

function fold(text: string, keep: 'text' | 'digits'): Folded {
  let folded = '';
  const starts: number[] = [];
  const ends: number[] = [];
  let index = 0;
  let lastWasSpace = false;
  for (const char of text) {
    const end = index + char.length;
    let piece: string;
    if (keep === 'digits') {
      piece = /\d/.test(char) ? char : '';
    } else if (/\s/.test(char)) {
      piece = lastWasSpace ? '' : ' ';
      lastWasSpace = true;
    } else {
      piece = char.normalize('NFD').replace(MARKS, '').toLowerCase();
      lastWasSpace = false;
    }
    for (let i = 0; i < piece.length; i += 1) {
      starts.push(index);
      ends.push(end);
    }
    folded += piece;
    index = end;
  }
  return { folded, starts, ends };
}

type Range = readonly [number, number];

function rangesOf(folded: Folded, needles: readonly string[]): Range[] {
  const ranges: [number, number][] = [];
  for (const needle of needles) {
    if (needle === '') continue;
    let from = 0;
    for (;;) {
      const at = folded.folded.indexOf(needle, from);
      if (at < 0) break;
      ranges.push([folded.starts[at] as number, folded.ends[at + needle.length - 1] as number]);
      from = at + needle.length;
    }
  }
  ranges.sort((a, b) => a[0] - b[0] || a[1] - b[1]);
  // Overlapping or touching matches ("an", "ana") become one mark.
  const merged: [number, number][] = [];
  for (const range of ranges) {
    const last = merged[merged.length - 1];
    if (last && range[0] <= last[1]) last[1] = Math.max(last[1], range[1]);
    else merged.push([range[0], range[1]]);
  }
  return merged;
}

function toParts(text: string, ranges: readonly Range[]): TextPart[] {
  const parts: TextPart[] = [];
  let at = 0;
  for (const [start, end] of ranges) {
    if (start > at) parts.push({ text: text.slice(at, start), match: false });
    parts.push({ text: text.slice(start, end), match: true });
    at = end;
  }
  if (at < text.length || parts.length === 0) parts.push({ text: text.slice(at), match: false });
  return parts;
}

/**
 * `text` in parts, every occurrence of every needle marked. Needles are matched as
 * `normalizeText` folds them: `highlightParts('Zoë Álvarez', ['zoe'])` →
 * `[{ text: 'Zoë', match: true }, { text: ' Álvarez', match: false }]`.
 */
export function highlightParts(text: string, needles: readonly string[]): TextPart[] {
  const normalized = needles.map(normalizeText).filter((needle) => needle !== '');
  if (normalized.length === 0) return [{ text, match: false }];
  return toParts(text, rangesOf(fold(text, 'text'), normalized));
}

/** `text` (a phone number as written) in parts, the run of digits equal to `digits` marked. */
export function highlightDigits(text: string, digits: string): TextPart[] {
  if (digits === '') return [{ text, match: false }];
  return toParts(text, rangesOf(fold(text, 'digits'), [digits]).slice(0, 1));
}

/** Whether any part is marked. */
export function hasMatch(parts: readonly TextPart[]): boolean {
  return parts.some((part) => part.match);
}

export interface SnippetOptions {
  /** Characters kept before the first match, at most (cut at a word start). */
  readonly before?: number;
  /** Length of the snippet, at most, before its ellipses. */
  readonly length?: number;
}

/**
 * The part of a (long) message around the first match of `needle`, on one line, with the match
 * marked: what a search result shows instead of the latest message. A match further than
 * `before` characters into the text is brought near the start (a row shows one line), the cut
 * made at a word start and shown as "…".
 *
 * `snippetParts('Hello, my parcel with tracking JJD001 is stuck', 'tracking', { before: 10 })` →
 * `…with [tracking] JJD001 is stuck` (the match in its own part, `match: true`).
 */
export function snippetParts(
  text: string,
  needle: string,
  { before = 24, length = 140 }: SnippetOptions = {},
): TextPart[] {
  const line = text.replace(SPACES, ' ').trim();
  const wanted = normalizeText(needle);
  const ranges = wanted === '' ? [] : rangesOf(fold(line, 'text'), [wanted]);
  const first = ranges[0];
  let start = 0;
  if (first && first[0] > before) {
    // The first word that starts within `before` characters of the match (or the match itself).
    const space = line.indexOf(' ', first[0] - before);
    start = space >= 0 && space < first[0] ? space + 1 : first[0];
  }
  let end = Math.min(line.length, start + length);
  if (first && end < first[1]) end = first[1];
  if (end < line.length) {
    // End on a word boundary when there is one in the last part of the snippet.
    const space = line.lastIndexOf(' ', end);
    if (space > start + length / 2 && (!first || space >= first[1])) end = space;
  }
  const shown = line.slice(start, end);
  const parts = toParts(
    shown,
    ranges
      .filter(([s, e]) => s >= start && e <= end)
      .map(([s, e]) => [s - start, e - start] as const),
  );
  const result: TextPart[] = [];
  if (start > 0) result.push({ text: '…', match: false });
  result.push(...parts);
  if (end < line.length) result.push({ text: '…', match: false });
  return mergePlain(result);
}

/** Adjacent unmarked parts joined ("…" + "text"): fewer spans, simpler tests. */
function mergePlain(parts: readonly TextPart[]): TextPart[] {
  const merged: TextPart[] = [];
  for (const part of parts) {
    if (part.text === '') continue;
    const last = merged[merged.length - 1];
    if (last && !last.match && !part.match) {
      merged[merged.length - 1] = { text: last.text + part.text, match: false };
    } else merged.push(part);
  }
  return merged;
}
