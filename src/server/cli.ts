import { existsSync } from 'node:fs';
import path from 'node:path';
import { readHubConfig } from './config';
import { startHubServer } from './http-server';

async function main(): Promise<void> {
  const config = readHubConfig(process.env, process.cwd());
  if (!existsSync(path.join(config.rendererDir, 'index.html'))) {
    console.warn(
      `hub: no built app in ${config.rendererDir}; run "npm run build" to serve it to browsers.`,
    );
  }
  const hub = await startHubServer(config);
  console.log(`Replydesk hub listening on ${hub.url}`);
  const stop = (): void => {
    hub.close().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

main().catch((error: unknown) => {
  console.error(`hub: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});
