import * as electron from 'electron';
import { fileURLToPath } from 'node:url';
import path from 'node:path';
import { defaultDesktopConfig, registerAppScheme, startDesktopApp, type ElectronLike } from './app';

// Thin Electron glue: everything below `startDesktopApp` is tested in Node with a fake module.
const shell: ElectronLike = electron;
const mainDir = path.dirname(fileURLToPath(import.meta.url));

registerAppScheme(shell);
// Inside the chain: a bad setting (REPLYDESK_HUB_URL) ends here with its message, too.
Promise.resolve()
  .then(() =>
    startDesktopApp(
      shell,
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
    ),
  )
  .catch((error: unknown) => {
    console.error('Replydesk failed to start:', error instanceof Error ? error.message : error);
    electron.app.exit(1);
  });
