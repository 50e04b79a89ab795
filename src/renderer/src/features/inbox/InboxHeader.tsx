import type { ReactNode } from 'react';
import { Group, Text, Title } from '@mantine/core';
import type { StateCounts } from './inbox-view';

export interface InboxHeaderProps {
  /** `null` until the conversations have loaded: no counts are better than wrong zeros. */
  readonly summary: { readonly total: number; readonly counts: StateCounts } | null;
  /** Shown at the right, aligned with the counts: the stale-data notice, the sort. */
  readonly aside?: ReactNode;
}

function Count({ value, label, color }: { value: number; label: string; color: string }) {
  return (
    <Text span size="sm" c="dimmed">
      <Text span size="sm" fw={600} c={value > 0 ? color : 'dimmed'}>
        {value.toLocaleString()}
      </Text>{' '}
      {label}
    </Text>
  );
}

/** The inbox title and what is at risk right now, by reply-window state. */
export function InboxHeader({ summary, aside }: InboxHeaderProps) {
  return (
    <Group justify="space-between" align="flex-end" wrap="nowrap" gap="md">
      <div>
        <Title order={3}>Inbox</Title>
        {summary && <Summary {...summary} />}
      </div>
      <Group gap="sm" wrap="nowrap">
        {aside}
      </Group>
    </Group>
  );
}

function Summary({ total, counts }: { total: number; counts: StateCounts }) {
  return (
    <Group gap={6} data-testid="window-counts" wrap="wrap">
      <Text span size="sm" c="dimmed">
        {total.toLocaleString()} {total === 1 ? 'conversation' : 'conversations'}
      </Text>
      <Text span size="sm" c="dimmed" aria-hidden>
        ·
      </Text>
      <Count value={counts.closing} label="closing soon" color="orange" />
      <Text span size="sm" c="dimmed" aria-hidden>
        ·
      </Text>
      <Count value={counts.closed} label="closed" color="red" />
      <Text span size="sm" c="dimmed" aria-hidden>
        ·
      </Text>
      <Count value={counts.open} label="open" color="teal" />
    </Group>
  );
}
