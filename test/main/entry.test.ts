import { afterAll, describe, expect, it, vi } from 'vitest';

// The real entry point, loaded with `electron` replaced by the fake module: proves the thin glue
// in src/main/index.ts wires the tested pieces together.
const fake = await vi.hoisted(async () => {
  const { createFakeElectron } = await import('./fake-electron');
  const electron = createFakeElectron();
  return { electron, exits: [] as number[] };
});

vi.mock('electron', () => ({
  ...fake.electron,
  app: { ...fake.electron.app, exit: (code: number) => fake.exits.push(code) },
}));

afterAll(async () => {
  const { removeFakeUserData } = await import('./fake-electron');
  removeFakeUserData();
});

describe('src/main/index.ts', () => {
  it('registers the app scheme and opens the hardened window on app://replydesk', async () => {
    await import('../../src/main/index');
    const { FakeBrowserWindow } = await import('./fake-electron');
    await vi.waitFor(() => expect(FakeBrowserWindow.created).toHaveLength(1));
    const [window] = FakeBrowserWindow.created;
    expect(fake.electron.schemes.map((s) => s.scheme)).toEqual(['app']);
    expect(window?.loadedUrl).toBe('app://replydesk/index.html');
    expect(window?.options.webPreferences).toMatchObject({ sandbox: true, contextIsolation: true });
    expect(String(window?.options.webPreferences?.preload)).toMatch(/preload[\\/]index\.cjs$/);
    expect(fake.electron.ipcMain.handlers.size).toBe(7);
    expect(fake.exits).toEqual([]);
  });
});
