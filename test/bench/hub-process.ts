import { readHubConfig } from '../../src/server/config';
import { startHub } from '../../src/server/hub';

/**
 * The hub under benchmark, in its own process so the load generator does not share its CPU
 * time or heap. Prints `{"url": …}` on stdout when ready.
 */
const config = readHubConfig(process.env, process.cwd());
const hub = await startHub(config);
process.stdout.write(`${JSON.stringify({ url: hub.url })}\n`);
process.on('SIGTERM', () => {
  void hub.close().then(() => process.exit(0));
});
