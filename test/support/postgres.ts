import { execFile, execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { chmod, chown, copyFile, mkdtemp, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';

/**
 * A private, throwaway PostgreSQL cluster for tests: `initdb` into a temp folder, a free port, its
 * unix socket in that folder, `pg_ctl stop` at the end. Never the system's cluster.
 */
export interface TestCluster {
  /** The folder holding the cluster's data and its socket. */
  readonly dir: string;
  readonly port: number;
  /** A connection URL to `database` over the cluster's unix socket. */
  url(database: string): string;
  /** The same over TCP on 127.0.0.1 (what a hub in front of nginx, or a bench, might use). */
  tcpUrl(database: string): string;
  /** Create an empty database (optionally copied from `template`); returns its URL. */
  createDatabase(name?: string, template?: string): Promise<string>;
  stop(): Promise<void>;
}

/** Where Debian (and `.ci/run`) installs the server binaries. */
export function postgresBinDir(): string {
  const root = '/usr/lib/postgresql';
  const fromEnv = process.env['REPLYDESK_PG_BIN'];
  if (fromEnv) return fromEnv;
  if (existsSync(root)) {
    for (const version of ['17', '16', '15', '14'])
      if (existsSync(path.join(root, version, 'bin', 'initdb')))
        return path.join(root, version, 'bin');
  }
  throw new Error('No PostgreSQL server binaries found (apt-get install postgresql).');
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

/** PostgreSQL refuses to run as root: as root, the cluster runs as the `postgres` user. */
function runAs(): { uid: number; gid: number } | null {
  if (process.getuid?.() !== 0) return null;
  for (const user of ['postgres', 'nobody']) {
    try {
      // getent passwd: name:x:uid:gid:…
      const [, , uid, gid] = execFileSync('getent', ['passwd', user], { encoding: 'utf8' })
        .trim()
        .split(':');
      if (uid && gid) return { uid: Number(uid), gid: Number(gid) };
    } catch {
      // No such user: try the next one.
    }
  }
  throw new Error('Running as root, and no unprivileged user to run PostgreSQL as.');
}

function run(
  file: string,
  args: string[],
  user: { uid: number; gid: number } | null,
): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile(
      file,
      args,
      { ...(user ?? {}), env: { ...process.env, LC_ALL: 'C' }, encoding: 'utf8' },
      (error, stdout, stderr) =>
        error
          ? reject(new Error(`${path.basename(file)} failed: ${stderr || stdout}`))
          : resolve(stdout),
    );
  });
}

/** A self-signed certificate for `localhost`: the server's in `data`, a copy as `dir/ca.pem`. */
async function makeCertificate(
  data: string,
  dir: string,
  user: { uid: number; gid: number } | null,
): Promise<void> {
  const key = path.join(data, 'server.key');
  const cert = path.join(data, 'server.crt');
  await run(
    'openssl',
    [
      'req',
      '-x509',
      '-newkey',
      'rsa:2048',
      '-nodes',
      '-days',
      '1',
      '-subj',
      '/CN=localhost',
      '-addext',
      'subjectAltName=DNS:localhost',
      '-keyout',
      key,
      '-out',
      cert,
    ],
    user,
  );
  await chmod(key, 0o600);
  await copyFile(cert, path.join(dir, 'ca.pem'));
}

/**
 * Start a cluster tuned for tests: no fsync (a crash loses a throwaway database, nothing more),
 * enough connections for several hubs' pools per test file.
 */
export async function startTestCluster(
  options: {
    /** Serve TLS on TCP with a self-signed certificate for `localhost` (written to `dir/ca.pem`). */
    tls?: boolean;
  } = {},
): Promise<TestCluster> {
  const bin = postgresBinDir();
  const user = runAs();
  const dir = await mkdtemp(path.join(os.tmpdir(), 'replydesk-pg-'));
  if (user) await chown(dir, user.uid, user.gid);
  const data = path.join(dir, 'data');
  const port = await freePort();
  await run(
    path.join(bin, 'initdb'),
    ['-D', data, '-A', 'trust', '-U', 'postgres', '-E', 'UTF8', '--locale=C', '--no-sync'],
    user,
  );
  if (options.tls) await makeCertificate(data, dir, user);
  const settings = [
    `-p ${port}`,
    `-k ${dir}`,
    "-c listen_addresses='localhost'",
    '-c fsync=off',
    '-c synchronous_commit=off',
    '-c full_page_writes=off',
    '-c max_connections=300',
    '-c shared_buffers=32MB',
    ...(options.tls ? ['-c ssl=on'] : []),
  ].join(' ');
  await run(
    path.join(bin, 'pg_ctl'),
    ['-D', data, '-o', settings, '-l', path.join(dir, 'log'), '-w', 'start'],
    user,
  );
  const url = (database: string): string =>
    `postgresql://postgres@localhost:${port}/${database}?host=${encodeURIComponent(dir)}`;
  let counter = 0;
  let stopped = false;
  return {
    dir,
    port,
    url,
    tcpUrl: (database) => `postgresql://postgres@localhost:${port}/${database}`,
    async createDatabase(name, template) {
      const database = name ?? `t${process.pid}_${++counter}_${Date.now().toString(36)}`;
      const admin = new pg.Client({ connectionString: url('postgres') });
      await admin.connect();
      try {
        await admin.query(
          `create database "${database}"${template ? ` template "${template}"` : ''}`,
        );
      } finally {
        await admin.end();
      }
      return url(database);
    },
    async stop() {
      if (stopped) return;
      stopped = true;
      await run(
        path.join(bin, 'pg_ctl'),
        ['-D', data, '-m', 'immediate', '-w', 'stop'],
        user,
      ).catch(() => undefined);
      await rm(dir, { recursive: true, force: true });
    },
  };
}

/**
 * The database a test hub uses on the cluster named by `REPLYDESK_TEST_POSTGRES` (set by the
 * `postgres` vitest project): a fresh one for an in-memory hub, and for a hub on a data folder the
 * one that folder names, so a hub restarted on the same folder finds its data again.
 */
export async function testDatabaseUrl(dataDir: string | null): Promise<string | null> {
  const base = process.env['REPLYDESK_TEST_POSTGRES'];
  if (!base) return null;
  const url = new URL(base);
  const name =
    dataDir === null
      ? `t${process.pid}_${++fresh}_${Date.now().toString(36)}`
      : `d${createHash('sha256').update(path.resolve(dataDir)).digest('hex').slice(0, 24)}`;
  const admin = new pg.Client({ connectionString: base });
  await admin.connect();
  try {
    const { rows } = await admin.query('select 1 from pg_database where datname = $1', [name]);
    if (rows.length === 0) await admin.query(`create database "${name}"`);
  } finally {
    await admin.end();
  }
  url.pathname = `/${name}`;
  return url.toString();
}
let fresh = 0;
