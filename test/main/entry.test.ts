import path from 'node:path';
import { afterAll, describe, expect, it, vi } from 'vitest';
import type { HubOptions } from '../../src/server/hub';

// The real entry point, loaded with `electron` replaced by the fake module: proves the thin glue
// in src/main/index.ts wires the tested pieces together. The hub itself is replaced too (it is
// started for real in embedded-hub.test.ts): here only the configuration main gives it matters,
// and that it runs in a utility process (the RunAsNode fuse is off in the packaged app).
const fake = await vi.hoisted(async () => {
  const { createFakeElectron } = await import('./fake-electron');
  const electron = createFakeElectron();
  const state = {
    electron,
    exits: [] as number[],
    hubs: [] as HubOptions[],
    initialised: [] as string[],
    closed: 0,
  };
  electron.utilityProcess.deps = {
    startHub: async (options: HubOptions) => {
      state.hubs.push(options);
      return {
        url: 'http://127.0.0.1:45123',
        port: 45123,
        close: async () => {
          state.closed += 1;
        },
      };
    },
    initialise: async (dataDir: string) => void state.initialised.push(dataDir),
  };
  return state;
});

vi.mock('electron', () => ({
  ...fake.electron,
  app: {
    ...fake.electron.app,
    isPackaged: false,
    exit: (code: number) => fake.exits.push(code),
  },
}));

vi.mock('../../src/server/hub', () => ({
  startHub: async () => {
    throw new Error('The hub must not run in the main process.');
  },
}));

afterAll(async () => {
  const { removeFakeUserData } = await import('./fake-electron');
  removeFakeUserData();
});

describe('src/main/index.ts', () => {
  it('registers the app scheme, starts the embedded hub and opens the hardened window', async () => {
    vi.stubEnv('REPLYDESK_HUB_URL', undefined);
    vi.stubEnv('PORT', '4477');
    vi.stubEnv('REPLYDESK_HOST', '0.0.0.0');
    await import('../../src/main/index');
    const { FakeBrowserWindow } = await import('./fake-electron');
    await vi.waitFor(() => expect(FakeBrowserWindow.created).toHaveLength(1));
    const [window] = FakeBrowserWindow.created;
    expect(fake.electron.schemes.map((s) => s.scheme)).toEqual(['app']);
    expect(window?.loadedUrl).toBe('app://replydesk/index.html');
    expect(window?.options.webPreferences).toMatchObject({ sandbox: true, contextIsolation: true });
    expect(String(window?.options.webPreferences?.preload)).toMatch(/preload[\\/]index\.cjs$/);
    expect(fake.electron.ipcMain.handlers.size).toBe(19);
    expect(fake.exits).toEqual([]);

    // Loopback on a free port whatever the environment says, data in userData, demo and
    // embedded mode on, the renderer the app: protocol serves, the rate card from resources/.
    // A short-lived utility process creates the data folder, a second one runs the hub.
    const { utilityProcess } = fake.electron;
    expect(utilityProcess.forks.map((f) => path.basename(f.modulePath))).toEqual([
      'hub-process.js',
      'hub-process.js',
    ]);
    expect(utilityProcess.forks[0]?.options).toEqual({
      serviceName: 'Replydesk hub',
      stdio: 'inherit',
    });
    expect(fake.initialised).toEqual([path.join(fake.electron.userDataDir, 'hub')]);
    expect(utilityProcess.messages[0]?.from).toEqual([{ type: 'initialised' }]);
    expect(utilityProcess.messages[1]?.from).toEqual([
      { type: 'listening', url: 'http://127.0.0.1:45123', port: 45123 },
    ]);
    expect(fake.hubs).toHaveLength(1);
    const [hub] = fake.hubs;
    expect(hub).toMatchObject({
      host: '127.0.0.1',
      port: 0,
      publicHosts: [],
      dataDir: path.join(fake.electron.userDataDir, 'hub'),
      demo: true,
      embedded: true,
    });
    // This launch's secret, the only way to the local admin's token.
    expect(hub?.embeddedSecret).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(path.normalize(hub?.rendererDir ?? '')).toBe(
      path.resolve(String(window?.options.webPreferences?.preload), '../../renderer'),
    );
    expect(hub?.rateCardPath).toMatch(/resources[\\/]pricing[\\/]rate-card\.example\.json$/);
    const page = await fake.electron.protocolHandlers.get('app')?.(
      new Request('app://replydesk/index.html'),
    );
    expect(page?.headers.get('content-security-policy')).toContain(
      "connect-src 'self' http://127.0.0.1:45123 ws://127.0.0.1:45123",
    );

    fake.electron.app.quit();
    await vi.waitFor(() => expect(fake.electron.hasQuit).toBe(true));
    expect(fake.closed).toBe(1);
    expect(utilityProcess.messages[1]?.to.at(-1)).toEqual({ type: 'close' });
    expect(utilityProcess.messages[1]?.from.at(-1)).toEqual({ type: 'closed' });
  });
});
