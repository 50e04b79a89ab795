import { useCallback, useEffect, useState } from 'react';
import type { z } from 'zod';
import type { HubEventType } from '../../../../shared/protocol/events';
import { HubRequestError } from '../../data/data-layer';
import { useData } from '../../data/hooks';

export interface HubResource<T> {
  /** The last answer; null until the first one. */
  readonly data: T | null;
  /** Why the last read failed, in the hub's words; null when it did not. */
  readonly error: string | null;
  readonly loading: boolean;
  reload(): void;
}

/** The hub's message for a failed request, for an alert. */
export function messageOf(error: unknown): string {
  if (error instanceof HubRequestError) return error.message;
  return error instanceof Error ? error.message : 'The hub could not be reached.';
}

/**
 * An admin list read from the hub (admin data is not in the app's cache): read on mount, on
 * `reload()`, and again when a live event of one of `refreshOn` arrives, so another admin's
 * change shows without a reload.
 */
export function useHubResource<S extends z.ZodType>(
  path: string,
  schema: S,
  refreshOn: readonly HubEventType[] = [],
): HubResource<z.infer<S>> {
  const layer = useData();
  const [round, setRound] = useState(0);
  const [state, setState] = useState<{
    data: z.infer<S> | null;
    error: string | null;
    /** The read this answer is for: until the current one answers, `loading`. */
    round: number;
  }>({ data: null, error: null, round: -1 });
  const reload = useCallback(() => setRound((r) => r + 1), []);
  const refreshKey = refreshOn.join(',');

  useEffect(() => {
    let current = true;
    layer.request('GET', path, schema).then(
      (data: z.infer<S>) => {
        if (current) setState({ data, error: null, round });
      },
      (error: unknown) => {
        if (current) setState((before) => ({ data: before.data, error: messageOf(error), round }));
      },
    );
    return () => {
      current = false;
    };
  }, [layer, path, schema, round]);

  useEffect(() => {
    if (refreshKey === '') return undefined;
    const types = new Set(refreshKey.split(','));
    return layer.subscribeEvents((events) => {
      if (events.some((e) => types.has(e.event.type))) reload();
    });
  }, [layer, refreshKey, reload]);

  return { data: state.data, error: state.error, loading: state.round !== round, reload };
}
