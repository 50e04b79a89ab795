import { useEffect, useMemo, useSyncExternalStore } from 'react';
import { setHubTime } from '../../app/clock';
import {
  createHubClient,
  type HubClient,
  type HubConnectionStatus,
  type HubSnapshot,
} from './hub-client';

/**
 * The hub client of a signed-in session: one per token, started while mounted. Creating it is
 * pure (useMemo); starting and stopping are effects, and a stopped client resumes from its last
 * seq when React mounts it again.
 */
export function useHubClient(
  hubUrl: string | null,
  token: string | null,
  onSessionEnded: () => void,
): HubClient | null {
  const client = useMemo(
    () =>
      hubUrl && token
        ? createHubClient({ hubUrl, token, onHubTime: setHubTime, onSessionEnded })
        : null,
    [hubUrl, token, onSessionEnded],
  );
  useEffect(() => {
    if (!client) return undefined;
    client.start();
    return () => client.stop();
  }, [client]);
  return client;
}

export function useHubSnapshot(client: HubClient): HubSnapshot {
  return useSyncExternalStore(client.subscribe, client.getSnapshot);
}

const noSubscription = (): (() => void) => () => undefined;

export interface HubConnection {
  readonly status: HubConnectionStatus;
  readonly retryAt: number | null;
}

/**
 * Only the connection of a client, for the app header: it re-renders when the status or the
 * retry time changes, not on every conversation event.
 */
export function useHubConnection(client: HubClient | null): HubConnection | null {
  const subscribe = client ? client.subscribe : noSubscription;
  const status = useSyncExternalStore(subscribe, () => client?.getSnapshot().status ?? null);
  const retryAt = useSyncExternalStore(subscribe, () => client?.getSnapshot().retryAt ?? null);
  return status === null ? null : { status, retryAt };
}
