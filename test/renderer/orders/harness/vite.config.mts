import { tmpdir } from 'node:os';
import { resolve } from 'node:path';
import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';

/** A page showing the order panel in its states (issue #17), for looking at it in a browser. */
export default defineConfig({
  root: resolve(import.meta.dirname),
  plugins: [react()],
  // Its own cache, so it never disturbs other dev servers sharing node_modules/.vite.
  cacheDir: resolve(tmpdir(), 'replydesk-orders-harness'),
  server: {
    port: 5291,
    host: '127.0.0.1',
    fs: { allow: [resolve(import.meta.dirname, '../../../..')] },
  },
});
