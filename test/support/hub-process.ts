import path from 'node:path';
import { readHubConfig } from '../../src/server/config';
import { startHub } from '../../src/server/hub';

/**
 * A hub in a process of its own, configured from the environment like `npm run hub`, for tests
 * that kill it (`SIGKILL`) and start another on the same data folder. Prints `{"url": …}` once
 * it listens, and `{"leading": …}` each time it starts or stops leading (SLA, demo).
 */
const hub = await startHub({
  ...readHubConfig(process.env, path.resolve('.')),
  onLeadership: (leading) => process.stdout.write(`${JSON.stringify({ leading })}\n`),
});
process.stdout.write(`${JSON.stringify({ url: hub.url })}\n`);
