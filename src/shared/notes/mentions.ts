import { z } from 'zod';

/**
 * Internal notes and their @mentions (issue #20 item 1). A note's text carries each mention as
 * `@` and the teammate's name ("@Ana Lima"); its `mentions` list carries their user ids, which is
 * what the hub validates and notifies. These helpers keep the two in step for the composer and
 * mark the names for the timeline.
 */

export interface MentionCandidate {
  readonly id: string;
  readonly name: string;
}

/** A note that mentions the signed-in user, as `GET /api/mentions` lists it (newest first). */
export const mentionSchema = z.object({
  messageId: z.string(),
  conversationId: z.string(),
  authorId: z.string().nullable(),
  text: z.string(),
  at: z.number(),
  /** When this user saw it (on any of their machines); null while unread. */
  readAt: z.number().nullable(),
});
export type Mention = z.infer<typeof mentionSchema>;

export const mentionsPageSchema = z.object({
  mentions: z.array(mentionSchema),
  unread: z.number().int(),
});
export type MentionsPage = z.infer<typeof mentionsPageSchema>;

/**
 * The `@` query being typed at `caret`: the text after an `@` that starts the text or follows
 * whitespace, up to the caret, with no line break and at most 40 characters; null when the caret
 * is not in one.
 */
export function mentionQueryAt(
  text: string,
  caret: number,
): { readonly start: number; readonly query: string } | null {
  const before = text.slice(0, caret);
  const at = before.lastIndexOf('@');
  if (at < 0) return null;
  if (at > 0 && !/\s/.test(before[at - 1] ?? '')) return null;
  const query = before.slice(at + 1);
  if (query.length > 40 || /[\n@]/.test(query) || /\s{2}/.test(query)) return null;
  return { start: at, query };
}

/** Teammates whose name matches the query (any word starting with it), best first. */
export function mentionMatches<T extends MentionCandidate>(
  candidates: readonly T[],
  query: string,
  limit = 8,
): T[] {
  const q = query.trim().toLocaleLowerCase();
  const scored: { candidate: T; score: number }[] = [];
  for (const candidate of candidates) {
    const name = candidate.name.toLocaleLowerCase();
    const score =
      q === ''
        ? 1
        : name.startsWith(q)
          ? 3
          : name.split(/\s+/).some((word) => word.startsWith(q))
            ? 2
            : 0;
    if (score > 0) scored.push({ candidate, score });
  }
  return scored
    .sort((a, b) => b.score - a.score || a.candidate.name.localeCompare(b.candidate.name))
    .slice(0, limit)
    .map((entry) => entry.candidate);
}

/** The text with the `@query` at `start` replaced by `@Name `, and where the caret goes. */
export function insertMention(
  text: string,
  start: number,
  caret: number,
  candidate: MentionCandidate,
): { readonly text: string; readonly caret: number } {
  const inserted = `@${candidate.name} `;
  const rest = text.slice(caret).replace(/^ /, '');
  return { text: text.slice(0, start) + inserted + rest, caret: start + inserted.length };
}

/** A mention stands alone: no letter, digit, `_` or `@` joined to either end. */
function isBoundary(char: string | undefined): boolean {
  return char === undefined || !/[\p{L}\p{N}_@]/u.test(char);
}

/** Where `@name` stands in the text as a whole mention (not the start of a longer word). */
function mentionIndexes(text: string, name: string): number[] {
  const needle = `@${name}`;
  const found: number[] = [];
  for (let at = text.indexOf(needle); at >= 0; at = text.indexOf(needle, at + 1)) {
    if (isBoundary(text[at - 1]) && isBoundary(text[at + needle.length])) found.push(at);
  }
  return found;
}

/** The ids of the chosen teammates whose `@Name` is still in the text, in the order chosen. */
export function mentionsInText(text: string, chosen: readonly MentionCandidate[]): string[] {
  const ids: string[] = [];
  for (const candidate of chosen) {
    if (!ids.includes(candidate.id) && mentionIndexes(text, candidate.name).length > 0)
      ids.push(candidate.id);
  }
  return ids;
}

export interface NotePart {
  readonly text: string;
  /** The mentioned user's id when this part is a mention. */
  readonly mentionId: string | null;
}

/** The note's text in parts, each `@Name` of a mentioned user marked (longest names first). */
export function noteParts(text: string, mentioned: readonly MentionCandidate[]): NotePart[] {
  const marks: { start: number; end: number; id: string }[] = [];
  const byLength = [...mentioned].sort((a, b) => b.name.length - a.name.length);
  for (const candidate of byLength) {
    for (const start of mentionIndexes(text, candidate.name)) {
      const end = start + candidate.name.length + 1;
      if (marks.some((mark) => start < mark.end && end > mark.start)) continue;
      marks.push({ start, end, id: candidate.id });
    }
  }
  marks.sort((a, b) => a.start - b.start);
  const parts: NotePart[] = [];
  let at = 0;
  for (const mark of marks) {
    if (mark.start > at) parts.push({ text: text.slice(at, mark.start), mentionId: null });
    parts.push({ text: text.slice(mark.start, mark.end), mentionId: mark.id });
    at = mark.end;
  }
  if (at < text.length) parts.push({ text: text.slice(at), mentionId: null });
  return parts;
}

/** Whether a note created by `authorId` and mentioning `mentions` notifies `userId`. */
export function notifiesUser(
  note: { readonly authorId: string | null; readonly mentions: readonly string[] },
  userId: string,
): boolean {
  return note.authorId !== userId && note.mentions.includes(userId);
}
