import { randomBytes } from 'node:crypto';
import { readFile, rename, writeFile } from 'node:fs/promises';
import { secureStorageAvailable, type SafeStorageLike } from './credentials';

/** The file in `userData` holding the embedded hub's secrets key, encrypted by the OS keychain. */
export const HUB_SECRETS_KEY_FILE = 'hub-secrets-key.enc';

/**
 * The key the embedded hub seals channel secrets with (issue #13 item 10), kept by the OS
 * keychain through `safeStorage`: made once, encrypted into `userData`, read at each start. Null
 * where the keychain does not really protect anything (Linux without a keyring): the hub then
 * keeps its key in an owner-only file beside its data folder, as a team hub without
 * `REPLYDESK_SECRETS_KEY` does.
 */
export async function loadHubSecretsKey(options: {
  readonly safeStorage: SafeStorageLike;
  readonly platform: string;
  readonly filePath: string;
}): Promise<string | null> {
  const { safeStorage, filePath } = options;
  if (!secureStorageAvailable(safeStorage, options.platform)) return null;
  const stored = await readFile(filePath).catch((error: NodeJS.ErrnoException) => {
    if (error.code === 'ENOENT') return null;
    throw error;
  });
  if (stored !== null) return safeStorage.decryptString(stored);
  const key = randomBytes(32).toString('base64');
  // Written whole or not at all: a half-written key would lock the secrets away.
  const temporary = `${filePath}.tmp`;
  await writeFile(temporary, safeStorage.encryptString(key), { mode: 0o600 });
  await rename(temporary, filePath);
  return key;
}
