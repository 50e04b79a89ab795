import { mkdtemp, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { test as base, expect, type Page } from '@playwright/test';
import type { RunningHub } from '../../src/server/hub';
import { createDemoOrderStore, type DemoOrderInput } from '../../src/server/orders/demo-store';
import { STARTER_TEMPLATES } from '../../src/server/seed-templates';
import { resolveAppFile } from '../../src/server/static-files';
import { CONTENT_TYPES } from '../../src/shared/content-types';
import { buildContentSecurityPolicy } from '../../src/shared/security/csp';
import { startFakeGraphApi, type FakeGraphApi } from '../support/fake-graph-api';
import { ADMIN, api, login, startTestHub, WHATSAPP } from '../support/hub';
import {
  messagesWebhook,
  signedWebhook,
  TEST_CUSTOMER,
  textMessage,
} from '../support/whatsapp-webhooks';

const rendererDir = path.resolve('out/renderer');

/** The hub's clock, which tests move together with the page's (Playwright's clock control). */
export interface HubClock {
  /** `null` follows the real time. */
  at: number | null;
}

/**
 * A team hub with WhatsApp connected to a fake Graph API, its PGlite in a temporary folder so it
 * can be stopped and started again on the same port with everything it stored.
 */
export interface AgentHub {
  readonly url: string;
  readonly graph: FakeGraphApi;
  readonly clock: HubClock;
  /** The running hub; throws while stopped. */
  readonly current: RunningHub;
  stop(): Promise<void>;
  restart(): Promise<void>;
  /** POST a webhook signed with the app secret, as Meta does; resolves to the HTTP status. */
  webhook(payload: unknown): Promise<number>;
  addOrders(orders: readonly DemoOrderInput[]): Promise<void>;
  /** Create the starter templates (a team hub starts without any) through the admin API. */
  addStarterTemplates(): Promise<void>;
}

export const AGENT = ADMIN;

interface Fixtures {
  agentHub: AgentHub;
}

export const test = base.extend<Fixtures>({
  // Playwright requires fixtures to destructure their first argument, even when unused.
  // eslint-disable-next-line no-empty-pattern
  agentHub: async ({}, use) => {
    const graph = await startFakeGraphApi({
      accessToken: WHATSAPP.accessToken,
      phoneNumberIds: [WHATSAPP.phoneNumberId],
    });
    const dataDir = await mkdtemp(path.join(os.tmpdir(), 'replydesk-e2e-'));
    const clock: HubClock = { at: null };
    const start = (port: number): Promise<RunningHub> =>
      startTestHub({
        rendererDir,
        graphUrl: graph.url,
        dataDir,
        port,
        now: () => clock.at ?? Date.now(),
      });
    let hub: RunningHub | null = await start(0);
    const port = hub.port;
    const url = hub.url;
    const agentHub: AgentHub = {
      url,
      graph,
      clock,
      get current() {
        if (!hub) throw new Error('The hub is stopped.');
        return hub;
      },
      async stop() {
        const running = hub;
        hub = null;
        await running?.close();
      },
      async restart() {
        if (hub) throw new Error('The hub is running.');
        hub = await start(port);
      },
      async webhook(payload) {
        const signed = signedWebhook(payload, WHATSAPP.appSecret);
        const response = await fetch(`${url}/webhooks/whatsapp`, {
          method: 'POST',
          headers: signed.headers,
          body: signed.body,
        });
        await response.arrayBuffer();
        return response.status;
      },
      async addOrders(orders) {
        await createDemoOrderStore(agentHub.current.db).upsert(orders);
      },
      async addStarterTemplates() {
        const token = await login(url);
        for (const template of STARTER_TEMPLATES) {
          const answer = await api(url, token, '/api/templates', {
            method: 'POST',
            body: template,
          });
          if (answer.status !== 201) throw new Error(`template refused: ${answer.status}`);
        }
      },
    };
    await use(agentHub);
    await hub?.close();
    await graph.close();
    await rm(dataDir, { recursive: true, force: true });
  },
});

/**
 * Serve the app's own files from disk, as the desktop shell does from `app://`, while the API and
 * the WebSocket still go to the hub. So the page loads (and reloads) while the hub is stopped,
 * exactly like the desktop app.
 */
export async function serveAppFromDisk(page: Page, hubUrl: string): Promise<void> {
  const csp = buildContentSecurityPolicy({ hubOrigins: [] });
  await page.route(`${hubUrl}/**`, async (route) => {
    const { pathname } = new URL(route.request().url());
    if (pathname.startsWith('/api/') || pathname === '/healthz' || pathname === '/ws') {
      return route.fallback();
    }
    const resolved = resolveAppFile(rendererDir, pathname);
    if (!resolved.ok) return route.fulfill({ status: resolved.status, body: 'Not found' });
    const file = resolved.file;
    const body = await readFile(file).catch(() => null);
    if (body === null) {
      // A client-side route: the app's shell answers it.
      return route.fulfill({
        status: 200,
        headers: { 'content-type': 'text/html; charset=utf-8', 'content-security-policy': csp },
        body: await readFile(path.join(rendererDir, 'index.html')),
      });
    }
    const type = CONTENT_TYPES[path.extname(file).toLowerCase()] ?? 'application/octet-stream';
    return route.fulfill({
      status: 200,
      headers: { 'content-type': type, 'content-security-policy': csp },
      body,
    });
  });
}

/**
 * Console errors and uncaught exceptions. The browser logs failed requests as errors; those are
 * expected while a test has stopped the hub, and 4xx answers of the sign-in routes are answers.
 */
export function watchForProblems(page: Page): string[] {
  const problems: string[] = [];
  page.on('console', (message) => {
    if (process.env['E2E_CONSOLE']) console.log(`[${message.type()}] ${message.text()}`);
    if (message.type() !== 'error') return;
    const text = message.text();
    if (/\/api\/auth\/(embedded|login)$/.test(message.location().url)) return;
    if (/ERR_CONNECTION_REFUSED|ERR_FAILED|WebSocket connection to/.test(text)) return;
    problems.push(text);
  });
  page.on('pageerror', (error) => problems.push(error.stack ?? error.message));
  if (process.env['E2E_CONSOLE']) {
    page.on('requestfailed', (r) => console.log('failed:', r.url(), r.failure()?.errorText));
  }
  return problems;
}

export async function signIn(page: Page, hubUrl: string): Promise<void> {
  await page.goto(`${hubUrl}/#/inbox`);
  await page.getByLabel('E-mail').fill(AGENT.email);
  await page.getByLabel(/^Password/).fill(AGENT.password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page.getByTestId('workspace')).toBeVisible();
  await expect(page.getByTestId('hub-status')).toHaveAttribute('data-phase', 'live', {
    timeout: 15_000,
  });
}

/** The hub's clock and the page's move together. */
export async function advance(page: Page, hub: AgentHub, ms: number): Promise<void> {
  hub.clock.at = (hub.clock.at ?? Date.now()) + ms;
  await page.clock.fastForward(ms);
}

export async function customerWrites(hub: AgentHub, body: string, at: number): Promise<void> {
  const status = await hub.webhook(messagesWebhook(textMessage(body, { timestamp: at / 1000 })));
  expect(status).toBe(200);
}

export const rowOf = (page: Page, name: string = TEST_CUSTOMER.name) =>
  page.getByTestId('conversation-row').filter({ hasText: name });

export { expect };
