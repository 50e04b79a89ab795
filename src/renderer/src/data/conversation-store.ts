import type { Conversation } from '../../../shared/domain/model';

/**
 * The cached conversations held in memory for the inbox list. The list needs every conversation
 * (filters, sorting, counts by window state); re-reading 20,000 rows from IndexedDB after each
 * event would cost the main thread far more than this copy, which is bounded by the cache itself
 * and changes only through the sync engine, right after each cache write commits. A new Map on
 * every change; unchanged conversations keep their object, so rows can be memoised.
 */
export interface ConversationStore {
  subscribe(listener: () => void): () => void;
  getSnapshot(): ReadonlyMap<string, Conversation>;
  replaceAll(conversations: readonly Conversation[]): void;
  upsert(conversations: readonly Conversation[]): void;
}

export function createConversationStore(): ConversationStore {
  let snapshot: ReadonlyMap<string, Conversation> = new Map();
  const listeners = new Set<() => void>();
  const notify = (): void => {
    for (const listener of [...listeners]) listener();
  };
  return {
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    getSnapshot: () => snapshot,
    replaceAll(conversations) {
      snapshot = new Map(conversations.map((c) => [c.id, c]));
      notify();
    },
    upsert(conversations) {
      if (conversations.length === 0) return;
      const next = new Map(snapshot);
      for (const conversation of conversations) next.set(conversation.id, conversation);
      snapshot = next;
      notify();
    },
  };
}
