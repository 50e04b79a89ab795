import { existsSync } from 'node:fs';
import path from 'node:path';
import { isConfigured } from './channels/connector';
import { CONNECTORS } from './channels/registry';
import { readHubConfig, type HubConfig } from './config';
import { startHub } from './hub';
import { parseCommand, runCommand } from './cli-commands';

/** The registry's channels whose every required setting the environment gives. */
const configuredChannels = (channels: HubConfig['channels']): string =>
  CONNECTORS.filter((c) => isConfigured(c, channels[c.channel] ?? {}))
    .map((c) => c.channel)
    .join(', ') || 'none';

/** `npm run hub`: the hub alone, configured by the environment (docs/configuration.md). */
async function main(): Promise<void> {
  const command = parseCommand(process.argv.slice(2));
  const config = readHubConfig(process.env, process.cwd());
  if (command.kind !== 'serve') {
    await runCommand(command, config, (line) => console.log(line));
    return;
  }
  if (!existsSync(path.join(config.rendererDir, 'index.html'))) {
    console.warn(
      `hub: no built app in ${config.rendererDir}; run "npm run build" to serve it to browsers.`,
    );
  }
  const hub = await startHub(config);
  console.log(`Replydesk hub listening on ${hub.url}`);
  // Embedded: the only way in for a browser (loopback is shared by every user of the computer).
  const signInUrl = hub.signInUrl();
  if (signInUrl) console.log(`Replydesk sign-in link (works once): ${signInUrl}`);
  console.log(
    `hub: data in ${config.dataDir ?? 'memory'}; demo ${config.demo ? 'on' : 'off'}; channels from the environment: ${configuredChannels(config.channels)}`,
  );
  let stopping = false;
  const stop = (): void => {
    if (stopping) return;
    stopping = true;
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
