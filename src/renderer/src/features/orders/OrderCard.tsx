import { memo, useState } from 'react';
import {
  Anchor,
  Badge,
  Box,
  Button,
  Collapse,
  Divider,
  Group,
  Paper,
  Stack,
  Text,
  UnstyledButton,
} from '@mantine/core';
import {
  IconAlertTriangle,
  IconCheck,
  IconChevronRight,
  IconExternalLink,
  IconTruck,
} from '@tabler/icons-react';
import type { Order } from '../../../../shared/domain/model';
import {
  adjustmentOf,
  formatMoney,
  formatOrderDate,
  itemCount,
  orderNumberLabel,
  safeTrackingUrl,
  statusColor,
  statusLabel,
} from './order-format';
import { CopyValueButton } from '../../components/CopyValueButton';

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

function Amount({ children, strong = false }: { children: string; strong?: boolean }) {
  return (
    <Text size="sm" fw={strong ? 600 : 400} style={NUMERIC} ta="right">
      {children}
    </Text>
  );
}

function Items({ order, locale }: { order: Order; locale?: string }) {
  const money = (amount: number) => formatMoney(amount, order.currency, locale);
  const adjustment = adjustmentOf(order);
  return (
    <Stack gap={6} data-testid="order-items">
      {order.items.map((item, index) => (
        <Group
          key={`${item.sku ?? item.title}-${index}`}
          justify="space-between"
          align="flex-start"
          wrap="nowrap"
          gap="sm"
        >
          <Box miw={0}>
            <Text size="sm" lineClamp={2}>
              {item.title}
            </Text>
            <Text size="xs" c="dimmed" style={NUMERIC}>
              {item.quantity} × {money(item.price)}
              {item.sku ? ` · SKU ${item.sku}` : ''}
            </Text>
          </Box>
          <Amount>{money(item.price * item.quantity)}</Amount>
        </Group>
      ))}
      {order.items.length === 0 && (
        <Text size="xs" c="dimmed">
          The shop sent no line items for this order.
        </Text>
      )}
      <Divider my={2} />
      {adjustment !== null && (
        <Group justify="space-between" wrap="nowrap">
          <Text size="xs" c="dimmed">
            Shipping, tax and discounts
          </Text>
          <Text size="xs" c="dimmed" style={NUMERIC}>
            {money(adjustment)}
          </Text>
        </Group>
      )}
      <Group justify="space-between" wrap="nowrap">
        <Text size="sm" fw={600}>
          Total
        </Text>
        <Amount strong>{money(order.total)}</Amount>
      </Group>
    </Stack>
  );
}

function Shipping({ order }: { order: Order }) {
  const url = safeTrackingUrl(order.trackingUrl);
  if (!order.carrier && !order.trackingNumber && !url) {
    return (
      <Group gap={6} c="dimmed" wrap="nowrap">
        <IconTruck size={14} stroke={1.75} />
        <Text size="xs">No shipment yet</Text>
      </Group>
    );
  }
  return (
    <Group gap={6} wrap="nowrap" justify="space-between" data-testid="order-shipping">
      <Group gap={6} wrap="nowrap" miw={0}>
        <IconTruck size={14} stroke={1.75} color="var(--mantine-color-dimmed)" />
        <Text size="xs" c="dimmed" truncate="end">
          {order.carrier ?? 'Carrier'}
        </Text>
        {order.trackingNumber && (
          <>
            <Text size="xs" ff="monospace" truncate="end" data-testid="order-tracking-number">
              {order.trackingNumber}
            </Text>
            <CopyValueButton value={order.trackingNumber} label="Copy tracking number" />
          </>
        )}
      </Group>
      {url && (
        // The desktop shell opens target=_blank links in the system browser.
        <Anchor
          href={url}
          target="_blank"
          rel="noreferrer"
          size="xs"
          fw={500}
          data-testid="order-tracking-link"
          style={{ flexShrink: 0 }}
        >
          <Group gap={2} wrap="nowrap">
            Track
            <IconExternalLink size={12} />
          </Group>
        </Anchor>
      )}
    </Group>
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
}: OrderCardProps) {
  const [confirming, setConfirming] = useState(false);
  const count = itemCount(order);
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
              </Group>
              <Text size="xs" c="dimmed" truncate="end" mt={2}>
                {formatOrderDate(order.createdAt, locale)} · {count}{' '}
                {count === 1 ? 'item' : 'items'}
                {order.carrier ? ` · ${order.carrier}` : ''}
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
      <Collapse expanded={expanded} id={detailsId} transitionDuration={150}>
        <Stack gap="xs" px="xs" pb="xs" pt={2}>
          <Items order={order} locale={locale} />
          <Shipping order={order} />
        </Stack>
      </Collapse>
    </Paper>
  );
});
