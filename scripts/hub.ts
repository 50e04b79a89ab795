import { spawn } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildIfStale } from './build-if-stale';

/**
 * `npm run hub`: build if the sources changed, then run the built hub with plain Node — no
 * TypeScript loader in a long-running process. Configuration: docs/configuration.md; the
 * maintenance commands (`npm run hub -- migrate|backup|restore`): docs/deploy.md.
 */
const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
buildIfStale(root);
const hub = spawn(
  process.execPath,
  [path.join(root, 'out/main/hub.js'), ...process.argv.slice(2)],
  {
    cwd: root,
    stdio: 'inherit',
  },
);
for (const signal of ['SIGINT', 'SIGTERM'] as const) process.on(signal, () => hub.kill(signal));
hub.on('exit', (code) => process.exit(code ?? 0));
