import { mkdtemp, mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { registerAppScheme, startDesktopApp, type DesktopConfig } from '../../src/main/app';
import { APP_ORIGIN } from '../../src/main/app-protocol';
import { createActivityBoard, createUpdateController } from '../../src/main/auto-update';
import { systemSpellcheckLanguages } from '../../src/main/app';
import { placeWindow } from '../../src/main/window-state';
import { parseDeepLink } from '../../src/shared/desktop/deep-link';
import {
  createFakeElectron,
  FakeBrowserWindow,
  FakeMenu,
  FakeUpdater,
  closeWindowsThenQuit,
  FakeNotification,
  FakeTray,
  removeFakeUserData,
  type FakeElectron,
} from './fake-electron';

const APP_PAGE = `${APP_ORIGIN}/index.html`;
let rendererDir: string;

beforeAll(async () => {
  rendererDir = await mkdtemp(path.join(os.tmpdir(), 'replydesk-renderer-'));
  await mkdir(path.join(rendererDir, 'assets'));
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
    hubOrigins: ['http://127.0.0.1:4477'],
    versions: { electron: '45.4.1', chrome: '146.0.0.0' },
    platform: 'darwin',
    arch: 'x64',
    ...overrides,
  };
}

async function start(
  overrides: Partial<DesktopConfig> = {},
  electron: FakeElectron = createFakeElectron(),
): Promise<{ electron: FakeElectron; window: FakeBrowserWindow }> {
  registerAppScheme(electron);
  const window = await startDesktopApp(electron, config(overrides));
  if (!(window instanceof FakeBrowserWindow)) throw new Error('no window');
  return { electron, window };
}

describe('the tray', () => {
  it("follows the page's figures: waiting and closing within the hour", async () => {
    const { electron } = await start();
    const tray = FakeTray.created[0];
    expect(tray?.toolTip).toBe('Replydesk');
    await electron.ipcMain.invoke('badge:set-count', APP_PAGE, { count: 3, closingSoon: 1 });
    expect(tray?.toolTip).toBe(
      'Replydesk — 3 conversations waiting for you, 1 window closes within the hour',
    );
    expect(tray?.title).toBe('3 · 1⏱');
    await electron.ipcMain.invoke('badge:set-count', APP_PAGE, { count: 0, closingSoon: 0 });
    expect(tray?.toolTip).toBe('Replydesk — nothing waiting for you');
    expect(tray?.title).toBe('');
    expect(electron.badgeCounts).toEqual([3, 0]);
  });

  it('pauses notifications for an hour from its menu', async () => {
    let now = Date.UTC(2026, 11, 2, 9, 0);
    const timers: { run: () => void; ms: number }[] = [];
    const { electron } = await start({
      now: () => now,
      schedule: (run, ms) => {
        timers.push({ run, ms });
        return { cancel: () => undefined };
      },
    });
    const tray = FakeTray.created[0];
    tray?.menu?.click('Pause notifications for 1 hour');
    const until = new Date(now + 60 * 60 * 1000).toLocaleTimeString([], {
      hour: '2-digit',
      minute: '2-digit',
    });
    expect(tray?.menu?.labels()).toContain(`Resume notifications (paused until ${until})`);
    expect(timers.map((timer) => timer.ms)).toEqual([60 * 60 * 1000]);
    await expect(
      electron.ipcMain.invoke('notification:show', APP_PAGE, { title: 'Hi', body: '' }),
    ).resolves.toMatchObject({ shown: false, reason: expect.stringMatching(/paused until/) });
    expect(FakeNotification.shown).toHaveLength(0);
    now += 60 * 60 * 1000;
    // The hour is up: the menu offers the pause again at once.
    timers[0]?.run();
    expect(tray?.menu?.item('Pause notifications for 1 hour').label).toBe(
      'Pause notifications for 1 hour',
    );
    await expect(
      electron.ipcMain.invoke('notification:show', APP_PAGE, { title: 'Hi', body: '' }),
    ).resolves.toEqual({ shown: true });
  });

  it('shows the availability the page knows, checked, and sends the one chosen to the page', async () => {
    const { window, electron } = await start();
    const tray = FakeTray.created[0];
    // Not known yet (or this computer's own hub, which has none): not offered.
    expect(tray?.menu?.labels()).not.toContain('Away');
    await electron.ipcMain.invoke('tray:availability', APP_PAGE, { availability: 'available' });
    const checked = () =>
      tray?.menu?.template
        .filter((item) => item.type === 'radio')
        .map((item) => [item.label, item.checked]);
    expect(checked()).toEqual([
      ['Available', true],
      ['Away', false],
    ]);
    tray?.menu?.click('Away');
    expect(window.webContents.sent).toContainEqual({
      channel: 'tray:set-availability',
      payload: { availability: 'away' },
    });
    await electron.ipcMain.invoke('tray:availability', APP_PAGE, { availability: 'away' });
    expect(checked()).toEqual([
      ['Available', false],
      ['Away', true],
    ]);
    await electron.ipcMain.invoke('tray:availability', APP_PAGE, { availability: null });
    expect(checked()).toEqual([]);
  });

  it('keeps the app in the tray when the window closes on Windows (a setting)', async () => {
    const { window, electron } = await start({ platform: 'win32' });
    expect(window.close()).toBe(false);
    expect(window.visible).toBe(false);
    await electron.ipcMain.invoke('desktop-settings:set', APP_PAGE, { closeToTray: false });
    expect(window.close()).toBe(true);
  });

  it('puts a taskbar overlay on Windows while something waits', async () => {
    const { window, electron } = await start({ platform: 'win32' });
    await electron.ipcMain.invoke('badge:set-count', APP_PAGE, { count: 2 });
    await electron.ipcMain.invoke('badge:set-count', APP_PAGE, { count: 0 });
    expect(window.overlays).toEqual(['2 conversations waiting for you', null]);
  });
});

describe('deep links', () => {
  it.each([
    ['replydesk://conversation/cnv_01HX-9', { kind: 'conversation', conversationId: 'cnv_01HX-9' }],
    [
      'replydesk://hub?url=https%3A%2F%2Fhub.example.com',
      { kind: 'hub', hubUrl: 'https://hub.example.com' },
    ],
  ])('parses %s', (raw, link) => {
    expect(parseDeepLink(raw)).toEqual({ ok: true, link });
  });

  it.each([
    'https://evil.example/conversation/1',
    'replydesk://conversation/../../etc',
    'replydesk://conversation/a%2Fb',
    'replydesk://conversation/1?x=2',
    'replydesk://settings',
    'replydesk://hub?url=http%3A%2F%2Fevil.example',
    'replydesk://hub?url=javascript%3Aalert(1)',
    'replydesk://hub?url=https%3A%2F%2Fhub.example.com&token=1',
  ])('refuses %s', (raw) => {
    expect(parseDeepLink(raw).ok).toBe(false);
  });

  it('opens a conversation link from open-url; a malformed one opens nothing, only says why', async () => {
    const { electron, window } = await start();
    expect(electron.openUrl('replydesk://conversation/../x')).toBe(true);
    expect(window.webContents.sent).toEqual([{ channel: 'deep-link:available', payload: {} }]);
    await expect(electron.ipcMain.invoke('deep-link:take', APP_PAGE, {})).resolves.toEqual({
      link: null,
      refused:
        'Replydesk opens only replydesk://conversation/<id> and replydesk://hub?url=<address>.',
    });
    // Told once: the next take has nothing.
    await expect(electron.ipcMain.invoke('deep-link:take', APP_PAGE, {})).resolves.toStrictEqual({
      link: null,
    });
    electron.openUrl('replydesk://conversation/cnv_42');
    expect(window.webContents.sent).toEqual([
      { channel: 'deep-link:available', payload: {} },
      { channel: 'deep-link:available', payload: {} },
    ]);
    await expect(electron.ipcMain.invoke('deep-link:take', APP_PAGE, {})).resolves.toStrictEqual({
      link: { kind: 'conversation', conversationId: 'cnv_42' },
    });
  });

  it('a second instance with a link focuses the first and opens the link', async () => {
    const { electron, window } = await start({ platform: 'win32' });
    window.minimized = true;
    electron.secondInstance(['Replydesk.exe', 'replydesk://conversation/cnv_7']);
    expect(window.minimized).toBe(false);
    expect(window.focused).toBe(1);
    await expect(electron.ipcMain.invoke('deep-link:take', APP_PAGE, {})).resolves.toEqual({
      link: { kind: 'conversation', conversationId: 'cnv_7' },
    });
    expect(electron.protocolClients).toEqual(['replydesk']);
  });
});

describe('notifications', () => {
  it('one per conversation, grouped, with an inline reply sent to the page on macOS', async () => {
    const { electron, window } = await start();
    const show = { title: 'Anna', body: 'Hi', conversationId: 'cnv_1', replyable: true };
    await electron.ipcMain.invoke('notification:show', APP_PAGE, show);
    await electron.ipcMain.invoke('notification:show', APP_PAGE, show);
    const [first, second] = FakeNotification.shown;
    expect(first?.closed).toBe(true);
    expect(second?.options).toMatchObject({ groupId: 'conversation:cnv_1', hasReply: true });
    second?.reply('  On its way  ');
    expect(window.webContents.sent).toContainEqual({
      channel: 'notification:reply',
      payload: { conversationId: 'cnv_1', text: 'On its way' },
    });
  });

  it('offers no inline reply when the reply window does not allow one', async () => {
    const { electron } = await start();
    await electron.ipcMain.invoke('notification:show', APP_PAGE, {
      title: 'Anna',
      body: 'Hi',
      conversationId: 'cnv_1',
      replyable: false,
    });
    expect(FakeNotification.shown[0]?.options.hasReply).toBeUndefined();
  });
});

describe('window state', () => {
  it('is saved on close and restored at the next start', async () => {
    const electron = createFakeElectron();
    const first = await start({ platform: 'linux' }, electron);
    first.window.moveTo({ x: 300, y: 200, width: 1100, height: 700 });
    first.window.maximize();
    first.window.close();
    const file = path.join(electron.userDataDir, 'window-state.json');
    await vi.waitFor(async () =>
      expect(JSON.parse(await readFile(file, 'utf8'))).toMatchObject({ maximised: true }),
    );
    const again = await start(
      { platform: 'linux' },
      createFakeElectron({ userDataDir: electron.userDataDir }),
    );
    expect(again.window.bounds).toEqual({ x: 300, y: 200, width: 1100, height: 700 });
    expect(again.window.maximised).toBe(true);
  });

  it('falls back to the primary display when the saved one is gone', () => {
    const screen = {
      getAllDisplays: () => [{ id: 1, workArea: { x: 0, y: 0, width: 1280, height: 800 } }],
      getPrimaryDisplay: () => ({ id: 1, workArea: { x: 0, y: 0, width: 1280, height: 800 } }),
      getDisplayMatching: () => ({ id: 1, workArea: { x: 0, y: 0, width: 1280, height: 800 } }),
    };
    expect(
      placeWindow(
        { bounds: { x: 2200, y: 100, width: 1400, height: 900 }, maximised: false, displayId: 2 },
        screen,
      ),
    ).toEqual({ bounds: { x: 0, y: 0, width: 1280, height: 800 }, maximised: false });
  });
});

describe('auto-update', () => {
  it('installs only once the outbox is empty and nothing is typed', async () => {
    const updater = new FakeUpdater();
    const activity = createActivityBoard();
    const asked: string[] = [];
    const controller = createUpdateController({
      updater,
      feedUrl: 'https://updates.example.com/replydesk',
      channel: 'beta',
      currentVersion: '0.1.0',
      activity,
      ask: async (version) => {
        asked.push(version);
        return true;
      },
      every: () => undefined,
    });
    expect(updater.feeds).toEqual([
      { provider: 'generic', url: 'https://updates.example.com/replydesk' },
    ]);
    expect([updater.channel, updater.allowPrerelease, updater.autoDownload]).toEqual([
      'beta',
      true,
      true,
    ]);
    activity.report(1, { pendingReplies: 1, typing: false });
    updater.emit('update-downloaded', { version: '0.2.0' });
    await Promise.resolve();
    expect(asked).toEqual([]);
    expect(controller.restartNow()).toMatchObject({ restarting: false });
    activity.report(1, { pendingReplies: 0, typing: true });
    await Promise.resolve();
    expect(asked).toEqual([]);
    activity.report(1, { pendingReplies: 0, typing: false });
    await new Promise((resolve) => setImmediate(resolve));
    expect(asked).toEqual(['0.2.0']);
    expect(updater.installs).toBe(1);
  });

  it("tells every window the updater's state, and checks when Settings asks", async () => {
    const updater = new FakeUpdater();
    const { electron, window } = await start({ updater: async () => updater });
    await electron.ipcMain.invoke('window:pop-out', APP_PAGE, { conversationId: 'cnv_9' });
    const popped = FakeBrowserWindow.created.at(-1);
    if (!popped || popped === window) throw new Error('no pop-out');
    updater.emit('update-available', { version: '0.3.0' });
    const status = {
      channel: 'update:status',
      payload: { state: 'downloading', version: '0.3.0' },
    };
    expect(window.webContents.sent).toContainEqual(status);
    expect(popped.webContents.sent).toContainEqual(status);
    await expect(electron.ipcMain.invoke('update:check', APP_PAGE, {})).resolves.toEqual({
      state: 'downloading',
      version: '0.3.0',
    });
    expect(updater.checks).toBe(2);
  });

  it('installs on macOS, where Electron closes the windows before the app quits', async () => {
    const updater = new FakeUpdater();
    const { electron, window } = await start({ platform: 'darwin', updater: async () => updater });
    updater.onInstall = () => closeWindowsThenQuit(electron);
    // The agent closes the window: macOS keeps the app in the dock.
    expect(window.close()).toBe(false);
    updater.emit('update-downloaded', { version: '0.2.0' });
    await vi.waitFor(() => expect(updater.installs).toBe(1));
    expect(electron.messageBoxes.map((box) => box.message)).toEqual(['Replydesk 0.2.0 is ready']);
    // The install's own close is not kept in the dock: the window goes and the app quits.
    expect(window.destroyed).toBe(true);
    expect(electron.hasQuit).toBe(true);
  });

  it('lets only a pre-release build on the stable channel go back to a lower version', () => {
    const made = (channel: 'stable' | 'beta', currentVersion: string) => {
      const updater = new FakeUpdater();
      // electron-updater turns downgrades on whenever its channel is set.
      updater.allowDowngrade = true;
      const controller = createUpdateController({
        updater,
        feedUrl: null,
        channel,
        currentVersion,
        activity: createActivityBoard(),
        ask: async () => false,
        every: () => undefined,
      });
      return { updater, controller };
    };
    expect(made('stable', '1.4.0').updater.allowDowngrade).toBe(false);
    expect(made('beta', '1.5.0-beta.2').updater.allowDowngrade).toBe(false);
    const back = made('beta', '1.5.0-beta.2');
    back.controller.setChannel('stable');
    expect([
      back.updater.channel,
      back.updater.allowDowngrade,
      back.updater.allowPrerelease,
    ]).toEqual(['latest', true, false]);
  });

  it('answers "disabled" to a check in a build without updates', async () => {
    const { electron } = await start();
    await expect(electron.ipcMain.invoke('update:check', APP_PAGE, {})).resolves.toEqual({
      state: 'disabled',
    });
  });
});

describe('the rest of a good citizen', () => {
  it('writes crash reports locally only, saves attachments with a dialog, wipes local data', async () => {
    const { electron } = await start();
    expect(electron.crashReporterStarts).toEqual([{ uploadToServer: false, compress: true }]);
    const item = electron.download('in/voice:note.ogg');
    expect(item.dialog?.defaultPath).toBe(
      path.join(electron.userDataDir, '(downloads)', 'in_voice_note.ogg'),
    );
    await expect(electron.ipcMain.invoke('app:open-crash-reports', APP_PAGE, {})).resolves.toEqual({
      opened: true,
    });
    expect(electron.openedPaths).toEqual([path.join(electron.userDataDir, '(crashDumps)')]);
    await electron.ipcMain.invoke('app:reset-local-data', APP_PAGE, {});
    expect(electron.cleared).toEqual(['storage', 'cache']);
    expect(electron.relaunched).toBe(1);
    expect(electron.applicationMenu?.labels()).toContain('Go');
  });
});

describe('spelling and the right-click menu', () => {
  const misspelt = {
    isEditable: true,
    misspelledWord: 'parcle',
    dictionarySuggestions: ['parcel', 'parole', 'partly', 'pancake', 'particle', 'pearl'],
    editFlags: { canCut: false, canCopy: false, canPaste: true, canSelectAll: true },
  };

  it('offers the spellchecker suggestions for a misspelt word, replaces it, adds it to the dictionary', async () => {
    const { window, electron } = await start({ platform: 'win32' });
    window.webContents.rightClick(misspelt);
    const menu = FakeMenu.popped.at(-1);
    expect(menu?.template.map((item) => item.label ?? item.role ?? item.type)).toEqual([
      'parcel',
      'parole',
      'partly',
      'pancake',
      'particle',
      'Add “parcle” to the dictionary',
      'separator',
      'cut',
      'copy',
      'paste',
      'separator',
      'selectAll',
    ]);
    expect(menu?.template.filter((item) => item.role).map((item) => item.enabled)).toEqual([
      false,
      false,
      true,
      true,
    ]);
    menu?.click('parcel');
    expect(window.webContents.replacements).toEqual(['parcel']);
    menu?.click('Add “parcle” to the dictionary');
    expect(electron.dictionaryWords).toEqual(['parcle']);
  });

  it('says when there is no suggestion; outside a field only copies a selection, else shows nothing', async () => {
    const { window } = await start();
    window.webContents.rightClick({ ...misspelt, dictionarySuggestions: [] });
    expect(FakeMenu.popped.at(-1)?.template[0]).toEqual({
      label: 'No spelling suggestions',
      enabled: false,
    });
    window.webContents.rightClick({ selectionText: 'Order 1043' });
    expect(FakeMenu.popped.at(-1)?.template).toEqual([{ role: 'copy' }]);
    window.webContents.rightClick({});
    expect(FakeMenu.popped).toHaveLength(2);
  });

  it('has the same menu in a pop-out window', async () => {
    const { electron } = await start();
    await electron.ipcMain.invoke('window:pop-out', APP_PAGE, { conversationId: 'cnv_3' });
    FakeBrowserWindow.created.at(-1)?.webContents.rightClick(misspelt);
    expect(FakeMenu.popped.at(-1)?.template[0]?.label).toBe('parcel');
  });

  it('spells in the chosen languages, and in the system ones again when the choice is cleared', async () => {
    const electron = createFakeElectron();
    electron.systemLanguages = ['de-DE', 'en-US'];
    await start({ platform: 'win32' }, electron);
    // Nothing chosen: the system's languages the spellchecker has.
    expect(electron.spellcheckLanguages).toEqual([['de', 'en-US']]);
    await electron.ipcMain.invoke('desktop-settings:set', APP_PAGE, {
      spellcheckLanguages: ['fr', 'nl'],
    });
    await electron.ipcMain.invoke('desktop-settings:set', APP_PAGE, { spellcheckLanguages: [] });
    expect(electron.spellcheckLanguages).toEqual([
      ['de', 'en-US'],
      ['fr', 'nl'],
      ['de', 'en-US'],
    ]);
  });

  it('matches system languages to the dictionaries there are', () => {
    const available = ['en-GB', 'en-US', 'de', 'pt-BR', 'pt-PT'];
    expect(systemSpellcheckLanguages(['en-US', 'de-AT', 'pt', 'ja-JP'], available)).toEqual([
      'en-US',
      'de',
      'pt-BR',
    ]);
    expect(systemSpellcheckLanguages(['ja-JP'], available)).toEqual([]);
  });
});
