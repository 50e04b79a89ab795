import { useEffect, useMemo, useState } from 'react';
import { IconPackage, IconUser } from '@tabler/icons-react';
import { CHANNEL_INFO } from '../../../../shared/domain/channels';
import type { Conversation, ConversationStatus } from '../../../../shared/domain/model';
import { ChannelIcon } from '../../components/ChannelIcon';
import { MatchText } from '../../components/MatchText';
import { cachedOrdersByNumber } from '../../data/data-layer';
import type { CachedOrder } from '../../data/db';
import { useData } from '../../data/hooks';
import type { PaletteAction } from './CommandPalette';
import {
  displayName,
  looksLikeOrderNumber,
  orderKey,
  PALETTE_LIMITS,
  searchPalette,
} from './palette-search';

/** Orders are read (and asked of the hub) after a pause in typing, not at every keystroke. */
export const PALETTE_ORDER_DEBOUNCE_MS = 200;

const STATUS_WORDS: Readonly<Record<ConversationStatus, string | null>> = {
  open: null,
  pending: 'Pending',
  snoozed: 'Snoozed',
  resolved: 'Resolved',
};

function StatusWord({ status }: { readonly status: ConversationStatus }) {
  const word = STATUS_WORDS[status];
  return word ? (
    <span className="rd-palette-status" data-status={status}>
      {word}
    </span>
  ) : null;
}

const byNewest = (a: Conversation, b: Conversation): number =>
  b.lastMessageAt - a.lastMessageAt || (a.id < b.id ? 1 : a.id > b.id ? -1 : 0);

/**
 * The command palette's search (issue 12, item 7): customers by name, phone or e-mail, their
 * other conversations, and order numbers from the cached orders (an order number the cache
 * does not hold yet is asked of the hub, which caches what it finds). Each opens a
 * conversation through `onOpen`.
 */
export function usePaletteSearch(
  conversations: readonly Conversation[],
  onOpen: (conversationId: string) => void,
): { readonly actions: readonly PaletteAction[]; readonly onQueryChange: (query: string) => void } {
  const layer = useData();
  const [query, setQuery] = useState('');
  const active = query.trim() !== '';
  // Sorted only while the palette is searching: not on every event the inbox receives.
  const newestFirst = useMemo(
    () => (active ? [...conversations].sort(byNewest) : []),
    [active, conversations],
  );

  const [orders, setOrders] = useState<{
    readonly key: string;
    readonly rows: readonly CachedOrder[];
  }>({ key: '', rows: [] });
  const key = orderKey(query);
  const orderLike = looksLikeOrderNumber(query);
  useEffect(() => {
    if (!orderLike) return undefined;
    let current = true;
    const timer = setTimeout(() => {
      const read = () =>
        cachedOrdersByNumber(layer.db, key, PALETTE_LIMITS.orders).then((rows) => {
          if (current) setOrders({ key, rows });
        });
      void read()
        // The hub finds exact numbers the cache has not seen (and caches them); offline, the
        // cached orders stand.
        .then(() => (current ? layer.searchOrders(key) : []))
        .then((found) => (current && found.length > 0 ? read() : undefined))
        .catch(() => undefined);
    }, PALETTE_ORDER_DEBOUNCE_MS);
    return () => {
      current = false;
      clearTimeout(timer);
    };
  }, [layer, key, orderLike]);
  const results = useMemo(
    () => searchPalette(query, newestFirst, orderLike && orders.key === key ? orders.rows : []),
    [query, newestFirst, orderLike, orders, key],
  );

  const actions = useMemo<PaletteAction[]>(() => {
    const list: PaletteAction[] = [];
    for (const hit of results.customers) {
      const { conversation } = hit;
      const more = hit.conversationCount > 1 ? `${hit.conversationCount} conversations` : null;
      list.push({
        id: `customer:${hit.customerId}`,
        group: 'Customers',
        label: displayName(conversation),
        icon: <IconUser size={16} stroke={1.75} />,
        onTrigger: () => onOpen(conversation.id),
        found: {
          label: <MatchText parts={hit.name} />,
          description:
            hit.contact || more ? (
              <>
                {hit.contact && <MatchText parts={hit.contact} />}
                {hit.contact && more && ' · '}
                {more}
              </>
            ) : (
              conversation.lastMessagePreview
            ),
          aside: (
            <>
              <StatusWord status={conversation.status} />
              {hit.channels.map((channel) => (
                <ChannelIcon key={channel} channel={channel} size={14} />
              ))}
            </>
          ),
        },
      });
    }
    for (const hit of results.conversations) {
      const { conversation } = hit;
      list.push({
        id: `conversation:${conversation.id}`,
        group: 'More conversations',
        label: displayName(conversation),
        icon: <ChannelIcon channel={conversation.channel} size={16} />,
        onTrigger: () => onOpen(conversation.id),
        found: {
          label: <MatchText parts={hit.name} />,
          description: `${CHANNEL_INFO[conversation.channel].label} · ${
            conversation.lastMessagePreview || 'No messages yet'
          }`,
          aside: <StatusWord status={hit.status} />,
        },
      });
    }
    for (const hit of results.orders) {
      const { order, conversation } = hit;
      list.push({
        id: `order:${order.id}`,
        group: 'Orders',
        label: `Order ${order.number}`,
        icon: <IconPackage size={16} stroke={1.75} />,
        onTrigger: () => onOpen(conversation.id),
        found: {
          label: (
            <>
              {'Order '}
              <MatchText parts={hit.number} />
            </>
          ),
          description: `${order.customerName ?? displayName(conversation)} · ${order.status}`,
          aside: (
            <>
              <StatusWord status={conversation.status} />
              <ChannelIcon channel={conversation.channel} size={14} />
            </>
          ),
        },
      });
    }
    return list;
  }, [results, onOpen]);

  return { actions, onQueryChange: setQuery };
}
