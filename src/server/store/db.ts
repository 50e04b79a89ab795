import { spawn } from 'node:child_process';
import { createReadStream, existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { Readable } from 'node:stream';
import { pathToFileURL } from 'node:url';
import v8 from 'node:v8';
import { PGlite } from '@electric-sql/pglite';
import { lockDataDir, prepareDataDir } from './data-dir';
import { PgliteSession } from './pglite-session';

/**
 * The hub's database connection. The SQL the hub writes is plain PostgreSQL, so the same store
 * runs on PGlite (embedded, a data folder) and on a PostgreSQL server (`DATABASE_URL`, later).
 */
export interface Queryable {
  query<Row = Record<string, unknown>>(sql: string, params?: unknown[]): Promise<{ rows: Row[] }>;
  /** Run several statements without parameters (migrations). */
  exec(sql: string): Promise<void>;
}

export interface Db extends Queryable {
  /** Run `fn` in one transaction; everything it wrote is committed together or not at all. */
  transaction<T>(fn: (tx: Queryable) => Promise<T>): Promise<T>;
  close(): Promise<void>;
}

/**
 * Sized for a hub on a desktop: PostgreSQL's defaults (128 MB shared buffers) would make the
 * embedded database alone larger than the whole hub should be. PGlite reads its files through
 * the operating system, whose page cache keeps them warm, so 16 MB of buffers cost little
 * speed; with 32 MB the hub's peak memory under `bench:hub` was 26 MB higher (314 vs 288 MB).
 *
 * `wal_init_zero=off`: PostgreSQL otherwise fills each new 16 MB WAL segment with zeros before
 * using it, which PGlite does on the hub's only thread through thousands of small writes. Under
 * `bench:hub` that stalled the hub every 10 to 15 s of traffic, for 100–700 ms (webhook-to-app
 * p99 of 190–750 ms at stages the hub otherwise served at 12–37 ms); without it the same stages
 * stayed under 25 ms. Zero-filling reserves the disk space ahead of time, which matters to a
 * server whose disk may fill up; PGlite already runs PostgreSQL without fsync (`-F`), so the
 * hub's durability is the operating system's page cache either way (docs/configuration.md).
 */
export const PGLITE_SETTINGS = [
  'shared_buffers=16MB',
  'wal_buffers=2MB',
  'work_mem=4MB',
  'maintenance_work_mem=16MB',
  'wal_init_zero=off',
];

const resolveModule = createRequire(import.meta.url).resolve;

/**
 * Create a new data folder in a short-lived child process. `initdb` grows PGlite's WebAssembly
 * memory to several hundred MB, and WebAssembly memory never shrinks: done in the hub's own
 * process, that peak would stay for the hub's whole life.
 */
export async function initialiseDataDir(dataDir: string): Promise<void> {
  if (existsSync(path.join(dataDir, 'PG_VERSION'))) return;
  const moduleUrl = pathToFileURL(resolveModule('@electric-sql/pglite')).href;
  const script = `
    const { PGlite } = await import(${JSON.stringify(moduleUrl)});
    const pg = new PGlite(${JSON.stringify(dataDir)});
    await pg.waitReady;
    await pg.close();`;
  await new Promise<void>((resolve, reject) => {
    const child = spawn(process.execPath, ['--input-type=module', '-e', script], {
      // Inside Electron, process.execPath is the app itself: run it as plain Node.
      env: { ...process.env, ELECTRON_RUN_AS_NODE: '1' },
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => {
      stderr = (stderr + chunk.toString()).slice(-2000);
    });
    child.on('error', reject);
    child.on('exit', (code) =>
      code === 0
        ? resolve()
        : reject(new Error(`Could not create the database in ${dataDir}: ${errorLineOf(stderr)}`)),
    );
  });
}

/**
 * The line of a child's stderr that says what went wrong (`Error: …`), not the whole dump with
 * Node's source excerpt and stack: the reason is printed as one line.
 */
export function errorLineOf(stderr: string): string {
  const lines = stderr.split('\n').map((line) => line.trim());
  return (
    lines.find((line) => /^\w*Error\b.*:/.test(line)) ??
    lines.find((line) => line !== '') ??
    'the database process stopped without saying why'
  );
}

/**
 * Two V8 settings for a process that holds the hub, measured under `bench:hub` (docs/benchmarks.md).
 * Flags set at run time, here, so `npm run hub` and the hub embedded in the app's main process
 * get the same ones; both only trade a little CPU for memory.
 *
 * - One optimising WebAssembly compilation at a time. V8 compiles PostgreSQL's hot functions
 *   (the parser, the executor) again with its optimising compiler in the background, by default
 *   on every worker thread at once; each compilation takes tens of MB of scratch memory from its
 *   thread's malloc arena, which keeps it afterwards: 94–104 MB of the hub's memory were these
 *   arenas, 61–82 MB with one compilation at a time (50 MB with `compilePglite` below). The same
 *   functions are still optimised, one after another, and the other core stays free for the
 *   event loop meanwhile. WebAssembly in this process is PGlite's alone.
 * - Collect the old generation sooner. The hub's live JavaScript heap is small (about 20 MB while
 *   it ingests thousands of messages a second: a heap snapshot under load), but everything a
 *   request holds while it waits for its commit outlives two scavenges and is promoted, and by
 *   default V8 lets the old generation grow to up to four times the live size before a full
 *   collection: 80–100 MB of garbage at the peak. Growing it by a quarter instead costs a full
 *   collection of a small heap about every second under load (no measurable CPU difference).
 */
export const V8_FLAGS = ['--wasm-num-compilation-tasks=1', '--heap-growing-percent=25'];

function tuneV8ForTheHub(): void {
  for (const flag of V8_FLAGS) v8.setFlagsFromString(flag);
}

let compiledPglite: Promise<WebAssembly.Module> | null = null;

/**
 * PostgreSQL's WebAssembly, compiled as it streams from disk, once per process. Left to itself
 * PGlite reads the 9 MB file into one buffer and frees it after compiling; freeing a block that
 * large makes the C allocator keep every smaller freed block from then on instead of returning
 * it to the system (glibc's dynamic mmap and trim thresholds), which the optimising compiler's
 * scratch memory then fills.
 */
function compilePglite(): Promise<WebAssembly.Module> {
  // The Node types know WebAssembly's types but not its streaming compiler.
  const wasm = (
    globalThis as unknown as {
      WebAssembly: { compileStreaming(source: Response): Promise<WebAssembly.Module> };
    }
  ).WebAssembly;
  return (compiledPglite ??= wasm
    .compileStreaming(
      new Response(
        Readable.toWeb(
          createReadStream(
            path.join(path.dirname(resolveModule('@electric-sql/pglite')), 'pglite.wasm'),
          ),
        ) as ReadableStream<Uint8Array>,
        { headers: { 'content-type': 'application/wasm' } },
      ),
    )
    .catch((error: unknown) => {
      compiledPglite = null;
      throw error;
    }));
}

/**
 * PGlite in `dataDir`, or in memory when `dataDir` is `null` (tests). The folder is created with
 * its parents first; one that cannot be used throws a one-line `DataFolderError`.
 */
export async function openPglite(
  dataDir: string | null,
  extra: { readonly loadDataDir?: Blob } = {},
): Promise<Db> {
  let release: (() => Promise<void>) | null = null;
  try {
    if (dataDir !== null) {
      await prepareDataDir(dataDir);
      // One process at a time per folder (a second PGlite on it would corrupt it).
      release = await lockDataDir(dataDir);
      if (!extra.loadDataDir) await initialiseDataDir(dataDir);
    }
    tuneV8ForTheHub();
    const options = {
      postgresqlconf: PGLITE_SETTINGS,
      pgliteWasmModule: await compilePglite(),
      ...extra,
    };
    const pg = dataDir === null ? new PGlite(options) : new PGlite(dataDir, options);
    await pg.waitReady;
    return new PgliteSession(pg, release ?? undefined);
  } catch (error) {
    await release?.();
    throw error;
  }
}
