import { readFile } from 'node:fs/promises';
import type { Page } from '@playwright/test';
import { createUserService } from '../../src/server/auth/users';
import { api, login } from '../support/hub';
import { messagesWebhook, TEST_CUSTOMER, textMessage } from '../support/whatsapp-webhooks';
import { advance, expect, test, watchForProblems, type AgentHub } from './agent-fixtures';

const SCREENSHOTS = 'test-results/screenshots';
const START = Date.parse('2026-11-21T09:00:00Z');
const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const PASSWORD = 'correct horse battery';
const LEAD = { email: 'lena@shop.example', password: PASSWORD };
const AGENT = { email: 'ana@shop.example', password: PASSWORD };

async function customer(hub: AgentHub, name: string, from: string, at: number): Promise<void> {
  hub.clock.at = at;
  const message = textMessage(`Hello, this is ${name}`, { from, name, timestamp: at / 1000 });
  expect(await hub.webhook(messagesWebhook(message))).toBe(200);
}

/**
 * A morning on a team hub: Chloé's window closed at 07:00 without a reply, Sheena's closes at
 * 11:00, Ana Lima was answered by the agent after 10 minutes, Ben wrote half an hour ago and is
 * urgent, with a first reply due within 2 h by the urgent policy (set up before he wrote).
 */
async function seedMorning(hub: AgentHub): Promise<void> {
  const users = createUserService(hub.current.db, () => hub.clock.at ?? Date.now());
  await users.create({ ...LEAD, name: 'Lena Lead', role: 'lead' });
  await users.create({ ...AGENT, name: 'Ana Silva', role: 'agent' });
  await customer(hub, 'Chloé Martin', '31612345672', START - 26 * HOUR);
  await customer(hub, TEST_CUSTOMER.name, TEST_CUSTOMER.waId, START - 22 * HOUR);
  await customer(hub, 'Ana Lima', '31612345670', START - 3 * HOUR);
  hub.clock.at = START - 3 * HOUR + 10 * MINUTE;
  const agent = await login(hub.url, AGENT);
  const list = await api<{ conversations: { id: string; customer: { name: string } }[] }>(
    hub.url,
    agent,
    '/api/conversations',
  );
  const ana = list.body.conversations.find((c) => c.customer.name === 'Ana Lima');
  if (!ana) throw new Error('no conversation of Ana Lima');
  const sent = await api(hub.url, agent, `/api/conversations/${ana.id}/messages`, {
    method: 'POST',
    body: { content: { type: 'text', body: 'Hi Ana, it ships today.' } },
  });
  expect(sent.status).toBe(202);
  hub.clock.at = START - HOUR;
  const admin = await login(hub.url);
  const policy = await api(hub.url, admin, '/api/sla/policies', {
    method: 'POST',
    body: {
      name: 'Urgent',
      channel: null,
      priority: 'urgent',
      firstResponseMs: 2 * HOUR,
      nextResponseMs: null,
      resolutionMs: null,
      hours: 'always',
      enabled: true,
    },
  });
  expect(policy.status).toBe(201);
  await customer(hub, 'Ben Okafor', '31612345671', START - 30 * MINUTE);
  const all = await api<{ conversations: { id: string; customer: { name: string } }[] }>(
    hub.url,
    admin,
    '/api/conversations',
  );
  const ben = all.body.conversations.find((c) => c.customer.name === 'Ben Okafor');
  const urgent = await api(hub.url, admin, '/api/commands', {
    method: 'POST',
    body: {
      clientId: 'c_e2e_urgent',
      command: { type: 'set_priority', conversationId: ben?.id, priority: 'urgent' },
    },
  });
  expect(urgent.status).toBe(200);
  // Chloé's first-response target was missed at 08:00 (as the SLA evaluator records it).
  const chloe = list.body.conversations.find((c) => c.customer.name === 'Chloé Martin');
  await hub.current.db.query(
    `insert into sla_breaches (id, conversation_id, policy_id, target, due_at, breached_at,
       channel, priority, assignee_id)
     values ('brc_e2e', $1, 'pol_e2e', 'first_response', $2, $2, 'whatsapp', 'normal', null)`,
    [chloe?.id, START - HOUR],
  );
  hub.clock.at = START;
}

async function signInAsLead(page: Page, hubUrl: string): Promise<void> {
  await page.goto(`${hubUrl}/#/dashboard`);
  await page.getByLabel('E-mail').fill(LEAD.email);
  await page.getByLabel(/^Password/).fill(LEAD.password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page.getByTestId('dashboard')).toBeVisible();
  await expect(page.getByTestId('hub-status')).toHaveAttribute('data-phase', 'live', {
    timeout: 15_000,
  });
}

const stat = (page: Page, id: string) => page.getByTestId(id).getByTestId('stat-value');

test.describe('the dashboard of a team lead', () => {
  test('lists what falls due within the threshold the lead sets, opens it from the at-risk list and reassigns it', async ({
    page,
    agentHub,
  }) => {
    const problems = watchForProblems(page);
    // Sign-in, a reload, two charts and an hour of clock: more than the default on a loaded machine.
    test.setTimeout(120_000);
    await seedMorning(agentHub);
    await page.clock.install({ time: START });
    await signInAsLead(page, agentHub.url);

    // Now: Sheena, Ben and Chloé wait; Sheena's window closes in 2 h, Ben's first reply is due
    // in 1 h 30 min; Chloé's window closed today. Within the default hour nothing falls due.
    await expect(stat(page, 'now-waiting')).toHaveText('3');
    await expect(page.getByTestId('now-closing')).toContainText('Closing within 1 h');
    await expect(stat(page, 'now-closing')).toHaveText('0');
    await expect(stat(page, 'now-sla-due')).toHaveText('0');
    await expect(stat(page, 'now-closed-today')).toHaveText('1');
    await expect(stat(page, 'now-cost')).not.toHaveText('—');
    const list = page.getByTestId('at-risk');
    await expect(list.getByTestId('at-risk-heading')).toHaveText('At risk within 1 h');
    await expect(list.getByTestId('at-risk-count')).toHaveText('0');
    await expect(list.getByTestId('at-risk-empty')).toBeVisible();
    const rows = page.getByTestId('at-risk-row');
    await expect(rows).toHaveCount(0);

    // Within 4 h: Ben's first reply (1 h 30 min) before Sheena's window (2 h).
    await list.getByTestId('at-risk-threshold').click();
    await page.getByRole('option', { name: '4 h' }).click();
    await expect(list.getByTestId('at-risk-heading')).toHaveText('At risk within 4 h');
    await expect(list.getByTestId('at-risk-count')).toHaveText('2');
    await expect(list.getByTestId('at-risk-summary')).toHaveText(
      '1 waiting with the reply window closing · 1 with an SLA target due',
    );
    await expect(stat(page, 'now-closing')).toHaveText('1');
    await expect(stat(page, 'now-sla-due')).toHaveText('1');
    await expect(rows).toHaveCount(2);
    await expect(rows.nth(0)).toContainText('Ben Okafor');
    await expect(rows.nth(0).getByTestId('at-risk-due')).toHaveText(
      /^First reply (1h 30m|1h 29m)$/,
    );
    await expect(rows.nth(1)).toContainText(TEST_CUSTOMER.name);
    const sheena = page.locator('[data-testid="at-risk-row"]', { hasText: TEST_CUSTOMER.name });
    await expect(sheena.getByTestId('window-timer')).toHaveText(/^(2h 0m|1h 59m)$/);

    // The threshold is the lead's, remembered on this computer.
    await page.reload();
    await expect(page.getByTestId('dashboard')).toBeVisible();
    await expect(list.getByTestId('at-risk-heading')).toHaveText('At risk within 4 h');
    await expect(rows).toHaveCount(2);

    // The hub's figures for today: one first response, after 10 minutes, by Ana Silva.
    const totals = page.getByTestId('range-totals');
    await expect(totals).toContainText('First response10m');
    await expect(totals).toContainText('SLA breaches1');
    await expect(page.getByTestId('figures-by-agent')).toContainText('Ana Silva');
    await expect(page.getByTestId('chart-24h')).toBeVisible();
    await page.screenshot({ path: `${SCREENSHOTS}/dashboard-light.png`, animations: 'disabled' });
    for (const [width, height] of [
      [1280, 720],
      [1440, 900],
    ] as const) {
      await page.setViewportSize({ width, height });
      await page.screenshot({
        path: `${SCREENSHOTS}/dashboard-${width}.png`,
        animations: 'disabled',
        fullPage: true,
      });
    }
    await page.setViewportSize({ width: 1360, height: 860 });

    // The same figures as CSV, downloaded with the token in a header (never in the URL).
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByTestId('export-csv').click(),
    ]);
    expect(download.suggestedFilename()).toBe('replydesk-dashboard-2026-11-21-to-2026-11-21.csv');
    expect(download.url()).not.toContain('token');
    const csv = await readFile(await download.path(), 'utf8');
    expect(csv).toContain('total,All,1,600,600,0,,,1,1,0,0,1,0,0,,,0,0,,0\r\n');
    expect(csv).toContain('agent,Ana Silva,1,600,600,');

    // An hour and five minutes on, back to 1 h: both fall due within it, Ben's first.
    await advance(page, agentHub, HOUR + 5 * MINUTE);
    await list.getByTestId('at-risk-threshold').click();
    await page.getByRole('option', { name: '1 h' }).click();
    await expect(list.getByTestId('at-risk-heading')).toHaveText('At risk within 1 h');
    await expect(stat(page, 'now-closing')).toHaveText('1');
    await expect(rows).toHaveCount(2);
    await expect(rows.nth(0).getByTestId('at-risk-due')).toHaveText(/^First reply (25m|24m)$/);
    await expect(sheena.getByTestId('window-timer')).toHaveAttribute(
      'data-window-state',
      'closing',
    );
    await expect(sheena.getByTestId('window-timer')).toHaveText(/^(55m|54m)$/);

    // Reassign it from the list.
    await sheena.getByTestId('at-risk-assign').click();
    await page.getByRole('option', { name: 'Ana Silva' }).click();
    await expect(sheena.getByTestId('at-risk-assign')).toHaveValue('Ana Silva');

    await page.emulateMedia({ colorScheme: 'dark' });
    await expect(page.locator('html')).toHaveAttribute('data-mantine-color-scheme', 'dark');
    await page.screenshot({ path: `${SCREENSHOTS}/dashboard-dark.png`, animations: 'disabled' });
    await page.emulateMedia({ colorScheme: 'light' });

    // One click opens it in the inbox, with its new owner.
    await sheena.getByTestId('at-risk-open').click();
    await expect(page).toHaveURL(/#\/inbox\/.+/);
    await expect(page.getByTestId('conversation-header').getByTestId('customer-name')).toHaveText(
      TEST_CUSTOMER.name,
    );
    await expect(page.getByTestId('assign-button')).toContainText('Ana Silva');

    // g d and g i move between the inbox and the dashboard.
    await page.getByTestId('conversation-header').getByTestId('customer-name').click();
    await page.keyboard.press('g');
    await page.keyboard.press('d');
    await expect(page.getByTestId('dashboard')).toBeVisible();
    await page.keyboard.press('Shift+?');
    const help = page.getByRole('dialog', { name: /shortcuts/i });
    await expect(help).toContainText('Go to the dashboard');
    await expect(help).toContainText('Go to the inbox');
    await page.keyboard.press('Escape');
    await expect(help).toBeHidden();
    await page.keyboard.press('g');
    await page.keyboard.press('i');
    await expect(page.getByTestId('workspace')).toBeVisible();
    expect(problems).toEqual([]);
  });
});

test.describe('the dashboard shortcut', () => {
  test('is listed for a lead and absent for an agent, whose g d stays in the inbox', async ({
    page,
    agentHub,
  }) => {
    const problems = watchForProblems(page);
    test.setTimeout(60_000);
    const users = createUserService(agentHub.current.db, Date.now);
    await users.create({ ...AGENT, name: 'Ana Silva', role: 'agent' });
    await page.goto(`${agentHub.url}/#/inbox`);
    await page.getByLabel('E-mail').fill(AGENT.email);
    await page.getByLabel(/^Password/).fill(AGENT.password);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await expect(page.getByTestId('workspace')).toBeVisible();

    await page.keyboard.press('Shift+?');
    const help = page.getByRole('dialog', { name: /shortcuts/i });
    await expect(help).toContainText('Go to all conversations');
    await expect(help).not.toContainText('Go to the dashboard');
    await page.keyboard.press('Escape');
    await expect(help).toBeHidden();
    await page.keyboard.press('g');
    await page.keyboard.press('d');
    await expect(page).toHaveURL(/#\/inbox$/);
    await expect(page.getByTestId('workspace')).toBeVisible();
    expect(problems).toEqual([]);
  });
});
