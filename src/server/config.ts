import path from 'node:path';

export interface HubConfig {
  readonly host: string;
  readonly port: number;
  readonly rendererDir: string;
  readonly publicHosts: readonly string[];
}

/** Read the hub's configuration from the environment (documented in docs/configuration.md). */
export function readHubConfig(env: Record<string, string | undefined>, cwd: string): HubConfig {
  const rawPort = env['PORT'] ?? '4477';
  const port = Number(rawPort);
  if (!Number.isInteger(port) || port < 0 || port > 65_535) {
    throw new Error(`PORT must be a whole number from 0 to 65535, got "${rawPort}".`);
  }
  return {
    host: env['REPLYDESK_HOST'] ?? '127.0.0.1',
    port,
    rendererDir: path.resolve(cwd, env['REPLYDESK_RENDERER_DIR'] ?? 'out/renderer'),
    publicHosts: (env['REPLYDESK_PUBLIC_HOSTS'] ?? '')
      .split(',')
      .map((host) => host.trim())
      .filter((host) => host !== ''),
  };
}
