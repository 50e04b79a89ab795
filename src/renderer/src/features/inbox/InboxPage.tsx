import { useCallback, useEffect, useMemo, useState } from 'react';
import { Alert, Button, EmptyState, Group, Skeleton, Stack, Text } from '@mantine/core';
import { IconInbox, IconPlugConnectedX, IconWifiOff } from '@tabler/icons-react';
import { useNow } from '../../app/clock';
import { describeRetry } from './ConnectionBadge';
import { ConversationList } from './ConversationList';
import type { HubClient } from './hub-client';
import { InboxFilters, SortSelect } from './InboxFilters';
import { InboxHeader } from './InboxHeader';
import {
  classify,
  countByChannel,
  countByState,
  DEFAULT_QUERY,
  matchesChannel,
  MAX_ROWS,
  nextStateChangeAt,
  selectRows,
  type InboxQuery,
  type WindowFilter,
} from './inbox-view';
import { useHubSnapshot } from './useHubClient';

/** Classify again at least this often, whatever `nextStateChangeAt` says (cheap insurance). */
const RECLASSIFY_MS = 60_000;

/**
 * Reads the app clock and tells the page when the list must be classified again: at first, when
 * some window changes state, and once a minute. It renders nothing; it is the one place where
 * the passing of time reaches the page, so the page re-renders at state changes, not every second.
 */
function StateClock({
  classifiedAt,
  nextChangeAt,
  onDue,
}: {
  classifiedAt: number | null;
  nextChangeAt: number | null;
  onDue: (now: number) => void;
}) {
  const now = useNow();
  const due =
    classifiedAt === null ||
    (nextChangeAt !== null && now >= nextChangeAt) ||
    now - classifiedAt >= RECLASSIFY_MS;
  useEffect(() => {
    if (due) onDue(now);
  }, [due, now, onDue]);
  return null;
}

/** "Retrying in 5 s", counting down on the app clock. */
function RetryCountdown({ retryAt }: { retryAt: number | null }) {
  const now = useNow();
  return <>{describeRetry(retryAt, now)}</>;
}

function LoadingRows() {
  return (
    <Stack gap={6} aria-busy="true" aria-label="Loading conversations">
      {Array.from({ length: 8 }, (_, index) => (
        <Skeleton key={index} h={32} radius="sm" />
      ))}
    </Stack>
  );
}

export interface InboxPageProps {
  readonly client: HubClient;
  /** Height of the app header, so the column headers stick below it. */
  readonly stickyOffset: number;
}

/**
 * The live, read-only inbox: the connected layer that reads the hub client and the clock, and
 * hands plain props to the presentational parts.
 */
export function InboxPage({ client, stickyOffset }: InboxPageProps) {
  const snapshot = useHubSnapshot(client);
  const [query, setQuery] = useState<InboxQuery>(DEFAULT_QUERY);
  const [classifiedAt, setClassifiedAt] = useState<number | null>(null);
  const onDue = useCallback((now: number) => setClassifiedAt(now), []);

  const items = useMemo(
    () => (classifiedAt === null ? [] : classify(snapshot.conversations.values(), classifiedAt)),
    [snapshot.conversations, classifiedAt],
  );
  const nextChangeAt = useMemo(
    () => (classifiedAt === null ? null : nextStateChangeAt(items, classifiedAt)),
    [items, classifiedAt],
  );
  const view = useMemo(() => {
    const inChannel = items.filter((item) => matchesChannel(item, query.channel));
    const byState = countByState(inChannel);
    const windowCounts: Record<WindowFilter, number> = {
      all: inChannel.length,
      closing: byState.closing,
      closed: byState.closed,
    };
    const rows = selectRows(items, query);
    return {
      counts: countByState(items),
      channels: countByChannel(items),
      windowCounts,
      total: rows.length,
      shown: rows.slice(0, MAX_ROWS).map((row) => row.conversation),
    };
  }, [items, query]);

  const stale =
    snapshot.loaded && (snapshot.status === 'reconnecting' || snapshot.status === 'offline');
  const retry =
    snapshot.retryAt !== null ? (
      <Button size="compact-xs" variant="light" onClick={() => client.reconnectNow()}>
        Retry now
      </Button>
    ) : null;

  // `items` is empty until the first classification, so this also waits for it.
  const hasRows = snapshot.loaded && items.length > 0;
  let body;
  if (!snapshot.loaded || classifiedAt === null) {
    body =
      snapshot.error === null ? (
        <LoadingRows />
      ) : (
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
  } else if (items.length === 0) {
    body = (
      <EmptyState
        mt="xl"
        icon={<IconInbox size={28} />}
        withIndicatorBackground
        title="No conversations yet"
        description="They appear here as customers write, on every connected channel."
        data-testid="inbox-empty"
      />
    );
  } else if (view.total === 0) {
    body = (
      <EmptyState
        mt="xl"
        icon={<IconInbox size={28} />}
        withIndicatorBackground
        title="Nothing matches these filters"
        description="Conversations that match will appear here as they change."
        data-testid="inbox-no-match"
      >
        <EmptyState.Actions>
          <Button
            size="xs"
            variant="light"
            onClick={() => setQuery({ ...DEFAULT_QUERY, sort: query.sort })}
          >
            Show all conversations
          </Button>
        </EmptyState.Actions>
      </EmptyState>
    );
  } else {
    body = (
      <>
        <ConversationList
          conversations={view.shown}
          total={view.total}
          stickyOffset={stickyOffset}
        />
        {(view.total > view.shown.length || snapshot.truncated) && (
          <Text size="xs" c="dimmed" ta="center" data-testid="row-cap">
            {view.total > view.shown.length
              ? `Showing ${view.shown.length.toLocaleString()} of ${view.total.toLocaleString()} conversations: narrow the list with the filters.`
              : ''}
            {snapshot.truncated
              ? ` Only the newest ${items.length.toLocaleString()} conversations are loaded from the hub.`
              : ''}
          </Text>
        )}
      </>
    );
  }

  return (
    <Stack gap="sm" maw={1400}>
      <StateClock classifiedAt={classifiedAt} nextChangeAt={nextChangeAt} onDue={onDue} />
      <InboxHeader
        summary={hasRows ? { total: items.length, counts: view.counts } : null}
        aside={
          <>
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
                    Not live, showing the last known state.{' '}
                    <RetryCountdown retryAt={snapshot.retryAt} />
                  </Text>
                  {retry}
                </Group>
              </Alert>
            )}
            {hasRows && (
              <SortSelect sort={query.sort} onChange={(sort) => setQuery({ ...query, sort })} />
            )}
          </>
        }
      />
      {hasRows && (
        <InboxFilters
          query={query}
          channels={view.channels}
          windowCounts={view.windowCounts}
          onChange={setQuery}
        />
      )}
      {body}
    </Stack>
  );
}
