import { Badge, Button, Group, Paper, Stack, Switch, Text, ThemeIcon } from '@mantine/core';
import {
  IconBrandWordpress,
  IconBuildingStore,
  IconCircleCheck,
  IconLock,
  IconPencil,
  IconShoppingBag,
  IconStethoscope,
  IconTrash,
} from '@tabler/icons-react';
import { formatDateTime } from '../../../format/dates';
import { Fact } from '../Fact';
import type { ShopKind, ShopKindView, ShopView } from './shop-api';
import { channelsLabel } from './shop-form';
import type { ShopTest } from './use-shops';

const KIND_ICONS: Record<ShopKind | 'demo', typeof IconShoppingBag> = {
  shopify: IconShoppingBag,
  woocommerce: IconBrandWordpress,
  demo: IconBuildingStore,
};

export function ShopKindIcon({ kind }: { kind: ShopKind | 'demo' }) {
  const Icon = KIND_ICONS[kind];
  return (
    <ThemeIcon variant="light" color={kind === 'demo' ? 'gray' : 'teal'} size={28} radius="sm">
      <Icon size={16} />
    </ThemeIcon>
  );
}

function StatusBadge({ shop }: { shop: ShopView }) {
  const [color, label] = !shop.enabled
    ? ['gray', 'Off']
    : shop.lastError && (shop.lastOkAt ?? 0) < shop.lastError.at
      ? ['orange', 'Needs attention']
      : shop.lastOkAt !== null
        ? ['teal', 'Connected']
        : ['gray', 'Not tested'];
  return (
    <Badge
      color={color}
      variant="light"
      size="sm"
      data-testid="shop-status"
      style={{ flexShrink: 0 }}
    >
      {label}
    </Badge>
  );
}

/** What the last "Test connection" said: the shop's name, or the exact reason it refused. */
export function ShopTestResult({ test }: { test: ShopTest }) {
  if (test.answer?.ok)
    return (
      <Text
        size="xs"
        c="teal"
        data-testid="shop-test-result"
        data-ok="true"
        style={{ minWidth: 0 }}
      >
        <IconCircleCheck size={12} style={{ verticalAlign: -2 }} /> Connected to{' '}
        <Text span inherit fw={600}>
          {test.answer.shopName}
        </Text>
      </Text>
    );
  const reason = test.answer?.ok === false ? test.answer.error : test.failure;
  if (reason === null) return null;
  return (
    <Text
      size="xs"
      c={test.answer ? 'orange' : 'red'}
      data-testid="shop-test-result"
      data-ok="false"
      style={{ minWidth: 0, overflowWrap: 'anywhere' }}
    >
      {reason}
    </Text>
  );
}

function TestButton({ test, onTest }: { test: ShopTest; onTest: () => void }) {
  return (
    <Button
      size="compact-sm"
      variant="light"
      leftSection={<IconStethoscope size={14} />}
      loading={test.running}
      onClick={onTest}
      style={{ flexShrink: 0 }}
      data-testid="shop-test"
    >
      Test connection
    </Button>
  );
}

/** "Test connection" and its answer beside it. */
export function TestConnection({ test, onTest }: { test: ShopTest; onTest: () => void }) {
  return (
    <Group gap="xs" wrap="nowrap" align="center" style={{ minWidth: 0 }}>
      <TestButton test={test} onTest={onTest} />
      <ShopTestResult test={test} />
    </Group>
  );
}

export interface ShopCardProps {
  readonly shop: ShopView;
  /** Its kind as the hub describes it (label, credential names); absent for an unknown kind. */
  readonly kind: ShopKindView | undefined;
  readonly test: ShopTest;
  /** The switch's value while the hub has not answered. */
  readonly pendingEnabled: boolean | null;
  readonly onTest: () => void;
  readonly onEnabled: (enabled: boolean) => void;
  readonly onEdit: () => void;
  readonly onRemove: () => void;
}

/** One connected shop: what it is, whom it serves, how its last test went, and its actions. */
export function ShopCard({
  shop,
  kind,
  test,
  pendingEnabled,
  onTest,
  onEnabled,
  onEdit,
  onRemove,
}: ShopCardProps) {
  const enabled = pendingEnabled ?? shop.enabled;
  return (
    <Paper
      withBorder
      p="md"
      data-testid="shop-card"
      data-shop={shop.id}
      style={{ alignSelf: 'start', minWidth: 0 }}
    >
      <Group justify="space-between" mb="sm" wrap="nowrap" align="flex-start">
        <Group gap="sm" wrap="nowrap" style={{ minWidth: 0 }}>
          <ShopKindIcon kind={shop.kind} />
          <div style={{ minWidth: 0 }}>
            <Text fw={600} size="sm" data-testid="shop-name" style={{ overflowWrap: 'anywhere' }}>
              {shop.name}
            </Text>
            <Text size="xs" c="dimmed">
              {kind?.label ?? shop.kind}
            </Text>
          </div>
        </Group>
        <Group gap="sm" wrap="nowrap" style={{ flexShrink: 0 }}>
          <StatusBadge shop={shop} />
          <Switch
            size="sm"
            checked={enabled}
            disabled={pendingEnabled !== null}
            onChange={(event) => onEnabled(event.currentTarget.checked)}
            aria-label={`Look up orders in ${shop.name}`}
            data-testid="shop-enabled"
          />
        </Group>
      </Group>
      <Stack gap={4}>
        <Fact label="Address">
          <Text size="sm" span data-testid="shop-url">
            {shop.url}
          </Text>
        </Fact>
        <Fact label="Serves">
          <span data-testid="shop-channels">{channelsLabel(shop.channels)}</span>
        </Fact>
        <Fact label="Shop’s own name">
          {shop.shopName === null ? (
            <Text size="sm" c="dimmed" span>
              Not known yet: test the connection
            </Text>
          ) : (
            <span data-testid="shop-own-name">
              {shop.shopName}
              {shop.lastOkAt !== null && (
                <Text size="xs" c="dimmed" span>
                  {' '}
                  · tested {formatDateTime(shop.lastOkAt)}
                </Text>
              )}
            </span>
          )}
        </Fact>
        <Fact label="Credentials">
          <Group gap={4} component="span">
            {(kind?.credentials ?? []).map((credential) => {
              const set = shop.credentials[credential.key]?.set === true;
              return (
                <Badge
                  key={credential.key}
                  size="xs"
                  variant="light"
                  color={set ? 'teal' : 'gray'}
                  leftSection={set ? <IconLock size={10} /> : undefined}
                  data-testid={`shop-credential-${credential.key}`}
                  data-set={set}
                  style={{ textTransform: 'none' }}
                >
                  {credential.label}: {set ? 'set' : 'not set'}
                </Badge>
              );
            })}
          </Group>
        </Fact>
        <Fact label="Last error">
          {shop.lastError === null ? (
            <Text size="sm" c="dimmed" span>
              None
            </Text>
          ) : (
            <Text size="sm" c="orange" span data-testid="shop-last-error">
              {shop.lastError.message} ({formatDateTime(shop.lastError.at)})
            </Text>
          )}
        </Fact>
      </Stack>
      <Group justify="space-between" mt="sm" wrap="nowrap" align="flex-start">
        <TestButton test={test} onTest={onTest} />
        <Group gap={4} wrap="nowrap" style={{ flexShrink: 0 }}>
          <Button
            size="compact-sm"
            variant="subtle"
            color="gray"
            leftSection={<IconPencil size={14} />}
            onClick={onEdit}
            data-testid="shop-edit"
          >
            Edit
          </Button>
          <Button
            size="compact-sm"
            variant="subtle"
            color="red"
            leftSection={<IconTrash size={14} />}
            onClick={onRemove}
            data-testid="shop-remove"
          >
            Remove
          </Button>
        </Group>
      </Group>
      {/* Below the actions, the whole card wide: a shop's reason can be a long sentence. */}
      {(test.answer !== null || test.failure !== null) && (
        <div style={{ marginTop: 6 }}>
          <ShopTestResult test={test} />
        </div>
      )}
    </Paper>
  );
}

/** The hub's own store: always looked up, nothing to configure. */
export function BuiltInStoreNote() {
  return (
    <Paper withBorder p="sm" data-testid="built-in-store" style={{ borderStyle: 'dashed' }}>
      <Group gap="sm" wrap="nowrap" align="flex-start">
        <ShopKindIcon kind="demo" />
        <div style={{ minWidth: 0 }}>
          <Group gap="xs">
            <Text fw={600} size="sm">
              Built-in store
            </Text>
            <Badge size="xs" variant="light" color="gray">
              Always on
            </Badge>
          </Group>
          <Text size="xs" c="dimmed" mt={2}>
            The hub’s own orders (the demo’s and imported files) are looked up for every channel,
            first, beside the shops connected here. It has nothing to set up and cannot be removed.
          </Text>
        </div>
      </Group>
    </Paper>
  );
}
