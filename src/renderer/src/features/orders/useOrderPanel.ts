import {
  useCallback,
  useEffect,
  useImperativeHandle,
  useMemo,
  useRef,
  useState,
  type KeyboardEvent,
  type Ref,
  type RefObject,
} from 'react';
import type { Order } from '../../../../shared/domain/model';
import { searchTermOf, sortNewestFirst } from './order-format';

export interface OrderPanelHandle {
  /** Focus the order-number search and select what is in it (the `o` shortcut). */
  focusSearch(): void;
}

export type SearchState =
  | { readonly kind: 'idle' }
  | { readonly kind: 'searching'; readonly term: string }
  | { readonly kind: 'results'; readonly term: string; readonly orders: readonly Order[] }
  | { readonly kind: 'error'; readonly term: string; readonly message: string };

const IDLE: SearchState = { kind: 'idle' };

function messageOf(error: unknown): string {
  return error instanceof Error && error.message ? error.message : 'The order search failed.';
}

export interface OrderPanelState {
  readonly inputRef: RefObject<HTMLInputElement | null>;
  readonly query: string;
  setQuery(query: string): void;
  readonly search: SearchState;
  runSearch(raw: string): void;
  clearSearch(): void;
  onSearchKeyDown(event: KeyboardEvent<HTMLInputElement>): void;
  /** The newest order is open unless the agent closed it; others open when clicked. */
  isExpanded(orderId: string): boolean;
  toggle(orderId: string): void;
}

/**
 * The panel's own state: the search by number (only the latest search may show its answer),
 * which cards are open, and the focus handle for the `o` shortcut.
 */
export function useOrderPanel({
  orders,
  onSearch,
  ref,
}: {
  readonly orders: readonly Order[];
  readonly onSearch: (number: string) => Promise<Order[]>;
  readonly ref?: Ref<OrderPanelHandle>;
}): OrderPanelState {
  const inputRef = useRef<HTMLInputElement>(null);
  const [query, setQuery] = useState('');
  const [search, setSearch] = useState<SearchState>(IDLE);
  const [toggled, setToggled] = useState<ReadonlyMap<string, boolean>>(new Map());
  const latestSearch = useRef(0);

  useImperativeHandle(
    ref,
    () => ({
      focusSearch() {
        const input = inputRef.current;
        if (!input) return;
        input.focus();
        input.select();
        input.scrollIntoView({ block: 'nearest' });
      },
    }),
    [],
  );

  useEffect(
    () => () => {
      latestSearch.current += 1;
    },
    [],
  );

  const runSearch = useCallback(
    (raw: string) => {
      const term = searchTermOf(raw);
      const id = ++latestSearch.current;
      if (term === '') {
        setSearch(IDLE);
        return;
      }
      setSearch({ kind: 'searching', term });
      onSearch(term).then(
        (found) => {
          if (latestSearch.current === id) setSearch({ kind: 'results', term, orders: found });
        },
        (failure: unknown) => {
          if (latestSearch.current === id) {
            setSearch({ kind: 'error', term, message: messageOf(failure) });
          }
        },
      );
    },
    [onSearch],
  );

  const clearSearch = useCallback(() => {
    latestSearch.current += 1;
    setQuery('');
    setSearch(IDLE);
  }, []);

  const onSearchKeyDown = (event: KeyboardEvent<HTMLInputElement>) => {
    if (event.key === 'Enter') {
      event.preventDefault();
      runSearch(query);
    } else if (event.key === 'Escape' && (query !== '' || search.kind !== 'idle')) {
      // The first Escape clears the search; the next one leaves the field.
      event.preventDefault();
      clearSearch();
    }
  };

  const shown = search.kind === 'results' ? search.orders : orders;
  const newestId = useMemo(() => sortNewestFirst(shown)[0]?.id ?? null, [shown]);
  const isExpanded = (id: string): boolean => toggled.get(id) ?? id === newestId;
  const toggle = useCallback(
    (id: string) =>
      setToggled((previous) => {
        const next = new Map(previous);
        next.set(id, !(previous.get(id) ?? id === newestId));
        return next;
      }),
    [newestId],
  );

  return {
    inputRef,
    query,
    setQuery,
    search,
    runSearch,
    clearSearch,
    onSearchKeyDown,
    isExpanded,
    toggle,
  };
}
