import * as electron from 'electron';
import { fileURLToPath } from 'node:url';
import path from 'node:path';
import {
  defaultDesktopConfig,
  registerAppScheme,
  startDesktopApp,
  withUpdater,
  type ElectronLike,
} from './app';
import type { UpdaterLike } from './auto-update';

// Thin Electron glue: everything below `startDesktopApp` is tested in Node with a fake module.
const shell: ElectronLike = electron;
const mainDir = path.dirname(fileURLToPath(import.meta.url));

registerAppScheme(shell);
// Loaded only when used: electron-updater reads the app's version and paths as it loads.
const autoUpdater = async (): Promise<UpdaterLike> =>
  (await import('electron-updater')).autoUpdater;

// Inside the chain: a bad setting (REPLYDESK_HUB_URL) ends here with its message, too.
Promise.resolve()
  .then(() =>
    startDesktopApp(
      shell,
      withUpdater(
        defaultDesktopConfig(
          mainDir,
          process.env,
          process,
          {
            isPackaged: electron.app.isPackaged,
            resourcesPath: process.resourcesPath,
            cwd: process.cwd(),
          },
          shell.utilityProcess,
        ),
        // Only a packaged app has an update feed (app-update.yml, written by electron-builder).
        electron.app.isPackaged ? autoUpdater : null,
      ),
    ),
  )
  .catch((error: unknown) => {
    console.error('Replydesk failed to start:', error instanceof Error ? error.message : error);
    electron.app.exit(1);
  });
