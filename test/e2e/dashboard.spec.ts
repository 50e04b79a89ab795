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
 * 11:00, Ana Lima was answered by the agent after 10 minutes, Ben wrote half an hour ago.
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
  await customer(hub, 'Ben Okafor', '31612345671', START - 30 * MINUTE);
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
  test('watches a window move into "closing within 1 h" live, opens it from the at-risk list and reassigns it', async ({
    page,
    agentHub,
  }) => {
    const problems = watchForProblems(page);
    // Sign-in, two charts and an hour of clock: more than the default on a loaded machine.
    test.setTimeout(60_000);
    await seedMorning(agentHub);
    await page.clock.install({ time: START });
    await signInAsLead(page, agentHub.url);

    // Now: Sheena, Ben and Chloé wait; Sheena's window closes in 2 h; Chloé's closed today.
    await expect(stat(page, 'now-waiting')).toHaveText('3');
    await expect(stat(page, 'now-closing-1h')).toHaveText('0');
    await expect(stat(page, 'now-closing-4h')).toHaveText('1');
    await expect(stat(page, 'now-closed-today')).toHaveText('1');
    await expect(stat(page, 'now-cost')).not.toHaveText('—');
    const rows = page.getByTestId('at-risk-row');
    await expect(rows).toHaveCount(2);
    await expect(rows.nth(0)).toContainText(TEST_CUSTOMER.name);
    await expect(rows.nth(1)).toContainText('Ben Okafor');
    const sheena = rows.nth(0);
    await expect(sheena.getByTestId('window-timer')).toHaveText(/^(2h 0m|1h 59m)$/);

    // The hub's figures for today: one first response, after 10 minutes, by Ana Silva.
    const totals = page.getByTestId('range-totals');
    await expect(totals).toContainText('First response10m');
    await expect(totals).toContainText('SLA breaches1');
    await expect(page.getByTestId('figures-by-agent')).toContainText('Ana Silva');
    await expect(page.getByTestId('chart-24h')).toBeVisible();
    await page.screenshot({ path: `${SCREENSHOTS}/dashboard-light.png`, animations: 'disabled' });

    // The same figures as CSV, downloaded with the token in a header (never in the URL).
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByTestId('export-csv').click(),
    ]);
    expect(download.suggestedFilename()).toBe('replydesk-dashboard-2026-11-21-to-2026-11-21.csv');
    expect(download.url()).not.toContain('token');
    const csv = await readFile(await download.path(), 'utf8');
    expect(csv).toContain('total,All,1,600,600,0,,,1,1,0,0,1,0,0,\r\n');
    expect(csv).toContain('agent,Ana Silva,1,600,600,');

    // An hour and five minutes on, Sheena's window is inside the last hour.
    await advance(page, agentHub, HOUR + 5 * MINUTE);
    await expect(stat(page, 'now-closing-1h')).toHaveText('1');
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
