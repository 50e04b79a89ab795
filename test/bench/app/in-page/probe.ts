/**
 * Installed in every page of the benchmark's browser before the page's own scripts (Playwright
 * `addInitScript`). It times what the benchmark asks inside the page, on the page's clock
 * (`performance.now()`, whose zero is the start of the navigation), so Playwright's polling and
 * the CDP round trips never count. "Rendered" always means: the first task after the frame that
 * painted it (a rAF callback sees the DOM of the frame about to be painted; a message posted
 * from it runs once that frame's style, layout and paint are done).
 */
export interface ProbeConfig {
  /** The page that stands for the baseline navigation (not the app). */
  readonly baselinePath: string;
  /** The app's cache database, read raw by the baseline navigation. */
  readonly dbName: string;
}

export interface ProbeState {
  /** Every IndexedDB database the page opened: tells whether the app reads its cache at all. */
  readonly openedDatabases: string[];
  /** Navigation start → a conversation row painted and the target of a click at its centre. */
  interactiveAt: number | null;
  /** The baseline navigation: open the cache raw, `getAll` conversations, done. */
  rawRead: { at: number; rows: number } | { error: string } | null;
  /** pointerdown on a row → its messages painted. */
  open: { start: number | null; end: number | null; timedOut: boolean } | null;
}

declare global {
  var __benchConfig: ProbeConfig;
  var __benchProbe: ReturnType<typeof createProbe>;
}

const ROW = '[data-testid="conversation-row"]';
const MESSAGE = '[data-testid="message"]';

function afterFrame(done: (at: number) => void): void {
  const channel = new MessageChannel();
  channel.port1.onmessage = () => {
    channel.port1.close();
    done(performance.now());
  };
  channel.port2.postMessage(null);
}

/** Check once per frame until `ready`, then call `done` after that frame; give up at `until`. */
function watchFrames(ready: () => boolean, done: (at: number) => void, until: number): void {
  const frame = (): void => {
    if (ready()) afterFrame(done);
    else if (performance.now() < until) requestAnimationFrame(frame);
  };
  requestAnimationFrame(frame);
}

/**
 * Laid out with a size, its centre in the viewport, and a click there would land on it (nothing
 * covers it).
 */
function clickable(element: Element): boolean {
  const box = element.getBoundingClientRect();
  if (box.width === 0 || box.height === 0) return false;
  const x = box.left + box.width / 2;
  const y = box.top + box.height / 2;
  if (x < 0 || y < 0 || x >= window.innerWidth || y >= window.innerHeight) return false;
  const hit = document.elementFromPoint(x, y);
  return hit !== null && element.contains(hit);
}

/** Any row will do: a virtualised list's DOM order need not be its visual order. */
function anyClickable(selector: string): boolean {
  for (const element of document.querySelectorAll(selector)) {
    if (clickable(element)) return true;
  }
  return false;
}

const macrotask = (): Promise<void> =>
  new Promise((resolve) => {
    afterFrame(() => resolve());
  });
const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

function createProbe(config: ProbeConfig) {
  const state: ProbeState = { openedDatabases: [], interactiveAt: null, rawRead: null, open: null };

  // Record (never change) the databases the page opens.
  const open = IDBFactory.prototype.open;
  IDBFactory.prototype.open = function (this: IDBFactory, name: string, version?: number) {
    state.openedDatabases.push(name);
    return version === undefined ? open.call(this, name) : open.call(this, name, version);
  };

  if (location.pathname === config.baselinePath) {
    // The baseline navigation: what reading the inbox's rows costs with nothing else to do.
    const request = indexedDB.open(config.dbName);
    request.onerror = () => (state.rawRead = { error: String(request.error) });
    request.onsuccess = () => {
      const db = request.result;
      try {
        const store = db.transaction('conversations', 'readonly').objectStore('conversations');
        const all = store.getAll();
        all.onerror = () => (state.rawRead = { error: String(all.error) });
        all.onsuccess = () => {
          state.rawRead = { at: performance.now(), rows: all.result.length };
          db.close();
        };
      } catch (error) {
        db.close();
        state.rawRead = { error: String(error) };
      }
    };
  } else {
    watchFrames(
      () => anyClickable(ROW),
      (at) => (state.interactiveAt = at),
      60_000,
    );
  }

  return {
    state,
    /** Arm the next conversation opening: from the next pointerdown to `marker` painted. */
    armOpen(marker: string): void {
      const open = { start: null as number | null, end: null as number | null, timedOut: false };
      state.open = open;
      window.addEventListener(
        'pointerdown',
        () => {
          open.start = performance.now();
          watchFrames(
            () => {
              for (const message of document.querySelectorAll(MESSAGE)) {
                if (message.textContent?.includes(marker)) return true;
              }
              return false;
            },
            (at) => (open.end = at),
            performance.now() + 10_000,
          );
          setTimeout(() => (open.timedOut = open.end === null), 10_000);
        },
        { capture: true, once: true },
      );
    },
    /**
     * Main-thread time of clock ticks: dispatch `focus` (the clock ticks on it), let the
     * microtask in which React renders and commits the sync update run, then one macrotask
     * (whatever React's scheduler queued meanwhile, e.g. passive effects, runs before it), then
     * force the style and layout the change needs. Paint is not in it; see `tickLoop`.
     */
    async measureTicks(count: number, gapMs: number): Promise<number[]> {
      const times: number[] = [];
      for (let i = 0; i < count; i++) {
        await sleep(gapMs);
        const start = performance.now();
        window.dispatchEvent(new Event('focus'));
        await Promise.resolve();
        await macrotask();
        document.body.getBoundingClientRect();
        times.push(performance.now() - start);
      }
      return times;
    },
    /** Ticks left to the browser to render as it would (for the CDP task-time cross-check). */
    async tickLoop(count: number, gapMs: number): Promise<void> {
      for (let i = 0; i < count; i++) {
        await sleep(gapMs);
        window.dispatchEvent(new Event('focus'));
      }
      await sleep(gapMs);
    },
    counts(): { rows: number; messages: number } {
      return {
        rows: document.querySelectorAll(ROW).length,
        messages: document.querySelectorAll(MESSAGE).length,
      };
    },
    /**
     * The baseline of opening: the conversation's cached messages (its share of the first-sync
     * pages and its per-message rows) read raw and parsed, from a database already open (as the
     * app's is).
     */
    async rawMessages(
      dbName: string,
      conversationId: string,
    ): Promise<{ ms: number; rows: number }> {
      const db = await new Promise<IDBDatabase>((resolve, reject) => {
        const request = indexedDB.open(dbName);
        request.onsuccess = () => resolve(request.result);
        request.onerror = () => reject(request.error);
      });
      const start = performance.now();
      // What the cache holds for it: its share of the first sync's pages (found through the
      // page index) and its per-message rows.
      const range = IDBKeyRange.bound([conversationId, -Infinity], [conversationId, Infinity]);
      const transaction = db.transaction(
        ['messagePageIndex', 'messagePages', 'messages'],
        'readonly',
      );
      const read = <T>(request: IDBRequest<T>) =>
        new Promise<T>((resolve, reject) => {
          request.onsuccess = () => resolve(request.result);
          request.onerror = () => reject(request.error);
        });
      type Page = { batch: number; conversationIds: string[]; messages?: string[] };
      const [index, singles] = await Promise.all([
        read(transaction.objectStore('messagePageIndex').getAll() as IDBRequest<Page[]>),
        read(transaction.objectStore('messages').index('[conversationId+sentAt]').getAll(range)),
      ]);
      const pages = await Promise.all(
        index
          .filter((page) => page.conversationIds.includes(conversationId))
          .map((page) =>
            read(transaction.objectStore('messagePages').get(page.batch) as IDBRequest<Page>),
          ),
      );
      const rows = [
        ...singles,
        ...pages.flatMap(
          (page) =>
            JSON.parse(
              page.messages?.[page.conversationIds.indexOf(conversationId)] ?? '[]',
            ) as unknown[],
        ),
      ];
      const ms = performance.now() - start;
      db.close();
      return { ms, rows: rows.length };
    },
  };
}

globalThis.__benchProbe = createProbe(globalThis.__benchConfig);
