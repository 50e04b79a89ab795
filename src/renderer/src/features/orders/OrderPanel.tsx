import {
  useCallback,
  useEffect,
  useImperativeHandle,
  useMemo,
  useRef,
  useState,
  type KeyboardEvent,
  type Ref,
} from 'react';
import {
  Alert,
  Badge,
  Button,
  CloseButton,
  EmptyState,
  Group,
  Kbd,
  Loader,
  Paper,
  Skeleton,
  Stack,
  Text,
  TextInput,
  UnstyledButton,
} from '@mantine/core';
import {
  IconAlertTriangle,
  IconArrowBackUp,
  IconPackage,
  IconPackageOff,
  IconSearch,
} from '@tabler/icons-react';
import type { Customer, Order } from '../../../../shared/domain/model';
import { bindingLabels, shortcutOf } from '../shortcuts/keymap';
import { OrderCard } from './OrderCard';
import { searchTermOf, sortNewestFirst } from './order-format';
import { orderOwner, ownerNotice } from './order-owner';

export interface OrderPanelHandle {
  /** Focus the order-number search and select what is in it (the `o` shortcut). */
  focusSearch(): void;
}

export interface OrderPanelProps {
  /** The customer's orders, found automatically by phone or email. */
  readonly orders: readonly Order[];
  /** The automatic lookup is running. */
  readonly loading: boolean;
  /** Why the automatic lookup failed, in words; `null` when it did not. */
  readonly error: string | null;
  /** Search by order number (`1043`, without `#`); rejects with an Error the panel shows. */
  readonly onSearch: (number: string) => Promise<Order[]>;
  /** The order whose fields fill the reply's variables. */
  readonly selectedOrderId: string | null;
  /**
   * "Use in reply": this order fills the reply's variables and is written into it. Another
   * customer's order is marked, and used only once the agent confirms.
   */
  readonly onSelect: (order: Order) => void;
  /** The conversation's customer: orders found by number that are not theirs are marked. */
  readonly customer?: Pick<Customer, 'name' | 'phone' | 'email'> | null;
  /** Who the automatic lookup was for (`+31 6 1234 5678`, an email), for the empty state. */
  readonly customerContact?: string | null;
  /** Locale for money and dates; the system's when absent. */
  readonly locale?: string;
  readonly ref?: Ref<OrderPanelHandle>;
}

type SearchState =
  | { readonly kind: 'idle' }
  | { readonly kind: 'searching'; readonly term: string }
  | { readonly kind: 'results'; readonly term: string; readonly orders: readonly Order[] }
  | { readonly kind: 'error'; readonly term: string; readonly message: string };

const IDLE: SearchState = { kind: 'idle' };

function messageOf(error: unknown): string {
  return error instanceof Error && error.message ? error.message : 'The order search failed.';
}

function LoadingCards() {
  return (
    <Stack gap="xs" aria-busy="true" aria-label="Loading orders">
      {[0, 1].map((index) => (
        <Paper key={index} withBorder radius="sm" p="xs">
          <Group justify="space-between" mb={8}>
            <Skeleton h={12} w="45%" />
            <Skeleton h={12} w="20%" />
          </Group>
          <Skeleton h={8} w="60%" />
        </Paper>
      ))}
    </Stack>
  );
}

/**
 * The order lookup beside a conversation (issue 4, item 6): the customer's orders newest first
 * (the newest open, the others one click away), a search by order number, and "Use in reply".
 * Presentational: the connected layer passes the orders and the search.
 */
export function OrderPanel({
  orders,
  loading,
  error,
  onSearch,
  selectedOrderId,
  onSelect,
  customerContact = null,
  customer = null,
  locale,
  ref,
}: OrderPanelProps) {
  const inputRef = useRef<HTMLInputElement>(null);
  const [query, setQuery] = useState('');
  const [search, setSearch] = useState<SearchState>(IDLE);
  // What the agent opened or closed; the newest order is open unless they closed it.
  const [toggled, setToggled] = useState<ReadonlyMap<string, boolean>>(new Map());
  // Only the latest search may show its answer.
  const latestSearch = useRef(0);

  useImperativeHandle(
    ref,
    () => ({
      focusSearch() {
        const input = inputRef.current;
        if (!input) return;
        input.focus();
        input.select();
        input.scrollIntoView({ block: 'nearest' });
      },
    }),
    [],
  );

  useEffect(
    () => () => {
      latestSearch.current += 1;
    },
    [],
  );

  const runSearch = useCallback(
    (raw: string) => {
      const term = searchTermOf(raw);
      const id = ++latestSearch.current;
      if (term === '') {
        setSearch(IDLE);
        return;
      }
      setSearch({ kind: 'searching', term });
      onSearch(term).then(
        (found) => {
          if (latestSearch.current === id) setSearch({ kind: 'results', term, orders: found });
        },
        (failure: unknown) => {
          if (latestSearch.current === id) {
            setSearch({ kind: 'error', term, message: messageOf(failure) });
          }
        },
      );
    },
    [onSearch],
  );

  const clearSearch = useCallback(() => {
    latestSearch.current += 1;
    setQuery('');
    setSearch(IDLE);
  }, []);

  const onKeyDown = (event: KeyboardEvent<HTMLInputElement>) => {
    if (event.key === 'Enter') {
      event.preventDefault();
      runSearch(query);
    } else if (event.key === 'Escape' && (query !== '' || search.kind !== 'idle')) {
      // The first Escape clears the search; the next one leaves the field.
      event.preventDefault();
      clearSearch();
    }
  };

  const searching = search.kind !== 'idle';
  const shown = useMemo(
    () => sortNewestFirst(search.kind === 'results' ? search.orders : orders),
    [search, orders],
  );
  const ownIds = useMemo(() => new Set(orders.map((o) => o.id)), [orders]);
  const foreignOf = (order: Order): string | null =>
    customer ? ownerNotice(orderOwner(order, customer, ownIds)) : null;
  const newestId = shown[0]?.id ?? null;
  const isExpanded = (id: string): boolean => toggled.get(id) ?? id === newestId;
  const toggle = useCallback(
    (id: string) =>
      setToggled((previous) => {
        const next = new Map(previous);
        next.set(id, !(previous.get(id) ?? id === newestId));
        return next;
      }),
    [newestId],
  );

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
        {loading && !searching && <Loader size={12} aria-label="Looking up orders" />}
      </Group>

      <TextInput
        ref={inputRef}
        size="xs"
        value={query}
        onChange={(event) => setQuery(event.currentTarget.value)}
        onKeyDown={onKeyDown}
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

      {!searching && loading && orders.length === 0 && <LoadingCards />}

      {!searching && !loading && !error && orders.length === 0 && (
        <EmptyState
          size="sm"
          icon={<IconPackageOff size={22} stroke={1.5} />}
          withIndicatorBackground
          title={
            customerContact ? `No orders for ${customerContact}` : 'No orders for this customer'
          }
          description={
            <>
              Search by order number above
              {hint.length > 0 && (
                <>
                  {' '}
                  (press <Kbd size="xs">{hint.join('')}</Kbd>)
                </>
              )}
              .
            </>
          }
          py="md"
          data-testid="order-empty"
        />
      )}

      {(search.kind === 'results' || (!searching && orders.length > 0)) && shown.length > 0 && (
        <Stack gap={6} data-testid="order-list">
          {shown.map((order) => (
            <OrderCard
              key={order.id}
              order={order}
              expanded={isExpanded(order.id)}
              onToggle={toggle}
              selected={order.id === selectedOrderId}
              onSelect={onSelect}
              foreign={foreignOf(order)}
              customerName={customer?.name || null}
              locale={locale}
            />
          ))}
        </Stack>
      )}
    </Stack>
  );
}
