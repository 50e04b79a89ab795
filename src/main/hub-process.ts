import type { HubOptions, RunningHub } from '../server/hub';

/**
 * The embedded hub runs in an Electron utility process, not in main and not as a child started
 * with `ELECTRON_RUN_AS_NODE`: the packaged app turns the RunAsNode fuse off (a local program
 * could otherwise run any script as the signed app), and with it that variable. Both sides are
 * thin and take their Electron objects as interfaces, so tests run them in Node with fakes.
 */

/** The parts of Electron's `utilityProcess` used here. */
export interface UtilityProcessLike {
  fork(
    modulePath: string,
    args?: string[],
    options?: { serviceName?: string; stdio?: 'inherit' | 'pipe' | 'ignore' },
  ): UtilityChildLike;
}

/** The parts of a `UtilityProcess` used here. */
export interface UtilityChildLike {
  postMessage(message: unknown): void;
  on(event: 'message', listener: (message: unknown) => void): unknown;
  on(event: 'exit', listener: (code: number) => void): unknown;
  kill(): boolean;
}

/** `process.parentPort` inside the utility process. */
export interface ParentPortLike {
  on(event: 'message', listener: (event: { data: unknown }) => void): unknown;
  postMessage(message: unknown): void;
}

/** Main → hub process. */
export type ToHubProcess =
  | { readonly type: 'initialise'; readonly dataDir: string }
  | { readonly type: 'start'; readonly options: HubOptions }
  | { readonly type: 'close' };

/** Hub process → main. */
export type FromHubProcess =
  | { readonly type: 'initialised' }
  | { readonly type: 'listening'; readonly url: string; readonly port: number }
  | { readonly type: 'failed'; readonly message: string }
  | { readonly type: 'closed' };

export type StartedHub = Pick<RunningHub, 'url' | 'port' | 'close'>;

/** One request to a new utility process, answered by its first message. */
function ask(
  utility: UtilityProcessLike,
  entry: string,
  message: ToHubProcess,
): { child: UtilityChildLike; answer: Promise<FromHubProcess> } {
  const child = utility.fork(entry, [], { serviceName: 'Replydesk hub', stdio: 'inherit' });
  const answer = new Promise<FromHubProcess>((resolve, reject) => {
    child.on('message', (reply) => resolve(reply as FromHubProcess));
    child.on('exit', (code) =>
      reject(new Error(`The hub process stopped (exit code ${code}) before it answered.`)),
    );
  });
  child.postMessage(message);
  return { child, answer };
}

/**
 * `startHub` for main: a short-lived utility process creates a new data folder first (`initdb`
 * grows WebAssembly memory to several hundred MB, which never shrinks: src/server/store/db.ts),
 * then the hub runs in a second one for the app's life. `close` asks it to close and waits for
 * it to exit.
 */
export function startHubInUtilityProcess(
  utility: UtilityProcessLike,
  entry: string,
): (options: HubOptions) => Promise<StartedHub> {
  return async (options) => {
    if (options.dataDir !== null) {
      const init = await ask(utility, entry, { type: 'initialise', dataDir: options.dataDir })
        .answer;
      if (init.type === 'failed') throw new Error(init.message);
    }
    const { child, answer } = ask(utility, entry, { type: 'start', options });
    const exited = new Promise<void>((resolve) => child.on('exit', () => resolve()));
    const started = await answer;
    if (started.type === 'failed') throw new Error(started.message);
    if (started.type !== 'listening') {
      child.kill();
      throw new Error(`The hub process answered ${started.type} instead of listening.`);
    }
    let closing: Promise<void> | null = null;
    return {
      url: started.url,
      port: started.port,
      close: () => {
        if (closing === null) {
          child.postMessage({ type: 'close' } satisfies ToHubProcess);
          closing = exited;
        }
        return closing;
      },
    };
  };
}

export interface HubProcessDeps {
  readonly startHub: (options: HubOptions) => Promise<StartedHub>;
  /** Create the data folder and its database, if new (in this short-lived process). */
  readonly initialise: (dataDir: string) => Promise<void>;
  readonly exit: (code: number) => void;
}

const reason = (error: unknown): string => (error instanceof Error ? error.message : String(error));

/** The utility process's side (src/main/hub-entry.ts): one request, then the hub's life. */
export function serveHubProcess(port: ParentPortLike, deps: HubProcessDeps): void {
  let hub: StartedHub | null = null;
  const reply = (message: FromHubProcess): void => port.postMessage(message);
  port.on('message', ({ data }) => {
    const message = data as ToHubProcess;
    void (async () => {
      switch (message.type) {
        case 'initialise':
          try {
            await deps.initialise(message.dataDir);
            reply({ type: 'initialised' });
            return deps.exit(0);
          } catch (error) {
            reply({ type: 'failed', message: reason(error) });
            return deps.exit(1);
          }
        case 'start':
          try {
            hub = await deps.startHub(message.options);
            return reply({ type: 'listening', url: hub.url, port: hub.port });
          } catch (error) {
            reply({ type: 'failed', message: reason(error) });
            return deps.exit(1);
          }
        case 'close':
          await hub?.close().catch((error: unknown) => {
            console.error(`Replydesk hub: closing failed: ${reason(error)}`);
          });
          reply({ type: 'closed' });
          return deps.exit(0);
      }
    })();
  });
}
