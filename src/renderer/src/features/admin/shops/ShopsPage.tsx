import { useState } from 'react';
import { Alert, Button, Group, Loader, Modal, Stack, Text, Title } from '@mantine/core';
import { IconPlus } from '@tabler/icons-react';
import type { Me } from '../../../data/types';
import { LoadFailed } from '../LoadFailed';
import type { ShopView } from './shop-api';
import { BuiltInStoreNote } from './ShopCard';
import { ShopFormModal } from './ShopFormModal';
import { ShopList, ShopsEmptyState } from './ShopList';
import { useShops, type Shops } from './use-shops';

function RemoveShopModal({
  shop,
  shops,
  onClose,
}: {
  readonly shop: ShopView;
  readonly shops: Shops;
  readonly onClose: () => void;
}) {
  return (
    <Modal opened onClose={onClose} title={`Remove “${shop.name}”?`} size="md">
      <Text size="sm" mb="md">
        Agents stop seeing this shop’s orders beside their conversations, and its credentials are
        deleted from the hub. The shop itself is not changed; you can connect it again later.
      </Text>
      {shops.removeError && (
        <Alert color="red" variant="light" mb="md" data-testid="shop-remove-error">
          {shops.removeError}
        </Alert>
      )}
      <Group justify="flex-end" gap="xs">
        <Button variant="default" onClick={onClose}>
          Keep
        </Button>
        <Button
          color="red"
          loading={shops.removing}
          data-testid="shop-remove-confirm"
          onClick={() => {
            void shops.remove(shop).then((removed) => {
              if (removed) onClose();
            });
          }}
        >
          Remove shop
        </Button>
      </Group>
    </Modal>
  );
}

/** Orders (admin): the shops whose orders agents see beside the conversation (issue #17). */
export function ShopsPage({ me: _me }: { me: Me }) {
  const shops = useShops();
  const [editing, setEditing] = useState<ShopView | 'new' | null>(null);
  const [removing, setRemoving] = useState<ShopView | null>(null);
  const list = shops.shops;
  const connect = () => setEditing('new');
  return (
    <Stack gap="md" maw={1200}>
      <Group justify="space-between" align="flex-start" wrap="nowrap">
        <div>
          <Title order={3}>Orders</Title>
          <Text size="sm" c="dimmed">
            The shops the order panel looks up: agents see the customer’s orders and tracking beside
            the conversation.
          </Text>
        </div>
        {list !== null && list.length > 0 && (
          <Button
            leftSection={<IconPlus size={16} />}
            onClick={connect}
            data-testid="connect-shop"
            style={{ flexShrink: 0 }}
          >
            Connect a shop
          </Button>
        )}
      </Group>
      {shops.loadError && (
        <LoadFailed
          title="The shops could not be loaded"
          error={shops.loadError}
          onRetry={shops.reload}
        />
      )}
      {shops.switchError && (
        <Alert color="red" variant="light" data-testid="shop-switch-error">
          {shops.switchError}
        </Alert>
      )}
      {list === null ? (
        shops.loading && (
          <Group justify="center" p="xl">
            <Loader size="sm" />
          </Group>
        )
      ) : list.length === 0 ? (
        <ShopsEmptyState kinds={shops.kinds} onConnect={connect} />
      ) : (
        <ShopList
          shops={list}
          kinds={shops.kinds}
          testOf={shops.testOf}
          pendingEnabled={shops.pendingEnabled}
          onTest={(shop) => void shops.test(shop.id)}
          onEnabled={(shop, enabled) => void shops.setEnabled(shop, enabled)}
          onEdit={setEditing}
          onRemove={setRemoving}
        />
      )}
      {list !== null && <BuiltInStoreNote />}
      {editing !== null && (
        <ShopFormModal
          shop={editing === 'new' ? null : editing}
          kinds={shops.kinds}
          api={shops.api}
          onSaved={shops.saved}
          onClose={() => setEditing(null)}
          testOf={shops.testOf}
          onTest={(id) => void shops.test(id)}
        />
      )}
      {removing !== null && (
        <RemoveShopModal shop={removing} shops={shops} onClose={() => setRemoving(null)} />
      )}
    </Stack>
  );
}
