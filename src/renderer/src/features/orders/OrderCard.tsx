import { memo, useState } from 'react';
import {
  Badge,
  Box,
  Button,
  Collapse,
  Group,
  Paper,
  Stack,
  Text,
  UnstyledButton,
} from '@mantine/core';
import { IconAlertTriangle, IconCheck, IconChevronRight, IconLink } from '@tabler/icons-react';
import type { Order } from '../../../../shared/domain/model';
import {
  formatMoney,
  formatOrderDate,
  itemCount,
  orderNumberLabel,
  shipmentsOf,
  statusColor,
  statusLabel,
} from './order-format';
import { OrderDetails } from './OrderDetails';

const NUMERIC = { fontVariantNumeric: 'tabular-nums' } as const;

export interface OrderCardProps {
  readonly order: Order;
  readonly expanded: boolean;
  readonly onToggle: (orderId: string) => void;
  /** This order fills the reply's variables. */
  readonly selected: boolean;
  readonly onSelect: (order: Order) => void;
  /**
   * Set when the order is not the conversation customer's (`ownerNotice`): the card says so, and
   * "Use in reply" asks before it puts the order in the reply.
   */
  readonly foreign?: string | null;
  /** The conversation's customer, for the question ("…not Sheena Nelson's"). */
  readonly customerName?: string | null;
  /** Locale for money and dates; the system's when absent. */
  readonly locale?: string;
  /**
   * An order found by number that is not among the customer's: the card offers "Link to this
   * customer" (issue #17 item 4). Rejects with an Error the card shows.
   */
  readonly onLink?: ((order: Order) => Promise<void>) | null;
  /** One of the customer's orders that an agent linked: marked, and it can be unlinked. */
  readonly onUnlink?: ((order: Order) => Promise<void>) | null;
  /** Name the shop on the summary line (search results, which are not grouped by shop). */
  readonly showShop?: boolean;
}

/** A link or unlink request: running, or why it failed. */
function useLinkAction(run: ((order: Order) => Promise<void>) | null | undefined, order: Order) {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const start = run
    ? () => {
        setBusy(true);
        setError(null);
        run(order).then(
          () => setBusy(false),
          (failure: unknown) => {
            setBusy(false);
            setError(
              failure instanceof Error && failure.message ? failure.message : 'It did not work.',
            );
          },
        );
      }
    : null;
  return { busy, error, start };
}

/**
 * The collapsed card's second line: `12 Nov 2026 · 3 items · PostNL` (or `· 2 shipments`), with
 * the shop after the date when asked (`12 Nov 2026 · Acme US · 3 items`).
 */
function summaryLine(order: Order, showShop: boolean, locale?: string): string {
  const count = itemCount(order);
  const shop = showShop && order.shopName ? ` · ${order.shopName}` : '';
  const shipments = shipmentsOf(order);
  const shipping =
    shipments.length > 1
      ? ` · ${shipments.length} shipments`
      : shipments[0]?.carrier
        ? ` · ${shipments[0].carrier}`
        : '';
  return `${formatOrderDate(order.createdAt, locale)}${shop} · ${count} ${count === 1 ? 'item' : 'items'}${shipping}`;
}

export function OrderStatusBadge({ status }: { status: string }) {
  return (
    <Badge
      size="xs"
      variant="light"
      color={statusColor(status)}
      radius="sm"
      styles={{ root: { flexShrink: 0 }, label: { textTransform: 'none', fontWeight: 600 } }}
      data-testid="order-status"
      data-status={status}
    >
      {statusLabel(status)}
    </Badge>
  );
}

/**
 * One order: a two-line summary that toggles the details (items, totals, shipment), and "Use in
 * reply", which makes the order the one the reply's variables come from and writes it into the
 * reply. Another customer's order says so on the card and asks before it is used.
 */
export const OrderCard = memo(function OrderCard({
  order,
  expanded,
  onToggle,
  selected,
  onSelect,
  foreign = null,
  customerName = null,
  locale,
  onLink = null,
  onUnlink = null,
  showShop = false,
}: OrderCardProps) {
  const [confirming, setConfirming] = useState(false);
  const link = useLinkAction(onLink, order);
  const unlink = useLinkAction(onUnlink, order);
  const detailsId = `order-details-${order.id}`;
  const use = () => {
    if (foreign && !selected) setConfirming(true);
    else onSelect(order);
  };
  return (
    <Paper
      withBorder
      radius="sm"
      data-testid="order-card"
      data-order-id={order.id}
      data-expanded={expanded || undefined}
      data-selected={selected || undefined}
      data-foreign={foreign ? true : undefined}
      data-linked={onUnlink ? true : undefined}
      style={{
        overflow: 'hidden',
        borderColor: selected
          ? 'var(--mantine-primary-color-filled)'
          : foreign
            ? 'var(--mantine-color-orange-outline)'
            : undefined,
        boxShadow: selected ? '0 0 0 1px var(--mantine-primary-color-filled)' : undefined,
      }}
    >
      {selected && (
        <Group
          gap={6}
          wrap="nowrap"
          px="xs"
          py={3}
          bg="var(--mantine-primary-color-light)"
          c="var(--mantine-primary-color-light-color)"
          title="Quick replies and templates fill {{order.number}}, {{order.status}}… from this order"
          data-testid="order-in-reply"
        >
          <IconCheck size={12} stroke={2.5} style={{ flexShrink: 0 }} />
          <Text size="xs" fw={600} truncate="end">
            In reply · fills the order variables
          </Text>
        </Group>
      )}
      {foreign && (
        <Group
          gap={6}
          wrap="nowrap"
          align="flex-start"
          px="xs"
          py={4}
          bg="var(--mantine-color-orange-light)"
          c="var(--mantine-color-orange-light-color)"
          data-testid="order-foreign"
        >
          <IconAlertTriangle size={14} stroke={1.75} style={{ flexShrink: 0, marginTop: 2 }} />
          {/* Wrapped, not cut: whose order it is is the point. */}
          <Text size="xs" fw={600} lineClamp={2} title={foreign}>
            {foreign}
          </Text>
        </Group>
      )}
      <Group gap={0} wrap="nowrap" align="stretch">
        <UnstyledButton
          onClick={() => onToggle(order.id)}
          aria-expanded={expanded}
          aria-controls={detailsId}
          pl="xs"
          pr={4}
          py={8}
          style={{ flex: 1, minWidth: 0 }}
          data-testid="order-toggle"
        >
          <Group gap={6} wrap="nowrap" align="flex-start">
            <IconChevronRight
              size={14}
              stroke={2}
              color="var(--mantine-color-dimmed)"
              style={{
                marginTop: 3,
                flexShrink: 0,
                transform: expanded ? 'rotate(90deg)' : undefined,
                transition: 'transform 150ms ease',
              }}
            />
            <Box miw={0} style={{ flex: 1 }}>
              <Group gap={6} wrap="nowrap" miw={0}>
                <Text
                  size="sm"
                  fw={600}
                  truncate="end"
                  style={{ flexShrink: 0, maxWidth: '60%' }}
                  data-testid="order-number"
                >
                  {orderNumberLabel(order.number)}
                </Text>
                <OrderStatusBadge status={order.status} />
                {onUnlink && (
                  <Badge
                    size="xs"
                    variant="outline"
                    color="gray"
                    radius="sm"
                    leftSection={<IconLink size={10} />}
                    styles={{ root: { flexShrink: 0 }, label: { textTransform: 'none' } }}
                    title="Linked to this customer by an agent"
                    data-testid="order-linked"
                  >
                    Linked
                  </Badge>
                )}
              </Group>
              <Text size="xs" c="dimmed" truncate="end" mt={2}>
                {summaryLine(order, showShop, locale)}
              </Text>
            </Box>
          </Group>
        </UnstyledButton>
        <Stack gap={2} align="flex-end" pr="xs" py={8} style={{ flexShrink: 0 }}>
          <Text size="sm" fw={600} style={NUMERIC} lh={1.35} data-testid="order-total">
            {formatMoney(order.total, order.currency, locale)}
          </Text>
          <Button
            size="compact-xs"
            variant="subtle"
            color="gray"
            onClick={use}
            data-testid="order-use"
            // The subtle button's text lines up with the total above.
            mr={-6}
            fw={500}
          >
            Use in reply
          </Button>
        </Stack>
      </Group>
      {confirming && (
        <Stack
          gap={6}
          px="xs"
          py={8}
          style={{ borderTop: '1px solid var(--mantine-color-default-border)' }}
          data-testid="order-use-confirm"
        >
          <Text size="xs">
            {customerName
              ? `This order is not ${customerName}’s. Use it in the reply anyway?`
              : 'This order is not this customer’s. Use it in the reply anyway?'}
          </Text>
          <Group gap={6} justify="flex-end">
            <Button size="compact-xs" variant="default" onClick={() => setConfirming(false)}>
              Cancel
            </Button>
            <Button
              size="compact-xs"
              color="orange"
              onClick={() => {
                setConfirming(false);
                onSelect(order);
              }}
              data-testid="order-use-anyway"
            >
              Use anyway
            </Button>
          </Group>
        </Stack>
      )}
      {link.start && (
        <Group
          gap="xs"
          wrap="nowrap"
          px="xs"
          py={6}
          style={{ borderTop: '1px solid var(--mantine-color-default-border)' }}
          data-testid="order-link-offer"
        >
          <Button
            size="compact-xs"
            variant="light"
            leftSection={<IconLink size={12} />}
            loading={link.busy}
            onClick={link.start}
            style={{ flexShrink: 0 }}
            title={
              customerName
                ? `Show this order among ${customerName}’s from now on`
                : 'Show this order among the customer’s from now on'
            }
            data-testid="order-link"
          >
            Link to this customer
          </Button>
          {link.error && (
            <Text size="xs" c="var(--mantine-color-error)" lineClamp={2} title={link.error}>
              {link.error}
            </Text>
          )}
        </Group>
      )}
      <Collapse expanded={expanded} id={detailsId} transitionDuration={150}>
        <OrderDetails
          order={order}
          locale={locale}
          onUnlink={unlink.start}
          unlinking={unlink.busy}
        />
        {unlink.error && (
          <Text
            size="xs"
            c="var(--mantine-color-error)"
            px="xs"
            pb="xs"
            data-testid="order-unlink-error"
          >
            {unlink.error}
          </Text>
        )}
      </Collapse>
    </Paper>
  );
});
