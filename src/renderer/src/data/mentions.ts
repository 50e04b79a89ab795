import { useEffect, useSyncExternalStore } from 'react';
import type { Message } from '../../../shared/domain/model';
import { mentionsPageSchema, type Mention } from '../../../shared/notes/mentions';
import type { DataLayer } from './data-layer';
import { useData } from './hooks';

/**
 * The signed-in user's mentions (issue #20 item 1): notes that mention them, newest first, from
 * `GET /api/mentions` and kept live by the hub's events (`message.created` of a note naming me
 * and written by someone else; `mention.read` of mine). Reading goes through the outbox
 * (`read_mentions`), shown read at once.
 */

export type { Mention };

export interface MentionsSnapshot {
  /** False until the hub first answered. */
  readonly loaded: boolean;
  readonly mentions: readonly Mention[];
  readonly unread: number;
  /** The note the agent chose to see (a Mentions row, a notification): scrolled to, marked. */
  readonly focused: { readonly conversationId: string; readonly messageId: string } | null;
}

export interface MentionStore {
  subscribe(listener: () => void): () => void;
  getSnapshot(): MentionsSnapshot;
  /** Told of each note mentioning me as it arrives live (once per note). */
  onArrived(listener: (mention: Mention, message: Message) => void): () => void;
  /** The agent opens this note: it is focused (`focused`) and marked read. */
  open(conversationId: string, messageId: string): void;
  /** Mark these of a conversation's mentions read, here at once and at the hub via the outbox. */
  markRead(conversationId: string, messageIds: readonly string[]): void;
  /** Ask the hub again (on start, and after reconnecting). */
  reload(): Promise<void>;
}

/** A note of someone else's naming `meId`, as a mention; `null` for any other message. */
export function mentionOf(message: Message, meId: string): Mention | null {
  if (message.direction !== 'note' || message.content.type !== 'note') return null;
  if (message.authorId === meId || !message.content.mentions.includes(meId)) return null;
  return {
    messageId: message.id,
    conversationId: message.conversationId,
    authorId: message.authorId,
    text: message.content.text,
    at: message.sentAt,
    readAt: null,
  };
}

function snapshotOf(
  loaded: boolean,
  mentions: readonly Mention[],
  focused: MentionsSnapshot['focused'],
): MentionsSnapshot {
  return {
    loaded,
    mentions,
    focused,
    unread: mentions.reduce((sum, mention) => sum + (mention.readAt === null ? 1 : 0), 0),
  };
}

export function createMentionStore(layer: DataLayer): MentionStore {
  const meId = layer.me.id;
  let snapshot = snapshotOf(false, [], null);
  const listeners = new Set<() => void>();
  const arrivedListeners = new Set<(mention: Mention, message: Message) => void>();

  function set(
    mentions: readonly Mention[],
    loaded = snapshot.loaded,
    focused = snapshot.focused,
  ): void {
    snapshot = snapshotOf(loaded, mentions, focused);
    for (const listener of listeners) listener();
  }

  function add(mention: Mention): boolean {
    if (snapshot.mentions.some((known) => known.messageId === mention.messageId)) return false;
    set([mention, ...snapshot.mentions].sort((a, b) => b.at - a.at));
    return true;
  }

  function markLocally(messageIds: ReadonlySet<string>, readAt: number): void {
    if (!snapshot.mentions.some((m) => messageIds.has(m.messageId) && m.readAt === null)) return;
    set(
      snapshot.mentions.map((mention) =>
        messageIds.has(mention.messageId) && mention.readAt === null
          ? { ...mention, readAt }
          : mention,
      ),
    );
  }

  layer.subscribeEvents((events) => {
    for (const { event } of events) {
      if (event.type === 'message.created') {
        const mention = mentionOf(event.message, meId);
        if (mention !== null && add(mention)) {
          for (const listener of arrivedListeners) listener(mention, event.message);
        }
      } else if (event.type === 'mention.read' && event.userId === meId) {
        markLocally(new Set(event.messageIds), event.readAt);
      }
    }
  });

  async function reload(): Promise<void> {
    const answer = await layer.request('GET', '/api/mentions?limit=100', mentionsPageSchema);
    // Live arrivals the answer predates stay.
    const byId = new Map(answer.mentions.map((mention) => [mention.messageId, mention]));
    for (const mention of snapshot.mentions)
      if (!byId.has(mention.messageId)) byId.set(mention.messageId, mention);
    set(
      [...byId.values()].sort((a, b) => b.at - a.at),
      true,
    );
  }

  return {
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    getSnapshot: () => snapshot,
    onArrived(listener) {
      arrivedListeners.add(listener);
      return () => arrivedListeners.delete(listener);
    },
    open(conversationId, messageId) {
      set(snapshot.mentions, snapshot.loaded, { conversationId, messageId });
      this.markRead(conversationId, [messageId]);
    },
    markRead(conversationId, messageIds) {
      const unread = messageIds.filter((id) =>
        snapshot.mentions.some((m) => m.messageId === id && m.readAt === null),
      );
      if (unread.length === 0) return;
      markLocally(new Set(unread), Date.now());
      layer
        .runCommand({ type: 'read_mentions', conversationId, messageIds: unread })
        .catch((error: unknown) => console.warn('Replydesk: read_mentions failed', error));
    },
    reload,
  };
}

const stores = new WeakMap<DataLayer, MentionStore>();

/** The data layer's one mention store (made, and first loaded, on first use). */
export function mentionStoreOf(layer: DataLayer): MentionStore {
  let store = stores.get(layer);
  if (store === undefined) {
    store = createMentionStore(layer);
    stores.set(layer, store);
    store.reload().catch((error: unknown) => console.warn('Replydesk: mentions failed', error));
  }
  return store;
}

/** My mentions, live; also the store, to mark them read. */
export function useMentions(): MentionsSnapshot & { readonly store: MentionStore } {
  const layer = useData();
  const store = mentionStoreOf(layer);
  const snapshot = useSyncExternalStore(store.subscribe, store.getSnapshot);
  return { ...snapshot, store };
}

/** Told of each note mentioning me as it arrives. */
export function useMentionArrivals(listener: (mention: Mention, message: Message) => void): void {
  const layer = useData();
  useEffect(() => mentionStoreOf(layer).onArrived(listener), [layer, listener]);
}
