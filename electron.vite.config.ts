import { resolve } from 'node:path';
import { defineConfig } from 'electron-vite';
import react from '@vitejs/plugin-react';
import {
  SHELL_WORKER_ENTRY,
  SHELL_WORKER_FILE,
  shellWorkerPlugin,
} from './scripts/shell-worker-plugin';

export default defineConfig({
  main: {
    build: {
      outDir: 'out/main',
      // The hub is built beside the shell: the desktop app embeds it, and `npm run hub` runs it
      // with plain Node (no TypeScript loader in a production process).
      rollupOptions: {
        input: {
          index: resolve('src/main/index.ts'),
          // The embedded hub's utility process (src/main/hub-process.ts).
          'hub-process': resolve('src/main/hub-entry.ts'),
          hub: resolve('src/server/cli.ts'),
        },
      },
    },
  },
  preload: {
    build: {
      outDir: 'out/preload',
      // A sandboxed preload may only `require('electron')`: bundle everything else (zod) into
      // one CommonJS file.
      externalizeDeps: false,
      rollupOptions: {
        input: { index: resolve('src/preload/index.ts') },
        external: ['electron'],
        output: { format: 'cjs', entryFileNames: '[name].cjs' },
      },
    },
  },
  renderer: {
    root: resolve('src/renderer'),
    plugins: [react(), shellWorkerPlugin()],
    build: {
      outDir: resolve('out/renderer'),
      // Less to download and parse when the window opens (the inbox is timed from navigation).
      minify: true,
      rollupOptions: {
        input: {
          index: resolve('src/renderer/index.html'),
          // The browser build's offline shell (docs/configuration.md): `sw.js` beside index.html.
          [SHELL_WORKER_ENTRY]: resolve('src/renderer/src/sw/service-worker.ts'),
        },
        output: {
          entryFileNames: (chunk) =>
            chunk.name === SHELL_WORKER_ENTRY ? SHELL_WORKER_FILE : 'assets/[name]-[hash].js',
        },
      },
    },
  },
});
