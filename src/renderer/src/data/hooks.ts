import {
  createContext,
  createElement,
  useCallback,
  useContext,
  useEffect,
  useMemo,
  useState,
  useSyncExternalStore,
  type ReactNode,
} from 'react';
import { useLiveQuery } from 'dexie-react-hooks';
import type { Conversation, Message, Order, Template } from '../../../shared/domain/model';
import type { RateCard } from '../../../shared/pricing';
import type { Activity } from '../../../shared/protocol/activity';
import type { PresencePerson } from '../../../shared/protocol/realtime';
import { setHubTime } from '../app/clock';
import {
  cachedOrdersOf,
  createDataLayer,
  type DataLayer,
  type DataLayerOptions,
  type OrderSourceState,
} from './data-layer';
import type { Me, OutboxEntry, SyncStatus, Teammate } from './types';

/**
 * What the screens read. Everything comes from the local cache (rendered at once, offline
 * too) and updates live as the sync engine writes: conversations from the engine's in-memory
 * copy (the inbox list needs all of them, fast), the rest through Dexie's `useLiveQuery`.
 */

const DataContext = createContext<DataLayer | null>(null);

export function DataProvider({ layer, children }: { layer: DataLayer; children: ReactNode }) {
  return createElement(DataContext.Provider, { value: layer }, children);
}

/** The data layer of the signed-in session (actions, status, on-demand reads). */
export function useData(): DataLayer {
  const layer = useContext(DataContext);
  if (!layer) throw new Error('useData() needs a <DataProvider> above it.');
  return layer;
}

/** The data layer when there is one (presentational parts also render without, in tests). */
export function useOptionalData(): DataLayer | null {
  return useContext(DataContext);
}

/**
 * The data layer of a session: one per hub, token and user, started while mounted (replaces
 * the old hub client). Creating it is pure; starting and stopping are effects, and a stopped layer
 * resumes from its stored seq when React mounts it again.
 */
export function useDataLayer(
  hubUrl: string | null,
  token: string | null,
  me: Me | null,
  onSessionEnded: () => void,
  overrides: Partial<DataLayerOptions> = {},
): DataLayer | null {
  const meKey = me ? `${me.id}\n${me.name}\n${me.role}\n${me.email ?? ''}` : null;
  const layer = useMemo(
    () =>
      hubUrl && token && me
        ? createDataLayer({
            hubUrl,
            token,
            me,
            onHubTime: setHubTime,
            onSessionEnded,
            ...overrides,
          })
        : null,
    // `me` and `overrides` by value: a new object with the same content keeps the layer.
    // eslint-disable-next-line react-hooks/exhaustive-deps
    [hubUrl, token, meKey, onSessionEnded],
  );
  useEffect(() => {
    if (!layer) return undefined;
    layer.start();
    return () => layer.stop();
  }, [layer]);
  return layer;
}

/** Every cached conversation by id; a new Map when any changes, unchanged ones keep their object. */
export function useConversations(): ReadonlyMap<string, Conversation> {
  const { conversations } = useData();
  return useSyncExternalStore(conversations.subscribe, conversations.getSnapshot);
}

/** One conversation; re-renders only when that conversation changes. */
export function useConversation(id: string | null): Conversation | undefined {
  const { conversations } = useData();
  const read = useCallback(
    () => (id === null ? undefined : conversations.getSnapshot().get(id)),
    [conversations, id],
  );
  return useSyncExternalStore(conversations.subscribe, read);
}

const NO_MESSAGES: Message[] = [];
const noSubscription = (): (() => void) => () => undefined;

/**
 * A conversation's messages, oldest first, with its pending replies from the outbox at the end
 * (status `queued`, or `failed` with the hub's reason; id `local:<clientId>`). `undefined` while
 * the cache is read. Served by the data layer's warm feeds (`message-feeds.ts`): a conversation
 * opened again shows its messages in the first render.
 */
export function useMessages(conversationId: string | null): Message[] | undefined {
  const { messageFeeds } = useData();
  const subscribe = useCallback(
    (listener: () => void) =>
      conversationId === null ? noSubscription() : messageFeeds.subscribe(conversationId, listener),
    [messageFeeds, conversationId],
  );
  const read = useCallback(
    () => (conversationId === null ? NO_MESSAGES : messageFeeds.get(conversationId)),
    [messageFeeds, conversationId],
  );
  return useSyncExternalStore(subscribe, read);
}

/**
 * A conversation's activity lines from the cache, oldest first; the first time a conversation
 * is shown in this session its lines are also fetched from the hub (they may predate the first
 * sync's cap). `undefined` while the cache is read.
 */
export function useActivity(conversationId: string | null): Activity[] | undefined {
  const layer = useData();
  const { db } = layer;
  useEffect(() => {
    if (conversationId === null) return;
    // Per cache (hub and user), so another sign-in fetches again.
    const key = `${db.name}\u0000${conversationId}`;
    if (activityFetched.has(key)) return;
    activityFetched.add(key);
    // Offline or refused: the cached lines are shown, and the next opening tries again.
    layer.loadActivity(conversationId).catch(() => activityFetched.delete(key));
  }, [layer, db, conversationId]);
  return useLiveQuery(
    async () =>
      conversationId === null
        ? []
        : // Dexie's immutable cache freezes results: sort a copy.
          [...(await db.activity.where('conversationId').equals(conversationId).toArray())].sort(
            (a, b) => a.at - b.at || (a.id < b.id ? -1 : 1),
          ),
    [db, conversationId],
  );
}

/** Conversations whose activity was fetched in this session. */
const activityFetched = new Set<string>();

/** Every outbox entry in send order (a "waiting / failed" list with retry and discard). */
export function useOutbox(): OutboxEntry[] | undefined {
  const { db } = useData();
  return useLiveQuery(() => db.outbox.orderBy('order').toArray(), [db]);
}

const byName = (a: { name: string }, b: { name: string }): number => a.name.localeCompare(b.name);

export function useTemplates(): Template[] | undefined {
  const { db } = useData();
  return useLiveQuery(async () => [...(await db.templates.toArray())].sort(byName), [db]);
}

export function useTeammates(): Teammate[] | undefined {
  const { db } = useData();
  return useLiveQuery(async () => [...(await db.users.toArray())].sort(byName), [db]);
}

/** The saved draft of a conversation: `''` when there is none, `undefined` while read. */
export function useDraft(conversationId: string | null): string | undefined {
  const { db } = useData();
  return useLiveQuery(
    async () =>
      conversationId === null ? '' : ((await db.drafts.get(conversationId))?.text ?? ''),
    [db, conversationId],
  );
}

/** The hub's rate card; `null` when the hub has not sent one (yet), `undefined` while read. */
export function useRateCard(): RateCard | null | undefined {
  const { db } = useData();
  return useLiveQuery(
    async () => ((await db.meta.get('rateCard'))?.value as RateCard | undefined) ?? null,
    [db],
  );
}

export function useSyncStatus(): SyncStatus {
  const layer = useData();
  return useSyncExternalStore(layer.subscribeStatus, layer.getStatus);
}

export interface OrdersState {
  /** Cached orders of the conversation's customer, newest first; `undefined` while read. */
  readonly orders: Order[] | undefined;
  /** Asking the hub. */
  readonly loading: boolean;
  /** Why the hub could not answer (the cached orders are still shown); null otherwise. */
  readonly error: string | null;
  /**
   * Each source's answer as it comes (the built-in store first); `null` before the hub named
   * them, or from an older hub that answers for all sources at once.
   */
  readonly sources: readonly OrderSourceState[] | null;
  /** Ask every source again, past the hub's cache. */
  refresh(): void;
  /** Link an order found by number to the customer (the hub remembers); then look again. */
  link(order: Order): Promise<void>;
  /** Undo such a link; then look again. */
  unlink(order: Order): Promise<void>;
}

interface OrdersAnswer {
  readonly key: string;
  readonly done: boolean;
  readonly error: string | null;
  readonly sources: readonly OrderSourceState[] | null;
}

/**
 * The orders of a conversation's customer: what the cache holds at once, looked up source by
 * source (`DataLayer.lookupOrders`) when the conversation opens and on `refresh()`.
 */
export function useOrders(conversationId: string | null): OrdersState {
  const layer = useData();
  const customerId = useConversation(conversationId)?.customer.id ?? null;
  const orders = useLiveQuery(
    () => (customerId === null ? [] : cachedOrdersOf(layer.db, customerId)),
    [layer.db, customerId],
  );
  // Each round asks again: past the hub's cache on refresh, through it after a link (the hub
  // dropped its cache of that source, and the source's answer names the linked numbers).
  const [round, setRound] = useState({ count: 0, refresh: false });
  const refresh = useCallback(() => setRound((r) => ({ count: r.count + 1, refresh: true })), []);
  const lookAgain = useCallback(
    () => setRound((r) => ({ count: r.count + 1, refresh: false })),
    [],
  );
  const links = useMemo(() => {
    const thenLookAgain =
      (run: (conversationId: string, sourceId: string, number: string) => Promise<unknown>) =>
      async (order: Order) => {
        if (conversationId === null) return;
        await run(conversationId, order.provider, order.number);
        lookAgain();
      };
    return {
      link: thenLookAgain((c, source, number) => layer.linkOrder(c, source, number)),
      unlink: thenLookAgain((c, source, number) => layer.unlinkOrder(c, source, number)),
    };
  }, [layer, conversationId, lookAgain]);
  // The answer of the request for the current conversation and round; until it comes, loading.
  const key = `${conversationId ?? ''}\n${round.count}`;
  const [answer, setAnswer] = useState<OrdersAnswer | null>(null);
  useEffect(() => {
    if (conversationId === null) return undefined;
    let current = true;
    layer
      .lookupOrders(conversationId, {
        refresh: round.refresh,
        onSources: (sources) => {
          if (current) setAnswer({ key, done: false, error: null, sources });
        },
      })
      .then(
        (sources) => {
          if (current) setAnswer({ key, done: true, error: null, sources });
        },
        (error: unknown) => {
          if (current)
            setAnswer((previous) => ({
              key,
              done: true,
              error: error instanceof Error ? error.message : 'The orders could not be loaded.',
              sources: previous?.key === key ? previous.sources : null,
            }));
        },
      );
    return () => {
      current = false;
    };
  }, [layer, conversationId, key, round.refresh]);
  const mine = answer?.key === key ? answer : null;
  // While a refresh asks for the sources again, the last ones stay (no flicker of the groups).
  const earlier = answer?.key.startsWith(`${conversationId ?? ''}\n`) ? answer.sources : null;
  return {
    orders,
    loading: conversationId !== null && !mine?.done,
    error: mine?.error ?? null,
    sources: mine?.sources ?? earlier,
    refresh,
    ...links,
  };
}

/** Orders by number, from the hub (or the cache when offline). */
export function searchOrders(layer: DataLayer, number: string): Promise<Order[]> {
  return layer.searchOrders(number);
}

/** Load older history of a conversation into the cache; `useMessages` shows it. */
export function loadOlderMessages(
  layer: DataLayer,
  conversationId: string,
  limit?: number,
): ReturnType<DataLayer['loadOlderMessages']> {
  return layer.loadOlderMessages(conversationId, limit);
}

/** Conversation ids whose cached messages contain the text (case-insensitive). */
export function searchMessageConversations(layer: DataLayer, text: string): Promise<string[]> {
  return layer.searchMessageConversations(text);
}

const NOBODY: readonly PresencePerson[] = [];

/**
 * The others viewing or typing in a conversation, live (issue 12, item 13). Empty outside a
 * data layer (a component shown on its own) and while the hub is not connected.
 */
export function usePresence(conversationId: string): readonly PresencePerson[] {
  const layer = useOptionalData();
  return useSyncExternalStore(layer ? layer.presence.subscribe : noSubscription, () =>
    layer ? layer.presence.peopleIn(conversationId) : NOBODY,
  );
}
