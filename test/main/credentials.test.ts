import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
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
import type { Credentials } from '../../src/shared/ipc/contract';
import {
  createFakeElectron,
  FakeBrowserWindow,
  FakeSafeStorage,
  removeFakeUserData,
  type FakeElectron,
} from './fake-electron';

const APP_PAGE = `${APP_ORIGIN}/index.html`;
const TEAM_HUB = 'https://hub.shop.example';
const signedIn: Credentials = {
  hubUrl: TEAM_HUB,
  session: {
    token: 'tok-4f1c9e-secret',
    user: {
      id: 'usr_1',
      email: 'anna@shop.example',
      name: 'Anna',
      role: 'agent',
      disabled: false,
    },
  },
};

let rendererDir: string;
beforeAll(async () => {
  rendererDir = await mkdtemp(path.join(os.tmpdir(), 'replydesk-renderer-'));
  await writeFile(path.join(rendererDir, 'index.html'), '<!doctype html><title>Replydesk</title>');
});
afterAll(async () => {
  removeFakeUserData();
  await rm(rendererDir, { recursive: true, force: true });
});

function config(overrides: Partial<DesktopConfig> = {}): DesktopConfig {
  return {
    rendererDir,
    preloadPath: '/app/out/preload/index.cjs',
    embeddedHub: null,
    hubOrigins: [],
    versions: { electron: '45.4.1', chrome: '146.0.0.0' },
    platform: 'linux',
    arch: 'x64',
    ...overrides,
  };
}

/** Start the shell on a fake Electron; pass `userDataDir` to "restart" on the same profile. */
async function start(
  options: {
    userDataDir?: string;
    safeStorage?: FakeSafeStorage;
    config?: Partial<DesktopConfig>;
  } = {},
): Promise<FakeElectron> {
  const electron = createFakeElectron(options);
  registerAppScheme(electron);
  await startDesktopApp(electron, config(options.config));
  return electron;
}

const fileOf = (electron: FakeElectron): string =>
  path.join(electron.userDataDir, CREDENTIALS_FILE);

/** The window `start` opened (the fakes keep the windows of the last fake Electron). */
function mainWindow(): FakeBrowserWindow {
  const window = FakeBrowserWindow.created.at(-1);
  if (!window) throw new Error('no window was created');
  return window;
}

/** The CSP of the page after the window reloads it (`location.reload()`). */
async function pagePolicy(_electron: FakeElectron): Promise<string> {
  const window = mainWindow();
  await window.reload();
  return window.loadedPolicy ?? '';
}

const connectSrc = (policy: string): string[] =>
  /(?:^|; )connect-src ([^;]*)/.exec(policy)?.[1]?.split(' ') ?? [];

describe('remembered credentials', () => {
  it('encrypts what it stores with safeStorage and reads it back after a restart', async () => {
    const first = await start();
    await expect(first.ipcMain.invoke('credentials:set', APP_PAGE, signedIn)).resolves.toEqual({
      storage: 'encrypted',
      reloadRequired: true,
    });
    const onDisk = await readFile(fileOf(first));
    expect(onDisk.toString('latin1')).not.toContain('tok-4f1c9e-secret');
    expect(onDisk.toString('latin1')).not.toContain('anna@shop.example');
    expect(first.safeStorage.decryptString(onDisk)).toContain('tok-4f1c9e-secret');

    const restarted = await start({ userDataDir: first.userDataDir });
    await expect(restarted.ipcMain.invoke('credentials:get', APP_PAGE, {})).resolves.toEqual({
      credentials: signedIn,
      storage: 'encrypted',
    });
  });

  it('forgets the session on clear but keeps the hub address to prefill the sign-in', async () => {
    const first = await start();
    await first.ipcMain.invoke('credentials:set', APP_PAGE, signedIn);
    await expect(first.ipcMain.invoke('credentials:clear', APP_PAGE, {})).resolves.toEqual({
      cleared: true,
    });
    const expected = { credentials: { hubUrl: TEAM_HUB, session: null }, storage: 'encrypted' };
    await expect(first.ipcMain.invoke('credentials:get', APP_PAGE, {})).resolves.toEqual(expected);
    expect(await readFile(fileOf(first), 'latin1')).not.toContain('tok-4f1c9e-secret');
    const restarted = await start({ userDataDir: first.userDataDir });
    await expect(restarted.ipcMain.invoke('credentials:get', APP_PAGE, {})).resolves.toEqual(
      expected,
    );
  });

  it('offers the configured team hub when nothing is remembered', async () => {
    const electron = await start({ config: { hubOrigins: [TEAM_HUB] } });
    await expect(electron.ipcMain.invoke('credentials:get', APP_PAGE, {})).resolves.toEqual({
      credentials: { hubUrl: TEAM_HUB, session: null },
      storage: 'encrypted',
    });
  });

  it('deletes a file it cannot decrypt and starts signed out', async () => {
    const first = await start();
    await writeFile(fileOf(first), '{"hubUrl":"https://evil.example","session":null}');
    const restarted = await start({ userDataDir: first.userDataDir });
    await expect(restarted.ipcMain.invoke('credentials:get', APP_PAGE, {})).resolves.toEqual({
      credentials: null,
      storage: 'encrypted',
    });
    expect(existsSync(fileOf(first))).toBe(false);
    expect(connectSrc(await pagePolicy(restarted))).toEqual(["'self'"]);
  });
});

describe('no plain text on disk', () => {
  it.each<[string, string, Partial<FakeSafeStorage>]>([
    ['Linux without a keyring (basic_text)', 'linux', { backend: 'basic_text' }],
    ['Linux before the key store answers', 'linux', { backend: 'unknown' }],
    ['a system without encryption', 'win32', { encryptionAvailable: false }],
  ])('keeps credentials in memory only on %s, and says so', async (_name, platform, state) => {
    const safeStorage = Object.assign(new FakeSafeStorage(), state);
    const electron = await start({
      safeStorage,
      config: { platform: platform as DesktopConfig['platform'] },
    });
    await expect(electron.ipcMain.invoke('credentials:set', APP_PAGE, signedIn)).resolves.toEqual({
      storage: 'memory',
      reloadRequired: true,
    });
    expect(existsSync(fileOf(electron))).toBe(false);
    // Kept for this run (a reload of the window stays signed in)…
    await expect(electron.ipcMain.invoke('credentials:get', APP_PAGE, {})).resolves.toEqual({
      credentials: signedIn,
      storage: 'memory',
    });
    // …and gone after a restart.
    const restarted = await start({ userDataDir: electron.userDataDir, safeStorage });
    await expect(restarted.ipcMain.invoke('credentials:get', APP_PAGE, {})).resolves.toEqual({
      credentials: null,
      storage: 'memory',
    });
  });

  it('encrypts on Linux with a real keyring', async () => {
    const safeStorage = Object.assign(new FakeSafeStorage(), { backend: 'kwallet5' });
    const electron = await start({ safeStorage });
    await electron.ipcMain.invoke('credentials:set', APP_PAGE, signedIn);
    expect(existsSync(fileOf(electron))).toBe(true);
  });

  it('removes a file written earlier once this system can no longer encrypt', async () => {
    const first = await start();
    await first.ipcMain.invoke('credentials:set', APP_PAGE, signedIn);
    const safeStorage = Object.assign(new FakeSafeStorage(), { backend: 'basic_text' });
    const restarted = await start({ userDataDir: first.userDataDir, safeStorage });
    await restarted.ipcMain.invoke('credentials:set', APP_PAGE, { ...signedIn, session: null });
    expect(existsSync(fileOf(first))).toBe(false);
  });
});

describe('the credentials channels refuse what the contract does not allow', () => {
  const user = signedIn.session?.user;
  it.each<[string, unknown, RegExp]>([
    ['a javascript: hub', { hubUrl: 'javascript:alert(1)', session: null }, /hubUrl/],
    ['a file: hub', { hubUrl: 'file:///etc/passwd', session: null }, /hubUrl/],
    ['credentials in the hub URL', { hubUrl: 'https://a:b@hub.example', session: null }, /hubUrl/],
    ['a hub URL with a path', { hubUrl: 'https://hub.example/x', session: null }, /hubUrl/],
    ['a hub URL not normalised', { hubUrl: 'https://HUB.example/', session: null }, /hubUrl/],
    [
      'a CSP keyword for a hub',
      { hubUrl: "https://a.example; script-src 'unsafe-inline'", session: null },
      /hubUrl/,
    ],
    ['no session key', { hubUrl: TEAM_HUB }, /session/],
    ['an empty token', { hubUrl: TEAM_HUB, session: { token: '', user } }, /token/],
    ['a session without user', { hubUrl: TEAM_HUB, session: { token: 't' } }, /user/],
    ['an unexpected key', { ...signedIn, password: 'hunter2' }, /Invalid arguments/],
    ['nothing', undefined, /Invalid arguments for credentials:set/],
  ])('refuses %s and stores nothing', async (_name, request, message) => {
    const electron = await start();
    await expect(electron.ipcMain.invoke('credentials:set', APP_PAGE, request)).rejects.toThrow(
      message,
    );
    expect(existsSync(fileOf(electron))).toBe(false);
    expect(connectSrc(await pagePolicy(electron))).toEqual(["'self'"]);
  });

  it('refuses arguments on get and clear', async () => {
    const electron = await start();
    await expect(
      electron.ipcMain.invoke('credentials:get', APP_PAGE, { hubUrl: TEAM_HUB }),
    ).rejects.toThrow(/Invalid arguments for credentials:get/);
    await expect(electron.ipcMain.invoke('credentials:clear', APP_PAGE)).rejects.toThrow(
      /expected one argument, got 0/,
    );
  });

  it.each<[string | null, string]>([
    ['https://evil.example/', 'a foreign page'],
    ['file:///tmp/index.html', 'a local file'],
    [null, 'a frame that is gone'],
  ])('refuses every credentials call from a sender at %s (%s)', async (frameUrl) => {
    const electron = await start();
    await electron.ipcMain.invoke('credentials:set', APP_PAGE, signedIn);
    const evil = { hubUrl: 'https://evil.example', session: null };
    for (const [channel, request] of [
      ['credentials:get', {}],
      ['credentials:set', evil],
      ['credentials:clear', {}],
    ] as const) {
      await expect(electron.ipcMain.invoke(channel, frameUrl, request)).rejects.toThrow(
        /did not come from the Replydesk window/,
      );
    }
    await expect(electron.ipcMain.invoke('credentials:get', APP_PAGE, {})).resolves.toMatchObject({
      credentials: signedIn,
    });
  });
});

describe("the window's CSP and the signed-in hub", () => {
  it('names only the hub the agent chose last, from the next page load on', async () => {
    const electron = await start();
    const before = mainWindow().loadedPolicy ?? '';
    expect(before).toMatch(/^default-src 'none'/);
    expect(connectSrc(before)).toEqual(["'self'"]);

    await expect(electron.ipcMain.invoke('credentials:set', APP_PAGE, signedIn)).resolves.toEqual({
      storage: 'encrypted',
      reloadRequired: true,
    });
    // The page already loaded keeps the policy it loaded with: it cannot widen its own.
    expect(mainWindow().loadedPolicy).toBe(before);
    const first = await pagePolicy(electron);
    expect(first).toMatch(/^default-src 'none'/);
    expect(connectSrc(first)).toEqual(["'self'", TEAM_HUB, 'wss://hub.shop.example']);

    // The same hub again (a sign-in after choosing it): the loaded page may already reach it.
    await expect(
      electron.ipcMain.invoke('credentials:set', APP_PAGE, { ...signedIn, session: null }),
    ).resolves.toMatchObject({ reloadRequired: false });

    // Another hub replaces the first one; it does not add to it.
    const other = { hubUrl: 'http://10.0.0.5:4477', session: null };
    await expect(electron.ipcMain.invoke('credentials:set', APP_PAGE, other)).resolves.toEqual({
      storage: 'encrypted',
      reloadRequired: true,
    });
    expect(connectSrc(await pagePolicy(electron))).toEqual([
      "'self'",
      'http://10.0.0.5:4477',
      'ws://10.0.0.5:4477',
    ]);
  });

  it('keeps the configured hub and names the remembered one from the first page load', async () => {
    const first = await start({ config: { hubOrigins: ['http://127.0.0.1:4477'] } });
    await first.ipcMain.invoke('credentials:set', APP_PAGE, signedIn);
    const restarted = await start({
      userDataDir: first.userDataDir,
      config: { hubOrigins: ['http://127.0.0.1:4477'] },
    });
    const policy = await pagePolicy(restarted);
    expect(connectSrc(policy)).toEqual([
      "'self'",
      'http://127.0.0.1:4477',
      'ws://127.0.0.1:4477',
      TEAM_HUB,
      'wss://hub.shop.example',
    ]);
    expect(policy).not.toMatch(/script-src[^;]*unsafe/);
  });

  it('does not ask for a reload when the page did not come through the app: protocol (dev server)', async () => {
    const electron = await start({ config: { devServerUrl: 'http://localhost:5173/' } });
    expect(mainWindow().loadedPolicy).toBeNull();
    await expect(
      electron.ipcMain.invoke('credentials:set', 'http://localhost:5173/', signedIn),
    ).resolves.toMatchObject({ reloadRequired: false });
  });
});

describe('the configured hub', () => {
  const proc = { versions: {}, platform: 'linux', arch: 'x64' };
  it('normalises REPLYDESK_HUB_URL to an origin', () => {
    const desktop = defaultDesktopConfig(
      '/app/out/main',
      { REPLYDESK_HUB_URL: 'HUB.example/' },
      proc,
    );
    expect(desktop.hubOrigins).toEqual(['https://hub.example']);
  });

  it('refuses a REPLYDESK_HUB_URL that is not an http(s) origin, naming the setting', () => {
    expect(() =>
      defaultDesktopConfig('/app/out/main', { REPLYDESK_HUB_URL: 'https://u:p@hub.example' }, proc),
    ).toThrow(/REPLYDESK_HUB_URL: .*user name and password/);
  });
});
