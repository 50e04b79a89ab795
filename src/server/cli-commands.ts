import path from 'node:path';
import type { HubConfig } from './config';
import { backupFolder, migrateFolder, restoreFolder } from './store/maintenance';
import { redactUrl } from './store/postgres';

export const USAGE = `usage: npm run hub [-- <command>]
  (no command)            run the hub (configured by the environment: docs/configuration.md)
  migrate --to <url>      copy the data folder's database into an empty PostgreSQL database
  backup <file>           write the data folder (stopped hub) to one .tar.gz file
  restore <file>          restore such a file into an empty data folder (REPLYDESK_DATA_DIR)`;

export type CliCommand =
  | { readonly kind: 'serve' }
  | { readonly kind: 'migrate'; readonly to: string }
  | { readonly kind: 'backup' | 'restore'; readonly file: string };

/** The command line after `npm run hub --`; a mistake throws the reason and the usage. */
export function parseCommand(args: readonly string[]): CliCommand {
  const [name, ...rest] = args;
  const fail = (reason: string): never => {
    throw new Error(`${reason}\n${USAGE}`);
  };
  if (name === undefined) return { kind: 'serve' };
  if (name === 'migrate') {
    const at = rest.indexOf('--to');
    const to = at === -1 ? undefined : rest[at + 1];
    if (to === undefined || rest.length !== 2) return fail('migrate needs --to <postgresql url>.');
    if (!/^postgres(ql)?:\/\//.test(to)) return fail('--to must be a postgresql:// URL.');
    return { kind: 'migrate', to };
  }
  if (name === 'backup' || name === 'restore') {
    const [file] = rest;
    if (file === undefined || rest.length !== 1) return fail(`${name} needs one file name.`);
    return { kind: name, file: path.resolve(file) };
  }
  return fail(`Unknown command "${name}".`);
}

/** The data folder a maintenance command works on: the hub's own (`REPLYDESK_DATA_DIR`). */
function folderOf(config: HubConfig): string {
  if (config.dataDir === null) throw new Error('REPLYDESK_DATA_DIR=:memory: has no folder.');
  return config.dataDir;
}

/** Run a maintenance command; the hub itself is `serve`. */
export async function runCommand(
  command: Exclude<CliCommand, { kind: 'serve' }>,
  config: HubConfig,
  log: (line: string) => void,
): Promise<void> {
  const dataDir = folderOf(config);
  if (command.kind === 'migrate') {
    log(`hub: copying ${dataDir} into ${redactUrl(command.to)} (one transaction)…`);
    const report = await migrateFolder(dataDir, command.to, {
      onTable: ({ table, rows }) => log(`  ${table}: ${rows} rows`),
    });
    log(
      `hub: done, ${report.tables.length} tables, event log at seq ${report.headSeq}. Start the hubs with DATABASE_URL set to it, and the same REPLYDESK_SECRETS_KEY (or this REPLYDESK_DATA_DIR, whose .secrets.key file seals the channel secrets).`,
    );
  } else if (command.kind === 'backup') {
    const bytes = await backupFolder(dataDir, command.file);
    log(`hub: backed up ${dataDir} to ${command.file} (${bytes} bytes).`);
  } else {
    const { migrations } = await restoreFolder(dataDir, command.file);
    log(`hub: restored ${command.file} into ${dataDir} (schema at ${migrations} migrations).`);
  }
}
