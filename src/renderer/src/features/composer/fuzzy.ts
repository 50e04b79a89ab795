/**
 * Fuzzy matching for the quick-reply search: the query's characters must appear in order in the
 * text (a subsequence), and the best-scoring alignment wins. Matching ignores case and
 * diacritics ("cafe" finds "Café"). Scoring follows the habits of editor pickers (fzf, VS Code):
 * a bonus for characters at the start of a word, a bonus for runs of consecutive characters and
 * a penalty for gaps, so `/ship` ranks "Shipping delay" above "sorry, his parcel…".
 */

/** Points for every matched character. */
const SCORE_MATCH = 16;
/** Extra points when the character starts a word (after a space, punctuation or a camelCase hump). */
const BONUS_WORD_START = 8;
/** The query's first character at a word start counts this many times the word-start bonus. */
const FIRST_CHAR_MULTIPLIER = 2;
/** Extra points when the character directly follows the previous matched one. */
const BONUS_CONSECUTIVE = 6;
/**
 * A match must average this many points per query character: below it, the letters are strewn
 * across a long text ("instr" in "Hi, how can I help? …satisfaction matters") and would bury
 * the real results under noise.
 */
const MIN_SCORE_PER_CHAR = 10;
/** A gap between two matched characters costs this much to open… */
const GAP_START = -3;
/** …and this much for every further skipped character. */
const GAP_EXTENSION = -1;

export interface FuzzyMatch {
  readonly score: number;
  /** Indices in the ORIGINAL text of the matched characters, ascending, for highlighting. */
  readonly positions: readonly number[];
}

interface Folded {
  /** The folded characters (lower case, without diacritics), one per entry. */
  readonly chars: readonly string[];
  /** `source[k]` is the index in the original text of `chars[k]`. */
  readonly source: readonly number[];
  /** `wordStart[k]` is true when `chars[k]` begins a word. */
  readonly wordStart: readonly boolean[];
}

const LETTER_OR_DIGIT = /[\p{L}\p{N}]/u;
const UPPER = /\p{Lu}/u;
const LOWER = /\p{Ll}/u;
const MARKS = /\p{M}/gu;

/** Lower case without diacritics or compatibility forms: "Ｃafé" → "cafe", "ﬁ" → "fi". */
export function foldForSearch(text: string): string {
  return text.normalize('NFKD').replace(MARKS, '').toLowerCase();
}

function fold(text: string): Folded {
  const chars: string[] = [];
  const source: number[] = [];
  const wordStart: boolean[] = [];
  let previous = '';
  let index = 0;
  for (const char of text) {
    const isWordChar = LETTER_OR_DIGIT.test(char);
    const startsWord =
      isWordChar &&
      (previous === '' ||
        !LETTER_OR_DIGIT.test(previous) ||
        (UPPER.test(char) && LOWER.test(previous)));
    let first = true;
    // One character may fold to several ("ﬁ" → "fi") or to none (a lone combining mark).
    for (const piece of foldForSearch(char)) {
      chars.push(piece);
      source.push(index);
      wordStart.push(startsWord && first);
      first = false;
    }
    previous = char;
    index += char.length;
  }
  return { chars, source, wordStart };
}

/**
 * The best alignment of `query` in `text`, or null when the query is not a subsequence of it.
 * Too scattered a match counts as none. An empty (or whitespace-only) query matches everything
 * with score 0. Spaces in the query are ignored, so "order status" finds "orderStatus".
 */
export function fuzzyMatch(query: string, text: string): FuzzyMatch | null {
  const q = [...foldForSearch(query)].filter((c) => !/\s/u.test(c));
  if (q.length === 0) return { score: 0, positions: [] };
  const t = fold(text);
  const n = q.length;
  const m = t.chars.length;
  if (n > m || !isSubsequence(q, t.chars)) return null;

  // score[i * m + j]: the best score of q[0..i] with q[i] matched at t[j]; -Infinity if impossible.
  const score = new Float64Array(n * m).fill(-Infinity);
  // from[i * m + j]: where q[i - 1] was matched in that best alignment.
  const from = new Int32Array(n * m).fill(-1);

  for (let i = 0; i < n; i++) {
    const row = i * m;
    const prevRow = (i - 1) * m;
    // Best score arriving at j across a gap of at least one character, and where it came from.
    let gapBest = -Infinity;
    let gapFrom = -1;
    for (let j = i; j < m; j++) {
      if (i > 0 && j >= 2) {
        // Extend every gap by one, or open a new one right after a match at j - 2.
        gapBest += GAP_EXTENSION;
        const opened = (score[prevRow + j - 2] ?? -Infinity) + GAP_START;
        if (opened > gapBest) {
          gapBest = opened;
          gapFrom = j - 2;
        }
      }
      if (t.chars[j] !== q[i]) continue;
      const bonus = t.wordStart[j] ? BONUS_WORD_START * (i === 0 ? FIRST_CHAR_MULTIPLIER : 1) : 0;
      const own = SCORE_MATCH + bonus;
      if (i === 0) {
        score[row + j] = own;
        continue;
      }
      const consecutive =
        j >= 1 ? (score[prevRow + j - 1] ?? -Infinity) + BONUS_CONSECUTIVE : -Infinity;
      // Prefer the consecutive run on a tie: it reads as the better match.
      if (consecutive >= gapBest && consecutive > -Infinity) {
        score[row + j] = consecutive + own;
        from[row + j] = j - 1;
      } else if (gapBest > -Infinity) {
        score[row + j] = gapBest + own;
        from[row + j] = gapFrom;
      }
    }
  }

  let best = -Infinity;
  let end = -1;
  const lastRow = (n - 1) * m;
  for (let j = n - 1; j < m; j++) {
    const s = score[lastRow + j] ?? -Infinity;
    if (s > best) {
      best = s;
      end = j;
    }
  }
  if (end < 0 || best < MIN_SCORE_PER_CHAR * n) return null;

  const folded: number[] = [];
  for (let i = n - 1, j = end; i >= 0 && j >= 0; i--) {
    folded.push(j);
    j = from[i * m + j] ?? -1;
  }
  folded.reverse();
  const positions = [...new Set(folded.map((k) => t.source[k] ?? 0))];
  return { score: best, positions };
}

function isSubsequence(q: readonly string[], t: readonly string[]): boolean {
  let i = 0;
  for (let j = 0; j < t.length && i < q.length; j++) if (t[j] === q[i]) i++;
  return i === q.length;
}

export interface FuzzyField<T> {
  readonly get: (item: T) => string | null | undefined;
  /** Multiplies the field's score: a shortcut match outranks the same match in a body. */
  readonly weight: number;
}

export interface FuzzyResult<T> {
  readonly item: T;
  readonly score: number;
  /** Matched positions per field index (fields without a match are absent). */
  readonly matches: ReadonlyMap<number, readonly number[]>;
}

/**
 * Ranks `items` by their best weighted field score, best first; items with no matching field
 * are left out. Ties keep the input order, so an empty query lists everything as given.
 */
export function fuzzyFilter<T>(
  items: readonly T[],
  query: string,
  fields: readonly FuzzyField<T>[],
): FuzzyResult<T>[] {
  const results: (FuzzyResult<T> & { readonly index: number })[] = [];
  items.forEach((item, index) => {
    let best = -Infinity;
    const matches = new Map<number, readonly number[]>();
    fields.forEach((field, f) => {
      const value = field.get(item);
      if (!value) return;
      const match = fuzzyMatch(query, value);
      if (match === null) return;
      matches.set(f, match.positions);
      best = Math.max(best, match.score * field.weight);
    });
    if (matches.size > 0) results.push({ item, score: best, matches, index });
  });
  results.sort((a, b) => b.score - a.score || a.index - b.index);
  return results.map(({ item, score, matches }) => ({ item, score, matches }));
}
