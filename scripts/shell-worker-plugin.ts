import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import type { Plugin } from 'vite';

/**
 * The renderer build's service worker (src/renderer/src/sw/service-worker.ts): built as its own
 * entry to `sw.js` beside `index.html` (its scope is the whole app), then given this build's
 * manifest, the files to keep for offline use and a version that changes whenever one of them
 * does: a new build is a new worker, which replaces the old shell's cache.
 */
export const SHELL_WORKER_ENTRY = 'sw';
export const SHELL_WORKER_FILE = 'sw.js';
export const SHELL_MANIFEST_PLACEHOLDER = '__REPLYDESK_SHELL__';

export interface ShellFile {
  readonly file: string;
  readonly content: string | Uint8Array;
}

/** The manifest of a build's files: sorted, with a version from their names and contents. */
export function shellManifestOf(files: readonly ShellFile[]): {
  version: string;
  files: string[];
} {
  const sorted = [...files].sort((a, b) => (a.file < b.file ? -1 : a.file > b.file ? 1 : 0));
  const hash = createHash('sha256');
  for (const { file, content } of sorted) hash.update(`${file}\0`).update(content).update('\0');
  return { version: hash.digest('hex').slice(0, 16), files: sorted.map(({ file }) => file) };
}

/** The files kept for offline use: everything built but the worker itself and source maps. */
export function isShellFile(file: string): boolean {
  return file !== SHELL_WORKER_FILE && !file.endsWith('.map') && !file.startsWith('.vite/');
}

function publicFiles(dir: string, prefix = ''): ShellFile[] {
  if (!dir || !existsSync(dir)) return [];
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    const file = `${prefix}${entry.name}`;
    if (entry.isDirectory()) return publicFiles(full, `${file}/`);
    return [{ file, content: readFileSync(full) }];
  });
}

export function shellWorkerPlugin(): Plugin {
  let publicDir = '';
  return {
    name: 'replydesk-shell-worker',
    apply: 'build',
    configResolved(config) {
      publicDir = config.publicDir;
    },
    generateBundle: {
      // After Vite has emitted index.html, so the page is in the manifest and its version.
      order: 'post',
      handler(_options, bundle) {
        const worker = bundle[SHELL_WORKER_FILE];
        if (!worker || worker.type !== 'chunk') {
          return this.error(`The build has no ${SHELL_WORKER_FILE}.`);
        }
        if (worker.imports.length > 0 || worker.dynamicImports.length > 0) {
          // A classic worker script cannot import: it must share no code with the page.
          return this.error(`${SHELL_WORKER_FILE} imports ${worker.imports.join(', ')}.`);
        }
        const files: ShellFile[] = Object.values(bundle)
          .filter((item) => isShellFile(item.fileName))
          .map((item) => ({
            file: item.fileName,
            content: item.type === 'chunk' ? item.code : item.source,
          }));
        const manifest = shellManifestOf([...files, ...publicFiles(publicDir)]);
        if (!manifest.files.includes('index.html')) return this.error('index.html is not built.');
        const parts = worker.code.split(SHELL_MANIFEST_PLACEHOLDER);
        if (parts.length !== 2) {
          return this.error(`${SHELL_WORKER_FILE} must name ${SHELL_MANIFEST_PLACEHOLDER} once.`);
        }
        worker.code = parts.join(JSON.stringify(manifest));
        return undefined;
      },
    },
  };
}
