import { spawn } from 'node:child_process';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { readHubConfig } from '../src/server/config';
import { buildIfStale } from './build-if-stale';
import { obtainElectronRuntime, runElectronInstaller } from './electron-runtime';

/**
 * `npm start`: build if the sources changed, then launch the desktop app. Where the Electron
 * runtime cannot be obtained, say so in one line and serve the same app to a browser.
 */
const require = createRequire(import.meta.url);
const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

/**
 * The hub's output as `npm start` shows it. The one-time sign-in link is what to open: the hub
 * hands the local admin's token to nothing else (any local process can reach its address).
 */
function browserFallbackLine(line: string): string {
  const link = /sign-in link \(works once\): ((http:\/\/[^/\s]+)\S*)/.exec(line);
  if (link) {
    return `Replydesk is running at ${link[2]} — open this sign-in link in your browser (it works once):\n  ${link[1]}\nPress Ctrl+C to stop.\n`;
  }
  return /listening on http:\/\//.test(line) ? '' : line;
}

async function serveInBrowser(reason: string): Promise<void> {
  console.log(
    `Replydesk: the Electron runtime could not be obtained (${reason}); serving the app to your browser instead.`,
  );
  // Embedded defaults: data in the user's home, the demo on, the local admin signed in by the
  // one-time link the hub prints.
  const env = { REPLYDESK_DEMO: '1', REPLYDESK_EMBEDDED: '1', ...process.env };
  readHubConfig(env, root); // fail early, here, on a bad setting
  const hub = spawn(process.execPath, [path.join(root, 'out/main/hub.js')], {
    cwd: root,
    env,
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  hub.stdout.setEncoding('utf8');
  let pending = '';
  hub.stdout.on('data', (chunk: string) => {
    const lines = (pending + chunk).split(/(?<=\n)/);
    pending = lines.at(-1)?.endsWith('\n') ? '' : (lines.pop() ?? '');
    process.stdout.write(lines.map(browserFallbackLine).join(''));
  });
  for (const signal of ['SIGINT', 'SIGTERM'] as const) process.on(signal, () => hub.kill(signal));
  hub.on('exit', (code) => process.exit(code ?? 0));
}

async function main(): Promise<void> {
  buildIfStale(root);
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
