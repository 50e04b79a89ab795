import { Button, Paper, SimpleGrid, Stack, Text, ThemeIcon, Title } from '@mantine/core';
import { IconPackage, IconPlus } from '@tabler/icons-react';
import type { ShopKindView, ShopView } from './shop-api';
import { ShopCard } from './ShopCard';
import type { ShopTest } from './use-shops';

/** No shop connected yet: what connecting one gives agents, and the way to do it. */
export function ShopsEmptyState({
  kinds,
  onConnect,
}: {
  readonly kinds: readonly ShopKindView[];
  readonly onConnect: () => void;
}) {
  const names = kinds.map((kind) => kind.label).join(' or ') || 'Shopify or WooCommerce';
  return (
    <Paper withBorder p="xl" data-testid="shops-empty">
      <Stack align="center" gap="sm" maw={560} mx="auto" ta="center">
        <ThemeIcon variant="light" color="teal" size={44} radius="xl">
          <IconPackage size={24} />
        </ThemeIcon>
        <Title order={4}>No shop connected yet</Title>
        <Text size="sm" c="dimmed">
          Connect your {names} shop and agents see the customer’s orders — items, payment, shipping
          and tracking — beside the conversation, live, without leaving the inbox. Order details
          fill quick replies and template variables too.
        </Text>
        <Button leftSection={<IconPlus size={16} />} onClick={onConnect} data-testid="connect-shop">
          Connect a shop
        </Button>
      </Stack>
    </Paper>
  );
}

export interface ShopListProps {
  readonly shops: readonly ShopView[];
  readonly kinds: readonly ShopKindView[];
  testOf(id: string): ShopTest;
  pendingEnabled(id: string): boolean | null;
  onTest(shop: ShopView): void;
  onEnabled(shop: ShopView, enabled: boolean): void;
  onEdit(shop: ShopView): void;
  onRemove(shop: ShopView): void;
}

/** The connected shops, oldest first (the order they were connected in). */
export function ShopList({
  shops,
  kinds,
  testOf,
  pendingEnabled,
  onTest,
  onEnabled,
  onEdit,
  onRemove,
}: ShopListProps) {
  const ordered = [...shops].sort((a, b) => a.createdAt - b.createdAt);
  return (
    <SimpleGrid cols={{ base: 1, md: 2, xl: 3 }} spacing="sm" data-testid="shop-list">
      {ordered.map((shop) => (
        <ShopCard
          key={shop.id}
          shop={shop}
          kind={kinds.find((kind) => kind.kind === shop.kind)}
          test={testOf(shop.id)}
          pendingEnabled={pendingEnabled(shop.id)}
          onTest={() => onTest(shop)}
          onEnabled={(enabled) => onEnabled(shop, enabled)}
          onEdit={() => onEdit(shop)}
          onRemove={() => onRemove(shop)}
        />
      ))}
    </SimpleGrid>
  );
}
