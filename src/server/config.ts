import os from 'node:os';
import path from 'node:path';
import type { ChannelKind } from '../shared/domain/channels';
import { settingsFromEnv, type ChannelSettings } from './channels/connector';
import { CONNECTORS } from './channels/registry';
import { parseTrustedProxies } from './http/client-address';
import { parseSecretKey } from './secrets/secret-box';

export interface HubConfig {
  readonly host: string;
  readonly port: number;
  readonly rendererDir: string;
  readonly publicHosts: readonly string[];
  /**
   * The HTTPS address platforms reach the hub at (`REPLYDESK_PUBLIC_URL`), for files sent by
   * link (LINE, Viber) and the webhook URLs the Channels page shows; null when unset.
   */
  readonly publicUrl: string | null;
  /** PGlite data folder; `null` keeps the database in memory (tests). */
  readonly dataDir: string | null;
  /**
   * A PostgreSQL server (`DATABASE_URL`) instead of PGlite in the data folder: several hubs may
   * share one (docs/deploy.md). The data folder then keeps only the secrets key file.
   */
  readonly databaseUrl: string | null;
  /** Connections each hub keeps to that server (`DATABASE_POOL_SIZE`, default 10). */
  readonly databasePoolSize: number;
  readonly demo: boolean;
  /** Seed of the demo simulator (deterministic traffic). */
  readonly demoSeed: number;
  /** Embedded mode: the local app is signed in as the local admin without a password. */
  readonly embedded: boolean;
  readonly admin: { readonly email: string; readonly password: string } | null;
  /**
   * Each registry connector's settings from the environment (its `SettingSpec` env variables and
   * defaults), by channel; an admin's saved settings take precedence at run time.
   */
  readonly channels: Readonly<Partial<Record<ChannelKind, ChannelSettings>>>;
  readonly rateCardPath: string;
  /** Reverse proxies whose `X-Forwarded-For` names the client (addresses and CIDR ranges). */
  readonly trustedProxies: string;
  /** The key channel secrets are sealed with (`REPLYDESK_SECRETS_KEY`), and older ones. */
  readonly secretsKey: string | null;
  readonly previousSecretsKeys: readonly string[];
  /**
   * Who may read `/metrics` (`REPLYDESK_METRICS`, `REPLYDESK_METRICS_TOKEN`; docs/deploy.md):
   * `loopback` (default) — requests from this machine without a proxy in between, or with the
   * token or an admin's session; `token` — only the token or an admin's session; `off` — 404.
   */
  readonly metrics?: MetricsConfig;
}

export interface MetricsConfig {
  readonly access: 'loopback' | 'token' | 'off';
  readonly token: string | null;
}

function flag(value: string | undefined): boolean {
  return value === '1' || value === 'true' || value === 'yes';
}

/**
 * Read the hub's configuration from the environment (docs/configuration.md). Problems are
 * reported together, in one error, naming each variable.
 */
export function readHubConfig(env: Record<string, string | undefined>, cwd: string): HubConfig {
  const problems: string[] = [];
  const rawPort = env['PORT'] ?? '4477';
  const port = Number(rawPort);
  if (!Number.isInteger(port) || port < 0 || port > 65_535) {
    problems.push(`PORT must be a whole number from 0 to 65535, got "${rawPort}".`);
  }
  const adminEmail = env['REPLYDESK_ADMIN_EMAIL'];
  const adminPassword = env['REPLYDESK_ADMIN_PASSWORD'];
  if ((adminEmail && !adminPassword) || (!adminEmail && adminPassword)) {
    problems.push('Set both REPLYDESK_ADMIN_EMAIL and REPLYDESK_ADMIN_PASSWORD, or neither.');
  }
  if (adminPassword !== undefined && adminPassword.length < 10) {
    problems.push('REPLYDESK_ADMIN_PASSWORD must be at least 10 characters.');
  }
  const channels: Partial<Record<ChannelKind, ChannelSettings>> = {};
  for (const connector of CONNECTORS) {
    const { settings, problem } = settingsFromEnv(connector, env);
    channels[connector.channel] = settings;
    if (problem) problems.push(problem);
  }
  const seed = Number(env['REPLYDESK_DEMO_SEED'] ?? '20261121');
  if (!Number.isSafeInteger(seed)) problems.push('REPLYDESK_DEMO_SEED must be a whole number.');
  const trustedProxies = env['REPLYDESK_TRUSTED_PROXIES'] ?? '';
  for (const problem of parseTrustedProxies(trustedProxies).problems)
    problems.push(`REPLYDESK_TRUSTED_PROXIES: ${problem}.`);
  const secretsKey = env['REPLYDESK_SECRETS_KEY']?.trim() || null;
  const previousSecretsKeys = (env['REPLYDESK_SECRETS_KEY_PREVIOUS'] ?? '')
    .split(',')
    .map((k) => k.trim())
    .filter((k) => k !== '');
  try {
    if (secretsKey !== null) parseSecretKey(secretsKey, 'REPLYDESK_SECRETS_KEY');
    previousSecretsKeys.forEach((k, i) =>
      parseSecretKey(k, `REPLYDESK_SECRETS_KEY_PREVIOUS (entry ${i + 1})`),
    );
  } catch (error) {
    problems.push(error instanceof Error ? error.message : String(error));
  }
  const databaseUrl = env['DATABASE_URL']?.trim() || null;
  if (databaseUrl !== null && !/^postgres(ql)?:\/\//.test(databaseUrl))
    problems.push('DATABASE_URL must be a postgresql:// URL.');
  const rawPool = env['DATABASE_POOL_SIZE'] ?? '10';
  const databasePoolSize = Number(rawPool);
  if (!Number.isInteger(databasePoolSize) || databasePoolSize < 2 || databasePoolSize > 1000)
    problems.push(`DATABASE_POOL_SIZE must be a whole number from 2 to 1000, got "${rawPool}".`);
  const metricsAccess = env['REPLYDESK_METRICS'] ?? 'loopback';
  if (metricsAccess !== 'loopback' && metricsAccess !== 'token' && metricsAccess !== 'off')
    problems.push(`REPLYDESK_METRICS must be loopback, token or off, got "${metricsAccess}".`);
  const metricsToken = env['REPLYDESK_METRICS_TOKEN']?.trim() || null;
  if (metricsToken !== null && metricsToken.length < 24)
    problems.push('REPLYDESK_METRICS_TOKEN must be at least 24 characters (openssl rand -hex 16).');
  const publicUrl = parsePublicUrl(env['REPLYDESK_PUBLIC_URL'], problems);
  if (problems.length > 0) throw new Error(problems.join(' '));

  const dataDir = env['REPLYDESK_DATA_DIR'];
  return {
    host: env['REPLYDESK_HOST'] ?? '127.0.0.1',
    port,
    rendererDir: path.resolve(cwd, env['REPLYDESK_RENDERER_DIR'] ?? 'out/renderer'),
    publicHosts: [
      ...(env['REPLYDESK_PUBLIC_HOSTS'] ?? '')
        .split(',')
        .map((host) => host.trim())
        .filter((host) => host !== ''),
      // Platforms fetch files and deliver webhooks under the public address's host.
      ...(publicUrl ? [new URL(publicUrl).host] : []),
    ],
    publicUrl,
    dataDir:
      dataDir === ':memory:'
        ? null
        : path.resolve(cwd, dataDir ?? path.join(os.homedir(), '.replydesk', 'hub')),
    databaseUrl,
    databasePoolSize,
    demo: flag(env['REPLYDESK_DEMO']),
    demoSeed: seed,
    embedded: flag(env['REPLYDESK_EMBEDDED']),
    admin: adminEmail && adminPassword ? { email: adminEmail, password: adminPassword } : null,
    channels,
    rateCardPath: path.resolve(
      cwd,
      env['REPLYDESK_RATE_CARD'] ?? 'resources/pricing/rate-card.example.json',
    ),
    trustedProxies,
    secretsKey,
    previousSecretsKeys,
    metrics: { access: metricsAccess as MetricsConfig['access'], token: metricsToken },
  };
}

/**
 * `REPLYDESK_PUBLIC_URL`: an https:// address without query or fragment (http:// only on
 * loopback, for tests and a local tunnel), kept without a trailing slash.
 */
function parsePublicUrl(raw: string | undefined, problems: string[]): string | null {
  const value = raw?.trim() ?? '';
  if (value === '') return null;
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    problems.push(
      `REPLYDESK_PUBLIC_URL must be a URL such as https://hub.example.com, got "${value}".`,
    );
    return null;
  }
  const loopback = ['127.0.0.1', 'localhost', '[::1]'].includes(url.hostname);
  if (url.protocol !== 'https:' && !(url.protocol === 'http:' && loopback)) {
    problems.push('REPLYDESK_PUBLIC_URL must be https:// (platforms fetch files only over HTTPS).');
    return null;
  }
  if (url.search !== '' || url.hash !== '' || url.username !== '' || url.password !== '') {
    problems.push('REPLYDESK_PUBLIC_URL must not have a query, fragment or credentials.');
    return null;
  }
  return url.toString().replace(/\/+$/, '');
}
