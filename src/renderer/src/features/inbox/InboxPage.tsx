import { useMemo, useState } from 'react';
import { Alert, Box, Button, EmptyState, Group, Text } from '@mantine/core';
import { IconPlugConnectedX, IconWifiOff } from '@tabler/icons-react';
import { useNow } from '../../app/clock';
import type { Me } from '../../data/types';
import { describeRetry } from './ConnectionBadge';
import type { HubClient } from './hub-client';
import { InboxList } from './InboxList';
import { DEFAULT_QUERY, type InboxQuery } from './inbox-view';
import { useHubSnapshot } from './useHubClient';

/** "Retrying in 5 s", counting down on the app clock. */
function RetryCountdown({ retryAt }: { retryAt: number | null }) {
  const now = useNow();
  return <>{describeRetry(retryAt, now)}</>;
}

/** Until the session's user reaches this page, nobody is "me": the list opens on All. */
const NOBODY: Me = { id: '', name: 'You', role: 'agent', email: null };

export interface InboxPageProps {
  readonly client: HubClient;
  /** Height of the app header, so the list fills the rest of the window. */
  readonly stickyOffset: number;
  readonly me?: Me;
}

/**
 * A stop-gap connected layer: the hub client's snapshot fed to the presentational `InboxList`,
 * until the workspace reads the Dexie cache (the integrator replaces this page and the hub client).
 */
export function InboxPage({ client, stickyOffset, me = NOBODY }: InboxPageProps) {
  const snapshot = useHubSnapshot(client);
  const [query, setQuery] = useState<InboxQuery>(() => ({
    ...DEFAULT_QUERY,
    view: me === NOBODY ? 'all' : 'mine',
  }));
  const [selectedId, setSelectedId] = useState<string | null>(null);
  const conversations = useMemo(
    () => [...snapshot.conversations.values()],
    [snapshot.conversations],
  );

  const stale =
    snapshot.loaded && (snapshot.status === 'reconnecting' || snapshot.status === 'offline');
  const retry =
    snapshot.retryAt !== null ? (
      <Button size="compact-xs" variant="light" onClick={() => client.reconnectNow()}>
        Retry now
      </Button>
    ) : null;

  if (!snapshot.loaded && snapshot.error !== null) {
    return (
      <EmptyState
        mt="xl"
        icon={<IconPlugConnectedX size={28} />}
        withIndicatorBackground
        title="Conversations cannot be loaded"
        description={
          <>
            {snapshot.error}
            <br />
            <RetryCountdown retryAt={snapshot.retryAt} />
          </>
        }
        data-testid="inbox-error"
      >
        {retry && <EmptyState.Actions>{retry}</EmptyState.Actions>}
      </EmptyState>
    );
  }

  return (
    <Box
      // AppShell.Main pads by `md` on every side.
      h={`calc(100dvh - ${stickyOffset}px - 2 * var(--mantine-spacing-md))`}
      display="flex"
      style={{ flexDirection: 'column', gap: 8 }}
    >
      {stale && (
        <Alert
          variant="light"
          color="orange"
          p={6}
          icon={<IconWifiOff size={16} />}
          data-testid="inbox-stale"
        >
          <Group gap="xs" wrap="nowrap">
            <Text size="xs">
              Not live, showing the last known state. <RetryCountdown retryAt={snapshot.retryAt} />
            </Text>
            {retry}
          </Group>
        </Alert>
      )}
      <Box
        w={400}
        maw="100%"
        flex={1}
        mih={0}
        style={{
          border: '1px solid var(--mantine-color-default-border)',
          borderRadius: 'var(--mantine-radius-sm)',
          overflow: 'hidden',
        }}
      >
        <InboxList
          conversations={conversations}
          me={me}
          teammates={[]}
          selectedId={selectedId}
          onSelect={setSelectedId}
          loading={!snapshot.loaded}
          query={query}
          onQueryChange={setQuery}
        />
      </Box>
      {snapshot.truncated && (
        <Text size="xs" c="dimmed" data-testid="row-cap">
          Only the newest {conversations.length.toLocaleString()} conversations are loaded from the
          hub.
        </Text>
      )}
    </Box>
  );
}
