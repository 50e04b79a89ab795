import { createCipheriv, createDecipheriv, createHash, randomBytes } from 'node:crypto';
import { chmod, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';

/**
 * Channel and shop credentials at rest (issue #13 item 10). Secrets are sealed with AES-256-GCM
 * before they reach the database, so a copy of the database (a backup, a dump, a data folder
 * sent for support) does not hand out the WhatsApp access token. The key is not in the
 * database: it comes from `REPLYDESK_SECRETS_KEY` (team hub), from the OS keychain through the
 * desktop shell (embedded hub), or, failing both, from a `<data folder>.secrets.key` file beside
 * (not inside) the data folder, readable by its owner only.
 *
 * A sealed value reads `enc:v1:<key id>:<iv>:<tag>:<ciphertext>` (base64url parts); the key id
 * (the first 8 bytes of the key's SHA-256, hex) says which key opens it, so keys can be rotated:
 * the old key stays readable as a previous key until everything is sealed again with the new one.
 */
export interface SecretBox {
  /** The id of the key new values are sealed with. */
  readonly keyId: string;
  seal(plain: string): string;
  /** The plain value; a value stored before encryption (no `enc:` prefix) is returned as is. */
  open(stored: string): string;
  /** Whether a stored value should be sealed again: plain text, or sealed with an older key. */
  needsResealing(stored: string): boolean;
}

export class SecretKeyError extends Error {
  override readonly name = 'SecretKeyError';
}

const PREFIX = 'enc:v1:';
const KEY_BYTES = 32;

export const keyIdOf = (key: Buffer): string =>
  createHash('sha256').update(key).digest('hex').slice(0, 16);

/** A key from its text form: 64 hex digits or 32 bytes in base64 / base64url. */
export function parseSecretKey(text: string, name: string): Buffer {
  const value = text.trim();
  const key = /^[0-9a-f]{64}$/i.test(value)
    ? Buffer.from(value, 'hex')
    : Buffer.from(value.replace(/-/g, '+').replace(/_/g, '/'), 'base64');
  if (key.length !== KEY_BYTES)
    throw new SecretKeyError(
      `${name} must be ${KEY_BYTES} random bytes, as 64 hex digits or base64 (openssl rand -base64 32); got ${key.length} bytes.`,
    );
  return key;
}

export function createSecretBox(current: Buffer, previous: readonly Buffer[] = []): SecretBox {
  const keys = new Map<string, Buffer>();
  for (const key of [current, ...previous]) keys.set(keyIdOf(key), key);
  const keyId = keyIdOf(current);
  return {
    keyId,
    seal(plain) {
      const iv = randomBytes(12);
      const cipher = createCipheriv('aes-256-gcm', current, iv);
      // The key id is authenticated too: a value cannot be passed off under another key.
      cipher.setAAD(Buffer.from(keyId));
      const body = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()]);
      return `${PREFIX}${[keyId, iv, cipher.getAuthTag(), body]
        .map((part) => (typeof part === 'string' ? part : part.toString('base64url')))
        .join(':')}`;
    },
    open(stored) {
      if (!stored.startsWith(PREFIX)) return stored;
      const [id = '', iv = '', tag = '', body = ''] = stored.slice(PREFIX.length).split(':');
      const key = keys.get(id);
      if (!key)
        throw new SecretKeyError(
          `A stored secret was sealed with key ${id}, which this hub does not have: set it as REPLYDESK_SECRETS_KEY_PREVIOUS.`,
        );
      const decipher = createDecipheriv('aes-256-gcm', key, Buffer.from(iv, 'base64url'));
      decipher.setAAD(Buffer.from(id));
      decipher.setAuthTag(Buffer.from(tag, 'base64url'));
      try {
        return Buffer.concat([
          decipher.update(Buffer.from(body, 'base64url')),
          decipher.final(),
        ]).toString('utf8');
      } catch {
        throw new SecretKeyError(
          `A stored secret sealed with key ${id} does not open: it was altered.`,
        );
      }
    },
    needsResealing: (stored) => !stored.startsWith(`${PREFIX}${keyId}:`),
  };
}

export const secretKeyFileOf = (dataDir: string): string =>
  path.join(path.dirname(dataDir), `${path.basename(dataDir)}.secrets.key`);

/**
 * The hub's key: the configured one, else `<data folder>.secrets.key` beside the data folder
 * (created once, mode 0600; not inside it, so a copy of the data folder does not carry the key),
 * else — for a database in memory — a key for this process only.
 */
export async function loadSecretBox(options: {
  readonly key: string | null;
  readonly previousKeys: readonly string[];
  readonly dataDir: string | null;
}): Promise<SecretBox> {
  const previous = options.previousKeys.map((k, i) =>
    parseSecretKey(k, `REPLYDESK_SECRETS_KEY_PREVIOUS (entry ${i + 1})`),
  );
  if (options.key !== null)
    return createSecretBox(parseSecretKey(options.key, 'REPLYDESK_SECRETS_KEY'), previous);
  if (options.dataDir === null) return createSecretBox(randomBytes(KEY_BYTES), previous);
  const file = secretKeyFileOf(options.dataDir);
  const existing = await readFile(file, 'utf8').catch((error: NodeJS.ErrnoException) => {
    if (error.code === 'ENOENT') return null;
    throw error;
  });
  if (existing !== null) return createSecretBox(parseSecretKey(existing, file), previous);
  const key = randomBytes(KEY_BYTES);
  // `wx`: two hubs starting at once never overwrite each other's key.
  await writeFile(file, `${key.toString('base64')}\n`, { mode: 0o600, flag: 'wx' });
  await chmod(file, 0o600);
  return createSecretBox(key, previous);
}
