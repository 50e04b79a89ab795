import type { ReactNode } from 'react';
import { Badge, Group, Loader, Paper, Skeleton, Stack, Text } from '@mantine/core';
import { IconAlertTriangle, IconBuildingStore } from '@tabler/icons-react';
import { formatWhen } from '../../format/dates';
import type { OrderGroup } from './order-groups';

export function LoadingCards({ count = 2 }: { count?: number }) {
  return (
    <Stack gap="xs" aria-busy="true" aria-label="Loading orders">
      {Array.from({ length: count }, (_, index) => (
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

/** `Cached · updated 14:32`: the orders shown are not the shop's answer now. */
function cachedLabel(fetchedAt: number | null, now: number, locale?: string): string {
  return fetchedAt === null
    ? 'Cached'
    : `Cached · updated ${formatWhen(fetchedAt, now, locale ? { locale } : undefined)}`;
}

export interface OrderSourceGroupProps {
  readonly group: OrderGroup;
  /** The group's cards. */
  readonly children: ReactNode;
  /** For "updated 14:32" (today) or "Tue 14:32". */
  readonly now: number;
  readonly locale?: string;
}

/**
 * One shop's part of the panel: its name, how many orders, whether it is still asking, and
 * when the shop failed, the hub's reason above the orders cached for it (marked as cached).
 */
export function OrderSourceGroup({ group, children, now, locale }: OrderSourceGroupProps) {
  const { source } = group;
  const loading = source?.state === 'loading';
  const failed = source?.state === 'error';
  const cached = source !== null && !loading && (failed || source.stale);
  return (
    <Stack
      gap={6}
      data-testid="order-source"
      data-source-id={group.id}
      data-state={source?.state ?? 'cache'}
      aria-label={`Orders from ${group.name}`}
    >
      <Group justify="space-between" wrap="nowrap" gap="xs" mih={20}>
        <Group gap={6} wrap="nowrap" miw={0}>
          <IconBuildingStore
            size={14}
            stroke={1.75}
            color="var(--mantine-color-dimmed)"
            style={{ flexShrink: 0 }}
          />
          <Text size="xs" fw={600} c="dimmed" truncate="end" tt="uppercase" lts={0.3}>
            {group.name}
          </Text>
          {group.orders.length > 0 && (
            <Badge
              size="xs"
              variant="default"
              radius="sm"
              style={{ fontVariantNumeric: 'tabular-nums', flexShrink: 0 }}
            >
              {group.orders.length}
            </Badge>
          )}
        </Group>
        {loading ? (
          <Loader size={12} aria-label={`Asking ${group.name}`} />
        ) : cached && group.orders.length > 0 ? (
          <Text size="xs" c="dimmed" style={{ flexShrink: 0 }} data-testid="order-source-cached">
            {cachedLabel(source.fetchedAt, now, locale)}
          </Text>
        ) : group.orders.length === 0 && !failed ? (
          <Text size="xs" c="dimmed" style={{ flexShrink: 0 }}>
            No orders
          </Text>
        ) : null}
      </Group>
      {failed && (
        <Group
          gap={6}
          wrap="nowrap"
          align="flex-start"
          c="var(--mantine-color-error)"
          data-testid="order-source-error"
        >
          <IconAlertTriangle size={14} stroke={1.75} style={{ flexShrink: 0, marginTop: 1 }} />
          <Text size="xs" lineClamp={3} title={source.error ?? undefined}>
            {source.error ?? `${group.name} did not answer.`}
          </Text>
        </Group>
      )}
      {loading && group.orders.length === 0 ? <LoadingCards count={1} /> : children}
    </Stack>
  );
}
