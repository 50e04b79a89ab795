import { useCallback, useEffect, useMemo, useRef, useState, useSyncExternalStore } from 'react';
import { Box, SegmentedControl, useMantineColorScheme } from '@mantine/core';
import type { Order } from '../../../../shared/domain/model';
import type { DesktopApi } from '../../../../shared/ipc/contract';
import { readClock } from '../../app/clock';
import { mayUse, PAGES } from '../../app/pages';
import {
  useActivity,
  useConversation,
  useConversations,
  useData,
  useMessages,
  useOutbox,
  useOrders,
  useRateCard,
  useSyncStatus,
  useTeammates,
} from '../../data/hooks';
import { searchHub } from '../../data/hub-search';
import type { Me } from '../../data/types';
import type { ComposerHandle } from '../composer';
import { ConversationPane } from '../conversation/ConversationPane';
import { snoozeUntil } from '../conversation/header-actions';
import { CustomerPanel } from '../customer/CustomerPanel';
import { InboxList } from '../inbox/InboxList';
import { MentionsToggle, MentionsView, type MentionItem } from '../mentions/MentionsView';
import { useMentions } from '../../data/mentions';
import { customerNameOf } from '../attention/attention';
import { hideMentionAlert } from '../attention/mention-alert';
import type { InboxQuery } from '../inbox/inbox-view';
import { orderNumberLabel, orderReplyText } from '../orders/order-format';
import { orderForReply } from '../orders/order-owner';
import { OrderPanel, type OrderPanelHandle } from '../orders/OrderPanel';
import { HubResults, useOpenAtMessage } from '../search';
import { SettingsModal } from '../settings/SettingsModal';
import { CommandPalette } from '../shortcuts/CommandPalette';
import { keymapFor } from '../shortcuts/keymap';
import { ShortcutsHelp } from '../shortcuts/ShortcutsHelp';
import type { ShortcutHandlers } from '../shortcuts/useShortcuts';
import { usePaletteSearch } from '../shortcuts/usePaletteSearch';
import { useShortcuts } from '../shortcuts/useShortcuts';
import {
  conversationIdOfHash,
  hashOfConversation,
  parseStoredQuery,
  QUERY_STORAGE_KEY,
  stepSelection,
} from './selection';
import { countQueuedReplies, SyncBanner } from './SyncBanner';
import { ConversationComposer } from './ConversationComposer';
import { useReplyQuotes } from './reply-quotes';
import { ConversationLinkActions } from './ConversationLinkActions';
import { useConversationActions } from './useConversationActions';

const LIST_WIDTH = 380;
const ORDERS_WIDTH = 320;
const NO_TEAMMATES: never[] = [];
const SIDE_PANEL_KEY = 'replydesk.sidePanel';
/** The customer's latest text messages searched for an order number they name. */
const CUSTOMER_TEXTS_FOR_ORDER = 20;

/** Told at once when the app itself changes the hash (`hashchange` comes a task later). */
const hashListeners = new Set<() => void>();

function subscribeToHash(onChange: () => void): () => void {
  window.addEventListener('hashchange', onChange);
  hashListeners.add(onChange);
  return () => {
    window.removeEventListener('hashchange', onChange);
    hashListeners.delete(onChange);
  };
}

/** The open conversation, kept in the URL so reloads and Back keep it. */
function useSelectedConversation(): [string | null, (id: string | null) => void] {
  const hash = useSyncExternalStore(subscribeToHash, () => window.location.hash);
  const selected = conversationIdOfHash(hash);
  const select = useCallback((id: string | null) => {
    const next = hashOfConversation(id);
    if (window.location.hash === next) return;
    window.location.hash = next;
    // Render the choice in the click's own task: waiting for `hashchange` let the browser paint
    // a frame of the old conversation first.
    for (const listener of hashListeners) listener();
  }, []);
  return [selected, select];
}

/** How long after opening a conversation its neighbours in the list are read ahead. */
const NEIGHBOUR_WARM_MS = 400;

function useStoredQuery(): [InboxQuery, (query: InboxQuery) => void] {
  const [query, setQuery] = useState(() =>
    parseStoredQuery(localStorage.getItem(QUERY_STORAGE_KEY)),
  );
  const update = useCallback((next: InboxQuery) => {
    setQuery(next);
    localStorage.setItem(QUERY_STORAGE_KEY, JSON.stringify(next));
  }, []);
  return [query, update];
}

export interface AgentWorkspaceProps {
  readonly me: Me;
  readonly desktop: DesktopApi | null;
  /** Extra palette actions from the shell (sign out, other pages). */
  readonly onSignOut?: () => void;
}

/**
 * The agent's workspace: the unified inbox, the open conversation with its composer, and the
 * order panel, wired to the data layer; keyboard shortcuts, the command palette, attention alerts
 * and the sync banner. Every part below is presentational; this is where data meets them.
 */
export function AgentWorkspace({ me, desktop, onSignOut }: AgentWorkspaceProps) {
  const layer = useData();
  const status = useSyncStatus();
  const queuedReplies = countQueuedReplies(useOutbox());
  const conversationsById = useConversations();
  const conversations = useMemo(() => [...conversationsById.values()], [conversationsById]);
  const teammates = useTeammates() ?? NO_TEAMMATES;
  const rateCard = useRateCard();
  const [query, setQuery] = useStoredQuery();
  const [selectedId, select] = useSelectedConversation();
  const conversation = useConversation(selectedId) ?? null;
  const messages = useMessages(selectedId);
  // Only a conversation this hub holds has activity to fetch (a link may name another hub's).
  const activity = useActivity(conversation === null ? null : selectedId);
  const orders = useOrders(selectedId);
  const { toggleColorScheme } = useMantineColorScheme();
  const [helpOpen, setHelpOpen] = useState(false);
  const [settingsOpen, setSettingsOpen] = useState(false);
  const [orderByConversation, setOrderByConversation] = useState<ReadonlyMap<string, Order>>(
    new Map(),
  );
  const rowOrder = useRef<readonly string[]>([]);
  const composerRef = useRef<ComposerHandle | null>(null);
  const quotes = useReplyQuotes(composerRef);
  const { setQuote, onReply } = quotes;
  const orderPanelRef = useRef<OrderPanelHandle | null>(null);
  // The side panel shows the customer or their orders; the agent's choice is remembered.
  const [sidePanel, setSidePanelState] = useState<'customer' | 'orders'>(() =>
    localStorage.getItem(SIDE_PANEL_KEY) === 'customer' ? 'customer' : 'orders',
  );
  const setSidePanel = useCallback((panel: 'customer' | 'orders') => {
    setSidePanelState(panel);
    localStorage.setItem(SIDE_PANEL_KEY, panel);
  }, []);
  const mentions = useMentions();
  const [mentionsOpen, setMentionsOpen] = useState(false);
  const mentionItems = useMemo(
    (): MentionItem[] =>
      mentions.mentions.map((mention) => {
        const about = conversationsById.get(mention.conversationId);
        return {
          messageId: mention.messageId,
          conversationId: mention.conversationId,
          authorName:
            teammates.find((teammate) => teammate.id === mention.authorId)?.name ?? 'A teammate',
          customerName: about ? customerNameOf(about) : 'Conversation',
          text: mention.text,
          at: mention.at,
          unread: mention.readAt === null,
        };
      }),
    [mentions.mentions, conversationsById, teammates],
  );
  const focusedNote =
    mentions.focused !== null && mentions.focused.conversationId === selectedId
      ? mentions.focused.messageId
      : null;

  // A link (or Back) may name a conversation this computer does not have: say so, rather than
  // "Select a conversation" as if nothing had been asked.
  const missingHint =
    selectedId === null || conversationsById.has(selectedId)
      ? undefined
      : status.phase === 'opening' || status.phase === 'first_sync'
        ? 'Opening this conversation once this computer has caught up with the hub…'
        : 'The conversation asked for is not on this computer: it may be on another hub, or not one you may see.';
  const loading =
    status.phase === 'opening' || (status.phase === 'first_sync' && conversations.length === 0);
  const customerOrders = orders.orders ?? [];
  // What the customer wrote lately, for the order they name ("where is #1043?").
  const customerTexts = useMemo(
    () =>
      (messages ?? [])
        .filter((m) => m.direction === 'inbound' && m.content.type === 'text')
        .slice(-CUSTOMER_TEXTS_FOR_ORDER)
        .map((m) => (m.content.type === 'text' ? m.content.body : '')),
    [messages],
  );
  const { runCommand, onRetry, onDiscard, onLoadOlder, hasOlder } = useConversationActions(
    selectedId,
    conversation?.unreadCount ?? 0,
  );
  const selectedOrder = orderForReply(
    selectedId ? orderByConversation.get(selectedId) : undefined,
    customerOrders,
    customerTexts,
  );

  // Next / previous conversation (j / k) are the likeliest to be opened next: read them ahead,
  // once this one has rendered.
  useEffect(() => {
    if (selectedId === null) return undefined;
    const timer = setTimeout(() => {
      const order = rowOrder.current;
      const at = order.indexOf(selectedId);
      if (at < 0) return;
      for (const id of [order[at + 1], order[at - 1]]) if (id) layer.messageFeeds.warm(id);
    }, NEIGHBOUR_WARM_MS);
    return () => clearTimeout(timer);
  }, [selectedId, layer]);
  const searchMessages = useCallback(
    (text: string, signal: AbortSignal) => layer.searchMessages(text, signal),
    [layer],
  );
  const [shownIds, setShownIds] = useState<ReadonlySet<string>>(() => new Set());
  const onOrderChange = useCallback((ids: readonly string[]) => {
    rowOrder.current = ids;
    setShownIds(new Set(ids));
  }, []);
  const askHub = useCallback((text: string) => searchHub(layer, text), [layer]);
  const messageIds = useMemo(
    () => (messages === undefined ? undefined : new Set(messages.map((message) => message.id))),
    [messages],
  );
  const loadOlderFor = useCallback(
    (conversationId: string) => layer.loadOlderMessages(conversationId),
    [layer],
  );
  const openAt = useOpenAtMessage({ selectedId, messageIds, select, loadOlder: loadOlderFor });
  const pickOrder = useCallback(
    (order: Order) => {
      if (selectedId === null) return;
      setOrderByConversation((current) => new Map(current).set(selectedId, order));
      composerRef.current?.offerOrder({
        sentence: orderReplyText(order),
        reference: orderNumberLabel(order.number),
      });
    },
    [selectedId],
  );

  // Attention alerts, notifications, the badge and the desktop's inline replies and activity
  // are watched beside the page by the app (DesktopWatch), so they go on on every page.

  const handlers = useMemo<ShortcutHandlers>(() => {
    const base: ShortcutHandlers = {
      nextConversation: () => select(stepSelection(rowOrder.current, selectedId, 1)),
      previousConversation: () => select(stepSelection(rowOrder.current, selectedId, -1)),
      goToMine: () => setQuery({ ...query, view: 'mine' }),
      goToUnassigned: () => setQuery({ ...query, view: 'unassigned' }),
      goToAll: () => setQuery({ ...query, view: 'all' }),
      shortcutsHelp: () => setHelpOpen(true),
      settings: () => setSettingsOpen(true),
      toggleColorScheme: () => toggleColorScheme(),
      // A lead moves between the inbox and the dashboard with one shortcut (issue 5, item 6).
      ...(mayUse(me.role, 'dashboard')
        ? { goToDashboard: () => window.location.assign(PAGES.dashboard.hash) }
        : {}),
    };
    if (!conversation) return base;
    const id = conversation.id;
    return {
      ...base,
      assignToMe: () => runCommand({ type: 'assign', conversationId: id, assigneeId: me.id }),
      toggleResolved: () =>
        runCommand({
          type: 'set_status',
          conversationId: id,
          status: conversation.status === 'resolved' ? 'open' : 'resolved',
        }),
      snooze: () =>
        runCommand({
          type: 'set_status',
          conversationId: id,
          status: 'snoozed',
          snoozedUntil: snoozeUntil('4h', readClock()),
        }),
      focusComposer: () => composerRef.current?.switchMode('reply'),
      noteMode: () => composerRef.current?.switchMode('note'),
      quickReplies: () => composerRef.current?.openQuickReplies(),
      orderSearch: () => {
        setSidePanel('orders');
        requestAnimationFrame(() => orderPanelRef.current?.focusSearch());
      },
    };
  }, [
    conversation,
    me.id,
    me.role,
    query,
    runCommand,
    select,
    selectedId,
    setQuery,
    setSidePanel,
    toggleColorScheme,
  ]);
  const keymap = useMemo(() => keymapFor(me.role), [me.role]);
  useShortcuts(handlers, { keymap, menu: desktop });

  const paletteSearch = usePaletteSearch(conversations, select);
  const paletteActions = useMemo(
    () => [
      ...paletteSearch.actions,
      ...(onSignOut
        ? [{ id: 'sign-out', label: 'Sign out', group: 'General', onTrigger: onSignOut }]
        : []),
    ],
    [paletteSearch.actions, onSignOut],
  );

  const customerContact = conversation?.customer.phone ?? conversation?.customer.email ?? null;

  return (
    <Box
      style={{ display: 'flex', flexDirection: 'column', height: '100%', minHeight: 0 }}
      data-testid="workspace"
    >
      <SyncBanner
        status={status}
        queuedReplies={queuedReplies}
        onRetryNow={() => layer.reconnectNow()}
      />
      <Box style={{ display: 'flex', flex: 1, minHeight: 0 }}>
        <Box
          style={{
            width: LIST_WIDTH,
            flex: `0 0 ${LIST_WIDTH}px`,
            borderRight: '1px solid var(--mantine-color-default-border)',
            minHeight: 0,
            display: 'flex',
            flexDirection: 'column',
          }}
        >
          <div className="rd-mentions-bar">
            <MentionsToggle
              unread={mentions.unread}
              active={mentionsOpen}
              onToggle={() => setMentionsOpen((open) => !open)}
            />
          </div>
          {mentionsOpen ? (
            <MentionsView
              items={mentionItems}
              loaded={mentions.loaded}
              selectedMessageId={focusedNote}
              onOpen={(item) => {
                mentions.store.open(item.conversationId, item.messageId);
                hideMentionAlert(item.messageId);
                select(item.conversationId);
              }}
            />
          ) : (
            <InboxList
              conversations={conversations}
              me={me}
              teammates={teammates}
              selectedId={selectedId}
              onSelect={select}
              loading={loading}
              searchMessages={searchMessages}
              query={query}
              onQueryChange={setQuery}
              onOrderChange={onOrderChange}
              onWarm={layer.messageFeeds.warm}
              searchFooter={
                <HubResults
                  text={query.text}
                  cachedIds={shownIds}
                  search={askHub}
                  onOpen={openAt.open}
                />
              }
            />
          )}
        </Box>
        <Box style={{ flex: 1, minWidth: 0, minHeight: 0 }}>
          <ConversationPane
            conversation={conversation}
            emptyHint={missingHint}
            {...(missingHint !== undefined ? { emptyTitle: 'Conversation not found' } : {})}
            messages={messages ?? []}
            activity={activity}
            me={me}
            teammates={teammates}
            rateCard={rateCard ?? null}
            onCommand={runCommand}
            onRetry={onRetry}
            onDiscard={onDiscard}
            hasOlder={hasOlder}
            onLoadOlder={onLoadOlder}
            onReply={onReply}
            focusMessageId={openAt.focusMessageId ?? focusedNote}
            headerActions={
              selectedId !== null ? (
                <ConversationLinkActions conversationId={selectedId} desktop={desktop} />
              ) : null
            }
            composerSlot={
              conversation ? (
                <ConversationComposer
                  conversation={conversation}
                  me={me}
                  order={selectedOrder}
                  composerRef={composerRef}
                  quote={quotes.quoteOf(conversation.id)}
                  onClearQuote={() => setQuote(conversation.id, null)}
                />
              ) : null
            }
          />
        </Box>
        {conversation && (
          <Box
            style={{
              width: ORDERS_WIDTH,
              flex: `0 0 ${ORDERS_WIDTH}px`,
              borderLeft: '1px solid var(--mantine-color-default-border)',
              minHeight: 0,
              overflow: 'auto',
            }}
          >
            <Box px="md" pt="sm">
              <SegmentedControl
                fullWidth
                size="xs"
                value={sidePanel}
                onChange={(value) => setSidePanel(value === 'customer' ? 'customer' : 'orders')}
                data={[
                  { value: 'customer', label: 'Customer' },
                  { value: 'orders', label: 'Orders' },
                ]}
                data-testid="side-panel-switch"
              />
            </Box>
            {sidePanel === 'customer' && (
              <CustomerPanel
                conversation={conversation}
                onOpenConversation={select}
                ordersCount={orders.loading ? null : customerOrders.length}
                onShowOrders={() => setSidePanel('orders')}
              />
            )}
            {/* Kept mounted while the customer shows: its search and picks stay. */}
            <Box style={{ display: sidePanel === 'orders' ? undefined : 'none' }}>
              <OrderPanel
                key={conversation.id}
                ref={orderPanelRef}
                orders={customerOrders}
                loading={orders.loading}
                error={orders.error}
                sources={orders.sources}
                onRefresh={orders.refresh}
                onSearch={(number) => layer.searchOrders(number)}
                onLink={orders.link}
                onUnlink={orders.unlink}
                selectedOrderId={selectedOrder?.id ?? null}
                onSelect={pickOrder}
                customerContact={customerContact}
                customer={conversation.customer}
              />
            </Box>
          </Box>
        )}
      </Box>
      <CommandPalette
        handlers={handlers}
        extraActions={paletteActions}
        onQueryChange={paletteSearch.onQueryChange}
        keymap={keymap}
      />
      {/* Mounted only while open: a closed Mantine modal still renders (and its hooks run) with
          every render of the workspace, such as each conversation opened. */}
      {helpOpen && <ShortcutsHelp opened onClose={() => setHelpOpen(false)} keymap={keymap} />}
      {settingsOpen && (
        <SettingsModal
          opened
          onClose={() => setSettingsOpen(false)}
          onResetLocalData={() => layer.resetLocalData()}
          desktop={desktop}
          outboxSize={status.outboxSize}
        />
      )}
    </Box>
  );
}
