import './inbox-list.css';
import {
  useCallback,
  useDeferredValue,
  useEffect,
  useEffectEvent,
  useMemo,
  useRef,
  useState,
  type KeyboardEvent,
  type PointerEvent,
  type ReactNode,
} from 'react';
import { Progress } from '@mantine/core';
import { useVirtualizer } from '@tanstack/react-virtual';
import type { Conversation } from '../../../../shared/domain/model';
import { clockNow, readClock, useClockDerived } from '../../app/clock';
import type { Me, Teammate } from '../../data/types';
import { ConversationRow, ROW_HEIGHT, type AssigneeView } from './ConversationRow';
import { InboxControls } from './InboxControls';
import { InboxEmpty, InboxNoMatch, InboxSkeleton, InboxViewEmpty } from './InboxStates';
import {
  createClassifier,
  isNarrowed,
  isReclassifyDue,
  newestConversationsFirst,
  normalizeText,
  selectInbox,
  sortItems,
  type InboxQuery,
} from './inbox-view';

/** The message search waits for a pause in typing (issue 4: search across messages). */
export const MESSAGE_SEARCH_DEBOUNCE_MS = 200;
/** One character matches half the messages in the cache: search messages from two on. */
export const MESSAGE_SEARCH_MIN_LENGTH = 2;
/** How long the pointer rests on a row before its messages are read ahead. */
const HOVER_WARM_MS = 120;

export interface InboxListProps {
  /** Every cached conversation (tens of thousands are fine), in any order. */
  readonly conversations: readonly Conversation[];
  readonly me: Me;
  readonly teammates: readonly Teammate[];
  readonly selectedId: string | null;
  readonly onSelect: (id: string) => void;
  /**
   * The cache is opening or the first sync is running. With no conversations yet the list shows
   * placeholder rows; with some it shows them, under a thin progress bar.
   */
  readonly loading: boolean;
  /**
   * The conversations whose messages contain the text (searched after a pause), each with the
   * line of its newest matching message. Stops early, rejecting, when `signal` aborts.
   */
  readonly searchMessages?: (
    text: string,
    signal: AbortSignal,
  ) => Promise<ReadonlyMap<string, string>>;
  /** View, search, filters and sort: controlled, so shortcuts can drive them and reloads keep them. */
  readonly query: InboxQuery;
  readonly onQueryChange: (query: InboxQuery) => void;
  /** The ids of the rows, in the list's order, whenever it changes (for next/previous shortcuts). */
  readonly onOrderChange?: (ids: readonly string[]) => void;
  /**
   * A conversation is likely to be opened next (the pointer rests on its row, or presses it):
   * its messages can be read ahead (`MessageFeeds.warm`).
   */
  readonly onWarm?: (id: string) => void;
  /** Drawn under the rows while searching (the hub's results, composed by the workspace). */
  readonly searchFooter?: ReactNode;
}

/**
 * Tells the list when its classification is out of date: when some window changes state or a
 * snooze ends (`nextChangeAt`), or the clock went back. It re-renders only when that answer
 * flips, so the passing seconds never reach the list itself.
 */
function StateClock({
  classifiedAt,
  nextChangeAt,
  onDue,
}: {
  readonly classifiedAt: number;
  readonly nextChangeAt: number | null;
  readonly onDue: (now: number) => void;
}) {
  const due = useClockDerived((now) => isReclassifyDue(classifiedAt, nextChangeAt, now));
  useEffect(() => {
    if (due) onDue(readClock());
  }, [due, onDue]);
  return null;
}

/** The message search for the current text: debounced, and stopped when the text moves on. */
function useMessageSearch(
  text: string,
  searchMessages: InboxListProps['searchMessages'],
): { readonly matches: ReadonlyMap<string, string> | null; readonly searching: boolean } {
  const [result, setResult] = useState<{
    readonly key: string;
    readonly lines: ReadonlyMap<string, string>;
  } | null>(null);
  // What the agent typed goes to the message search, which ignores case only.
  const typed = text.trim().replace(/\s+/g, ' ');
  const key = typed.toLowerCase();
  const enabled =
    searchMessages !== undefined && normalizeText(text).length >= MESSAGE_SEARCH_MIN_LENGTH;
  // The latest function, without restarting the pause each time the parent re-renders.
  const search = useEffectEvent((query: string, signal: AbortSignal) =>
    searchMessages ? searchMessages(query, signal) : Promise.resolve(NO_LINES),
  );
  useEffect(() => {
    if (!enabled) return undefined;
    let current = true;
    // A search still reading the cache when the text changes stops there (a keystroke never
    // waits behind a stale scan).
    const abort = new AbortController();
    const timer = setTimeout(() => {
      search(typed, abort.signal).then(
        (lines) => {
          if (current) setResult({ key, lines });
        },
        // A failed message search leaves the instant matches (customers, previews) in place.
        () => {
          if (current) setResult({ key, lines: NO_LINES });
        },
      );
    }, MESSAGE_SEARCH_DEBOUNCE_MS);
    return () => {
      current = false;
      clearTimeout(timer);
      abort.abort();
    };
  }, [enabled, key, typed]);
  const matches = enabled && result !== null && result.key === key ? result.lines : null;
  return { matches, searching: enabled && matches === null };
}

const NO_LINES: ReadonlyMap<string, string> = new Map();

const UNASSIGNED: AssigneeView = { kind: 'unassigned' };
const UNKNOWN_ASSIGNEE: AssigneeView = { kind: 'teammate', name: 'Unknown teammate' };

const KEY_STEPS: Readonly<Record<string, number>> = {
  ArrowDown: 1,
  ArrowUp: -1,
  PageDown: 10,
  PageUp: -10,
};

/**
 * The unified inbox: the left column of the agent workspace. Presentational: it takes every cached
 * conversation and the query as props, and reports the agent's choices. It fills its parent's
 * height and scrolls by itself; only the rows on screen are rendered, and only their timers tick.
 */
export function InboxList({
  conversations,
  me,
  teammates,
  selectedId,
  onSelect,
  loading,
  searchMessages,
  query,
  onQueryChange,
  onOrderChange,
  onWarm,
  searchFooter,
}: InboxListProps) {
  // Rows are memoised: hand them one stable callback whatever the parent passes each render.
  const latestOnSelect = useRef(onSelect);
  useEffect(() => {
    latestOnSelect.current = onSelect;
  }, [onSelect]);
  const select = useCallback((id: string) => latestOnSelect.current(id), []);

  // Classification: once per data change or window state change, reusing what still holds.
  const [classifier] = useState(createClassifier);
  const [classifiedAt, setClassifiedAt] = useState(clockNow);
  const onDue = useCallback((now: number) => setClassifiedAt(now), []);
  const ordered = useMemo(() => newestConversationsFirst(conversations), [conversations]);
  const classification = useMemo(
    () => classifier.classify(ordered, classifiedAt),
    [classifier, ordered, classifiedAt],
  );
  const sorted = useMemo(
    () => sortItems(classification.items, query.sort),
    [classification.items, query.sort],
  );

  const { matches: messageMatches, searching } = useMessageSearch(query.text, searchMessages);
  const { view, channels, statuses, labels, window } = query;
  // The list follows the search box a render behind when it must: a one-letter search that
  // matches most of 20,000 conversations in every status takes tens of milliseconds to select
  // and count, and the keystrokes after it are not made to wait for that (docs/benchmarks.md).
  const text = useDeferredValue(query.text);
  const selection = useMemo(
    () =>
      selectInbox(
        sorted,
        { view, text, channels, statuses, labels, window, sort: query.sort },
        { meId: me.id, messageMatches },
      ),
    [sorted, view, text, channels, statuses, labels, window, query.sort, me.id, messageMatches],
  );
  const { rows, counts, matchedInMessages } = selection;

  const assignees = useMemo(() => {
    const map = new Map<string, AssigneeView>();
    for (const teammate of teammates)
      map.set(teammate.id, { kind: 'teammate', name: teammate.name });
    map.set(me.id, { kind: 'me', name: me.name });
    return map;
  }, [me.id, me.name, teammates]);

  // Report the order when it really changes (not at every re-selection with the same rows).
  const reportedOrder = useRef<readonly string[]>([]);
  useEffect(() => {
    if (!onOrderChange) return;
    const ids = rows.map((row) => row.conversation.id);
    const previous = reportedOrder.current;
    if (ids.length === previous.length && ids.every((id, index) => id === previous[index])) return;
    reportedOrder.current = ids;
    onOrderChange(ids);
  }, [rows, onOrderChange]);

  const scrollRef = useRef<HTMLDivElement>(null);
  // Stable while the rows are: the virtualiser lays out every row again (thousands) whenever
  // this function changes, which an inline one does at every render, such as each selection.
  const getItemKey = useCallback((index: number) => rows[index]?.conversation.id ?? index, [rows]);
  // eslint-disable-next-line react-hooks/incompatible-library -- the virtualiser is read in render by design; rows are not memoised across it
  const virtualizer = useVirtualizer({
    count: rows.length,
    getScrollElement: () => scrollRef.current,
    estimateSize: () => ROW_HEIGHT,
    getItemKey,
    overscan: 6,
    // Before the first measurement (and outside a browser): a typical column.
    initialRect: { width: 380, height: 720 },
  });

  const selectedIndex = useMemo(
    () => (selectedId === null ? -1 : rows.findIndex((row) => row.conversation.id === selectedId)),
    [rows, selectedId],
  );

  // Keep the selection on screen when it changes (keyboard, shortcuts), not when rows move.
  const scrolledTo = useRef<string | null>(null);
  useEffect(() => {
    if (selectedId === scrolledTo.current || selectedIndex < 0) return;
    scrolledTo.current = selectedId;
    virtualizer.scrollToIndex(selectedIndex, { align: 'auto' });
  }, [selectedId, selectedIndex, virtualizer]);

  // A new view, search, filter or sort starts at the top, or at the selection if it is listed.
  const queryKey = JSON.stringify([view, text, channels, statuses, labels, window, query.sort]);
  const shownQuery = useRef(queryKey);
  useEffect(() => {
    if (shownQuery.current === queryKey) return;
    shownQuery.current = queryKey;
    if (selectedIndex >= 0) virtualizer.scrollToIndex(selectedIndex, { align: 'auto' });
    else virtualizer.scrollToOffset(0);
  }, [queryKey, selectedIndex, virtualizer]);

  // Focus follows the keyboard to rows that exist only once scrolled into view.
  const focusPending = useRef<string | null>(null);
  useEffect(() => {
    const id = focusPending.current;
    if (id === null) return;
    const element = scrollRef.current?.querySelector<HTMLElement>(
      `[data-conversation-id="${CSS.escape(id)}"]`,
    );
    if (element) {
      focusPending.current = null;
      element.focus({ preventScroll: true });
    }
  });

  // Read a conversation's messages ahead once the pointer rests on its row (not for every row
  // the pointer crosses), and at once when it is pressed: the click follows in a moment.
  const hover = useRef<{ id: string; timer: ReturnType<typeof setTimeout> } | null>(null);
  const rowIdOf = (event: PointerEvent<HTMLDivElement>) =>
    (event.target as HTMLElement).closest<HTMLElement>('[data-conversation-id]')?.dataset[
      'conversationId'
    ];
  const onPointerOver = (event: PointerEvent<HTMLDivElement>) => {
    const id = rowIdOf(event);
    if (onWarm === undefined || id === undefined || hover.current?.id === id) return;
    if (hover.current) clearTimeout(hover.current.timer);
    hover.current = { id, timer: setTimeout(() => onWarm(id), HOVER_WARM_MS) };
  };
  const onPointerDown = (event: PointerEvent<HTMLDivElement>) => {
    const id = rowIdOf(event);
    if (id !== undefined) onWarm?.(id);
  };
  useEffect(
    () => () => {
      if (hover.current) clearTimeout(hover.current.timer);
    },
    [],
  );

  const onKeyDown = (event: KeyboardEvent<HTMLDivElement>) => {
    const target = event.target as HTMLElement;
    const id = target.closest<HTMLElement>('[data-conversation-id]')?.dataset['conversationId'];
    if (id === undefined || rows.length === 0) return;
    if (event.key === 'Enter' || event.key === ' ') {
      event.preventDefault();
      onSelect(id);
      return;
    }
    const current = rows.findIndex((row) => row.conversation.id === id);
    let next: number;
    if (event.key === 'Home') next = 0;
    else if (event.key === 'End') next = rows.length - 1;
    else if (event.key in KEY_STEPS) next = current + (KEY_STEPS[event.key] ?? 0);
    else return;
    event.preventDefault();
    const row = rows[Math.max(0, Math.min(rows.length - 1, next))];
    if (!row) return;
    focusPending.current = row.conversation.id;
    onSelect(row.conversation.id);
  };

  const tabbableId = selectedIndex >= 0 ? selectedId : (rows[0]?.conversation.id ?? null);

  let body;
  if (conversations.length === 0) {
    body = loading ? <InboxSkeleton /> : <InboxEmpty />;
  } else if (rows.length === 0) {
    body = isNarrowed(query) ? (
      <InboxNoMatch query={query} counts={counts} onQueryChange={onQueryChange} />
    ) : (
      <InboxViewEmpty query={query} counts={counts} onQueryChange={onQueryChange} />
    );
  } else {
    body = (
      <div
        className="rd-inbox-rows"
        role="presentation"
        style={{ height: virtualizer.getTotalSize() }}
        onPointerOver={onPointerOver}
        onPointerDown={onPointerDown}
      >
        {virtualizer.getVirtualItems().map((virtual) => {
          const item = rows[virtual.index];
          if (!item) return null;
          const { id, assigneeId } = item.conversation;
          return (
            <ConversationRow
              key={virtual.key}
              item={item}
              assignee={
                assigneeId === null ? UNASSIGNED : (assignees.get(assigneeId) ?? UNKNOWN_ASSIGNEE)
              }
              selected={id === selectedId}
              tabbable={id === tabbableId}
              search={text}
              excerpt={matchedInMessages.has(id) ? (messageMatches?.get(id) ?? null) : null}
              position={virtual.index + 1}
              setSize={rows.length}
              top={virtual.start}
              onSelect={select}
            />
          );
        })}
      </div>
    );
  }

  return (
    <div className="rd-inbox" data-testid="inbox-list">
      <StateClock
        classifiedAt={classification.at}
        nextChangeAt={classification.nextChangeAt}
        onDue={onDue}
      />
      <InboxControls
        query={query}
        onQueryChange={onQueryChange}
        counts={counts}
        shown={rows.length}
        searching={searching}
        disabled={loading && conversations.length === 0}
      />
      {loading && conversations.length > 0 && (
        <Progress size={2} value={100} animated striped radius={0} aria-label="Syncing" />
      )}
      <div
        ref={scrollRef}
        className="rd-inbox-scroll"
        role={rows.length > 0 ? 'listbox' : undefined}
        aria-label={rows.length > 0 ? 'Conversations' : undefined}
        data-testid="conversation-list"
        onKeyDown={onKeyDown}
      >
        {body}
      </div>
      {normalizeText(query.text) !== '' ? searchFooter : null}
      <div className="rd-visually-hidden" aria-live="polite">
        {conversations.length > 0 &&
          `${rows.length.toLocaleString()} ${rows.length === 1 ? 'conversation' : 'conversations'}`}
      </div>
    </div>
  );
}
