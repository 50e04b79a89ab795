import { readFile, rename, rm, writeFile } from 'node:fs/promises';
import {
  credentialsSchema,
  type CredentialStorage,
  type Credentials,
} from '../shared/ipc/contract';

/** The file in `userData` holding the encrypted credentials (never plain text). */
export const CREDENTIALS_FILE = 'credentials.enc';

/**
 * The slice of Electron's `safeStorage` we use. The synchronous calls are the ones whose Linux
 * plain-text fallback is documented (`getSelectedStorageBackend() === 'basic_text'`); they are
 * marked deprecated in Electron 45's typings in favour of the `…Async` ones, and moving is a
 * change in this file only.
 */
export interface SafeStorageLike {
  isEncryptionAvailable(): boolean;
  encryptString(plainText: string): Buffer;
  decryptString(encrypted: Buffer): string;
  /** Linux only: `basic_text` means "encrypted" with a hard-coded password, i.e. plain text. */
  getSelectedStorageBackend(): string;
}

/**
 * Whether `safeStorage` really protects what it encrypts. On Linux without a keyring (or with
 * `--password-store=basic`) it "encrypts" with a hard-coded password (Electron's safeStorage docs):
 * that is plain text on disk, so we refuse it. `unknown` is the answer before `ready`.
 */
export function secureStorageAvailable(safeStorage: SafeStorageLike, platform: string): boolean {
  if (!safeStorage.isEncryptionAvailable()) return false;
  if (platform !== 'linux') return true;
  const backend = safeStorage.getSelectedStorageBackend();
  return backend !== 'basic_text' && backend !== 'unknown';
}

export interface CredentialStore {
  /** How what is set is kept: in an encrypted file, or only in memory until the app quits. */
  readonly storage: CredentialStorage;
  get(): Credentials | null;
  set(credentials: Credentials): Promise<void>;
  /** Forget the session; the hub's address stays (it is not a secret, and prefills sign-in). */
  clearSession(): Promise<boolean>;
  /** Forget the hub too (the agent went back to this computer's hub): nothing is remembered. */
  forget(): Promise<void>;
}

/**
 * Open the credential store: read and decrypt the file if there is one. A file that cannot be
 * decrypted or does not match the schema is deleted (it would never become readable); when this
 * system cannot encrypt, the file is left alone (a locked keyring may come back) and nothing is
 * written: credentials stay in memory only.
 */
export async function openCredentialStore(options: {
  readonly safeStorage: SafeStorageLike;
  readonly platform: string;
  readonly filePath: string;
}): Promise<CredentialStore> {
  const { safeStorage, filePath } = options;
  const storage: CredentialStorage = secureStorageAvailable(safeStorage, options.platform)
    ? 'encrypted'
    : 'memory';
  let current: Credentials | null = storage === 'encrypted' ? await readFileCredentials() : null;
  // Writes are queued so a quick sign-in then sign-out cannot land on disk in the wrong order.
  let queue: Promise<void> = Promise.resolve();

  async function readFileCredentials(): Promise<Credentials | null> {
    let encrypted: Buffer;
    try {
      encrypted = await readFile(filePath);
    } catch {
      return null;
    }
    try {
      const parsed = credentialsSchema.safeParse(JSON.parse(safeStorage.decryptString(encrypted)));
      if (parsed.success) return parsed.data;
    } catch {
      // Not decryptable with this user's key, or not JSON: fall through and delete it.
    }
    await rm(filePath, { force: true });
    return null;
  }

  async function persist(value: Credentials | null): Promise<void> {
    if (storage === 'memory') {
      // A file from a time this system could encrypt is stale now: never leave old data behind.
      await rm(filePath, { force: true });
      return;
    }
    if (value === null) {
      await rm(filePath, { force: true });
      return;
    }
    const encrypted = safeStorage.encryptString(JSON.stringify(value));
    // Write then rename: a crash mid-write never leaves a truncated file.
    const temporary = `${filePath}.tmp`;
    await writeFile(temporary, encrypted, { mode: 0o600 });
    await rename(temporary, filePath);
  }

  function enqueue(value: Credentials | null): Promise<void> {
    current = value;
    const write = queue.then(() => persist(value));
    queue = write.catch(() => undefined);
    return write;
  }

  return {
    storage,
    get: () => current,
    set: (credentials) => enqueue(credentialsSchema.parse(credentials)),
    clearSession: async () => {
      if (current === null || current.session === null) return false;
      await enqueue({ hubUrl: current.hubUrl, session: null });
      return true;
    },
    forget: async () => {
      if (current === null) return;
      await enqueue(null);
    },
  };
}
