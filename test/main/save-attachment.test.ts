import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { registerAppScheme, startDesktopApp, type DesktopConfig } from '../../src/main/app';
import { APP_ORIGIN } from '../../src/main/app-protocol';
import { saveAttachmentFile, type SaveFileServices } from '../../src/main/downloads';
import { createFakeElectron, removeFakeUserData, type FakeElectron } from './fake-electron';

/**
 * "Save…" on a document in the desktop app (issue #21 item 6): the system's save dialog in
 * Downloads with the customer's file name made safe, and the bytes written exactly where the
 * agent chose. The page gives a name and bytes through `attachment:save`, never a path.
 */
const APP_PAGE = `${APP_ORIGIN}/index.html`;
const PDF = new Uint8Array(Buffer.from('%PDF-1.4 invoice 2041'));
let dir: string;
let rendererDir: string;

beforeAll(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'replydesk-save-'));
  rendererDir = await mkdtemp(path.join(os.tmpdir(), 'replydesk-renderer-'));
});
afterAll(async () => {
  removeFakeUserData();
  await rm(dir, { recursive: true, force: true });
  await rm(rendererDir, { recursive: true, force: true });
});

function config(): DesktopConfig {
  return {
    rendererDir,
    preloadPath: '/app/out/preload/index.cjs',
    embeddedHub: null,
    hubOrigins: ['http://127.0.0.1:4477'],
    versions: { electron: '45.4.1', chrome: '146.0.0.0' },
    platform: 'win32',
    arch: 'x64',
  };
}

async function app(): Promise<FakeElectron> {
  const electron = createFakeElectron();
  registerAppScheme(electron);
  await startDesktopApp(electron, config());
  return electron;
}

describe('saving an attachment from the desktop app', () => {
  it('opens the save dialog in Downloads with the name made safe, then writes the bytes there', async () => {
    const electron = await app();
    const target = path.join(dir, 'chosen.pdf');
    electron.saveDialogAnswer = { canceled: false, filePath: target };
    const answer = await electron.ipcMain.invoke('attachment:save', APP_PAGE, {
      filename: '../..\\Invoice: 2041/<final>?.pdf',
      bytes: PDF,
    });
    expect(answer).toStrictEqual({ saved: true });
    expect(electron.saveDialogs).toEqual([
      {
        title: 'Save attachment',
        defaultPath: path.join(electron.app.getPath('downloads'), '_.._Invoice_ 2041__final__.pdf'),
        buttonLabel: 'Save',
      },
    ]);
    expect(await readFile(target, 'utf8')).toBe('%PDF-1.4 invoice 2041');
  });

  it('writes nothing when the dialog is cancelled', async () => {
    const electron = await app();
    electron.saveDialogAnswer = { canceled: true, filePath: '' };
    const before = await readdir(dir);
    const answer = await electron.ipcMain.invoke('attachment:save', APP_PAGE, {
      filename: 'invoice.pdf',
      bytes: PDF,
    });
    expect(answer).toStrictEqual({ saved: false, reason: 'cancelled' });
    expect(await readdir(dir)).toEqual(before);
  });

  it('refuses a path from the page, and writes only the path the dialog answered', async () => {
    const electron = await app();
    const elsewhere = path.join(dir, 'elsewhere.pdf');
    electron.saveDialogAnswer = { canceled: false, filePath: path.join(dir, 'dialog.pdf') };
    await expect(
      electron.ipcMain.invoke('attachment:save', APP_PAGE, {
        filename: 'invoice.pdf',
        bytes: PDF,
        path: elsewhere,
      }),
    ).rejects.toThrow('Invalid arguments for attachment:save: (value): Unrecognized key: "path"');
    expect(electron.saveDialogs).toEqual([]);
    // Another page than the app's own is refused before any dialog.
    await expect(
      electron.ipcMain.invoke('attachment:save', 'https://evil.example/', {
        filename: 'invoice.pdf',
        bytes: PDF,
      }),
    ).rejects.toThrow(
      'Refused attachment:save: the request did not come from the Replydesk window.',
    );
    expect(electron.saveDialogs).toEqual([]);
    expect((await readdir(dir)).includes('elsewhere.pdf')).toBe(false);
  });

  it('refuses a dialog answer that is not a plain absolute path, writing nothing', async () => {
    const written: string[] = [];
    const services = (filePath: string): SaveFileServices => ({
      showSaveDialog: async () => ({ canceled: false, filePath }),
      writeFile: async (target) => void written.push(target),
      downloadsDir: dir,
    });
    const refused = {
      saved: false,
      reason: 'The save dialog answered a path that is not a plain file path.',
    };
    for (const answer of ['relative/invoice.pdf', `${dir}/../escape.pdf`, `${dir}/a\u0000.pdf`]) {
      expect(await saveAttachmentFile({ filename: 'a.pdf', bytes: PDF }, services(answer))).toEqual(
        refused,
      );
    }
    expect(written).toEqual([]);
    const ok = path.join(dir, 'fine.pdf');
    expect(await saveAttachmentFile({ filename: 'a.pdf', bytes: PDF }, services(ok))).toEqual({
      saved: true,
    });
    expect(written).toEqual([ok]);
  });

  it('says why a write failed', async () => {
    const answer = await saveAttachmentFile(
      { filename: 'a.pdf', bytes: PDF },
      {
        showSaveDialog: async () => ({
          canceled: false,
          filePath: path.join(dir, 'none', 'a.pdf'),
        }),
        writeFile: (target, bytes) =>
          import('node:fs/promises').then((fs) => fs.writeFile(target, bytes)),
        downloadsDir: dir,
      },
    );
    expect(answer).toEqual({ saved: false, reason: 'The file could not be written (ENOENT).' });
  });
});
