import { CHANNEL_KINDS, type ChannelKind } from '../../../../shared/domain/channels';
import type { Conversation, ConversationStatus } from '../../../../shared/domain/model';
import {
  highlightDigits,
  highlightParts,
  hasMatch,
  normalizeText,
  parseSearch,
  phoneDigits,
  snippetParts,
  type SearchTerms,
  type TextPart,
} from '../../components/text-match';
import {
  computeReplyWindow,
  DEFAULT_CLOSING_THRESHOLD_MS,
  type ReplyWindow,
  type WindowState,
} from '../../../../shared/reply-window';

/**
 * What the inbox list shows: views, filters, search, sort and counts. Pure functions of the
 * conversations and one instant.
 *
 * Time enters in one place only, `classify`: it fixes each conversation's reply-window state (and
 * whether its snooze is over) at an instant, and says until when that classification holds.
 * Everything after it (`sortItems`, `selectInbox`) takes no clock, so the list is re-sorted and
 * re-counted when the data, the query or some window's state changes, never because a second
 * passed (issue 4, "One clock"). The countdown text itself is rendered by each visible row.
 */

export type InboxView = 'mine' | 'unassigned' | 'all';
export type WindowFilter = 'all' | 'closing' | 'closed';
export type InboxSort = 'newest' | 'closes_soonest';

export const INBOX_VIEWS: readonly InboxView[] = ['mine', 'unassigned', 'all'];
export const STATUSES: readonly ConversationStatus[] = ['open', 'pending', 'snoozed', 'resolved'];

/**
 * What agents work through by default: conversations that still need something from us. Snoozed
 * ones come back by themselves when their snooze is over (see `classify`); resolved ones are
 * one click away in the status filter. The same default applies to every view.
 */
export const DEFAULT_STATUSES: readonly ConversationStatus[] = ['open', 'pending'];

/**
 * Everything that decides which rows the list shows, in which order. Plain data, so the app can
 * keep it across reloads and drive it from shortcuts. Empty `channels`, `statuses` or `labels`
 * mean "any".
 */
export interface InboxQuery {
  readonly view: InboxView;
  /** What the agent typed in the search box, as typed. */
  readonly text: string;
  readonly channels: readonly ChannelKind[];
  readonly statuses: readonly ConversationStatus[];
  /** A conversation matches when it carries any of these labels. */
  readonly labels: readonly string[];
  readonly window: WindowFilter;
  readonly sort: InboxSort;
}

export const DEFAULT_QUERY: InboxQuery = {
  view: 'mine',
  text: '',
  channels: [],
  statuses: DEFAULT_STATUSES,
  labels: [],
  window: 'all',
  sort: 'newest',
};

/** The query with search and filters cleared; the view and the sort are the agent's place. */
export function resetFilters(query: InboxQuery): InboxQuery {
  return { ...DEFAULT_QUERY, view: query.view, sort: query.sort };
}

function sameMembers<T>(a: readonly T[], b: readonly T[]): boolean {
  return a.length === b.length && a.every((value) => b.includes(value));
}

/** True when the statuses shown are the default set (in any order, or all of them unticked). */
export function hasDefaultStatuses(statuses: readonly ConversationStatus[]): boolean {
  return sameMembers(statuses, DEFAULT_STATUSES);
}

/** How many filters (not search, view or sort) narrow the list: for the filter button's badge. */
export function activeFilterCount(query: InboxQuery): number {
  return (
    (query.channels.length > 0 ? 1 : 0) +
    (hasDefaultStatuses(query.statuses) ? 0 : 1) +
    (query.labels.length > 0 ? 1 : 0) +
    (query.window === 'all' ? 0 : 1)
  );
}

/** True when search or a filter hides conversations that the view would otherwise show. */
export function isNarrowed(query: InboxQuery): boolean {
  return normalizeText(query.text) !== '' || activeFilterCount(query) > 0;
}

// ---------------------------------------------------------------------------------------------
// Classification: the only time-dependent step.

export interface ClassifiedConversation {
  readonly conversation: Conversation;
  readonly window: ReplyWindow;
  /** The status the list files it under: a snoozed conversation whose snooze is over is `open`. */
  readonly status: ConversationStatus;
  /** The instant this classification was made. */
  readonly at: number;
  /**
   * The first instant after `at` when it stops being right: the window turns `closing` or
   * `closed`, or the snooze ends. `Infinity` when nothing will change by itself.
   */
  readonly validUntil: number;
}

/** The status shown at `at`: snoozes end by themselves when their time comes. */
export function effectiveStatus(conversation: Conversation, at: number): ConversationStatus {
  return conversation.status === 'snoozed' &&
    conversation.snoozedUntil !== null &&
    conversation.snoozedUntil <= at
    ? 'open'
    : conversation.status;
}

/** The next instant after `at` at which a window changes state (for fixed facts). */
function windowChangeAfter(window: ReplyWindow, at: number): number {
  if (window.closesAt === null) return Infinity;
  if (window.state === 'open') {
    // An open window turns `closing` one threshold before it closes, then `closed`.
    const closingAt = window.closesAt - DEFAULT_CLOSING_THRESHOLD_MS;
    return closingAt > at ? closingAt : window.closesAt;
  }
  if (window.state === 'closing') return window.closesAt;
  return Infinity;
}

export function classifyOne(conversation: Conversation, at: number): ClassifiedConversation {
  const window = computeReplyWindow(conversation.channel, conversation, at);
  const snoozeEnds =
    conversation.status === 'snoozed' &&
    conversation.snoozedUntil !== null &&
    conversation.snoozedUntil > at
      ? conversation.snoozedUntil
      : Infinity;
  return {
    conversation,
    window,
    status: effectiveStatus(conversation, at),
    at,
    validUntil: Math.min(windowChangeAfter(window, at), snoozeEnds),
  };
}

/** Classifies conversations in one pass (no cache): the reference `createClassifier` follows. */
export function classify(
  conversations: Iterable<Conversation>,
  at: number,
): ClassifiedConversation[] {
  const result: ClassifiedConversation[] = [];
  for (const conversation of conversations) result.push(classifyOne(conversation, at));
  return result;
}

export interface Classification {
  readonly items: readonly ClassifiedConversation[];
  readonly at: number;
  /** When the list must be classified again (the earliest `validUntil`); null if never. */
  readonly nextChangeAt: number | null;
  /** Conversations whose window was computed in this pass (the rest were still valid). */
  readonly computed: number;
}

export interface Classifier {
  classify(conversations: readonly Conversation[], at: number): Classification;
}

/**
 * A classifier that remembers each conversation object's classification while it holds: when a
 * window changes state, or one conversation is updated, only those are computed again. Keyed by
 * object identity, since a changed conversation arrives as a new object.
 */
export function createClassifier(): Classifier {
  const cache = new WeakMap<Conversation, ClassifiedConversation>();
  return {
    classify(conversations, at) {
      const items: ClassifiedConversation[] = new Array(conversations.length);
      let computed = 0;
      let next = Infinity;
      for (let index = 0; index < conversations.length; index += 1) {
        const conversation = conversations[index] as Conversation;
        let item = cache.get(conversation);
        // A clock that went back (hub skew corrected, system clock set) also voids an entry.
        if (item === undefined || at < item.at || at >= item.validUntil) {
          item = classifyOne(conversation, at);
          cache.set(conversation, item);
          computed += 1;
        }
        items[index] = item;
        if (item.validUntil < next) next = item.validUntil;
      }
      return { items, at, nextChangeAt: Number.isFinite(next) ? next : null, computed };
    },
  };
}

/** The first instant after `at` at which any of these classifications stops holding. */
export function nextStateChangeAt(items: readonly ClassifiedConversation[]): number | null {
  let next = Infinity;
  for (const item of items) if (item.validUntil < next) next = item.validUntil;
  return Number.isFinite(next) ? next : null;
}

/** Whether a list classified at `classifiedAt` must be classified again at `now`. */
export function isReclassifyDue(
  classifiedAt: number | null,
  nextChangeAt: number | null,
  now: number,
): boolean {
  return (
    classifiedAt === null || now < classifiedAt || (nextChangeAt !== null && now >= nextChangeAt)
  );
}

// ---------------------------------------------------------------------------------------------
// Search.

export { normalizeText, parseSearch, type SearchTerms };

interface Haystack {
  readonly text: string;
  readonly phoneDigits: string;
}

// Per conversation object, so typing in the search box does not normalise 20,000 names again.
const haystacks = new WeakMap<Conversation, Haystack>();

function haystackOf(conversation: Conversation): Haystack {
  let haystack = haystacks.get(conversation);
  if (haystack === undefined) {
    const { name, phone, email } = conversation.customer;
    haystack = {
      text: normalizeText(
        [name, phone ?? '', email ?? '', conversation.lastMessagePreview].join('\n'),
      ),
      phoneDigits: (phone ?? '').replace(/\D/g, ''),
    };
    haystacks.set(conversation, haystack);
  }
  return haystack;
}

/** Whether the customer's name, phone, e-mail or the last message preview match the search. */
export function matchesSearch(conversation: Conversation, terms: SearchTerms): boolean {
  const haystack = haystackOf(conversation);
  if (terms.digits !== null && haystack.phoneDigits.includes(terms.digits)) return true;
  return terms.words.every((word) => haystack.text.includes(word));
}

/**
 * Search looks in every status (issue 12, item 7): an agent who types a customer's name means
 * that customer, whether their conversation is open, snoozed or resolved. Statuses the agent
 * chose in the filter still apply; the default (open and pending) is the working list's scope,
 * not the search's.
 */
export function searchesEveryStatus(query: InboxQuery): boolean {
  return parseSearch(query.text) !== null && hasDefaultStatuses(query.statuses);
}

/** What a search result's second line shows instead of the latest message, and why. */
export interface MatchDetail {
  /** `message`: an older message matched (only there); the others are fields of the customer. */
  readonly kind: 'message' | 'preview' | 'phone' | 'email';
  readonly parts: readonly TextPart[];
}

/** Where a row matched the search, marked for display. */
export interface RowMatch {
  readonly name: readonly TextPart[];
  /** Null when the name is the match and the latest message has nothing to mark. */
  readonly detail: MatchDetail | null;
}

/** Characters of a matching message shown before the match: a row has one line for it. */
const SNIPPET_BEFORE = 14;

/**
 * Where `conversation` matches the search typed as `text`, for its row: the name with the words
 * marked, and the matching message (`excerpt`, the line the message search found, when that is
 * the only place it matched), or the latest message, phone or e-mail where the match is.
 */
export function describeMatch(
  conversation: Conversation,
  name: string,
  text: string,
  excerpt: string | null,
): RowMatch | null {
  const terms = parseSearch(text);
  if (terms === null) return null;
  const nameParts = highlightParts(name, terms.words);
  if (excerpt !== null) {
    // The message search looks for the text as typed, as one phrase.
    const phrase = text.trim().replace(/\s+/g, ' ');
    return {
      name: nameParts,
      detail: { kind: 'message', parts: snippetParts(excerpt, phrase, { before: SNIPPET_BEFORE }) },
    };
  }
  const { phone, email } = conversation.customer;
  if (terms.digits !== null && phone && phoneDigits(phone).includes(terms.digits)) {
    return {
      name: nameParts,
      detail: { kind: 'phone', parts: highlightDigits(phone, terms.digits) },
    };
  }
  const preview = snippetParts(conversation.lastMessagePreview, terms.words[0] ?? '', {
    before: SNIPPET_BEFORE,
  });
  const previewParts = highlightParts(preview.map((part) => part.text).join(''), terms.words);
  if (hasMatch(previewParts))
    return { name: nameParts, detail: { kind: 'preview', parts: previewParts } };
  // A marked name already says where the match is.
  if (hasMatch(nameParts)) return { name: nameParts, detail: null };
  for (const [kind, value] of [
    ['email', email],
    ['phone', phone],
  ] as const) {
    if (!value) continue;
    const parts = highlightParts(value, terms.words);
    if (hasMatch(parts)) return { name: nameParts, detail: { kind, parts } };
  }
  return { name: nameParts, detail: null };
}

// ---------------------------------------------------------------------------------------------
// Sorting.

/** Still answerable first (soonest deadline first), then closed, then channels with no window. */
const URGENCY: Readonly<Record<WindowState, number>> = {
  closing: 0,
  open: 0,
  closed: 1,
  unlimited: 2,
};

const byId = (a: ClassifiedConversation, b: ClassifiedConversation): number =>
  a.conversation.id < b.conversation.id ? 1 : a.conversation.id > b.conversation.id ? -1 : 0;

export const newestFirst = (a: ClassifiedConversation, b: ClassifiedConversation): number =>
  b.conversation.lastMessageAt - a.conversation.lastMessageAt || byId(a, b);

export function closesSoonest(a: ClassifiedConversation, b: ClassifiedConversation): number {
  const rank = URGENCY[a.window.state] - URGENCY[b.window.state];
  if (rank !== 0) return rank;
  if (URGENCY[a.window.state] === 0) {
    const byDeadline = (a.window.closesAt ?? Infinity) - (b.window.closesAt ?? Infinity);
    if (byDeadline !== 0) return byDeadline;
  }
  return newestFirst(a, b);
}

/**
 * The items in the sort's order. Returns the same array when it is already in order (the common
 * case for "newest": the caller sorts the conversations once per data change), so a window
 * changing state does not re-sort 20,000 rows for a sort that does not depend on it.
 */
export function sortItems(
  items: readonly ClassifiedConversation[],
  sort: InboxSort,
): readonly ClassifiedConversation[] {
  const compare = sort === 'newest' ? newestFirst : closesSoonest;
  for (let index = 1; index < items.length; index += 1) {
    if (
      compare(items[index - 1] as ClassifiedConversation, items[index] as ClassifiedConversation) >
      0
    ) {
      return [...items].sort(compare);
    }
  }
  return items;
}

/** Conversations newest first: classify them in this order and "newest" needs no sorting. */
export function newestConversationsFirst(conversations: readonly Conversation[]): Conversation[] {
  return [...conversations].sort(
    (a, b) => b.lastMessageAt - a.lastMessageAt || (a.id < b.id ? 1 : a.id > b.id ? -1 : 0),
  );
}

// ---------------------------------------------------------------------------------------------
// Selection and counts.

export interface SelectionContext {
  /** The signed-in agent, for the "Mine" view. */
  readonly meId: string;
  /**
   * Conversations whose messages contain the search text (from the message search: a set of
   * ids, or a map of id to the matching line), or null while it has not answered for this
   * text. Merged with the instant local matches.
   */
  readonly messageMatches: { has(id: string): boolean } | null;
}

export interface CountedValue<T> {
  readonly value: T;
  readonly count: number;
}

/**
 * Faceted counts: each dimension is counted with every other filter applied but its own, so a
 * count says what choosing that value would show (as in any filtered search).
 */
export interface InboxCounts {
  readonly views: Readonly<Record<InboxView, number>>;
  /** Every channel that has conversations, in the canonical order. */
  readonly channels: readonly CountedValue<ChannelKind>[];
  readonly statuses: Readonly<Record<ConversationStatus, number>>;
  /** Every label present on any conversation, alphabetically. */
  readonly labels: readonly CountedValue<string>[];
  readonly windows: Readonly<Record<WindowFilter, number>>;
}

export interface InboxSelection {
  /** The rows to show, in order. */
  readonly rows: readonly ClassifiedConversation[];
  readonly counts: InboxCounts;
  /** Rows that match only through the message search (their preview shows another message). */
  readonly matchedInMessages: ReadonlySet<string>;
}

export function inView(item: ClassifiedConversation, view: InboxView, meId: string): boolean {
  const assignee = item.conversation.assigneeId;
  return view === 'all' || (view === 'mine' ? assignee === meId : assignee === null);
}

/**
 * The rows of the list and every count the controls show, in one pass over the (already sorted)
 * items; the rows keep the items' order. Takes no clock: see `classify`.
 */
export function selectInbox(
  items: readonly ClassifiedConversation[],
  query: InboxQuery,
  context: SelectionContext,
): InboxSelection {
  const terms = parseSearch(query.text);
  const channels = new Set(query.channels);
  const statuses = new Set(searchesEveryStatus(query) ? [] : query.statuses);
  const labels = new Set(query.labels);

  const views: Record<InboxView, number> = { mine: 0, unassigned: 0, all: 0 };
  const channelCounts = new Map<ChannelKind, number>();
  const statusCounts: Record<ConversationStatus, number> = {
    open: 0,
    pending: 0,
    snoozed: 0,
    resolved: 0,
  };
  const labelCounts = new Map<string, number>();
  const windows: Record<WindowFilter, number> = { all: 0, closing: 0, closed: 0 };
  const rows: ClassifiedConversation[] = [];
  const matchedInMessages = new Set<string>();

  for (const item of items) {
    const { conversation } = item;
    // Every channel and label in the cache stays choosable, whatever hides it right now.
    if (!channelCounts.has(conversation.channel)) channelCounts.set(conversation.channel, 0);
    for (const label of conversation.labels) {
      if (!labelCounts.has(label)) labelCounts.set(label, 0);
    }
    let textOk = true;
    let viaMessages = false;
    if (terms !== null) {
      textOk = matchesSearch(conversation, terms);
      if (!textOk && context.messageMatches?.has(conversation.id)) {
        textOk = true;
        viaMessages = true;
      }
    }
    if (!textOk) continue;

    const viewOk = inView(item, query.view, context.meId);
    const channelOk = channels.size === 0 || channels.has(conversation.channel);
    const statusOk = statuses.size === 0 || statuses.has(item.status);
    const labelOk = labels.size === 0 || conversation.labels.some((label) => labels.has(label));
    const state = item.window.state;
    const windowOk = query.window === 'all' || query.window === state;

    // Each count applies every filter but its own.
    if (channelOk && statusOk && labelOk && windowOk) {
      views.all += 1;
      if (conversation.assigneeId === null) views.unassigned += 1;
      else if (conversation.assigneeId === context.meId) views.mine += 1;
    }
    if (viewOk && statusOk && labelOk && windowOk) {
      channelCounts.set(conversation.channel, (channelCounts.get(conversation.channel) ?? 0) + 1);
    }
    if (viewOk && channelOk && labelOk && windowOk) statusCounts[item.status] += 1;
    if (viewOk && channelOk && statusOk && windowOk) {
      for (const label of conversation.labels) {
        labelCounts.set(label, (labelCounts.get(label) ?? 0) + 1);
      }
    }
    if (viewOk && channelOk && statusOk && labelOk) {
      windows.all += 1;
      if (state === 'closing' || state === 'closed') windows[state] += 1;
    }

    if (viewOk && channelOk && statusOk && labelOk && windowOk) {
      rows.push(item);
      if (viaMessages) matchedInMessages.add(conversation.id);
    }
  }

  return {
    rows,
    matchedInMessages,
    counts: {
      views,
      channels: CHANNEL_KINDS.filter((channel) => channelCounts.has(channel)).map((channel) => ({
        value: channel,
        count: channelCounts.get(channel) ?? 0,
      })),
      statuses: statusCounts,
      labels: [...labelCounts.keys()]
        .sort((a, b) => a.localeCompare(b))
        .map((label) => ({ value: label, count: labelCounts.get(label) ?? 0 })),
      windows,
    },
  };
}

/** Counts by reply-window state (all four), for summaries. */
export type StateCounts = Readonly<Record<WindowState, number>>;

export function countByState(items: readonly ClassifiedConversation[]): StateCounts {
  const counts: Record<WindowState, number> = { open: 0, closing: 0, closed: 0, unlimited: 0 };
  for (const { window } of items) counts[window.state] += 1;
  return counts;
}
