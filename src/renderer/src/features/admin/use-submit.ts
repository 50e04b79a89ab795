import { useCallback, useRef, useState } from 'react';
import { messageOf } from './use-hub-resource';

export interface Submit {
  /** An action is running: disable its button. */
  readonly busy: boolean;
  /** Why the last action failed, in the hub's words; null when it did not. */
  readonly error: string | null;
  /** Show a problem found before asking the hub (or clear it). */
  setError(message: string | null): void;
  /**
   * Run `action`, one at a time: `busy` while it runs, the error cleared first and its failure
   * in `error` after — in the hub's words, or as `explain` says (null: nothing to add, e.g. the
   * form shows the hub's field errors beside the fields). Resolves to whether it succeeded.
   */
  run(action: () => Promise<void>, explain?: (failure: unknown) => string | null): Promise<boolean>;
}

/** The busy and error state every admin form and dialog keeps around its hub request. */
export function useSubmit(): Submit {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const running = useRef(false);
  const run = useCallback(
    async (
      action: () => Promise<void>,
      explain: (failure: unknown) => string | null = messageOf,
    ): Promise<boolean> => {
      if (running.current) return false;
      running.current = true;
      setBusy(true);
      setError(null);
      try {
        await action();
        return true;
      } catch (failure) {
        setError(explain(failure));
        return false;
      } finally {
        running.current = false;
        setBusy(false);
      }
    },
    [],
  );
  return { busy, error, setError, run };
}
