import type { ChannelKind } from '../../../../shared/domain/channels';
import type { Template } from '../../../../shared/domain/model';
import { fuzzyFilter, type FuzzyField } from './fuzzy';

/** The primary language subtag, lower case: `pt-BR` → `pt`. */
export function primaryLanguage(tag: string): string {
  return tag.trim().toLowerCase().split(/[-_]/)[0] ?? '';
}

const HIDDEN: ReadonlySet<Template['status']> = new Set(['draft', 'rejected', 'paused']);

/**
 * The quick replies an agent may use in a conversation: kind `quick_reply`, not draft, rejected
 * or paused, for the conversation's channel, and in the customer's language when it is known.
 * When no quick reply is written in that language, all of the channel's are offered rather than
 * none: an agent answering in English beats an agent with nothing to insert.
 */
export function quickRepliesFor(
  templates: readonly Template[],
  channel: ChannelKind,
  language: string | null,
): Template[] {
  const usable = templates.filter(
    (t) => t.kind === 'quick_reply' && !HIDDEN.has(t.status) && t.channels.includes(channel),
  );
  if (!language || language.trim() === '') return usable;
  const wanted = primaryLanguage(language);
  const inLanguage = usable.filter((t) => primaryLanguage(t.language) === wanted);
  return inLanguage.length > 0 ? inLanguage : usable;
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
 * Quick replies matching `query` (what follows the "/"), best first. An empty query lists them
 * by shortcut, then name.
 */
export function searchQuickReplies(templates: readonly Template[], query: string) {
  const ordered = [...templates].sort(
    (a, b) =>
      (a.shortcut ?? '\uffff').localeCompare(b.shortcut ?? '\uffff') ||
      a.name.localeCompare(b.name),
  );
  return fuzzyFilter(ordered, query, QUICK_REPLY_FIELDS);
}
