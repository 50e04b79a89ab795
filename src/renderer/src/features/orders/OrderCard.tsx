import { memo } from 'react';
import {
  ActionIcon,
  Anchor,
  Badge,
  Box,
  Button,
  Collapse,
  CopyButton,
  Divider,
  Group,
  Paper,
  Stack,
  Text,
  Tooltip,
  UnstyledButton,
} from '@mantine/core';
import {
  IconCheck,
  IconChevronRight,
  IconCopy,
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

const NUMERIC = { fontVariantNumeric: 'tabular-nums' } as const;

export interface OrderCardProps {
  readonly order: Order;
  readonly expanded: boolean;
  readonly onToggle: (orderId: string) => void;
  /** This order fills the reply's variables. */
  readonly selected: boolean;
  readonly onSelect: (order: Order) => void;
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
            <CopyButton value={order.trackingNumber} timeout={1500}>
              {({ copied, copy }) => (
                <Tooltip label={copied ? 'Copied' : 'Copy tracking number'} withArrow>
                  <ActionIcon
                    size="xs"
                    variant="subtle"
                    color={copied ? 'teal' : 'gray'}
                    onClick={copy}
                    aria-label="Copy tracking number"
                  >
                    {copied ? <IconCheck size={12} /> : <IconCopy size={12} />}
                  </ActionIcon>
                </Tooltip>
              )}
            </CopyButton>
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
 * One order: a two-line summary that toggles the details (items, totals, shipment), and the
 * one-click "Use in reply" that puts the order into the reply's variables.
 */
export const OrderCard = memo(function OrderCard({
  order,
  expanded,
  onToggle,
  selected,
  onSelect,
  locale,
}: OrderCardProps) {
  const count = itemCount(order);
  const detailsId = `order-details-${order.id}`;
  return (
    <Paper
      withBorder
      radius="sm"
      data-testid="order-card"
      data-order-id={order.id}
      data-expanded={expanded || undefined}
      data-selected={selected || undefined}
      style={{
        overflow: 'hidden',
        borderColor: selected ? 'var(--mantine-primary-color-filled)' : undefined,
        boxShadow: selected ? '0 0 0 1px var(--mantine-primary-color-filled)' : undefined,
      }}
    >
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
                <Text size="sm" fw={600} truncate="end" data-testid="order-number">
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
            variant={selected ? 'light' : 'subtle'}
            color={selected ? undefined : 'gray'}
            leftSection={selected ? <IconCheck size={12} /> : undefined}
            onClick={() => onSelect(order)}
            aria-pressed={selected}
            data-testid="order-use"
            // A subtle button's text lines up with the total above; a filled one's edge does.
            mr={selected ? 0 : -6}
            fw={selected ? 600 : 500}
          >
            {selected ? 'In reply' : 'Use in reply'}
          </Button>
        </Stack>
      </Group>
      <Collapse expanded={expanded} id={detailsId} transitionDuration={150}>
        <Stack gap="xs" px="xs" pb="xs" pt={2}>
          <Items order={order} locale={locale} />
          <Shipping order={order} />
        </Stack>
      </Collapse>
    </Paper>
  );
});
