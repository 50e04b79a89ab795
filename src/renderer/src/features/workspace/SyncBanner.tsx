import { Alert, Button, Group, Progress, Text } from '@mantine/core';
import { IconCloudOff, IconRefresh } from '@tabler/icons-react';
import { useNow } from '../../app/clock';
import type { OutboxEntry, SyncStatus } from '../../data/types';

/** Replies waiting to go (not the agent's other changes, and not those the hub refused). */
export function countQueuedReplies(entries: readonly OutboxEntry[] | undefined): number {
  let count = 0;
  for (const entry of entries ?? []) {
    if (entry.command.type === 'send_message' && entry.state !== 'failed') count += 1;
  }
  return count;
}

/** "in 12 s", "in 2 min", "now", on the app clock. */
export function retryIn(retryAt: number | null, now: number): string {
  if (retryAt === null) return '';
  const seconds = Math.max(0, Math.ceil((retryAt - now) / 1000));
  if (seconds === 0) return 'Retrying now…';
  if (seconds < 60) return `Retrying in ${seconds} s.`;
  return `Retrying in ${Math.ceil(seconds / 60)} min.`;
}

function RetryCountdown({ retryAt }: { retryAt: number | null }) {
  const now = useNow();
  return <>{retryIn(retryAt, now)}</>;
}

/**
 * The one line that says how the app stands with the hub, shown only when it matters: while the
 * first sync pages the hub's data in (with progress), and while the hub cannot be reached (calm:
 * what is cached stays readable, replies wait in the outbox).
 */
export function SyncBanner({
  status,
  queuedReplies,
  onRetryNow,
}: {
  status: SyncStatus;
  /** Replies waiting in the outbox (`countQueuedReplies`). */
  queuedReplies: number;
  onRetryNow: () => void;
}) {
  if (status.phase === 'first_sync' && status.progress) {
    const { conversations, messages, totalConversations } = status.progress;
    const value =
      totalConversations && totalConversations > 0
        ? Math.min(100, (conversations / totalConversations) * 100)
        : null;
    return (
      <Group
        gap="sm"
        px="sm"
        py={6}
        wrap="nowrap"
        data-testid="first-sync"
        style={{ borderBottom: '1px solid var(--mantine-color-default-border)' }}
      >
        <Text size="xs" c="dimmed" style={{ whiteSpace: 'nowrap' }}>
          Loading from the hub: {conversations.toLocaleString()}
          {totalConversations
            ? ` of ${totalConversations.toLocaleString()}`
            : ''} conversations, {messages.toLocaleString()} messages
        </Text>
        <Progress
          value={value ?? 100}
          animated={value === null}
          striped={value === null}
          size="sm"
          style={{ flex: 1 }}
          aria-label="First sync progress"
        />
      </Group>
    );
  }
  if (status.phase !== 'offline' && status.phase !== 'reconnecting') return null;
  const queued = queuedReplies;
  return (
    <Alert
      variant="light"
      color={status.phase === 'offline' ? 'orange' : 'gray'}
      radius={0}
      py={6}
      icon={<IconCloudOff size={16} />}
      data-testid="offline-banner"
      styles={{ wrapper: { alignItems: 'center' } }}
    >
      <Group gap="sm" wrap="nowrap" justify="space-between">
        <Text size="xs">
          {status.phase === 'offline' ? 'The hub cannot be reached' : 'Reconnecting to the hub'}
          {' — '}
          everything cached stays readable
          {queued > 0
            ? `; ${queued} ${queued === 1 ? 'reply is' : 'replies are'} queued and will be sent when it is back.`
            : '; replies are queued and sent when it is back.'}{' '}
          <Text span size="xs" c="dimmed">
            <RetryCountdown retryAt={status.retryAt} />
          </Text>
        </Text>
        {status.retryAt !== null && (
          <Button
            size="compact-xs"
            variant="light"
            color="gray"
            leftSection={<IconRefresh size={12} />}
            onClick={onRetryNow}
          >
            Retry now
          </Button>
        )}
      </Group>
    </Alert>
  );
}
