import { existsSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { mkdtemp, readdir, readFile, rm, stat } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Conversation, Message } from '../../src/shared/domain/model';
import type { RunningHub } from '../../src/server/hub';
import {
  createSecretBox,
  keyIdOf,
  parseSecretKey,
  secretKeyFileOf,
  SecretKeyError,
} from '../../src/server/secrets/secret-box';
import { startFakeGraphApi, type FakeGraphApi } from '../support/fake-graph-api';
import { api, login, startTestHub, WHATSAPP } from '../support/hub';
import { messagesWebhook, signedWebhook, textMessage } from '../support/whatsapp-webhooks';

/** Issue #13 item 10: channel secrets were stored in plain text in the database. */
const SAVED_TOKEN = 'EAAG-saved-access-token-7781';
const OLD_KEY = randomBytes(32);
const NEW_KEY = randomBytes(32);

describe('the secret box', () => {
  const box = createSecretBox(OLD_KEY);

  it('seals with a fresh IV each time and opens what it sealed', () => {
    const a = box.seal(SAVED_TOKEN);
    const b = box.seal(SAVED_TOKEN);
    expect(a).not.toBe(b);
    expect(a.startsWith(`enc:v1:${keyIdOf(OLD_KEY)}:`)).toBe(true);
    expect(a).not.toContain(SAVED_TOKEN);
    expect(box.open(a)).toBe(SAVED_TOKEN);
    expect(box.needsResealing(a)).toBe(false);
  });

  it('refuses a value that was altered, or sealed with a key it does not have', () => {
    const sealed = box.seal(SAVED_TOKEN);
    const parts = sealed.split(':');
    const body = Buffer.from(parts[5] ?? '', 'base64url');
    body[0] = (body[0] ?? 0) ^ 1;
    parts[5] = body.toString('base64url');
    expect(() => box.open(parts.join(':'))).toThrow(SecretKeyError);
    expect(() => createSecretBox(NEW_KEY).open(sealed)).toThrow(
      `A stored secret was sealed with key ${keyIdOf(OLD_KEY)}, which this hub does not have: set it as REPLYDESK_SECRETS_KEY_PREVIOUS.`,
    );
  });

  it('opens with a previous key and asks for resealing; plain text from before is read as is', () => {
    const rotated = createSecretBox(NEW_KEY, [OLD_KEY]);
    const old = box.seal(SAVED_TOKEN);
    expect(rotated.open(old)).toBe(SAVED_TOKEN);
    expect(rotated.needsResealing(old)).toBe(true);
    expect(rotated.open('plain-token')).toBe('plain-token');
    expect(rotated.needsResealing('plain-token')).toBe(true);
  });

  it('takes keys as 64 hex digits or base64, and says what is wrong otherwise', () => {
    expect(parseSecretKey(OLD_KEY.toString('hex'), 'K')).toEqual(OLD_KEY);
    expect(parseSecretKey(OLD_KEY.toString('base64'), 'K')).toEqual(OLD_KEY);
    expect(parseSecretKey(OLD_KEY.toString('base64url'), 'K')).toEqual(OLD_KEY);
    expect(() => parseSecretKey('c2hvcnQ=', 'REPLYDESK_SECRETS_KEY')).toThrow(
      'REPLYDESK_SECRETS_KEY must be 32 random bytes, as 64 hex digits or base64 (openssl rand -base64 32); got 5 bytes.',
    );
  });
});

describe('channel secrets in a hub', () => {
  let graph: FakeGraphApi;
  let root: string;
  let dataDir: string;
  let hub: RunningHub | null = null;

  beforeAll(async () => {
    graph = await startFakeGraphApi({ accessToken: SAVED_TOKEN });
    root = await mkdtemp(path.join(os.tmpdir(), 'replydesk-secrets-'));
    dataDir = path.join(root, 'hub');
  });
  afterAll(async () => {
    await hub?.close();
    await graph.close();
    await rm(root, { recursive: true, force: true });
  });

  const start = async (secretsKey: Buffer | null, previous: Buffer[] = []): Promise<RunningHub> =>
    startTestHub({
      graphUrl: graph.url,
      dataDir,
      secretsKey: secretsKey?.toString('base64') ?? null,
      previousSecretsKeys: previous.map((k) => k.toString('base64')),
    });

  async function storedValue(name: string): Promise<string> {
    const { rows } = await (hub as RunningHub).db.query<{ value: string }>(
      "select value from channel_secrets where channel = 'whatsapp' and name = $1",
      [name],
    );
    return rows[0]?.value ?? '';
  }

  /** Every byte the hub wrote to its data folder contains no copy of the token. */
  async function filesContaining(text: string): Promise<string[]> {
    const found: string[] = [];
    const walk = async (dir: string): Promise<void> => {
      for (const entry of await readdir(dir, { withFileTypes: true })) {
        const file = path.join(dir, entry.name);
        if (entry.isDirectory()) await walk(file);
        else if ((await readFile(file)).includes(text)) found.push(path.relative(dataDir, file));
      }
    };
    // On a PostgreSQL server (the `postgres` project) the hub writes no database files here.
    if (existsSync(dataDir)) await walk(dataDir);
    return found;
  }

  /** A reply goes out with the access token the hub has: the fake accepts only the saved one. */
  async function replyGoesOut(n: number): Promise<string> {
    const admin = await login((hub as RunningHub).url);
    const url = (hub as RunningHub).url;
    const signed = signedWebhook(
      messagesWebhook(textMessage('Hello', { from: `3165000000${n}` })),
      WHATSAPP.appSecret,
    );
    await fetch(`${url}/webhooks/whatsapp`, { method: 'POST', ...signed });
    const list = await api<{ conversations: Conversation[] }>(url, admin, '/api/conversations');
    const conversation = list.body.conversations.find(
      (c) => c.customer.phone === `+3165000000${n}`,
    ) as Conversation;
    await api(url, admin, `/api/conversations/${conversation.id}/messages`, {
      method: 'POST',
      body: { content: { type: 'text', body: 'Hi there' } },
    });
    for (let i = 0; i < 200; i++) {
      const { body } = await api<{ messages: Message[] }>(
        url,
        admin,
        `/api/conversations/${conversation.id}/messages`,
      );
      const status = body.messages.find((m) => m.direction === 'outbound')?.status ?? '';
      if (status === 'sent' || status === 'failed') return status;
      await new Promise((resolve) => setTimeout(resolve, 25));
    }
    return 'pending';
  }

  it(
    'stores a saved token sealed, never in plain text anywhere in the data folder',
    { timeout: 120_000 },
    async () => {
      hub = await start(OLD_KEY);
      const admin = await login(hub.url);
      const saved = await api(hub.url, admin, '/api/admin/channels/whatsapp', {
        method: 'PUT',
        body: { accessToken: SAVED_TOKEN },
      });
      expect(saved.status).toBe(200);
      const value = await storedValue('accessToken');
      expect(value.startsWith(`enc:v1:${keyIdOf(OLD_KEY)}:`)).toBe(true);
      expect(await replyGoesOut(1)).toBe('sent');
      await hub.close();
      hub = null;
      expect(await filesContaining(SAVED_TOKEN)).toEqual([]);
    },
  );

  it(
    'a rotated key: opened with the previous key, sealed again with the new one',
    { timeout: 120_000 },
    async () => {
      hub = await start(NEW_KEY, [OLD_KEY]);
      expect((await storedValue('accessToken')).startsWith(`enc:v1:${keyIdOf(NEW_KEY)}:`)).toBe(
        true,
      );
      expect(await replyGoesOut(2)).toBe('sent');
      await hub.close();
      hub = null;
      // The old key is no longer needed.
      hub = await start(NEW_KEY);
      expect(await replyGoesOut(3)).toBe('sent');
      await hub.close();
      hub = null;
      // A hub without the key the secrets are sealed with refuses to start, and says why.
      await expect(start(OLD_KEY)).rejects.toThrow(
        `A stored secret was sealed with key ${keyIdOf(NEW_KEY)}, which this hub does not have`,
      );
    },
  );

  it(
    'without a configured key: a key file beside the data folder, owner-only; plain rows from before are sealed',
    { timeout: 120_000 },
    async () => {
      dataDir = path.join(root, 'keyless');
      hub = await start(null);
      await hub.db.query(
        `insert into channel_secrets (channel, name, value, updated_at) values ('whatsapp', 'accessToken', $1, 0)`,
        [SAVED_TOKEN],
      );
      await hub.close();
      hub = await start(null);
      const file = secretKeyFileOf(dataDir);
      expect(path.dirname(file)).toBe(root);
      expect((await stat(file)).mode & 0o777).toBe(0o600);
      const key = parseSecretKey(await readFile(file, 'utf8'), file);
      expect((await storedValue('accessToken')).startsWith(`enc:v1:${keyIdOf(key)}:`)).toBe(true);
      expect(await replyGoesOut(4)).toBe('sent');
    },
  );
});
