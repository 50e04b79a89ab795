import { useCallback, useEffect, useMemo, useState } from 'react';
import { useLiveQuery } from 'dexie-react-hooks';
import type { Conversation } from '../../../../shared/domain/model';
import {
  customerViewSchema,
  type CustomerChanges,
  type CustomerProfile,
  type CustomerView,
} from '../../../../shared/protocol/customers';
import { useConversations, useData, useOutbox } from '../../data/hooks';
import type { OutboxEntry } from '../../data/types';

/** The profile panel's data: the cached profile, the hub's view, the outbox's pending changes. */
export interface CustomerProfileState {
  /** The profile: the cache's (`customer.updated`), else the conversation's snapshot. */
  readonly customer: CustomerProfile;
  /** What only the hub knows (identities, merges, proposals); null until it answers. */
  readonly view: CustomerView | null;
  /** Why the hub's view could not be read (offline), in words. */
  readonly error: string | null;
  /** Every conversation with the customer: the cached ones live, the hub's others beside. */
  readonly conversations: readonly Conversation[];
  /** The customer's commands waiting in the outbox, or refused by the hub. */
  readonly pending: readonly OutboxEntry[];
  update(changes: CustomerChanges): Promise<void>;
  merge(keptId: string, mergedId: string): Promise<void>;
  unmerge(mergedId: string): Promise<void>;
}

/** A refetch of the view waits this long for the rest of an event burst. */
const REFETCH_DELAY_MS = 150;

/**
 * A customer's profile beside a conversation (issue #20 item 2). The edits, merges and unmerges go
 * through the outbox like every command (offline-safe, idempotent by client id); the hub's
 * `customer.updated` and `conversation.updated` events update the cache, and the view is read
 * again when one touches this customer.
 */
export function useCustomerProfile(conversation: Conversation): CustomerProfileState {
  const layer = useData();
  const id = conversation.customer.id;
  const cached = useLiveQuery(() => layer.db.customers.get(id), [layer.db, id]);
  const [view, setView] = useState<CustomerView | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [generation, setGeneration] = useState(0);

  useEffect(() => {
    let live = true;
    layer
      .request('GET', `/api/customers/${encodeURIComponent(id)}`, customerViewSchema)
      .then(async (answer) => {
        if (!live) return;
        setView(answer);
        setError(null);
        await layer.db.customers.bulkPut([answer.customer, ...answer.merged]);
      })
      .catch((reason: unknown) => {
        if (!live) return;
        setError(
          reason instanceof Error
            ? reason.message
            : 'The hub could not be reached for the profile.',
        );
      });
    return () => {
      live = false;
    };
  }, [layer, id, generation]);

  // Read the view again when the hub says this customer (or one merged with it) changed.
  useEffect(() => {
    let timer: ReturnType<typeof setTimeout> | null = null;
    const unsubscribe = layer.subscribeEvents((events) => {
      const touched = events.some(
        (e) =>
          e.event.type === 'customer.updated' ||
          (e.event.type === 'conversation.updated' && e.event.conversation.customer.id === id),
      );
      if (!touched || timer !== null) return;
      timer = setTimeout(() => {
        timer = null;
        setGeneration((n) => n + 1);
      }, REFETCH_DELAY_MS);
    });
    return () => {
      unsubscribe();
      if (timer !== null) clearTimeout(timer);
    };
  }, [layer, id]);

  const all = useConversations();
  const conversations = useMemo(() => {
    const mine = [...all.values()].filter((c) => c.customer.id === id);
    const known = new Set(mine.map((c) => c.id));
    // The hub's list has conversations this computer has not cached (and, read before a merge
    // event arrived, ones that moved): a cached one wins, as it is live.
    for (const c of view?.conversations ?? []) if (!known.has(c.id) && !all.has(c.id)) mine.push(c);
    return mine.sort((a, b) => b.lastMessageAt - a.lastMessageAt || (a.id < b.id ? 1 : -1));
  }, [all, id, view]);

  const outbox = useOutbox();
  const keys = useMemo(
    () => new Set([id, ...(view?.merged.map((m) => m.id) ?? [])].map((c) => `customer:${c}`)),
    [id, view],
  );
  const pending = useMemo(
    () => (outbox ?? []).filter((entry) => keys.has(entry.conversationId)),
    [outbox, keys],
  );

  const fallback = useMemo<CustomerProfile>(
    () => ({
      ...conversation.customer,
      note: '',
      mergedInto: null,
      createdAt: conversation.createdAt,
      updatedAt: conversation.updatedAt,
    }),
    [conversation],
  );
  const customer = cached ?? view?.customer ?? fallback;

  const update = useCallback(
    async (changes: CustomerChanges) => {
      await layer.runCommand({ type: 'update_customer', customerId: id, changes });
    },
    [layer, id],
  );
  const merge = useCallback(
    async (keptId: string, mergedId: string) => {
      await layer.runCommand({ type: 'merge_customers', customerId: keptId, mergedId });
    },
    [layer],
  );
  const unmerge = useCallback(
    async (mergedId: string) => {
      await layer.runCommand({ type: 'unmerge_customer', customerId: mergedId });
    },
    [layer],
  );

  return { customer, view, error, conversations, pending, update, merge, unmerge };
}
