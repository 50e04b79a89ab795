/**
 * The `/query` token that opens quick replies, and inserting a reply in its place. Offsets are
 * UTF-16 indices into the composer's text, as `selectionStart` reports them.
 */

export interface SlashToken {
  /** Index of the "/". */
  readonly start: number;
  /** End of the word the "/" starts (exclusive): the span a chosen reply replaces. */
  readonly end: number;
  /** What the agent typed between the "/" and the cursor. */
  readonly query: string;
}

/** Longer runs are paths or URLs being typed, not a quick-reply search. */
export const MAX_SLASH_QUERY = 40;

const SPACE = /\s/;

/**
 * The quick-reply token at the cursor: a "/" at the start of a word (start of the text or after
 * whitespace) with the cursor after it in the same word. "and/or", "https://…" and "/usr/bin"
 * (a second "/") are not tokens.
 */
export function findSlashToken(text: string, cursor: number): SlashToken | null {
  if (cursor < 1 || cursor > text.length) return null;
  let start = cursor;
  while (start > 0 && !SPACE.test(text[start - 1] ?? '')) start--;
  if (text[start] !== '/' || start >= cursor) return null;
  const query = text.slice(start + 1, cursor);
  if (query.includes('/') || query.length > MAX_SLASH_QUERY) return null;
  let end = cursor;
  while (end < text.length && !SPACE.test(text[end] ?? '')) end++;
  return { start, end, query };
}

export interface TextEdit {
  readonly text: string;
  /** Where the caret goes afterwards. */
  readonly cursor: number;
}

/**
 * Replaces the token with `insert`. A space follows the insertion unless it already ends in
 * whitespace or whitespace follows, so the agent can type the next "/" straight away; sending
 * trims it.
 */
export function insertAtToken(text: string, token: SlashToken, insert: string): TextEdit {
  const before = text.slice(0, token.start);
  const after = text.slice(token.end);
  const needsSpace = !/\s$/.test(insert) && !/^\s/.test(after);
  const inserted = needsSpace ? `${insert} ` : insert;
  return { text: before + inserted + after, cursor: before.length + inserted.length };
}

/**
 * Starts a quick-reply search at the caret (the keyboard shortcut): inserts "/" — after a space
 * when the caret is inside a word — unless the caret is already in a token. A selection is
 * replaced, as typing would.
 */
export function startSlashToken(
  text: string,
  selectionStart: number,
  selectionEnd: number,
): TextEdit {
  const from = Math.max(0, Math.min(selectionStart, selectionEnd, text.length));
  const to = Math.min(text.length, Math.max(selectionStart, selectionEnd));
  if (from === to && findSlashToken(text, from) !== null) return { text, cursor: from };
  const before = text.slice(0, from);
  const slash = before === '' || SPACE.test(before[before.length - 1] ?? '') ? '/' : ' /';
  return { text: before + slash + text.slice(to), cursor: from + slash.length };
}
