/**
 * Writes the demo shop's files (src/server/demo/demo-files.ts: PNG photos, a WAV voice note,
 * PDFs) to resources/demo/, so they can be opened and judged as files. The hub makes the same
 * bytes in code; test/server/demo-files.test.ts keeps the two equal.
 *
 *   npm run demo:media
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { allDemoFiles } from '../src/server/demo/demo-files';

const dir = path.resolve('resources/demo');
mkdirSync(dir, { recursive: true });
for (const file of allDemoFiles()) {
  writeFileSync(path.join(dir, file.name), file.bytes);
  console.log(`${file.name}\t${file.mimeType}\t${file.bytes.length} bytes`);
}
