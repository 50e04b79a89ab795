import { readFile, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import path from 'node:path';
import { readHubConfig, type HubConfig } from '../server/config';
import { startHub, type HubOptions, type RunningHub } from '../server/hub';

/** The hub main runs in its own process when no team hub is configured (DESIGN.md, "Modes"). */
export interface EmbeddedHub {
  /** `http://127.0.0.1:<port>`: what the renderer uses and the window's CSP names. */
  readonly url: string;
  close(): Promise<void>;
}

/**
 * Starts this computer's hub once `userData` is known. `src/main/index.ts` passes one that runs
 * the real hub (`embeddedHubStarter`); tests pass one with in-memory data, or a fake.
 */
export type EmbeddedHubStarter = (place: {
  readonly userDataDir: string;
  /**
   * This launch's secret (`startDesktopApp` makes it): the hub gives the local admin's token only
   * to whoever presents it, which main tells its own window alone (`hub:embedded-secret`).
   */
  readonly secret: string;
  /** The key channel secrets are sealed with, from the OS keychain; null: the hub's own file. */
  readonly secretsKey?: string | null;
}) => Promise<EmbeddedHub>;

/** The data folder inside Electron's `userData`: one per user profile, like the credentials. */
export const EMBEDDED_DATA_FOLDER = 'hub';

/**
 * The port the embedded hub listened on last, in `userData`. The renderer keys its cache by the
 * hub's origin (src/renderer/src/data/db.ts `cacheName`): a new port on every start would leave
 * the inbox empty at each start and a stale cache behind each time.
 */
export const EMBEDDED_PORT_FILE = 'embedded-hub.json';

/** How long quitting waits for the hub to close before it quits anyway. */
export const HUB_CLOSE_TIMEOUT_MS = 5_000;

export interface EmbeddedHubSettings {
  /** The process environment: admin, WhatsApp, demo seed and rate card come from it. */
  readonly env: Record<string, string | undefined>;
  /** Relative paths in `env` resolve against this (the working directory). */
  readonly cwd: string;
  /** The built renderer, the same folder the `app:` protocol serves. */
  readonly rendererDir: string;
  /** The rate card unless `REPLYDESK_RATE_CARD` names another. */
  readonly defaultRateCard: string;
}

/**
 * The embedded hub's configuration. Fixed here, whatever the environment says: loopback only
 * (it signs the local admin in with this launch's secret instead of a password, so it must never
 * be reachable from another machine or under a public name) on `port` (0: any free one), the data folder in `userData`,
 * embedded mode. The demo is on unless `REPLYDESK_DEMO=0`, as in `npm start`'s browser fallback.
 * The rest comes from the environment (docs/configuration.md).
 */
export function embeddedHubConfig(
  settings: EmbeddedHubSettings,
  userDataDir: string,
  port = 0,
): HubConfig {
  const { env } = settings;
  return readHubConfig(
    {
      ...env,
      PORT: String(port),
      REPLYDESK_HOST: '127.0.0.1',
      REPLYDESK_PUBLIC_HOSTS: '',
      REPLYDESK_DATA_DIR: path.join(userDataDir, EMBEDDED_DATA_FOLDER),
      // Always PGlite in userData: a DATABASE_URL in the desktop's environment is another program's.
      DATABASE_URL: '',
      REPLYDESK_EMBEDDED: '1',
      REPLYDESK_DEMO: env['REPLYDESK_DEMO'] ?? '1',
      REPLYDESK_RENDERER_DIR: settings.rendererDir,
      REPLYDESK_RATE_CARD: env['REPLYDESK_RATE_CARD'] ?? settings.defaultRateCard,
    },
    settings.cwd,
  );
}

/** Whether nothing listens on `port` at `host` now (a quick listen-and-close). */
export function portIsFree(host: string, port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const probe = createServer();
    probe.once('error', () => resolve(false));
    probe.listen({ host, port, exclusive: true }, () => probe.close(() => resolve(true)));
  });
}

async function readRememberedPort(file: string): Promise<number | null> {
  try {
    const { port } = JSON.parse(await readFile(file, 'utf8')) as { port?: unknown };
    return Number.isInteger(port) && Number(port) > 0 && Number(port) <= 65_535
      ? Number(port)
      : null;
  } catch {
    return null;
  }
}

/**
 * The real thing: `start` (the app: `startHubInUtilityProcess`; tests: `startHub` in their own
 * process) with `embeddedHubConfig`, on the port it used last
 * when that is still free (else any free port, remembered for next time), so the renderer's
 * cache of this hub outlives a restart.
 */
export function embeddedHubStarter(
  settings: EmbeddedHubSettings,
  start: (options: HubOptions) => Promise<Pick<RunningHub, 'url' | 'port' | 'close'>> = startHub,
): EmbeddedHubStarter {
  return async ({ userDataDir, secret, secretsKey = null }) => {
    const portFile = path.join(userDataDir, EMBEDDED_PORT_FILE);
    const previous = await readRememberedPort(portFile);
    // Another program may take the port between the probe and the hub's listen: the start then
    // fails with the dialog, and the next start takes a free port. No retry here: `startHub` has
    // opened the database before it listens, and does not close it when listening fails.
    const port = previous !== null && (await portIsFree('127.0.0.1', previous)) ? previous : 0;
    const config = embeddedHubConfig(settings, userDataDir, port);
    const hub = await start({
      ...config,
      // REPLYDESK_SECRETS_KEY, when the user set one, wins over the keychain's.
      secretsKey: config.secretsKey ?? secretsKey,
      embeddedSecret: secret,
    });
    if (hub.port !== previous) {
      // Only a convenience: failing to write it costs a fresh cache at the next start.
      await writeFile(portFile, JSON.stringify({ port: hub.port })).catch(() => undefined);
    }
    return { url: hub.url, close: () => hub.close() };
  };
}

export interface ErrorDialogText {
  readonly title: string;
  readonly content: string;
}

/** The text of the error dialog shown when the hub cannot start (and the app quits). */
export function hubStartFailure(error: unknown, userDataDir: string): ErrorDialogText {
  const reason = error instanceof Error ? error.message : String(error);
  return {
    title: 'Replydesk cannot start',
    content: [
      'Replydesk could not start the hub that keeps your conversations on this computer.',
      '',
      reason,
      '',
      `Data folder: ${path.join(userDataDir, EMBEDDED_DATA_FOLDER)}`,
      '',
      "Check that the folder can be written to and that no other program is using it, then start Replydesk again. To use your team's hub instead, set REPLYDESK_HUB_URL to its address.",
    ].join('\n'),
  };
}

/** The parts of Electron's `app` that closing the hub on quit uses. */
export interface QuittingAppLike {
  on(event: 'will-quit', listener: (event: { preventDefault(): void }) => void): unknown;
  quit(): void;
}

/**
 * Close the hub when the app quits, once: the first `will-quit` (all windows are closed by then,
 * so the page no longer talks to the hub) is held back until `hub.close()` has finished or
 * `timeoutMs` has passed, then the app quits again and this time goes. A hub that hangs while
 * closing must never keep the app from quitting; PGlite recovers from its write-ahead log.
 */
export function closeHubOnQuit(
  app: QuittingAppLike,
  hub: EmbeddedHub,
  options: { timeoutMs?: number; log?: (message: string) => void } = {},
): void {
  const timeoutMs = options.timeoutMs ?? HUB_CLOSE_TIMEOUT_MS;
  const log = options.log ?? ((message: string) => console.error(message));
  let state: 'running' | 'closing' | 'closed' = 'running';
  app.on('will-quit', (event) => {
    if (state === 'closed') return;
    event.preventDefault();
    if (state === 'closing') return;
    state = 'closing';
    let timer: ReturnType<typeof setTimeout> | undefined;
    const timedOut = new Promise<void>((resolve) => {
      timer = setTimeout(() => {
        log(`Replydesk: the hub did not close within ${timeoutMs / 1000} s; quitting anyway.`);
        resolve();
      }, timeoutMs);
    });
    const closed = hub.close().catch((error: unknown) => {
      log(`Replydesk: closing the hub failed: ${error instanceof Error ? error.message : error}`);
    });
    void Promise.race([closed, timedOut]).then(() => {
      clearTimeout(timer);
      state = 'closed';
      app.quit();
    });
  });
}
