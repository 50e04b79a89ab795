import { tmpdir } from 'node:os';
import { resolve } from 'node:path';
import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';

/** A page showing the composer in each of its states, for looking at it in a browser. */
export default defineConfig({
  root: resolve(import.meta.dirname),
  plugins: [react()],
  // Its own cache, so it never disturbs other dev servers sharing node_modules/.vite.
  cacheDir: resolve(tmpdir(), 'replydesk-composer-harness'),
  server: {
    port: 5287,
    host: '127.0.0.1',
    fs: { allow: [resolve(import.meta.dirname, '../../../..')] },
  },
});
