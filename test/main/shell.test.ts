import { mkdtemp, mkdir, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { registerAppScheme, startDesktopApp, type DesktopConfig } from '../../src/main/app';
import { APP_ORIGIN, createAppProtocolHandler } from '../../src/main/app-protocol';
import { checkExternalUrl } from '../../src/main/external-links';
import { mainWindowOptions } from '../../src/main/window';
import {
  createFakeElectron,
  FakeBrowserWindow,
  FakeNotification,
  removeFakeUserData,
  type FakeElectron,
} from './fake-electron';

const APP_PAGE = `${APP_ORIGIN}/index.html`;
let rendererDir: string;

beforeAll(async () => {
  rendererDir = await mkdtemp(path.join(os.tmpdir(), 'replydesk-renderer-'));
  await mkdir(path.join(rendererDir, 'assets'));
  await writeFile(path.join(rendererDir, 'index.html'), '<!doctype html><title>Replydesk</title>');
  await writeFile(path.join(rendererDir, 'assets', 'app.js'), 'console.log("app")');
  await writeFile(path.join(path.dirname(rendererDir), 'replydesk-secret.txt'), 'secret');
});

afterAll(async () => {
  removeFakeUserData();
  await rm(rendererDir, { recursive: true, force: true });
  await rm(path.join(path.dirname(rendererDir), 'replydesk-secret.txt'), { force: true });
});

function config(overrides: Partial<DesktopConfig> = {}): DesktopConfig {
  return {
    rendererDir,
    preloadPath: '/app/out/preload/index.cjs',
    embeddedHub: null,
    hubOrigins: ['http://127.0.0.1:4477'],
    versions: { electron: '45.4.1', chrome: '146.0.0.0' },
    platform: 'linux',
    arch: 'x64',
    ...overrides,
  };
}

async function startFake(overrides: Partial<DesktopConfig> = {}): Promise<{
  electron: FakeElectron;
  window: FakeBrowserWindow;
}> {
  const electron = createFakeElectron();
  registerAppScheme(electron);
  const window = await startDesktopApp(electron, config(overrides));
  if (!(window instanceof FakeBrowserWindow)) throw new Error('no window was created');
  return { electron, window };
}

describe('the main window', () => {
  it('runs the page sandboxed, isolated and without Node', () => {
    const prefs = mainWindowOptions('/p/index.cjs').webPreferences;
    expect(prefs).toMatchObject({
      preload: '/p/index.cjs',
      sandbox: true,
      contextIsolation: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      webviewTag: false,
    });
  });

  it('opens one window with those options on the app origin', async () => {
    const { window } = await startFake();
    expect(FakeBrowserWindow.created).toHaveLength(1);
    expect(window.options.webPreferences?.sandbox).toBe(true);
    expect(window.options.webPreferences?.preload).toBe('/app/out/preload/index.cjs');
    expect(window.loadedUrl).toBe(APP_PAGE);
    expect(window.visible).toBe(true);
  });

  it('registers the app scheme as secure and standard before the app is ready', async () => {
    const { electron } = await startFake();
    expect(electron.schemes).toEqual([
      expect.objectContaining({
        scheme: 'app',
        privileges: expect.objectContaining({ standard: true, secure: true }),
      }),
    ]);
  });

  it('quits a second instance and focuses the first window instead', async () => {
    const second = createFakeElectron();
    second.singleInstance = false;
    expect(await startDesktopApp(second, config())).toBeNull();
    expect(second.quitCalls).toBe(1);

    const { electron, window } = await startFake();
    window.minimized = true;
    electron.secondInstance(['replydesk']);
    expect(window.minimized).toBe(false);
    expect(window.focused).toBe(1);
  });

  it("grants notifications to the app's own page and denies every other permission", async () => {
    const { electron } = await startFake();
    const answers: Record<string, boolean> = {};
    for (const permission of ['notifications', 'media', 'geolocation', 'openExternal']) {
      electron.permissionRequest?.({}, permission, (ok) => (answers[permission] = ok), {
        requestingUrl: APP_PAGE,
      });
    }
    expect(answers).toEqual({
      notifications: true,
      media: false,
      geolocation: false,
      openExternal: false,
    });
    expect(electron.permissionCheck?.({}, 'notifications', APP_ORIGIN)).toBe(true);
    expect(electron.permissionCheck?.({}, 'camera', APP_ORIGIN)).toBe(false);
    expect(electron.permissionCheck?.({}, 'clipboard-sanitized-write', APP_ORIGIN)).toBe(false);
  });

  it('denies even notifications to any other origin', async () => {
    const { electron } = await startFake();
    const answers: boolean[] = [];
    for (const requestingUrl of [
      'https://evil.example/',
      'http://127.0.0.1:4477/',
      'app://other/index.html',
      'file:///index.html',
      undefined,
    ]) {
      electron.permissionRequest?.({}, 'notifications', (ok) => answers.push(ok), {
        ...(requestingUrl === undefined ? {} : { requestingUrl }),
      });
    }
    expect(answers).toEqual([false, false, false, false, false]);
    expect(electron.permissionCheck?.({}, 'notifications', 'https://evil.example')).toBe(false);
    expect(electron.permissionCheck?.({}, 'notifications', '')).toBe(false);
  });
});

describe('every other web contents (a popup, a webview, a future window)', () => {
  it('gets the same guards as the main window, as it is created', async () => {
    const { electron } = await startFake();
    const other = electron.createWebContents();
    expect(other.navigate('https://evil.example/phish')).toBe(false);
    expect(other.navigate('https://evil.example/', 'will-redirect')).toBe(false);
    expect(other.windowOpen('https://shop.example/track/1')).toBe('deny');
    let prevented = false;
    other.emit('will-attach-webview', { preventDefault: () => (prevented = true) });
    expect(prevented).toBe(true);
    expect(electron.opened).toEqual([
      'https://evil.example/phish',
      'https://evil.example/',
      'https://shop.example/track/1',
    ]);
  });

  it('hardens the main window exactly once (a link opens one browser tab)', async () => {
    const { electron, window } = await startFake();
    expect(window.webContents.listenerCount('will-navigate')).toBe(1);
    expect(window.webContents.navigate('https://shop.example/')).toBe(false);
    expect(electron.opened).toEqual(['https://shop.example/']);
  });
});

describe('navigation hardening', () => {
  let electron: FakeElectron;
  let window: FakeBrowserWindow;
  beforeEach(async () => {
    ({ electron, window } = await startFake());
  });

  it('prevents navigation away from the app and opens web links in the system browser', () => {
    expect(window.webContents.navigate('https://evil.example/phish')).toBe(false);
    expect(electron.opened).toEqual(['https://evil.example/phish']);
  });

  it('prevents redirects away from the app', () => {
    expect(window.webContents.navigate('https://evil.example/', 'will-redirect')).toBe(false);
  });

  it('lets the app navigate within its own origin', () => {
    expect(window.webContents.navigate(`${APP_ORIGIN}/index.html#/inbox`)).toBe(true);
    expect(electron.opened).toEqual([]);
  });

  it('never opens file: or javascript: navigations anywhere', () => {
    expect(window.webContents.navigate('file:///etc/passwd')).toBe(false);
    expect(window.webContents.navigate('javascript:alert(1)')).toBe(false);
    expect(electron.opened).toEqual([]);
  });

  it('denies window.open, handing only http(s) and mailto links to the system', () => {
    expect(window.webContents.windowOpen('https://shop.example/track/1')).toBe('deny');
    expect(window.webContents.windowOpen('mailto:help@shop.example')).toBe('deny');
    expect(window.webContents.windowOpen('file:///C:/Windows/System32/calc.exe')).toBe('deny');
    expect(window.webContents.windowOpen(`${APP_ORIGIN}/index.html`)).toBe('deny');
    expect(electron.opened).toEqual(['https://shop.example/track/1', 'mailto:help@shop.example']);
  });

  it('blocks <webview> attachment', () => {
    let prevented = false;
    window.webContents.emit('will-attach-webview', { preventDefault: () => (prevented = true) });
    expect(prevented).toBe(true);
  });
});

describe('external links', () => {
  it.each([
    ['https://shop.example/orders/1001?x=1', 'https://shop.example/orders/1001?x=1'],
    ['http://tracking.example/AB123', 'http://tracking.example/AB123'],
    ['  https://EXAMPLE.com/a  ', 'https://example.com/a'],
    ['mailto:someone@example.com', 'mailto:someone@example.com'],
  ])('allows %s', (raw, normalised) => {
    expect(checkExternalUrl(raw)).toEqual({ ok: true, url: normalised });
  });

  it.each([
    ['javascript:alert(document.cookie)', /javascript:/],
    ['JaVaScRiPt:alert(1)', /javascript:/],
    ['file:///etc/passwd', /file:/],
    ['app://replydesk/index.html', /app:/],
    ['vbscript:msgbox', /vbscript:/],
    ['data:text/html,<script>alert(1)</script>', /data:/],
    ['not a url', /valid link/],
    ['https://bank.example@evil.example/', /credentials/],
  ])('refuses %s', (raw, reason) => {
    const check = checkExternalUrl(raw);
    expect(check.ok).toBe(false);
    if (!check.ok) expect(check.reason).toMatch(reason);
  });
});

describe('IPC handlers', () => {
  let electron: FakeElectron;
  let window: FakeBrowserWindow;
  beforeEach(async () => {
    ({ electron, window } = await startFake());
  });

  it('registers exactly the contract channels, no generic pass-through', () => {
    expect([...electron.ipcMain.handlers.keys()].sort()).toEqual([
      'app:activity',
      'app:get-info',
      'app:open-crash-reports',
      'app:reset-local-data',
      'attachment:save',
      'badge:set-count',
      'credentials:clear',
      'credentials:get',
      'credentials:set',
      'deep-link:take',
      'desktop-settings:get',
      'desktop-settings:set',
      'hub:embedded-secret',
      'notification:show',
      'shell:open-external',
      'tray:availability',
      'update:check',
      'update:restart',
      'window:pop-out',
    ]);
  });

  it('answers the app version and platform', async () => {
    await expect(electron.ipcMain.invoke('app:get-info', APP_PAGE, {})).resolves.toEqual({
      name: 'Replydesk',
      version: '0.1.0',
      platform: 'linux',
      arch: 'x64',
      electron: '45.4.1',
      chrome: '146.0.0.0',
    });
  });

  it('opens http(s) links and refuses javascript: and file: with a reason', async () => {
    await expect(
      electron.ipcMain.invoke('shell:open-external', APP_PAGE, { url: 'https://shop.example/t/1' }),
    ).resolves.toEqual({ opened: true });
    const refusedJs = await electron.ipcMain.invoke('shell:open-external', APP_PAGE, {
      url: 'javascript:alert(1)',
    });
    expect(refusedJs).toEqual({ opened: false, reason: expect.stringMatching(/javascript:/) });
    const refusedFile = await electron.ipcMain.invoke('shell:open-external', APP_PAGE, {
      url: 'file:///etc/passwd',
    });
    expect(refusedFile).toMatchObject({ opened: false });
    expect(electron.opened).toEqual(['https://shop.example/t/1']);
  });

  it.each([
    ['badge:set-count', { count: -1 }, /count/],
    ['badge:set-count', { count: 'seven' }, /count/],
    ['badge:set-count', { count: 1.5 }, /count/],
    ['badge:set-count', undefined, /Invalid arguments for badge:set-count/],
    ['shell:open-external', { url: 42 }, /url/],
    ['shell:open-external', { url: 'https://x.example', extra: true }, /Invalid arguments/],
    ['notification:show', { title: '', body: 'x' }, /title/],
    ['notification:show', { title: 'x'.repeat(500), body: 'x' }, /title/],
    ['app:get-info', { unexpected: 1 }, /Invalid arguments for app:get-info/],
  ])('rejects %s with a malformed argument %j and a clear error', async (channel, arg, message) => {
    await expect(electron.ipcMain.invoke(channel, APP_PAGE, arg)).rejects.toThrow(message);
    expect(electron.opened).toEqual([]);
    expect(electron.badgeCounts).toEqual([]);
  });

  it('rejects calls with extra arguments', async () => {
    await expect(
      electron.ipcMain.invoke('badge:set-count', APP_PAGE, { count: 1 }, 'extra'),
    ).rejects.toThrow(/expected one argument, got 2/);
  });

  it.each<[string | null, string]>([
    ['https://evil.example/', 'a foreign page'],
    ['file:///tmp/index.html', 'a local file'],
    ['app://other/index.html', 'another app host'],
    [null, 'a frame that is gone'],
  ])('refuses a sender frame at %s (%s)', async (frameUrl) => {
    await expect(
      electron.ipcMain.invoke('badge:set-count', frameUrl, { count: 3 }),
    ).rejects.toThrow(/did not come from the Replydesk window/);
    expect(electron.badgeCounts).toEqual([]);
  });

  it('sets the badge count', async () => {
    await expect(
      electron.ipcMain.invoke('badge:set-count', APP_PAGE, { count: 7 }),
    ).resolves.toEqual({ applied: true });
    expect(electron.badgeCounts).toEqual([7]);
  });

  it('shows a notification whose click focuses the window and tells the page', async () => {
    window.minimized = true;
    await expect(
      electron.ipcMain.invoke('notification:show', APP_PAGE, {
        title: 'Window closing in 30 min',
        body: 'Anna de Vries (WhatsApp)',
        conversationId: 'c-42',
      }),
    ).resolves.toEqual({ shown: true });
    expect(FakeNotification.shown).toHaveLength(1);
    FakeNotification.shown[0]?.click();
    expect(window.minimized).toBe(false);
    expect(window.webContents.sent).toEqual([
      { channel: 'notification:clicked', payload: { conversationId: 'c-42' } },
    ]);
  });

  it('says so when the system has no notifications', async () => {
    FakeNotification.supported = false;
    await expect(
      electron.ipcMain.invoke('notification:show', APP_PAGE, { title: 'Hi', body: '' }),
    ).resolves.toEqual({ shown: false, reason: expect.stringMatching(/not supported/) });
  });

  it('accepts the dev server origin only when one is configured', async () => {
    const dev = await startFake({ devServerUrl: 'http://localhost:5173/' });
    await expect(
      dev.electron.ipcMain.invoke('badge:set-count', 'http://localhost:5173/', { count: 1 }),
    ).resolves.toEqual({ applied: true });
    await expect(
      electron.ipcMain.invoke('badge:set-count', 'http://localhost:5173/', { count: 1 }),
    ).rejects.toThrow(/did not come from/);
  });
});

describe('the app: protocol', () => {
  const csp = "default-src 'none'; script-src 'self'";
  const handler = (): ((request: { url: string }) => Promise<Response>) =>
    createAppProtocolHandler(rendererDir, () => csp);

  it('serves the app page with its Content-Security-Policy', async () => {
    const response = await handler()({ url: `${APP_ORIGIN}/` });
    expect(response.status).toBe(200);
    expect(response.headers.get('content-security-policy')).toBe(csp);
    expect(response.headers.get('content-type')).toMatch(/text\/html/);
    expect(await response.text()).toContain('<title>Replydesk</title>');
  });

  it('serves assets with their content type', async () => {
    const response = await handler()({ url: `${APP_ORIGIN}/assets/app.js` });
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/javascript/);
  });

  it.each([
    `${APP_ORIGIN}/%2e%2e/replydesk-secret.txt`,
    `${APP_ORIGIN}/..%2freplydesk-secret.txt`,
    `${APP_ORIGIN}/assets/%2e%2e/%2e%2e/replydesk-secret.txt`,
    'app://elsewhere/index.html',
    `${APP_ORIGIN}/missing.js`,
  ])('answers 404 for %s', async (url) => {
    expect((await handler()({ url })).status).toBe(404);
  });

  it('hands the protocol handler to Electron at start-up with the hub in connect-src', async () => {
    const { electron } = await startFake();
    const handle = electron.protocolHandlers.get('app');
    if (!handle) throw new Error('app: protocol not handled');
    const response = await handle(new Request(APP_PAGE));
    const policy = response.headers.get('content-security-policy') ?? '';
    expect(policy).toMatch(/^default-src 'none'/);
    expect(policy).toContain('connect-src');
    expect(policy).toContain('ws://127.0.0.1:4477');
    expect(policy).not.toMatch(/script-src[^;]*unsafe-inline/);
  });
});
