import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { readHubConfig } from '../src/server/config';
import { startHub } from '../src/server/hub';
import { obtainElectronRuntime, runElectronInstaller } from './electron-runtime';

/**
 * `npm start`: build if the sources changed, then launch the desktop app. Where the Electron
 * runtime cannot be obtained, say so in one line and serve the same app to a browser.
 */
const require = createRequire(import.meta.url);
const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

function newestMtime(dir: string): number {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? newestMtime(full) : statSync(full).mtimeMs);
  }
  return newest;
}

function buildIfStale(): void {
  const built = path.join(root, 'out/main/index.js');
  const stale =
    !existsSync(built) ||
    newestMtime(path.join(root, 'src')) > statSync(built).mtimeMs ||
    newestMtime(path.join(root, 'resources')) > statSync(built).mtimeMs;
  if (!stale) return;
  console.log('Replydesk: building the app…');
  const result = spawnSync(
    process.execPath,
    [require.resolve('electron-vite/bin/electron-vite.js'), 'build'],
    {
      cwd: root,
      stdio: 'inherit',
    },
  );
  if (result.status !== 0) process.exit(result.status ?? 1);
}

async function serveInBrowser(reason: string): Promise<void> {
  console.log(
    `Replydesk: the Electron runtime could not be obtained (${reason}); serving the app to your browser instead.`,
  );
  // Embedded defaults: data in the user's home, the demo on, signed in as the local admin.
  const config = readHubConfig(
    { REPLYDESK_DEMO: '1', REPLYDESK_EMBEDDED: '1', ...process.env },
    root,
  );
  const hub = await startHub({ ...config, rendererDir: path.join(root, 'out/renderer') });
  console.log(
    `Replydesk is running at ${hub.url} — open it in your browser. Press Ctrl+C to stop.`,
  );
  const stop = (): void => void hub.close().then(() => process.exit(0));
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

async function main(): Promise<void> {
  buildIfStale();
  const packageDir = path.dirname(require.resolve('electron/package.json'));
  const runtime =
    process.env['REPLYDESK_NO_ELECTRON'] === '1'
      ? ({ found: false, reason: 'REPLYDESK_NO_ELECTRON=1 is set' } as const)
      : await obtainElectronRuntime(packageDir, process.env, () =>
          runElectronInstaller(packageDir, 180_000),
        );
  if (!runtime.found) return serveInBrowser(runtime.reason);

  const child = spawn(runtime.executable, [root], { cwd: root, stdio: 'inherit' });
  child.on('exit', (code) => process.exit(code ?? 0));
  return undefined;
}

main().catch((error: unknown) => {
  console.error(`Replydesk: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});
