import { useMemo } from 'react';
import type { Ref } from 'react';
import {
  ActionIcon,
  Alert,
  Badge,
  Button,
  CloseButton,
  EmptyState,
  Group,
  Kbd,
  Loader,
  Stack,
  Text,
  TextInput,
  Tooltip,
  UnstyledButton,
} from '@mantine/core';
import {
  IconAlertTriangle,
  IconArrowBackUp,
  IconPackage,
  IconPackageOff,
  IconRefresh,
  IconSearch,
} from '@tabler/icons-react';
import type { Customer, Order } from '../../../../shared/domain/model';
import { BUILT_IN_SOURCE_ID } from '../../../../shared/protocol/shops';
import { useClockDerived } from '../../app/clock';
import { type OrderSourceState } from '../../data/data-layer';
import { bindingLabels, shortcutOf } from '../shortcuts/keymap';
import { OrderCard } from './OrderCard';
import { sortNewestFirst } from './order-format';
import { groupOrders, linkedOrderTest, namesOf, nothingFound, worthAGroup } from './order-groups';
import { orderOwner, ownerNotice, type OwnerContact } from './order-owner';
import { LoadingCards, OrderSourceGroup } from './OrderSourceGroup';
import { useOrderPanel, type OrderPanelHandle } from './useOrderPanel';

export type { OrderPanelHandle } from './useOrderPanel';

export interface OrderPanelProps {
  /** The customer's orders (from every source), found by phone or email, or linked. */
  readonly orders: readonly Order[];
  /** The automatic lookup is running. */
  readonly loading: boolean;
  /** Why the automatic lookup failed as a whole (the hub unreachable), in words; else `null`. */
  readonly error: string | null;
  /**
   * Each source's answer, as it comes (issue #17): the panel groups the orders by shop, with
   * each shop's loading and error. `null`/absent: unknown (offline, an older hub).
   */
  readonly sources?: readonly OrderSourceState[] | null;
  /** Ask every shop again, past the hub's cache. */
  readonly onRefresh?: (() => void) | null;
  /** Search by order number (`1043`, without `#`); rejects with an Error the panel shows. */
  readonly onSearch: (number: string) => Promise<Order[]>;
  /** Link an order found by number to this customer; rejects with an Error the card shows. */
  readonly onLink?: ((order: Order) => Promise<void>) | null;
  /** Undo such a link. */
  readonly onUnlink?: ((order: Order) => Promise<void>) | null;
  /** The order whose fields fill the reply's variables. */
  readonly selectedOrderId: string | null;
  /**
   * "Use in reply": this order fills the reply's variables and is written into it. Another
   * customer's order is marked, and used only once the agent confirms.
   */
  readonly onSelect: (order: Order) => void;
  /** The conversation's customer: orders found by number that are not theirs are marked. */
  readonly customer?: (Pick<Customer, 'name'> & OwnerContact) | null;
  /** Who the automatic lookup was for (`+31 6 1234 5678`, an email), for the empty state. */
  readonly customerContact?: string | null;
  /** Locale for money and dates; the system's when absent. */
  readonly locale?: string;
  /** The time "updated 14:32" is read against; the clock's when absent. */
  readonly now?: number;
  readonly ref?: Ref<OrderPanelHandle>;
}

/**
 * The order lookup beside a conversation (issue 4 item 6, issue #17): the customer's orders from
 * every shop, grouped by shop as each answers, newest first (the newest open, the others one
 * click away); a search by order number that can link an order to the customer; "Use in reply".
 * Presentational: the connected layer passes the orders, the sources' states and the actions.
 */
export function OrderPanel({
  orders,
  loading,
  error,
  sources = null,
  onRefresh = null,
  onSearch,
  onLink = null,
  onUnlink = null,
  selectedOrderId,
  onSelect,
  customerContact = null,
  customer = null,
  locale,
  now,
  ref,
}: OrderPanelProps) {
  const panel = useOrderPanel({ orders, onSearch, ref });
  const { search, query, inputRef, clearSearch, runSearch } = panel;
  const searching = search.kind !== 'idle';
  const results = useMemo(
    () => (search.kind === 'results' ? sortNewestFirst(search.orders) : []),
    [search],
  );
  const groups = useMemo(() => groupOrders(orders, sources), [orders, sources]);
  const ownIds = useMemo(() => new Set(orders.map((o) => o.id)), [orders]);
  const foreignOf = (order: Order): string | null =>
    customer ? ownerNotice(orderOwner(order, customer, ownIds)) : null;
  const isLinked = useMemo(() => linkedOrderTest(sources), [sources]);
  const unlinkOf = (order: Order) => (onUnlink && isLinked(order) ? onUnlink : null);
  // Offline or with an older hub, built-in orders alone look as they always did: no shop chrome.
  const plain = sources === null && groups.every((g) => g.id === BUILT_IN_SOURCE_ID);
  const empty = nothingFound(groups);
  // "updated 14:32" reads against the minute, not every second's tick.
  const minute = useClockDerived((at) => Math.floor(at / 60_000) * 60_000);
  const clock = now ?? minute;

  const hint = bindingLabels(shortcutOf('orderSearch').keys[0] ?? 'o')[0] ?? [];
  const clearable = search.kind !== 'searching' && (query !== '' || searching);
  const rightSection =
    search.kind === 'searching' ? (
      <Loader size={14} />
    ) : clearable ? (
      <CloseButton size="sm" onClick={clearSearch} aria-label="Clear order search" />
    ) : (
      <Kbd size="xs" aria-hidden>
        {hint.join('')}
      </Kbd>
    );

  const card = (
    order: Order,
    extra: { onLink?: typeof onLink; onUnlink?: typeof onUnlink; showShop?: boolean },
  ) => (
    <OrderCard
      key={order.id}
      order={order}
      expanded={panel.isExpanded(order.id)}
      onToggle={panel.toggle}
      selected={order.id === selectedOrderId}
      onSelect={onSelect}
      foreign={foreignOf(order)}
      customerName={customer?.name || null}
      locale={locale}
      {...extra}
    />
  );

  return (
    <Stack gap="xs" p="xs" data-testid="order-panel" aria-label="Orders">
      <Group justify="space-between" wrap="nowrap" gap="xs">
        <Group gap={6} wrap="nowrap">
          <IconPackage size={16} stroke={1.75} color="var(--mantine-color-dimmed)" />
          <Text size="sm" fw={600}>
            Orders
          </Text>
          {!searching && orders.length > 0 && (
            <Badge
              size="xs"
              variant="default"
              radius="sm"
              style={{ fontVariantNumeric: 'tabular-nums' }}
            >
              {orders.length}
            </Badge>
          )}
        </Group>
        {onRefresh ? (
          <Tooltip label="Ask the shops again" withArrow openDelay={400}>
            <ActionIcon
              size="sm"
              variant="subtle"
              color="gray"
              onClick={onRefresh}
              loading={loading}
              loaderProps={{ size: 12 }}
              aria-label="Refresh orders"
              data-testid="order-refresh"
            >
              <IconRefresh size={14} stroke={1.75} />
            </ActionIcon>
          </Tooltip>
        ) : (
          loading && !searching && <Loader size={12} aria-label="Looking up orders" />
        )}
      </Group>

      <TextInput
        ref={inputRef}
        size="xs"
        value={query}
        onChange={(event) => panel.setQuery(event.currentTarget.value)}
        onKeyDown={panel.onSearchKeyDown}
        placeholder="Search by order number"
        aria-label="Search by order number"
        leftSection={<IconSearch size={14} />}
        rightSection={rightSection}
        rightSectionPointerEvents={clearable ? 'all' : 'none'}
        inputMode="search"
        autoComplete="off"
        spellCheck={false}
        data-testid="order-search"
      />

      {searching && (
        <Group justify="space-between" wrap="nowrap" gap="xs">
          <Text size="xs" c="dimmed" truncate="end">
            {search.kind === 'searching' ? 'Searching for ' : 'Results for '}
            <Text span size="xs" fw={600} c="var(--mantine-color-text)">
              {search.term}
            </Text>
          </Text>
          <UnstyledButton onClick={clearSearch} data-testid="order-search-back">
            <Group gap={4} wrap="nowrap">
              <IconArrowBackUp size={12} color="var(--mantine-primary-color-filled)" />
              <Text size="xs" c="var(--mantine-primary-color-filled)" fw={500}>
                Customer’s orders
              </Text>
            </Group>
          </UnstyledButton>
        </Group>
      )}

      {search.kind === 'searching' && <LoadingCards />}

      {search.kind === 'error' && (
        <Alert
          variant="light"
          color="red"
          p="xs"
          icon={<IconAlertTriangle size={16} />}
          title="Search failed"
          data-testid="order-search-error"
        >
          <Stack gap={6} align="flex-start">
            <Text size="xs">{search.message}</Text>
            <Button
              size="compact-xs"
              variant="light"
              color="red"
              onClick={() => runSearch(search.term)}
            >
              Try again
            </Button>
          </Stack>
        </Alert>
      )}

      {search.kind === 'results' && search.orders.length === 0 && (
        <EmptyState
          size="sm"
          icon={<IconPackageOff size={22} stroke={1.5} />}
          withIndicatorBackground
          title={`No order ${search.term}`}
          description="Check the number: the search matches whole order numbers."
          py="md"
          data-testid="order-not-found"
        />
      )}

      {!searching && error && (
        <Alert
          variant="light"
          color="red"
          p="xs"
          icon={<IconAlertTriangle size={16} />}
          title="Could not look up orders"
          data-testid="order-error"
        >
          <Text size="xs">{error}</Text>
        </Alert>
      )}

      {!searching && loading && sources === null && orders.length === 0 && <LoadingCards />}

      {!searching && !loading && !error && empty && (
        <EmptyState
          size="sm"
          icon={<IconPackageOff size={22} stroke={1.5} />}
          withIndicatorBackground
          title={
            customerContact ? `No orders for ${customerContact}` : 'No orders for this customer'
          }
          description={
            <>
              {groups.length > 1 && `Searched ${namesOf(groups)}. `}
              Search by order number above
              {hint.length > 0 && (
                <>
                  {' '}
                  (press <Kbd size="xs">{hint.join('')}</Kbd>)
                </>
              )}
              {onLink ? ' to find one and link it.' : '.'}
            </>
          }
          py="md"
          data-testid="order-empty"
        />
      )}

      {search.kind === 'results' && results.length > 0 && (
        <Stack gap={6} data-testid="order-list">
          {results.map((order) =>
            card(order, {
              onLink: onLink && !ownIds.has(order.id) ? onLink : null,
              onUnlink: ownIds.has(order.id) ? unlinkOf(order) : null,
              showShop: true,
            }),
          )}
        </Stack>
      )}

      {!searching && !empty && plain && (
        <Stack gap={6} data-testid="order-list">
          {sortNewestFirst(orders).map((order) => card(order, { onUnlink: unlinkOf(order) }))}
        </Stack>
      )}

      {!searching && !empty && !plain && (
        <Stack gap="sm" data-testid="order-list">
          {groups.filter(worthAGroup).map((group) => (
            <OrderSourceGroup key={group.id} group={group} now={clock} locale={locale}>
              {group.orders.length > 0 && (
                <Stack gap={6}>
                  {group.orders.map((order) => card(order, { onUnlink: unlinkOf(order) }))}
                </Stack>
              )}
            </OrderSourceGroup>
          ))}
        </Stack>
      )}
    </Stack>
  );
}
