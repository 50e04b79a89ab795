import { existsSync } from 'node:fs';
import path from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { startHub } from '../server/hub';
import { prepareDataDir } from '../server/store/data-dir';
import { serveHubProcess, type ParentPortLike } from './hub-process';

// The embedded hub's utility process (src/main/hub-process.ts), forked by main.
const port = (process as NodeJS.Process & { parentPort?: ParentPortLike }).parentPort;
if (!port) throw new Error('src/main/hub-entry.ts runs only as an Electron utility process.');

serveHubProcess(port, {
  startHub,
  // What `openPglite` would do in a child of its own (ELECTRON_RUN_AS_NODE, off in the app):
  // here this whole process is that child, and exits when done.
  initialise: async (dataDir) => {
    await prepareDataDir(dataDir);
    if (existsSync(path.join(dataDir, 'PG_VERSION'))) return;
    const pg = new PGlite(dataDir);
    await pg.waitReady;
    await pg.close();
  },
  exit: (code) => process.exit(code),
});
