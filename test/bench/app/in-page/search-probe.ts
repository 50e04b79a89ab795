import { readConversations } from '../../../../src/renderer/src/data/cache-writes';
import {
  cachedOrdersByNumber,
  createDataLayer,
} from '../../../../src/renderer/src/data/data-layer';
import type { Me } from '../../../../src/renderer/src/data/types';
import {
  classify,
  DEFAULT_QUERY,
  newestConversationsFirst,
  selectInbox,
} from '../../../../src/renderer/src/features/inbox/inbox-view';
import { searchPalette } from '../../../../src/renderer/src/features/shortcuts/palette-search';

/**
 * Times the searches of issue 12, item 7 on the seeded cache, in the page, on the app's own
 * functions: the message search (IndexedDB), the inbox selection with a search (every status),
 * and the command palette's customer search, each the median of `rounds` after one warm-up.
 */

export interface SearchProbeRequest {
  readonly hubUrl: string;
  readonly me: Me;
  readonly rounds: number;
  readonly messageQueries: readonly string[];
  readonly paletteQueries: readonly string[];
}

export interface Timing {
  readonly query: string;
  readonly medianMs: number;
  readonly maxMs: number;
  /** Conversations found (message search, inbox rows) or palette entries. */
  readonly found: number;
}

export interface SearchProbeResult {
  readonly conversations: number;
  readonly messageSearch: readonly Timing[];
  /** A message search aborted 1 ms after it started: how long until it gave up. */
  readonly abortedAfterMs: number;
  readonly inboxSelection: readonly Timing[];
  readonly palette: readonly Timing[];
  readonly orderLookupMs: number;
}

const median = (values: readonly number[]): number => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? Number.NaN;
};

async function timeRounds<T>(
  rounds: number,
  run: () => Promise<T> | T,
  size: (value: T) => number,
): Promise<{ medianMs: number; maxMs: number; found: number }> {
  let found = size(await run());
  const times: number[] = [];
  for (let i = 0; i < rounds; i++) {
    const start = performance.now();
    found = size(await run());
    times.push(performance.now() - start);
  }
  return { medianMs: median(times), maxMs: Math.max(...times), found };
}

async function probe(request: SearchProbeRequest): Promise<SearchProbeResult> {
  const layer = createDataLayer({
    hubUrl: request.hubUrl,
    token: 'bench',
    me: request.me,
    // Its own connection, never the app's early-opened one; the layer is never started.
    dexie: { indexedDB, IDBKeyRange },
  });
  const { conversations } = await readConversations(layer.db);
  const newest = newestConversationsFirst(conversations);
  const items = classify(newest, Date.now());

  const messageSearch: Timing[] = [];
  const lines = new Map<string, ReadonlyMap<string, string>>();
  for (const query of request.messageQueries) {
    const timing = await timeRounds(
      request.rounds,
      () => layer.searchMessages(query),
      (found) => {
        lines.set(query, found);
        return found.size;
      },
    );
    messageSearch.push({ query, ...timing });
  }

  const abort = new AbortController();
  const abortStart = performance.now();
  const aborted = layer.searchMessages(request.messageQueries[0] ?? 'a', abort.signal);
  setTimeout(() => abort.abort(), 1);
  await aborted.catch(() => undefined);
  const abortedAfterMs = performance.now() - abortStart;

  const inboxSelection: Timing[] = [];
  for (const query of request.messageQueries) {
    const timing = await timeRounds(
      request.rounds,
      () =>
        selectInbox(
          items,
          { ...DEFAULT_QUERY, view: 'all', text: query },
          { meId: request.me.id, messageMatches: lines.get(query) ?? null },
        ),
      (selection) => selection.rows.length,
    );
    inboxSelection.push({ query, ...timing });
  }

  const palette: Timing[] = [];
  for (const query of request.paletteQueries) {
    const timing = await timeRounds(
      request.rounds,
      () => searchPalette(query, newest, []),
      (results) => results.customers.length + results.conversations.length,
    );
    palette.push({ query, ...timing });
  }
  const orderLookup = await timeRounds(
    request.rounds,
    () => cachedOrdersByNumber(layer.db, '1043'),
    (rows) => rows.length,
  );
  layer.close();
  return {
    conversations: conversations.length,
    messageSearch,
    abortedAfterMs,
    inboxSelection,
    palette,
    orderLookupMs: orderLookup.medianMs,
  };
}

Object.assign(globalThis, { __benchSearch: probe });
