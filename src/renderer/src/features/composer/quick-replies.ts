import type { ChannelKind } from '../../../../shared/domain/channels';
import type { Template } from '../../../../shared/domain/model';
import { fuzzyFilter, type FuzzyField } from './fuzzy';
import type { SlashToken } from './slash';

/** The primary language subtag, lower case: `pt-BR` → `pt`. */
export function primaryLanguage(tag: string): string {
  return tag.trim().toLowerCase().split(/[-_]/)[0] ?? '';
}

/** Whether a quick reply is written in the customer's language (false when that is unknown). */
export function inLanguage(template: Template, language: string | null): boolean {
  if (!language || language.trim() === '') return false;
  return primaryLanguage(template.language) === primaryLanguage(language);
}

const HIDDEN: ReadonlySet<Template['status']> = new Set(['draft', 'rejected', 'paused']);

/** Shortcut, then name: the order of the `/` list (and of ties in a search). */
const byShortcutThenName = (a: Template, b: Template): number =>
  (a.shortcut ?? '\uffff').localeCompare(b.shortcut ?? '\uffff') || a.name.localeCompare(b.name);

/**
 * The quick replies an agent may use in a conversation: kind `quick_reply`, not draft, rejected
 * or paused, for the conversation's channel — in every language, those in the customer's
 * language first. Hiding the others (as this once did as soon as one reply existed in the
 * customer's language) left the agent with one reply, and made their `/shortcut`s look unknown.
 */
export function quickRepliesFor(
  templates: readonly Template[],
  channel: ChannelKind,
  language: string | null,
): Template[] {
  const usable = templates.filter(
    (t) => t.kind === 'quick_reply' && !HIDDEN.has(t.status) && t.channels.includes(channel),
  );
  return usable.sort(
    (a, b) =>
      Number(inLanguage(b, language)) - Number(inLanguage(a, language)) || byShortcutThenName(a, b),
  );
}

/**
 * The customer's language to mark in the list: only when some replies are in it and some are
 * not (a list all in one language needs no mark). `null` otherwise.
 */
export function markedLanguage(
  quickReplies: readonly Template[],
  language: string | null,
): string | null {
  const matching = quickReplies.filter((t) => inLanguage(t, language)).length;
  return matching > 0 && matching < quickReplies.length && language
    ? primaryLanguage(language)
    : null;
}

/** Field indices in `QUICK_REPLY_FIELDS`, for reading `FuzzyResult.matches`. */
export const QUICK_REPLY_FIELD = { shortcut: 0, name: 1, body: 2 } as const;

const QUICK_REPLY_FIELDS: readonly FuzzyField<Template>[] = [
  // The shortcut is what agents type after "/": it should win over a title or body match.
  { get: (t) => t.shortcut, weight: 1.5 },
  { get: (t) => t.name, weight: 1.2 },
  { get: (t) => t.body, weight: 1 },
];

/**
 * Quick replies matching `query` (what follows the "/"), best first. Ties keep the order given
 * (`quickRepliesFor`: the customer's language first, then by shortcut), so an empty query lists
 * them in that order.
 */
export function searchQuickReplies(templates: readonly Template[], query: string) {
  return fuzzyFilter(templates, query, QUICK_REPLY_FIELDS);
}

/** The quick reply whose shortcut is exactly `word` (shortcuts are lower case). */
export function quickReplyNamed(
  quickReplies: readonly Template[],
  word: string,
): Template | undefined {
  const wanted = word.toLowerCase();
  return quickReplies.find((t) => t.shortcut !== null && t.shortcut === wanted);
}

/** `/word` opening a message: letters, digits, `_`, `-`, then whitespace or the end. */
const LEADING_SHORTCUT = /^(\s*)\/([\p{L}\p{N}_-]*)(?=\s|$)/u;

export type ShortcutCheck =
  /** Nothing shortcut-like: send the text. */
  | { readonly kind: 'send' }
  /** A `/word` naming a quick reply that was never expanded: expand it instead of sending. */
  | { readonly kind: 'expand'; readonly token: SlashToken; readonly template: Template }
  /** A `/word` naming no quick reply: send nothing, say so. `word` may be empty (a bare "/"). */
  | { readonly kind: 'unknown'; readonly word: string };

/**
 * What Send does with a `/shortcut` still in the text — a customer must never receive a literal
 * `/status`. Checked: the `/word` the caret is in while the quick-reply list is open (`open`),
 * else a `/word` that opens the message. Elsewhere a `/word` is the agent's text ("type /start
 * in our bot"), sent as written.
 */
export function checkShortcut(
  text: string,
  quickReplies: readonly Template[],
  open: SlashToken | null,
): ShortcutCheck {
  let token: SlashToken | null = open;
  let word = open ? text.slice(open.start + 1, open.end) : '';
  if (!token) {
    const leading = LEADING_SHORTCUT.exec(text);
    if (!leading) return { kind: 'send' };
    const start = leading[1]?.length ?? 0;
    word = leading[2] ?? '';
    // A bare "/" with text after it ("/ 2 days") is not shortcut-shaped; alone it is.
    if (word === '' && text.trim() !== '/') return { kind: 'send' };
    token = { start, end: start + 1 + word.length, query: word };
  }
  const template = quickReplyNamed(quickReplies, word);
  return template ? { kind: 'expand', token, template } : { kind: 'unknown', word };
}
