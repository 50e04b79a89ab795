import { useMemo, useSyncExternalStore } from 'react';
import {
  dueTargetsOf,
  slaClocks,
  slaSettingsSchema,
  type SlaClocks,
  type SlaDue,
  type SlaFacts,
  type SlaSettings,
} from '../../../../shared/sla';
import type { DataLayer } from '../../data/data-layer';
import { useOptionalData } from '../../data/hooks';

/**
 * The SLA policies and business calendar as the app knows them: read from the cache (Dexie
 * `meta` key `sla`) at once, refreshed from the hub (`GET /api/sla`), and replaced by every
 * `sla.updated` event. One store per data layer, shared by every row and header, so a policy
 * change re-renders what shows a target without each row querying the cache.
 */

/** The settings with their clocks (built once per calendar: they memoise the days they met). */
export interface SlaView {
  readonly settings: SlaSettings;
  readonly clocks: SlaClocks;
}

export interface SlaStore {
  get(): SlaView | null;
  subscribe(listener: () => void): () => void;
  /** Ask the hub for the settings now (after an admin's change); resolves with them. */
  refresh(): Promise<SlaSettings>;
}

const stores = new WeakMap<DataLayer, SlaStore>();

function createSlaStore(layer: DataLayer): SlaStore {
  const listeners = new Set<() => void>();
  let view: SlaView | null = null;
  /** Bumped by each hub answer or event, so a slower cache read never overwrites them. */
  let version = 0;

  const set = (settings: SlaSettings): void => {
    view = { settings, clocks: slaClocks(settings.calendar) };
    for (const listener of listeners) listener();
  };

  layer.db.meta.get('sla').then(
    (row) => {
      const parsed = slaSettingsSchema.safeParse(row?.value);
      if (version === 0 && parsed.success) set(parsed.data);
    },
    () => undefined,
  );
  layer.subscribeEvents((events) => {
    for (const { event } of events) {
      if (event.type !== 'sla.updated') continue;
      version += 1;
      set(event.sla);
    }
  });

  const store: SlaStore = {
    get: () => view,
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    async refresh() {
      const settings = await layer.request('GET', '/api/sla', slaSettingsSchema);
      version += 1;
      await layer.db.meta.put({ key: 'sla', value: settings });
      set(settings);
      return settings;
    },
  };
  // Offline: the cached settings stay in use until the hub answers.
  store.refresh().catch(() => undefined);
  return store;
}

export function slaStoreOf(layer: DataLayer): SlaStore {
  let store = stores.get(layer);
  if (!store) {
    store = createSlaStore(layer);
    stores.set(layer, store);
  }
  return store;
}

const NO_STORE: SlaStore = {
  get: () => null,
  subscribe: () => () => undefined,
  refresh: () => Promise.reject(new Error('Not signed in.')),
};

/** The SLA store of the signed-in session (an empty one outside a data layer). */
export function useSlaStore(): SlaStore {
  const layer = useOptionalData();
  return layer ? slaStoreOf(layer) : NO_STORE;
}

/** The current SLA settings; null until the cache or the hub has them. */
export function useSla(): SlaView | null {
  const store = useSlaStore();
  return useSyncExternalStore(store.subscribe, store.get, store.get);
}

const NONE: readonly SlaDue[] = [];

/**
 * A conversation's running SLA targets with their due instants: recomputed when the
 * conversation or the settings change, not every second (a tick only compares instants).
 */
export function useSlaDue(conversation: SlaFacts | null): readonly SlaDue[] {
  const sla = useSla();
  return useMemo(
    () => (conversation && sla ? dueTargetsOf(conversation, sla.settings, sla.clocks) : NONE),
    [conversation, sla],
  );
}
