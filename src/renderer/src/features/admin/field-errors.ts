import { useCallback, useMemo, useState } from 'react';
import type { FieldError } from '../../../../shared/protocol/field-errors';
import { HubRequestError } from '../../data/data-layer';
import { messageOf } from './use-hub-resource';

/**
 * Where an admin form shows its errors: beside the field (`path`, as the hub and the shared
 * schemas name it: `weeklyHours.mon.0`, `shortcut`), once the user has touched that field or
 * pressed Save — never on a fresh form. Two sources:
 * - the form's own check with the shared schema (`client`), live while the user types;
 * - the hub's refusal (`details.fields` of a 400 or 409, e.g. a taken shortcut), shown until the
 *   value of that field changes.
 * The older admin forms use this small part of what `@mantine/form` does; the Orders page's
 * form (shops/use-shop-editor.ts) uses `@mantine/form` itself.
 */

/** `a` and `b` are one field, or one holds the other (`weeklyHours.mon` and `weeklyHours.mon.0`). */
export const related = (a: string, b: string): boolean =>
  a === b || a.startsWith(`${b}.`) || b.startsWith(`${a}.`) || a === '' || b === '';

const under = (path: string, root: string): boolean => path === root || path.startsWith(`${root}.`);

/** The value at a dotted path of a form's value (undefined when there is none). */
export function valueAt(value: unknown, path: string): unknown {
  if (path === '') return value;
  let current: unknown = value;
  for (const key of path.split('.')) {
    if (current === null || typeof current !== 'object') return undefined;
    current = (current as Record<string, unknown>)[key];
  }
  return current;
}

const snapshot = (value: unknown, path: string): string =>
  JSON.stringify(valueAt(value, path)) ?? 'undefined';

interface HubFieldError extends FieldError {
  /** The field's value when the hub refused it: the error holds while the value does. */
  readonly was: string;
}

export interface FieldErrorState {
  readonly touched: readonly string[];
  readonly submitted: boolean;
  readonly hub: readonly HubFieldError[];
}

export const NO_ERRORS: FieldErrorState = { touched: [], submitted: false, hub: [] };

/** The errors to show now, in order: the hub's first, then the form's own. */
export function visibleErrors(
  state: FieldErrorState,
  client: readonly FieldError[],
  value: unknown,
): FieldError[] {
  const hub = state.hub.filter((error) => snapshot(value, error.path) === error.was);
  const own = client.filter(
    (error) => state.submitted || state.touched.some((path) => related(path, error.path)),
  );
  const seen = new Set<string>();
  const shown: FieldError[] = [];
  for (const error of [...hub, ...own]) {
    const key = `${error.path}\u0000${error.message}`;
    if (seen.has(key)) continue;
    seen.add(key);
    shown.push({ path: error.path, message: error.message });
  }
  return shown;
}

export interface FieldErrors {
  /** Every error shown now. */
  readonly shown: readonly FieldError[];
  /** The messages of the field at `path`; with `deep`, of the fields under it too. */
  at(path: string, deep?: boolean): string[];
  /** The messages at `path` as one line, or undefined: for an input's `error`. */
  of(path: string, deep?: boolean): string | undefined;
  /** The user left (or changed) the field at `path`: its errors may show. */
  touch(path: string): void;
  /** Save was pressed: every error of the form shows. Whether there are none. */
  submit(): boolean;
  /**
   * The hub refused the save: its field errors show beside their fields. Returns what to say
   * in general (the hub's message when it named no field, or the error's message), or null.
   */
  refused(error: unknown): string | null;
  /** Shown errors under none of `roots` (fields the form does not draw), for a general note. */
  unplaced(roots: readonly string[]): string[];
  /** Back to a fresh form (a new draft, a saved one). */
  reset(): void;
}

export function useFieldErrors(value: unknown, client: readonly FieldError[]): FieldErrors {
  const [state, setState] = useState<FieldErrorState>(NO_ERRORS);
  const shown = useMemo(() => visibleErrors(state, client, value), [state, client, value]);
  const at = useCallback(
    (path: string, deep = false) =>
      shown
        .filter((error) => (deep ? under(error.path, path) : error.path === path))
        .map((error) => error.message),
    [shown],
  );
  const touch = useCallback((path: string) => {
    setState((s) => (s.touched.includes(path) ? s : { ...s, touched: [...s.touched, path] }));
  }, []);
  return {
    shown,
    at,
    of: (path, deep) => {
      const messages = at(path, deep);
      return messages.length === 0 ? undefined : messages.join(' · ');
    },
    touch,
    submit: () => {
      setState((s) => ({ ...s, submitted: true }));
      return client.length === 0;
    },
    refused: (error) => {
      const fields = error instanceof HubRequestError ? error.fields : [];
      setState((s) => ({
        ...s,
        submitted: true,
        hub: fields.map((field) => ({ ...field, was: snapshot(value, field.path) })),
      }));
      return fields.length === 0 ? messageOf(error) : null;
    },
    unplaced: (roots) =>
      shown
        .filter((error) => !roots.some((root) => under(error.path, root)))
        .map((error) => error.message),
    reset: () => setState(NO_ERRORS),
  };
}
