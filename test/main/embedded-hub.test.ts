import { existsSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createServer, type AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  defaultDesktopConfig,
  registerAppScheme,
  startDesktopApp,
  type DesktopConfig,
} from '../../src/main/app';
import { APP_ORIGIN } from '../../src/main/app-protocol';
import { CREDENTIALS_FILE } from '../../src/main/credentials';
import {
  closeHubOnQuit,
  embeddedHubConfig,
  embeddedHubStarter,
  type EmbeddedHub,
  type EmbeddedHubStarter,
} from '../../src/main/embedded-hub';
import { startHub } from '../../src/server/hub';
import {
  createSessionController,
  type SessionState,
} from '../../src/renderer/src/features/session/session-controller';
import { desktopSessionStore } from '../../src/renderer/src/features/session/session';
import { createDesktopApi } from '../../src/preload/api';
import type { Credentials } from '../../src/shared/ipc/contract';
import {
  createFakeElectron,
  FakeBrowserWindow,
  removeFakeUserData,
  type FakeElectron,
} from './fake-electron';

const APP_PAGE = `${APP_ORIGIN}/index.html`;
const TEAM_HUB = 'https://hub.shop.example';
const FAKE_HUB_URL = 'http://127.0.0.1:45123';
const SECRET = 'launch-secret-0123456789abcdefghijklmnopqrstuv';

let rendererDir: string;
beforeAll(async () => {
  rendererDir = await mkdtemp(path.join(os.tmpdir(), 'replydesk-renderer-'));
  await writeFile(path.join(rendererDir, 'index.html'), '<!doctype html><title>Replydesk</title>');
});
afterAll(async () => {
  removeFakeUserData();
  await rm(rendererDir, { recursive: true, force: true });
});

/** A stand-in hub that records what happens to it, in the order it happens. */
function fakeHub(events: string[] = [], close: () => Promise<void> = async () => undefined) {
  const hub = {
    starts: [] as string[],
    secrets: [] as string[],
    closes: 0,
    secretsKeys: [] as (string | null)[],
    starter: (async ({ userDataDir, secret, secretsKey = null }) => {
      hub.starts.push(userDataDir);
      hub.secrets.push(secret);
      hub.secretsKeys.push(secretsKey);
      events.push(`hub started, ${FakeBrowserWindow.created.length} window(s)`);
      return {
        url: FAKE_HUB_URL,
        close: async () => {
          hub.closes += 1;
          await close();
        },
      } satisfies EmbeddedHub;
    }) satisfies EmbeddedHubStarter,
  };
  return hub;
}

function config(overrides: Partial<DesktopConfig> = {}): DesktopConfig {
  return {
    rendererDir,
    preloadPath: '/app/out/preload/index.cjs',
    hubOrigins: [],
    embeddedHub: null,
    versions: { electron: '45.4.1', chrome: '146.0.0.0' },
    platform: 'linux',
    arch: 'x64',
    ...overrides,
  };
}

async function start(
  overrides: Partial<DesktopConfig>,
  userDataDir?: string,
): Promise<{ electron: FakeElectron; window: FakeBrowserWindow | null }> {
  const electron = createFakeElectron({ userDataDir });
  registerAppScheme(electron);
  const window = await startDesktopApp(electron, config(overrides));
  return { electron, window: window instanceof FakeBrowserWindow ? window : null };
}

const connectSrc = (policy: string | null): string[] =>
  /(?:^|; )connect-src ([^;]*)/.exec(policy ?? '')?.[1]?.split(' ') ?? [];

describe('the embedded hub', () => {
  it('is listening before the window loads, and the first page may connect to it', async () => {
    const events: string[] = [];
    const hub = fakeHub(events);
    const { electron, window } = await start({ embeddedHub: hub.starter });
    expect(hub.starts).toEqual([electron.userDataDir]);
    expect(events).toEqual(['hub started, 0 window(s)']);
    // The key for channel secrets comes from the keychain (fake: gnome_libsecret on linux).
    expect(hub.secretsKeys).toHaveLength(1);
    expect(hub.secretsKeys[0]).toMatch(/^[A-Za-z0-9+/]{43}=$/);
    expect(window?.loadedUrl).toBe(APP_PAGE);
    // The CSP the first page loaded with, as Chromium enforces it for that page's lifetime.
    expect(connectSrc(window?.loadedPolicy ?? null)).toEqual([
      "'self'",
      FAKE_HUB_URL,
      'ws://127.0.0.1:45123',
    ]);
  });

  it('is the hub credentials:get offers, without a session (the hub signs the admin in)', async () => {
    const { electron } = await start({ embeddedHub: fakeHub().starter });
    await expect(electron.ipcMain.invoke('credentials:get', APP_PAGE, {})).resolves.toEqual({
      credentials: { hubUrl: FAKE_HUB_URL, session: null },
      storage: 'encrypted',
    });
  });

  it('is never remembered: the renderer saving it writes nothing and needs no reload', async () => {
    const { electron } = await start({ embeddedHub: fakeHub().starter });
    await expect(
      electron.ipcMain.invoke('credentials:set', APP_PAGE, { hubUrl: FAKE_HUB_URL, session: null }),
    ).resolves.toEqual({ storage: 'encrypted', reloadRequired: false });
    expect(existsSync(path.join(electron.userDataDir, CREDENTIALS_FILE))).toBe(false);
  });

  it("gets a new secret per launch, which main tells the app's own frame alone", async () => {
    const hub = fakeHub();
    const { electron } = await start({ embeddedHub: hub.starter });
    const [secret] = hub.secrets;
    expect(secret).toMatch(/^[A-Za-z0-9_-]{43}$/);
    await expect(electron.ipcMain.invoke('hub:embedded-secret', APP_PAGE, {})).resolves.toEqual({
      embedded: { hubUrl: FAKE_HUB_URL, secret },
    });
    for (const frame of ['https://evil.example/', 'http://127.0.0.1:45123/', 'file:///x', null]) {
      await expect(electron.ipcMain.invoke('hub:embedded-secret', frame, {})).rejects.toThrow(
        /^Refused hub:embedded-secret: the request did not come from the Replydesk window\.$/,
      );
    }
    await start({ embeddedHub: hub.starter });
    expect(hub.secrets).toHaveLength(2);
    expect(hub.secrets[1]).not.toBe(secret);
  });

  it('has no secret to tell when main runs no hub', async () => {
    const { electron } = await start({ hubOrigins: [TEAM_HUB], embeddedHub: fakeHub().starter });
    await expect(electron.ipcMain.invoke('hub:embedded-secret', APP_PAGE, {})).resolves.toEqual({
      embedded: null,
    });
  });

  it('is not started when REPLYDESK_HUB_URL names a team hub', async () => {
    const hub = fakeHub();
    const { electron, window } = await start({ hubOrigins: [TEAM_HUB], embeddedHub: hub.starter });
    expect(hub.starts).toEqual([]);
    expect(connectSrc(window?.loadedPolicy ?? null)).toEqual([
      "'self'",
      TEAM_HUB,
      'wss://hub.shop.example',
    ]);
    await expect(electron.ipcMain.invoke('credentials:get', APP_PAGE, {})).resolves.toMatchObject({
      credentials: { hubUrl: TEAM_HUB, session: null },
    });

    const proc = { versions: {}, platform: 'linux', arch: 'x64' };
    expect(
      defaultDesktopConfig('/app/out/main', { REPLYDESK_HUB_URL: TEAM_HUB }, proc).embeddedHub,
    ).toBeNull();
    expect(defaultDesktopConfig('/app/out/main', {}, proc).embeddedHub).toBeTypeOf('function');
  });

  it('is not started again once the agent chose a team hub; going back to it forgets that hub', async () => {
    const first = await start({ embeddedHub: fakeHub().starter });
    const chosen: Credentials = { hubUrl: TEAM_HUB, session: null };
    await expect(
      first.electron.ipcMain.invoke('credentials:set', APP_PAGE, chosen),
    ).resolves.toMatchObject({ reloadRequired: true });
    // Still this run: the hub keeps running, and the reloaded page may reach both.
    await first.window?.reload();
    expect(connectSrc(first.window?.loadedPolicy ?? null)).toEqual([
      "'self'",
      FAKE_HUB_URL,
      'ws://127.0.0.1:45123',
      TEAM_HUB,
      'wss://hub.shop.example',
    ]);

    const hub = fakeHub();
    const restarted = await start({ embeddedHub: hub.starter }, first.electron.userDataDir);
    expect(hub.starts).toEqual([]);
    await expect(
      restarted.electron.ipcMain.invoke('credentials:get', APP_PAGE, {}),
    ).resolves.toMatchObject({ credentials: chosen });

    // Back on the embedded hub in the first run (the only way to name it): the team hub is
    // forgotten, and the next start runs the embedded hub again.
    await first.electron.ipcMain.invoke('credentials:set', APP_PAGE, {
      hubUrl: FAKE_HUB_URL,
      session: null,
    });
    expect(existsSync(path.join(first.electron.userDataDir, CREDENTIALS_FILE))).toBe(false);
    const again = fakeHub();
    await start({ embeddedHub: again.starter }, first.electron.userDataDir);
    expect(again.starts).toHaveLength(1);
  });

  it('that cannot start is explained in an error dialog, and the app quits without a window', async () => {
    const { electron, window } = await start({
      embeddedHub: async () => {
        throw new Error('could not open the database: the data folder is locked');
      },
    });
    expect(window).toBeNull();
    expect(FakeBrowserWindow.created).toEqual([]);
    expect(electron.errorBoxes).toHaveLength(1);
    expect(electron.errorBoxes[0]?.title).toBe('Replydesk cannot start');
    expect(electron.errorBoxes[0]?.content).toContain('the data folder is locked');
    expect(electron.errorBoxes[0]?.content).toContain(path.join(electron.userDataDir, 'hub'));
    expect(electron.hasQuit).toBe(true);
  });

  it('is closed exactly once when the app quits, before it really quits', async () => {
    let finishClosing = (): void => undefined;
    const hub = fakeHub([], () => new Promise<void>((resolve) => (finishClosing = resolve)));
    const { electron } = await start({ embeddedHub: hub.starter });
    electron.app.quit();
    electron.app.quit(); // Cmd+Q twice, or the last window closing while quitting
    expect(electron.hasQuit).toBe(false);
    expect(hub.closes).toBe(1);
    finishClosing();
    await expect.poll(() => electron.hasQuit).toBe(true);
    expect(hub.closes).toBe(1);
  });

  it('that hangs while closing does not keep the app from quitting', async () => {
    const electron = createFakeElectron();
    const log: string[] = [];
    let closes = 0;
    const hanging: EmbeddedHub = {
      url: FAKE_HUB_URL,
      close: () => {
        closes += 1;
        return new Promise<void>(() => undefined);
      },
    };
    closeHubOnQuit(electron.app, hanging, { timeoutMs: 50, log: (line) => log.push(line) });
    electron.app.quit();
    expect(electron.hasQuit).toBe(false);
    await expect.poll(() => electron.hasQuit).toBe(true);
    expect(closes).toBe(1);
    expect(log).toEqual([expect.stringMatching(/did not close within 0.05 s/)]);
  });

  it('is not opened twice: a second launch quits and focuses the first window', async () => {
    const hub = fakeHub();
    const { electron, window } = await start({ embeddedHub: hub.starter });
    const second = createFakeElectron({ userDataDir: electron.userDataDir });
    second.singleInstance = false;
    const secondHub = fakeHub();
    expect(await startDesktopApp(second, config({ embeddedHub: secondHub.starter }))).toBeNull();
    expect(second.quitCalls).toBe(1);
    expect(secondHub.starts).toEqual([]);

    // Electron tells the first instance.
    if (!window) throw new Error('no window');
    window.minimized = true;
    electron.secondInstance(['replydesk']);
    expect(window.minimized).toBe(false);
    expect(window.focused).toBe(1);
    expect(hub.starts).toHaveLength(1);
  });
});

describe('a real embedded hub (in-memory data)', () => {
  it('signs the renderer in as the local admin without the sign-in page, and closes on quit', async () => {
    const hubs: { url: string; closed: boolean }[] = [];
    const realStarter: EmbeddedHubStarter = async ({ userDataDir, secret }) => {
      const settings = {
        env: { REPLYDESK_DEMO: '0' },
        cwd: process.cwd(),
        rendererDir,
        defaultRateCard: path.resolve('resources/pricing/rate-card.example.json'),
      };
      const hub = await startHub({
        ...embeddedHubConfig(settings, userDataDir),
        dataDir: null,
        embeddedSecret: secret,
      });
      const record = { url: hub.url, closed: false };
      hubs.push(record);
      return {
        url: hub.url,
        close: async () => {
          await hub.close();
          record.closed = true;
        },
      };
    };
    const { electron, window } = await start({ embeddedHub: realStarter });
    const [hub] = hubs;
    if (!hub || !window) throw new Error('the hub or the window did not start');
    expect(hub.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(connectSrc(window.loadedPolicy)).toContain(hub.url);

    // The renderer's own session code, through the preload's API and main's IPC handlers, with
    // the Origin Chromium sends from the app: page.
    const api = createDesktopApi({
      invoke: (channel, ...args) => electron.ipcMain.invoke(channel, APP_PAGE, ...args),
      on: () => undefined,
      removeListener: () => undefined,
    });
    const reloads: number[] = [];
    const controller = createSessionController({
      store: desktopSessionStore(api),
      pageHubUrl: null,
      fetch: (input, init) =>
        fetch(input, { ...init, headers: { ...init?.headers, origin: APP_ORIGIN } }),
      reload: () => reloads.push(1),
    });
    await controller.start();
    const state: SessionState = controller.getSnapshot().state;
    expect(state).toMatchObject({
      kind: 'signed_in',
      hubUrl: hub.url,
      session: { embedded: true, user: { role: 'admin', name: 'Local admin' } },
    });
    expect(reloads).toEqual([]);
    // What Chromium checks before it lets the app: page read the answer.
    const health = await fetch(`${hub.url}/healthz`, { headers: { origin: APP_ORIGIN } });
    expect(health.headers.get('access-control-allow-origin')).toBe(APP_ORIGIN);
    // The embedded session is not kept: the next start signs the local admin in again.
    expect(existsSync(path.join(electron.userDataDir, CREDENTIALS_FILE))).toBe(false);

    electron.app.quit();
    await expect.poll(() => electron.hasQuit, { timeout: 5_000 }).toBe(true);
    expect(hub.closed).toBe(true);
    await expect(fetch(`${hub.url}/healthz`)).rejects.toThrow();
    // PGlite starting on a shared, busy machine takes its time.
  }, 60_000);
});

describe('the port of the embedded hub', () => {
  const settings = {
    env: {},
    cwd: process.cwd(),
    rendererDir: '/app/out/renderer',
    defaultRateCard: '/app/resources/pricing/rate-card.example.json',
  };

  /** A port nothing listens on right now. */
  async function freePort(): Promise<number> {
    const server = createServer();
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    await new Promise<void>((resolve) => server.close(() => resolve()));
    return port;
  }

  it('is the one used last when it is free, else any free one (the renderer caches by origin)', async () => {
    const userDataDir = await mkdtemp(path.join(os.tmpdir(), 'replydesk-user-data-'));
    const picked = await freePort();
    const asked: number[] = [];
    const starter = embeddedHubStarter(settings, async (options) => {
      asked.push(options.port);
      const port = options.port === 0 ? picked : options.port;
      return { url: `http://127.0.0.1:${port}`, port, close: async () => undefined };
    });
    try {
      expect((await starter({ userDataDir, secret: SECRET })).url).toBe(
        `http://127.0.0.1:${picked}`,
      );
      expect((await starter({ userDataDir, secret: SECRET })).url).toBe(
        `http://127.0.0.1:${picked}`,
      );
      // Another program took it meanwhile.
      const squatter = createServer();
      await new Promise<void>((resolve) => squatter.listen(picked, '127.0.0.1', resolve));
      await starter({ userDataDir, secret: SECRET }).finally(
        () => new Promise<void>((resolve) => squatter.close(() => resolve())),
      );
      expect(asked).toEqual([0, picked, 0]);
    } finally {
      await rm(userDataDir, { recursive: true, force: true });
    }
  });

  it('is on loopback, under no public name, whatever the environment says', () => {
    const hub = embeddedHubConfig(
      {
        ...settings,
        env: { PORT: '80', REPLYDESK_HOST: '0.0.0.0', REPLYDESK_PUBLIC_HOSTS: 'hub.example:443' },
      },
      '/users/anna/Replydesk',
    );
    expect(hub).toMatchObject({
      host: '127.0.0.1',
      port: 0,
      publicHosts: [],
      embedded: true,
      demo: true,
      dataDir: path.resolve('/users/anna/Replydesk/hub'),
    });
    expect(embeddedHubConfig({ ...settings, env: { REPLYDESK_DEMO: '0' } }, '/u').demo).toBe(false);
  });
});
