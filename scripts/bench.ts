import { spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import path from 'node:path';
import { buildIfStale } from './build-if-stale';

/**
 * `npm run bench`: every `*.bench.ts` under `test/bench` (the app's is `test/bench/app/`), each
 * in its own process so one benchmark's heap never skews another's figures.
 * `npm run bench -- shared` runs the matching ones only.
 */
const filter = process.argv[2] ?? '';
// The hub benchmark runs the built hub; the app benchmark the built renderer.
buildIfStale(process.cwd());
const dir = path.resolve('test/bench');
const benches = readdirSync(dir, { recursive: true, encoding: 'utf8' })
  .filter((file) => file.endsWith('.bench.ts') && file.includes(filter))
  .sort();
let failed = false;
for (const file of benches) {
  console.log(`\n=== ${file} ===`);
  const result = spawnSync(process.execPath, ['--import', 'tsx', path.join(dir, file)], {
    stdio: 'inherit',
  });
  if (result.status !== 0) failed = true;
}
process.exit(failed ? 1 : 0);
