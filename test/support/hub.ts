import type { Message } from '../../src/shared/domain/model';
import { createHash } from 'node:crypto';
import { readFile, rename, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { readHubConfig } from '../../src/server/config';
import { startHub, type HubOptions, type RunningHub } from '../../src/server/hub';
import { openPglite, PGLITE_SETTINGS } from '../../src/server/store/db';
import { PgliteSession } from '../../src/server/store/pglite-session';
import { testDatabaseUrl } from './postgres';

export const ADMIN = { email: 'admin@shop.example', password: 'correct horse battery' };
export const WHATSAPP = {
  appSecret: 'test-app-secret',
  verifyToken: 'test-verify-token',
  accessToken: 'test-access-token',
  phoneNumberId: '106540352242922',
};

/** The environment of a hub whose WhatsApp channel talks to a fake Graph API at `graphUrl`. */
export function whatsappEnv(graphUrl: string): Record<string, string> {
  return {
    WHATSAPP_APP_SECRET: WHATSAPP.appSecret,
    WHATSAPP_VERIFY_TOKEN: WHATSAPP.verifyToken,
    WHATSAPP_ACCESS_TOKEN: WHATSAPP.accessToken,
    WHATSAPP_PHONE_NUMBER_ID: WHATSAPP.phoneNumberId,
    WHATSAPP_GRAPH_URL: graphUrl,
  };
}

let freshCluster: Promise<Blob> | null = null;

/**
 * A new, empty PGlite cluster as a tarball: every in-memory test hub starts from a copy of it (and
 * runs every migration on it) instead of creating its own cluster, which costs 1.5–2.5 s a hub.
 * Made once per machine for this PGlite and these settings (a file in the temp folder, written
 * whole or not at all), read once per test process.
 */
function freshPgliteCluster(): Promise<Blob> {
  freshCluster ??= (async () => {
    const { version: pgliteVersion } = JSON.parse(
      await readFile(path.resolve('node_modules/@electric-sql/pglite/package.json'), 'utf8'),
    ) as { version: string };
    const key = createHash('sha256')
      .update(JSON.stringify({ pgliteVersion, PGLITE_SETTINGS }))
      .digest('hex')
      .slice(0, 16);
    const file = path.join(os.tmpdir(), `replydesk-test-pglite-${key}.tar`);
    const saved = await readFile(file).catch(() => null);
    if (saved) return new Blob([saved]);
    const db = await openPglite(null);
    try {
      if (!(db instanceof PgliteSession)) throw new Error('openPglite gave no PGlite session');
      const tarball = await db.pglite.dumpDataDir('none');
      const partial = `${file}.${process.pid}`;
      await writeFile(partial, Buffer.from(await tarball.arrayBuffer()));
      await rename(partial, file);
      return tarball;
    } finally {
      await db.close();
    }
  })();
  return freshCluster;
}

/**
 * A real hub on 127.0.0.1:0 with an in-memory PGlite unless a data folder is given; in the
 * `postgres` vitest project, on a database of the project's throwaway PostgreSQL cluster instead
 * (a fresh one, or the one a given data folder names: `testDatabaseUrl`).
 */
export async function startTestHub(
  overrides: Partial<HubOptions> & { graphUrl?: string } = {},
): Promise<RunningHub> {
  const base = readHubConfig(
    {
      PORT: '0',
      REPLYDESK_DATA_DIR: ':memory:',
      REPLYDESK_ADMIN_EMAIL: ADMIN.email,
      REPLYDESK_ADMIN_PASSWORD: ADMIN.password,
      ...(overrides.graphUrl ? whatsappEnv(overrides.graphUrl) : {}),
    },
    path.resolve('.'),
  );
  const databaseUrl =
    overrides.databaseUrl === undefined
      ? await testDatabaseUrl(overrides.dataDir ?? null)
      : overrides.databaseUrl;
  const inMemory = databaseUrl === null && (overrides.dataDir ?? base.dataDir) === null;
  return startHub({
    ...base,
    outbound: { baseDelayMs: 50, pollMs: 50 },
    ...(inMemory ? { pgliteStartFrom: await freshPgliteCluster() } : {}),
    ...overrides,
    databaseUrl,
  });
}

export async function login(hubUrl: string, credentials = ADMIN): Promise<string> {
  const res = await fetch(`${hubUrl}/api/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(credentials),
  });
  if (res.status !== 200) throw new Error(`login failed: ${res.status} ${await res.text()}`);
  return ((await res.json()) as { token: string }).token;
}

export async function api<T = unknown>(
  hubUrl: string,
  token: string | null,
  pathname: string,
  init: { method?: string; body?: unknown; headers?: Record<string, string> } = {},
): Promise<{ status: number; body: T }> {
  const res = await fetch(`${hubUrl}${pathname}`, {
    method: init.method ?? 'GET',
    headers: {
      ...(token ? { authorization: `Bearer ${token}` } : {}),
      ...(init.body === undefined ? {} : { 'content-type': 'application/json' }),
      ...init.headers,
    },
    body: init.body === undefined ? undefined : JSON.stringify(init.body),
  });
  const text = await res.text();
  return { status: res.status, body: (text ? JSON.parse(text) : null) as T };
}

/** The one-time token in an embedded hub's sign-in URL (`<url>/#/sign-in?token=…`). */
export function signInTokenOf(signInUrl: string | null): string {
  const token = signInUrl ? new URLSearchParams(signInUrl.split('?')[1]).get('token') : null;
  if (!token) throw new Error(`no sign-in token in ${signInUrl}`);
  return token;
}

/** Sign in to an embedded hub as its local admin, with a fresh one-time sign-in token. */
export async function embeddedLogin(hub: RunningHub): Promise<string> {
  const answer = await api<{ token: string }>(hub.url, null, '/api/auth/embedded', {
    method: 'POST',
    body: { secret: signInTokenOf(hub.signInUrl()) },
  });
  if (answer.status !== 200) throw new Error(`embedded sign-in failed: ${answer.status}`);
  return answer.body.token;
}

/** An agent's text reply in a conversation, through `POST /api/commands`; the answer's status. */
export async function sendText(
  hubUrl: string,
  token: string,
  clientId: string,
  conversationId: string | undefined,
  body: string,
): Promise<number> {
  const answer = await api(hubUrl, token, '/api/commands', {
    method: 'POST',
    body: {
      clientId,
      command: { type: 'send_message', conversationId, content: { type: 'text', body } },
    },
  });
  return answer.status;
}

/**
 * A channel's conversation of the customer shown under `name` (as `GET /api/conversations`
 * lists it, up to 500); throws when there is none.
 */
export async function conversationNamed<T extends { readonly customer: { readonly name: string } }>(
  hubUrl: string,
  token: string,
  channel: string,
  name: string,
): Promise<T> {
  const list = await api<{ conversations: T[] }>(
    hubUrl,
    token,
    `/api/conversations?channel=${channel}&limit=500`,
  );
  const found = list.body.conversations.find((c) => c.customer.name === name);
  if (!found) throw new Error(`no ${channel} conversation for ${name}`);
  return found;
}

/** The messages of that conversation, oldest first (`GET /api/conversations/<id>/messages`). */
export async function messagesNamed(
  hubUrl: string,
  token: string,
  channel: string,
  name: string,
): Promise<Message[]> {
  const conversation = await conversationNamed<{ id: string; customer: { name: string } }>(
    hubUrl,
    token,
    channel,
    name,
  );
  return (
    await api<{ messages: Message[] }>(
      hubUrl,
      token,
      `/api/conversations/${conversation.id}/messages`,
    )
  ).body.messages;
}
