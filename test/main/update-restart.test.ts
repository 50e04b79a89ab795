import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { registerAppScheme, startDesktopApp, type DesktopConfig } from '../../src/main/app';
import { APP_ORIGIN } from '../../src/main/app-protocol';
import type { RunningHub } from '../../src/server/hub';
import type { Conversation, Message } from '../../src/shared/domain/model';
import { createDataLayer, type DataLayer } from '../../src/renderer/src/data/data-layer';
import { windowActivity } from '../../src/renderer/src/features/workspace/desktop-bridge';
import { api, login, startTestHub } from '../support/hub';
import {
  createTestNetwork,
  inbound,
  meOf,
  newIndexedDb,
  waitFor,
  type TestNetwork,
} from '../renderer/data/support';
import {
  closeWindowsThenQuit,
  createFakeElectron,
  FakeBrowserWindow,
  FakeTray,
  FakeUpdater,
  removeFakeUserData,
  type FakeElectron,
} from './fake-electron';

/**
 * Issue #21 item 5, "Must show": an update found and downloaded is installed only once the outbox
 * is empty and no reply is being typed, and the outbox and the drafts are intact after the
 * restart. Main is the real shell on the fake `electron` (macOS, where the window closing is kept
 * in the dock); the page's side is the real data layer on one IndexedDB for the whole computer
 * (a restart opens the same one) against a real hub, reporting its activity over IPC as
 * `useDesktopBridge` does (`windowActivity`). A "restart" is a new shell on the same `userData`
 * and a new data layer on the same IndexedDB.
 */

const APP_PAGE = `${APP_ORIGIN}/index.html`;
let rendererDir: string;
let hub: RunningHub;
const layers: DataLayer[] = [];

beforeAll(async () => {
  rendererDir = await mkdtemp(path.join(os.tmpdir(), 'replydesk-renderer-'));
  await mkdir(path.join(rendererDir, 'assets'));
  await writeFile(path.join(rendererDir, 'index.html'), '<!doctype html><title>Replydesk</title>');
  hub = await startTestHub();
});

afterAll(async () => {
  for (const layer of layers) layer.close();
  await hub.close();
  removeFakeUserData();
  await rm(rendererDir, { recursive: true, force: true });
});

describe('an update across a restart', () => {
  it(
    'waits for the outbox and the typed reply, and the outbox and drafts survive the restart',
    { timeout: 60_000 },
    async () => {
      const token = await login(hub.url);
      const me = await meOf(hub.url, token);
      for (const customer of ['anna', 'ben', 'chloe']) {
        await hub.ingestor.ingest(inbound(`restart-${customer}`, `Hello from ${customer}`));
      }
      const dexie = newIndexedDb();
      const page = (): { layer: DataLayer; network: TestNetwork } => {
        const network = createTestNetwork();
        const layer = createDataLayer({
          hubUrl: hub.url,
          token,
          me,
          dexie,
          fetch: network.fetch,
          openSocket: network.openSocket,
          wake: null,
          random: () => 0,
        });
        layers.push(layer);
        layer.start();
        return { layer, network };
      };
      const shell = async (
        electron: FakeElectron,
      ): Promise<{ window: FakeBrowserWindow; updater: FakeUpdater }> => {
        const updater = new FakeUpdater();
        updater.onInstall = () => closeWindowsThenQuit(electron);
        registerAppScheme(electron);
        const config: DesktopConfig = {
          rendererDir,
          preloadPath: '/app/out/preload/index.cjs',
          embeddedHub: null,
          hubOrigins: [hub.url],
          versions: { electron: '45.4.1', chrome: '146.0.0.0' },
          platform: 'darwin',
          arch: 'arm64',
          updater: async () => updater,
          every: () => undefined,
        };
        const window = await startDesktopApp(electron, config);
        if (!(window instanceof FakeBrowserWindow)) throw new Error('no window');
        return { window, updater };
      };
      /** The page tells main what a restart would interrupt, with `open` on screen. */
      const report = async (
        electron: FakeElectron,
        window: FakeBrowserWindow,
        layer: DataLayer,
        open: string,
      ): Promise<void> => {
        const outbox = await layer.db.outbox.toArray();
        const draft = (await layer.db.drafts.get(open))?.text;
        await electron.ipcMain.invokeFrom(
          window.webContents.id,
          'app:activity',
          APP_PAGE,
          windowActivity(outbox, draft),
        );
      };

      // First launch: the agent answers Anna while offline, is typing to her, has a draft for Ben.
      let electron = createFakeElectron();
      let app = await shell(electron);
      const first = page();
      const { network } = first;
      let { layer } = first;
      await waitFor(() => layer.getStatus().phase === 'live', 'live');
      const byName = (name: string): Conversation => {
        const found = [...layer.conversations.getSnapshot().values()].find(
          (c) => c.customer.name === `Customer restart-${name}`,
        );
        if (!found) throw new Error(`no conversation of ${name}`);
        return found;
      };
      const [anna, ben, chloe] = [byName('anna'), byName('ben'), byName('chloe')];
      network.down();
      const clientId = await layer.sendMessage(anna.id, { type: 'text', body: 'On its way.' });
      await layer.saveDraft(anna.id, 'And the tracking number is');
      await layer.saveDraft(ben.id, 'Your refund was sent on Monday.');
      await report(electron, app.window, layer, anna.id);

      // Found and downloaded: not offered, and "Restart to update" is refused with the reason.
      app.updater.emit('update-available', { version: '0.2.0' });
      app.updater.emit('update-downloaded', { version: '0.2.0' });
      await expect(electron.ipcMain.invoke('update:restart', APP_PAGE, {})).resolves.toEqual({
        restarting: false,
        reason: 'A reply is still being typed or waiting in the outbox.',
      });
      expect([electron.messageBoxes, app.updater.installs]).toEqual([[], 0]);

      // The agent quits from the tray while offline (the update installs as the app quits):
      // the next launch has the reply still queued and both drafts as they were.
      FakeTray.created[0]?.menu?.click('Quit Replydesk');
      expect(electron.hasQuit).toBe(true);
      layer.close();
      electron = createFakeElectron({ userDataDir: electron.userDataDir });
      app = await shell(electron);
      ({ layer } = page());
      await layer.ready;
      expect((await layer.db.outbox.toArray()).map((entry) => entry.clientId)).toEqual([clientId]);
      expect(await layer.db.drafts.orderBy('conversationId').toArray()).toMatchObject(
        [
          { conversationId: anna.id, text: 'And the tracking number is' },
          { conversationId: ben.id, text: 'Your refund was sent on Monday.' },
        ].sort((a, b) => a.conversationId.localeCompare(b.conversationId)),
      );

      // Online again: the queued reply goes out. Still typing to Anna: the next update waits.
      await waitFor(() => layer.getStatus().phase === 'live', 'live after the restart');
      await waitFor(async () => (await layer.db.outbox.count()) === 0, 'an empty outbox');
      await report(electron, app.window, layer, anna.id);
      app.updater.emit('update-downloaded', { version: '0.3.0' });
      await Promise.resolve();
      expect([electron.messageBoxes, app.updater.installs]).toEqual([[], 0]);

      // The agent opens Chloe's conversation (no draft): nothing is in flight; asked, installed.
      await report(electron, app.window, layer, chloe.id);
      await waitFor(() => app.updater.installs === 1, 'the install');
      expect(electron.messageBoxes.map((box) => box.message)).toEqual(['Replydesk 0.3.0 is ready']);
      expect([app.window.destroyed, electron.hasQuit]).toEqual([true, true]);

      // After that restart: the drafts are there, the outbox is empty, the reply went out once.
      layer.close();
      ({ layer } = page());
      await layer.ready;
      expect(await layer.db.outbox.count()).toBe(0);
      expect((await layer.db.drafts.toArray()).map((draft) => draft.text).sort()).toEqual([
        'And the tracking number is',
        'Your refund was sent on Monday.',
      ]);
      const stored = await api<{ messages: Message[] }>(
        hub.url,
        token,
        `/api/conversations/${anna.id}/messages`,
      );
      expect(stored.body.messages.filter((m) => m.clientId === clientId)).toHaveLength(1);
    },
  );
});
