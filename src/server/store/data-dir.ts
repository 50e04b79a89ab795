import { mkdir, rm, writeFile } from 'node:fs/promises';
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
