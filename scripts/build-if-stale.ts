import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';

const requireHere = createRequire(import.meta.url);

function newestMtime(dir: string): number {
  if (!existsSync(dir)) return 0;
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? newestMtime(full) : statSync(full).mtimeMs);
  }
  return newest;
}

/** Run `electron-vite build` when `out/` is missing or older than the sources. */
export function buildIfStale(root: string): void {
  const built = path.join(root, 'out/main/hub.js');
  const builtAt = existsSync(built) ? statSync(built).mtimeMs : 0;
  const sourcesAt = Math.max(
    newestMtime(path.join(root, 'src')),
    newestMtime(path.join(root, 'resources')),
  );
  if (builtAt >= sourcesAt) return;
  console.log('Replydesk: building the app…');
  const result = spawnSync(
    process.execPath,
    // The CLI is not an exported subpath: find it beside the package's manifest.
    [
      path.join(
        path.dirname(requireHere.resolve('electron-vite/package.json')),
        'bin/electron-vite.js',
      ),
      'build',
    ],
    { cwd: root, stdio: 'inherit' },
  );
  if (result.status !== 0) process.exit(result.status ?? 1);
}
