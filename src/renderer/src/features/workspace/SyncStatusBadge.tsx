import { Badge, Tooltip } from '@mantine/core';
import { useOutbox, useSyncStatus } from '../../data/hooks';
import type { SyncPhase } from '../../data/types';
import { countQueuedReplies } from './SyncBanner';

const VIEW: Readonly<Record<SyncPhase, { label: string; color: string }>> = {
  opening: { label: 'Opening…', color: 'gray' },
  first_sync: { label: 'Syncing…', color: 'blue' },
  live: { label: 'Live', color: 'teal' },
  reconnecting: { label: 'Reconnecting…', color: 'yellow' },
  offline: { label: 'Offline', color: 'orange' },
};

/** The header's one word on the connection to the hub, with what waits in the outbox. */
export function SyncStatusBadge() {
  const status = useSyncStatus();
  const view = VIEW[status.phase];
  const queued = countQueuedReplies(useOutbox());
  const label = queued > 0 ? `${view.label} · ${queued} queued` : view.label;
  return (
    <Tooltip
      label={status.error ?? `Up to date with the hub (event ${status.lastSeq.toLocaleString()}).`}
      multiline
      maw={320}
    >
      <Badge
        variant="dot"
        color={view.color}
        size="sm"
        data-testid="hub-status"
        data-phase={status.phase}
      >
        {label}
      </Badge>
    </Tooltip>
  );
}
