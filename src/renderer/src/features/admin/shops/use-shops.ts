import { useCallback, useMemo, useState } from 'react';
import { useData } from '../../../data/hooks';
import { messageOf, useHubResource } from '../use-hub-resource';
import { useSubmit } from '../use-submit';
import {
  SHOPS_PATH,
  shopsAnswerSchema,
  shopsApi,
  type ShopKindView,
  type ShopsApi,
  type ShopTestAnswer,
  type ShopView,
} from './shop-api';

/** A shop's "Test connection": running, and what the last one said. */
export interface ShopTest {
  readonly running: boolean;
  /** The shop's answer through the hub: its name, or the exact reason it refused. */
  readonly answer: ShopTestAnswer | null;
  /** The hub itself could not be asked (offline, refused), in its words. */
  readonly failure: string | null;
}

export const NO_TEST: ShopTest = { running: false, answer: null, failure: null };

export interface Shops {
  readonly shops: readonly ShopView[] | null;
  readonly kinds: readonly ShopKindView[];
  /** Why the list could not be read. */
  readonly loadError: string | null;
  readonly loading: boolean;
  reload(): void;
  readonly api: ShopsApi;
  testOf(id: string): ShopTest;
  /** A shop was connected or edited: its last test says nothing of it now (the hub forgets it too). */
  saved(shop: ShopView): void;
  test(id: string): Promise<void>;
  /** The switch's value while the hub has not answered yet. */
  pendingEnabled(id: string): boolean | null;
  setEnabled(shop: ShopView, enabled: boolean): Promise<void>;
  remove(shop: ShopView): Promise<boolean>;
  /** Why the last switch failed, in the hub's words. */
  readonly switchError: string | null;
  /** Why the last removal failed, in the hub's words. */
  readonly removeError: string | null;
  readonly removing: boolean;
}

/** The Orders page's state: the connected shops and kinds from the hub, and their actions. */
export function useShops(): Shops {
  const layer = useData();
  const api = useMemo(() => shopsApi(layer), [layer]);
  const resource = useHubResource(SHOPS_PATH, shopsAnswerSchema);
  const { reload } = resource;
  const [tests, setTests] = useState<Readonly<Record<string, ShopTest>>>({});
  const [pending, setPending] = useState<Readonly<Record<string, boolean>>>({});
  const switching = useSubmit();
  const removal = useSubmit();
  const { run: runSwitch } = switching;
  const { run: runRemoval } = removal;

  const test = useCallback(
    async (id: string) => {
      setTests((all) => ({ ...all, [id]: { ...NO_TEST, running: true } }));
      let result: ShopTest;
      try {
        result = { running: false, answer: await api.test(id), failure: null };
      } catch (error) {
        result = { running: false, answer: null, failure: messageOf(error) };
      }
      setTests((all) => ({ ...all, [id]: result }));
      // The hub keeps the shop's name or its error: the card's facts follow.
      reload();
    },
    [api, reload],
  );

  const setEnabled = useCallback(
    async (shop: ShopView, enabled: boolean) => {
      setPending((all) => ({ ...all, [shop.id]: enabled }));
      await runSwitch(async () => {
        await api.update(shop.id, { enabled });
      });
      setPending(({ [shop.id]: _done, ...rest }) => rest);
      reload();
    },
    [api, runSwitch, reload],
  );

  const remove = useCallback(
    async (shop: ShopView) => {
      const removed = await runRemoval(() => api.remove(shop.id));
      if (removed) reload();
      return removed;
    },
    [api, runRemoval, reload],
  );

  return {
    shops: resource.data?.shops ?? null,
    kinds: resource.data?.kinds ?? [],
    loadError: resource.error,
    loading: resource.loading,
    reload,
    api,
    testOf: (id) => tests[id] ?? NO_TEST,
    saved: (shop) => {
      setTests(({ [shop.id]: _old, ...rest }) => rest);
      reload();
    },
    test,
    pendingEnabled: (id) => pending[id] ?? null,
    setEnabled,
    remove,
    switchError: switching.error,
    removeError: removal.error,
    removing: removal.busy,
  };
}
