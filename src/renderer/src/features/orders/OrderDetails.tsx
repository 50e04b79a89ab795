import { useState, type ReactNode } from 'react';
import { Anchor, Box, Button, Divider, Group, Stack, Text } from '@mantine/core';
import {
  IconArrowBackUp,
  IconExternalLink,
  IconLinkOff,
  IconMapPin,
  IconMessage2,
  IconTruck,
} from '@tabler/icons-react';
import type { Order } from '../../../../shared/domain/model';
import { CopyValueButton } from '../../components/CopyValueButton';
import { useShopImage } from '../../data/shop-image';
import {
  adjustmentOf,
  formatMoney,
  formatOrderDate,
  refundedOf,
  safeHttpUrl,
  shipmentsOf,
  statusLabel,
  type Shipment,
} from './order-format';

const NUMERIC = { fontVariantNumeric: 'tabular-nums' } as const;
const THUMB = 32;

function Amount({ children, strong = false }: { children: string; strong?: boolean }) {
  return (
    <Text size="sm" fw={strong ? 600 : 400} style={NUMERIC} ta="right">
      {children}
    </Text>
  );
}

/**
 * A product picture the shop sent, through the hub (`useShopImage`: the page shows pictures from
 * the hub only). http(s) only; one the hub cannot fetch, or that does not decode, leaves no trace.
 */
function ItemImage({ url }: { url: string | null }) {
  const src = useShopImage(safeHttpUrl(url));
  const [broken, setBroken] = useState<string | null>(null);
  if (!src || broken === src) return null;
  return (
    <img
      src={src}
      alt=""
      width={THUMB}
      height={THUMB}
      onError={() => setBroken(src)}
      data-testid="order-item-image"
      style={{
        flexShrink: 0,
        objectFit: 'cover',
        borderRadius: 'var(--mantine-radius-xs)',
        border: '1px solid var(--mantine-color-default-border)',
      }}
    />
  );
}

/**
 * A link to the web (a carrier's tracking page, the shop's admin). The desktop shell opens
 * target=_blank links in the system browser after its own http(s) check; the page never
 * navigates. `href` must have passed `safeHttpUrl`.
 */
function ExternalLink({
  href,
  children,
  testId,
}: {
  href: string;
  children: string;
  testId: string;
}) {
  return (
    <Anchor
      href={href}
      target="_blank"
      rel="noreferrer"
      size="xs"
      fw={500}
      data-testid={testId}
      style={{ flexShrink: 0 }}
    >
      <Group gap={2} wrap="nowrap">
        {children}
        <IconExternalLink size={12} />
      </Group>
    </Anchor>
  );
}

function Line({ label, value, tone }: { label: string; value: string; tone?: string }) {
  return (
    <Group justify="space-between" wrap="nowrap" gap="sm">
      <Text size="xs" c={tone ?? 'dimmed'} truncate="end">
        {label}
      </Text>
      <Text size="xs" c={tone ?? 'dimmed'} style={{ ...NUMERIC, flexShrink: 0 }}>
        {value}
      </Text>
    </Group>
  );
}

function Items({ order, locale }: { order: Order; locale?: string }) {
  const money = (amount: number) => formatMoney(amount, order.currency, locale);
  const adjustment = adjustmentOf(order);
  const refunded = refundedOf(order);
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
          <Group gap={8} wrap="nowrap" align="flex-start" miw={0}>
            <ItemImage url={item.imageUrl} />
            <Box miw={0}>
              <Text size="sm" lineClamp={2}>
                {item.title}
              </Text>
              {item.variant && (
                <Text size="xs" c="dimmed" truncate="end" data-testid="order-item-variant">
                  {item.variant}
                </Text>
              )}
              <Text size="xs" c="dimmed" style={NUMERIC}>
                {item.quantity} × {money(item.price)}
                {item.sku ? ` · SKU ${item.sku}` : ''}
              </Text>
            </Box>
          </Group>
          <Amount>{money(item.price * item.quantity)}</Amount>
        </Group>
      ))}
      {order.items.length === 0 && (
        <Text size="xs" c="dimmed">
          The shop sent no line items for this order.
        </Text>
      )}
      <Divider my={2} />
      {order.shipping.map((line, index) => (
        <Line key={`${line.title}-${index}`} label={line.title} value={money(line.price)} />
      ))}
      {adjustment !== null && (
        <Line
          label={order.shipping.length > 0 ? 'Tax and discounts' : 'Shipping, tax and discounts'}
          value={money(adjustment)}
        />
      )}
      <Group justify="space-between" wrap="nowrap">
        <Text size="sm" fw={600}>
          Total
        </Text>
        <Amount strong>{money(order.total)}</Amount>
      </Group>
      {refunded !== null && (
        <Box data-testid="order-refunds">
          <Line label="Refunded" value={`−${money(refunded)}`} tone="grape" />
          {order.refunds
            .filter((refund) => refund.note)
            .map((refund, index) => (
              <Text key={index} size="xs" c="dimmed" lineClamp={2}>
                {refund.note}
              </Text>
            ))}
        </Box>
      )}
    </Stack>
  );
}

function ShipmentRow({ shipment, locale }: { shipment: Shipment; locale?: string }) {
  const url = safeHttpUrl(shipment.trackingUrl);
  const facts = [
    shipment.status ? statusLabel(shipment.status) : null,
    shipment.shippedAt !== null ? `shipped ${formatOrderDate(shipment.shippedAt, locale)}` : null,
  ].filter(Boolean);
  return (
    <Box data-testid="order-shipment">
      <Group gap={6} wrap="nowrap" justify="space-between">
        <Group gap={6} wrap="nowrap" miw={0}>
          <IconTruck
            size={14}
            stroke={1.75}
            color="var(--mantine-color-dimmed)"
            style={{ flexShrink: 0 }}
          />
          <Text size="xs" c="dimmed" truncate="end" style={{ flexShrink: 0, maxWidth: '40%' }}>
            {shipment.carrier ?? 'Carrier'}
          </Text>
          {shipment.trackingNumber && (
            <>
              <Text size="xs" ff="monospace" truncate="end" data-testid="order-tracking-number">
                {shipment.trackingNumber}
              </Text>
              <CopyValueButton value={shipment.trackingNumber} label="Copy tracking number" />
            </>
          )}
        </Group>
        {url && (
          <ExternalLink href={url} testId="order-tracking-link">
            Track
          </ExternalLink>
        )}
      </Group>
      {facts.length > 0 && (
        <Text size="xs" c="dimmed" pl={20}>
          {facts.join(' · ')}
        </Text>
      )}
    </Box>
  );
}

function Shipments({ order, locale }: { order: Order; locale?: string }) {
  const shipments = shipmentsOf(order);
  if (shipments.length === 0) {
    return (
      <Group gap={6} c="dimmed" wrap="nowrap">
        <IconTruck size={14} stroke={1.75} />
        <Text size="xs">No shipment yet</Text>
      </Group>
    );
  }
  return (
    <Stack gap={4} data-testid="order-shipping">
      {shipments.map((shipment, index) => (
        <ShipmentRow key={index} shipment={shipment} locale={locale} />
      ))}
    </Stack>
  );
}

function Fact({
  icon,
  children,
  testId,
}: {
  icon: ReactNode;
  children: ReactNode;
  testId: string;
}) {
  return (
    <Group gap={6} wrap="nowrap" align="flex-start" data-testid={testId}>
      <Box c="dimmed" style={{ flexShrink: 0, marginTop: 1, display: 'flex' }}>
        {icon}
      </Box>
      <Box miw={0}>{children}</Box>
    </Group>
  );
}

/** The shop's own words for payment and shipping (`Paid · Partially fulfilled`). */
function ShopStatus({ order }: { order: Order }) {
  const parts = [
    order.financialStatus ? ['Payment', order.financialStatus] : null,
    order.fulfillmentStatus ? ['Shipping', order.fulfillmentStatus] : null,
  ].filter((part): part is string[] => part !== null);
  if (parts.length === 0) return null;
  return (
    <Text size="xs" c="dimmed" data-testid="order-shop-status">
      {parts.map(([label, value], index) => (
        <span key={label}>
          {index > 0 ? ' · ' : ''}
          {label}{' '}
          <Text span size="xs" fw={600} c="var(--mantine-color-text)">
            {value}
          </Text>
        </span>
      ))}
    </Text>
  );
}

export interface OrderDetailsProps {
  readonly order: Order;
  readonly locale?: string;
  /** Set on an order an agent linked to this customer: the details offer to undo it. */
  readonly onUnlink?: (() => void) | null;
  readonly unlinking?: boolean;
}

/**
 * What the expanded card shows: the shop's statuses, items and totals, every shipment with its
 * tracking, returns, the address, notes, and the way to the order in the shop's admin.
 */
export function OrderDetails({
  order,
  locale,
  onUnlink = null,
  unlinking = false,
}: OrderDetailsProps) {
  const adminUrl = safeHttpUrl(order.adminUrl);
  return (
    <Stack gap="xs" px="xs" pb="xs" pt={2}>
      <ShopStatus order={order} />
      <Items order={order} locale={locale} />
      <Shipments order={order} locale={locale} />
      {order.returns.length > 0 && (
        <Fact icon={<IconArrowBackUp size={14} stroke={1.75} />} testId="order-returns">
          {order.returns.map((item, index) => (
            <Text key={index} size="xs">
              Return {item.name}{' '}
              <Text span size="xs" c="dimmed">
                · {statusLabel(item.status)}
              </Text>
            </Text>
          ))}
        </Fact>
      )}
      {order.shippingAddress && order.shippingAddress.length > 0 && (
        <Fact icon={<IconMapPin size={14} stroke={1.75} />} testId="order-address">
          <Text size="xs" c="dimmed">
            {order.shippingAddress.join(', ')}
          </Text>
        </Fact>
      )}
      {order.notes.length > 0 && (
        <Fact icon={<IconMessage2 size={14} stroke={1.75} />} testId="order-notes">
          {order.notes.map((note, index) => (
            <Text key={index} size="xs" c="dimmed" lineClamp={3}>
              {note}
            </Text>
          ))}
        </Fact>
      )}
      {(adminUrl || onUnlink) && (
        <Group justify="space-between" gap="xs" wrap="nowrap">
          {adminUrl ? (
            <ExternalLink href={adminUrl} testId="order-admin-link">
              Open in shop
            </ExternalLink>
          ) : (
            <span />
          )}
          {onUnlink && (
            <Button
              size="compact-xs"
              variant="subtle"
              color="gray"
              leftSection={<IconLinkOff size={12} />}
              loading={unlinking}
              onClick={onUnlink}
              data-testid="order-unlink"
            >
              Unlink
            </Button>
          )}
        </Group>
      )}
    </Stack>
  );
}
