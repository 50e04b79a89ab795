import { request } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningHub } from '../../src/server/hub';
import { login, startTestHub } from '../support/hub';

interface Answer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

/** A raw request, so the test controls `Origin` exactly as a browser would send it. */
function send(
  hub: RunningHub,
  method: string,
  path: string,
  headers: Record<string, string>,
): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const req = request(`${hub.url}${path}`, { method, headers }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (body += chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
    });
    req.on('error', reject);
    req.end();
  });
}

describe('the hub and the desktop app origin (CORS)', () => {
  let hub: RunningHub;
  let token: string;
  beforeAll(async () => {
    hub = await startTestHub();
    token = await login(hub.url);
  });
  afterAll(() => hub.close());

  it('answers the preflight of app://replydesk with what the app sends', async () => {
    const answer = await send(hub, 'OPTIONS', '/api/conversations', {
      origin: 'app://replydesk',
      'access-control-request-method': 'GET',
      'access-control-request-headers': 'authorization',
    });
    expect(answer.status).toBe(204);
    expect(answer.headers['access-control-allow-origin']).toBe('app://replydesk');
    expect(answer.headers['access-control-allow-headers']).toContain('authorization');
    expect(answer.headers['access-control-allow-methods']).toContain('POST');
  });

  it('lets app://replydesk read API answers, and only that origin', async () => {
    const fromApp = await send(hub, 'GET', '/api/me', {
      origin: 'app://replydesk',
      authorization: `Bearer ${token}`,
    });
    expect(fromApp.status).toBe(200);
    expect(fromApp.headers['access-control-allow-origin']).toBe('app://replydesk');
    expect(fromApp.headers.vary).toBe('Origin');

    const sameOrigin = await send(hub, 'GET', '/api/me', {
      origin: hub.url,
      authorization: `Bearer ${token}`,
    });
    expect(sameOrigin.status).toBe(200);
    expect(sameOrigin.headers['access-control-allow-origin']).toBeUndefined();
  });

  it('refuses a foreign page, preflight or not, before any route runs', async () => {
    for (const method of ['OPTIONS', 'GET']) {
      const answer = await send(hub, method, '/api/me', {
        origin: 'https://evil.example',
        authorization: `Bearer ${token}`,
      });
      expect(answer.status).toBe(403);
      expect(answer.headers['access-control-allow-origin']).toBeUndefined();
      expect(JSON.parse(answer.body)).toMatchObject({ error: 'forbidden' });
    }
  });

  it('answers the app on /healthz too, but never on the webhooks', async () => {
    const page = await send(hub, 'GET', '/healthz', { origin: 'app://replydesk' });
    expect(page.headers['access-control-allow-origin']).toBe('app://replydesk');
    const webhook = await send(hub, 'OPTIONS', '/webhooks/whatsapp', {
      origin: 'app://replydesk',
    });
    expect(webhook.headers['access-control-allow-origin']).toBeUndefined();
  });
});
