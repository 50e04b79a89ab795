import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';

/**
 * A data folder that cannot be used, in one sentence naming the folder and the reason. The hub's
 * entry points print `message` as one line (no stack trace); the desktop app shows it in its
 * error dialog.
 */
export class DataFolderError extends Error {
  constructor(
    readonly dir: string,
    readonly reason: string,
  ) {
    super(`Cannot use the data folder ${dir}: ${reason}.`);
    this.name = 'DataFolderError';
  }
}

const REASONS: Readonly<Record<string, string>> = {
  EACCES: 'permission denied',
  EPERM: 'permission denied',
  EROFS: 'the disk is read-only',
  ENOTDIR: 'a part of the path is a file, not a folder',
  EEXIST: 'a file of that name is in the way',
  ENOSPC: 'the disk is full',
  EDQUOT: 'the disk quota is used up',
  ENAMETOOLONG: 'the path is too long',
};

/** Why a file-system call failed, in words, with the system's code to search for. */
export function describeFsError(error: unknown): string {
  const code = (error as { code?: unknown } | null)?.code;
  if (typeof code === 'string') return `${REASONS[code] ?? 'it cannot be created'} (${code})`;
  return error instanceof Error ? error.message : String(error);
}

/**
 * Create `dir` with every missing parent and prove it can be written, before PGlite is pointed at
 * it: PGlite creates only the last folder itself (a plain `mkdir`), so on a fresh machine, where
 * `~/.replydesk` does not exist yet, it died with `ENOENT … mkdir ~/.replydesk/hub` and a stack
 * trace from its own bundle. A probe file catches a folder that exists but is read-only.
 */
export async function prepareDataDir(dir: string): Promise<void> {
  try {
    await mkdir(dir, { recursive: true });
    const probe = path.join(dir, `.replydesk-write-test-${process.pid}`);
    await writeFile(probe, '');
    await rm(probe, { force: true });
  } catch (error) {
    throw new DataFolderError(dir, describeFsError(error));
  }
}

/** The file a hub keeps in its data folder while it has the folder open. */
export const LOCK_FILE = 'replydesk-hub.lock';

interface LockRecord {
  readonly pid: number;
  /** When the computer started (epoch ms, to the minute): a pid from before a reboot is stale. */
  readonly boot: number;
}

const bootTime = (): number => Math.round((Date.now() - os.uptime() * 1000) / 60_000) * 60_000;

function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: the process exists but belongs to someone else.
    return (error as { code?: unknown }).code === 'EPERM';
  }
}

/** The process that holds `dir` open (a hub, or a migrate/backup command), or `null`. */
export async function dataDirHolder(dir: string): Promise<number | null> {
  let record: LockRecord;
  try {
    record = JSON.parse(await readFile(path.join(dir, LOCK_FILE), 'utf8')) as LockRecord;
  } catch {
    return null;
  }
  if (!Number.isInteger(record.pid) || Math.abs(record.boot - bootTime()) > 120_000) return null;
  return isRunning(record.pid) ? record.pid : null;
}

/**
 * Hold `dir` for this process: two PGlite instances on one folder would corrupt it, and a backup
 * or a migration of a folder a hub is writing would copy a database in mid-change. A lock left
 * by a process that is gone (`kill -9`, a crash, a reboot) is taken over. Returns the release.
 */
export async function lockDataDir(dir: string): Promise<() => Promise<void>> {
  const holder = await dataDirHolder(dir);
  if (holder !== null)
    throw new DataFolderError(
      dir,
      `another Replydesk process (pid ${holder}) is using it; stop that hub first`,
    );
  const file = path.join(dir, LOCK_FILE);
  const record: LockRecord = { pid: process.pid, boot: bootTime() };
  try {
    await writeFile(file, JSON.stringify(record));
  } catch (error) {
    throw new DataFolderError(dir, describeFsError(error));
  }
  return async () => {
    // Only our own record: never a lock another process took over meanwhile.
    const now = await readFile(file, 'utf8').catch(() => '');
    if (now === JSON.stringify(record)) await rm(file, { force: true });
  };
}
