import { mkdtemp, mkdir, rm, writeFile } from 'node:fs/promises';
import { request } from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readHubConfig } from '../../src/server/config';
import type { RunningHub } from '../../src/server/hub';
import { startTestHub } from '../support/hub';

let dir: string;
let hub: RunningHub;

/** A raw request, so tests can send the forged Host and Origin headers a browser would. */
function get(
  pathname: string,
  headers: Record<string, string> = {},
  method = 'GET',
): Promise<{
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}> {
  return new Promise((resolve, reject) => {
    const req = request(
      { host: '127.0.0.1', port: hub.port, path: pathname, method, headers },
      (res) => {
        let body = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => (body += chunk));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
      },
    );
    req.on('error', reject);
    req.end();
  });
}

beforeAll(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'replydesk-hub-'));
  await mkdir(path.join(dir, 'renderer', 'assets'), { recursive: true });
  await writeFile(
    path.join(dir, 'renderer', 'index.html'),
    '<!doctype html><title>Replydesk</title>',
  );
  await writeFile(path.join(dir, 'renderer', 'assets', 'index-abc.js'), 'export {}');
  await writeFile(path.join(dir, 'secret.txt'), 'TOP-SECRET-CONTENT');
  hub = await startTestHub({
    rendererDir: path.join(dir, 'renderer'),
    now: () => Date.parse('2026-11-21T12:00:00Z'),
  });
});

afterAll(async () => {
  await hub.close();
  await rm(dir, { recursive: true, force: true });
});

describe('the hub HTTP server', () => {
  it('listens on a free loopback port and reports it', () => {
    expect(hub.port).toBeGreaterThan(0);
    expect(hub.url).toBe(`http://127.0.0.1:${hub.port}`);
  });

  it('answers health checks with the hub time', async () => {
    const res = await get('/healthz');
    expect(res.status).toBe(200);
    // And the database, the listener and the queue (hub-metrics.test.ts).
    expect(JSON.parse(res.body)).toMatchObject({
      status: 'ok',
      time: '2026-11-21T12:00:00.000Z',
      database: { reachable: true },
      queue: { pending: 0, sending: 0, uncertain: 0 },
    });
  });

  it('serves the app with a strict Content-Security-Policy', async () => {
    const res = await get('/');
    expect(res.status).toBe(200);
    expect(res.body).toContain('<title>Replydesk</title>');
    expect(String(res.headers['content-security-policy'])).toMatch(/^default-src 'none'/);
    expect(res.headers['x-frame-options']).toBe('DENY');
  });

  it('serves client routes with the app shell and hashed assets with a long cache', async () => {
    expect((await get('/inbox/c-1')).body).toContain('<title>Replydesk</title>');
    const asset = await get('/assets/index-abc.js');
    expect(asset.headers['cache-control']).toMatch(/immutable/);
    expect(asset.headers['content-type']).toMatch(/javascript/);
  });

  it.each([
    '/%2e%2e/secret.txt',
    '/..%2fsecret.txt',
    '/assets/%2e%2e/%2e%2e/secret.txt',
    '/x%00.js',
  ])('never serves files outside the app folder (%s)', async (pathname) => {
    const res = await get(pathname);
    expect(res.status).toBe(404);
    expect(res.body).not.toContain('TOP-SECRET-CONTENT');
  });

  it('answers unknown API routes with a JSON 404', async () => {
    const res = await get('/api/nothing');
    expect(res.status).toBe(404);
    expect(JSON.parse(res.body)).toMatchObject({ error: 'not_found' });
  });

  it('refuses methods other than GET for the app', async () => {
    expect((await get('/', {}, 'POST')).status).toBe(405);
    expect((await get('/api/auth/login', {}, 'GET')).status).toBe(405);
  });

  it.each([
    [{ Host: 'evil.example' }, /Host "evil.example"/],
    [{ Host: 'rebound.attacker.example:80' }, /is not this hub/],
  ])('refuses a request whose Host is not the hub (DNS rebinding) %j', async (headers, reason) => {
    const res = await get('/healthz', headers);
    expect(res.status).toBe(403);
    expect(JSON.parse(res.body).message).toMatch(reason);
  });

  it('refuses a cross-site Origin and accepts its own', async () => {
    const foreign = await get('/healthz', { Origin: 'https://evil.example' });
    expect(foreign.status).toBe(403);
    const own = await get('/healthz', { Origin: `http://localhost:${hub.port}` });
    expect(own.status).toBe(200);
    const desktop = await get('/healthz', { Origin: 'app://replydesk' });
    expect(desktop.status).toBe(200);
  });
});

describe('hub configuration', () => {
  it('reads PORT, picking a free port with 0', () => {
    expect(readHubConfig({ PORT: '0' }, '/srv').port).toBe(0);
    expect(readHubConfig({}, '/srv')).toMatchObject({ port: 4477, host: '127.0.0.1' });
  });

  it('reads the data folder, demo, admin and WhatsApp settings', () => {
    const config = readHubConfig(
      {
        REPLYDESK_DATA_DIR: 'data',
        REPLYDESK_DEMO: '1',
        REPLYDESK_ADMIN_EMAIL: 'a@b.example',
        REPLYDESK_ADMIN_PASSWORD: 'long enough password',
        WHATSAPP_APP_SECRET: 's',
        WHATSAPP_VERIFY_TOKEN: 'v',
        WHATSAPP_ACCESS_TOKEN: 't',
        WHATSAPP_PHONE_NUMBER_ID: '1',
      },
      '/srv',
    );
    expect(config).toMatchObject({
      dataDir: '/srv/data',
      demo: true,
      admin: { email: 'a@b.example' },
      channels: {
        whatsapp: {
          appSecret: 's',
          verifyToken: 'v',
          accessToken: 't',
          phoneNumberId: '1',
          graphUrl: 'https://graph.facebook.com',
          apiVersion: 'v23.0',
        },
      },
    });
  });

  it('names every incomplete setting in one error', () => {
    expect(() =>
      readHubConfig({ WHATSAPP_APP_SECRET: 's', REPLYDESK_ADMIN_EMAIL: 'a@b.example' }, '/srv'),
    ).toThrow(/REPLYDESK_ADMIN_PASSWORD[\s\S]*WHATSAPP_VERIFY_TOKEN/);
  });

  it.each(['-1', '70000', 'abc', '1.5'])('refuses PORT=%s with a clear error', (port) => {
    expect(() => readHubConfig({ PORT: port }, '/srv')).toThrow(/PORT must be a whole number/);
  });
});
