import { Badge, VisuallyHidden } from '@mantine/core';
import { useNow } from '../../app/clock';
import type { HubConnectionStatus } from './hub-client';

export interface ConnectionProps {
  readonly status: HubConnectionStatus;
  /** In the app clock's time, like `now`. */
  readonly retryAt: number | null;
}

/** Whole seconds until `retryAt`, at least 1 (a retry due now is about to start). */
function secondsUntil(retryAt: number, now: number): string {
  return `${Math.max(1, Math.ceil((retryAt - now) / 1000))} s`;
}

/** "Retrying in 5 s", or "Retrying…" while an attempt is under way. */
export function describeRetry(retryAt: number | null, now: number): string {
  return retryAt === null ? 'Retrying…' : `Retrying in ${secondsUntil(retryAt, now)}`;
}

/** "Live", "Reconnecting in 5 s", "Offline · retrying in 12 s". */
export function describeConnection({ status, retryAt }: ConnectionProps, now: number): string {
  const wait = retryAt === null ? null : secondsUntil(retryAt, now);
  switch (status) {
    case 'live':
      return 'Live';
    case 'connecting':
      return 'Connecting…';
    case 'reconnecting':
      return wait ? `Reconnecting in ${wait}` : 'Reconnecting…';
    case 'offline':
      return wait ? `Offline · retrying in ${wait}` : 'Offline';
  }
}

const COLORS: Readonly<Record<HubConnectionStatus, string>> = {
  live: 'teal',
  connecting: 'gray',
  reconnecting: 'orange',
  offline: 'red',
};

/** Announced when the status changes; the countdown itself is not (it changes every second). */
const ANNOUNCED: Readonly<Record<HubConnectionStatus, string>> = {
  live: 'Connected to the hub, updating live',
  connecting: 'Connecting to the hub',
  reconnecting: 'Connection to the hub lost, reconnecting',
  offline: 'The hub cannot be reached',
};

export function ConnectionBadge({ connection, now }: { connection: ConnectionProps; now: number }) {
  return (
    <>
      <Badge
        variant="dot"
        color={COLORS[connection.status]}
        size="sm"
        data-testid="connection-status"
        data-status={connection.status}
      >
        {describeConnection(connection, now)}
      </Badge>
      <VisuallyHidden role="status">{ANNOUNCED[connection.status]}</VisuallyHidden>
    </>
  );
}

/** The badge on the app clock, so "retrying in N s" counts down. */
export function LiveConnectionBadge({ connection }: { connection: ConnectionProps }) {
  const now = useNow();
  return <ConnectionBadge connection={connection} now={now} />;
}
