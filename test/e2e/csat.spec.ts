import { createUserService } from '../../src/server/auth/users';
import { ADMIN, api, login } from '../support/hub';
import { messagesWebhook, textMessage } from '../support/whatsapp-webhooks';
import { expect, test, watchForProblems } from './agent-fixtures';

const SCREENSHOTS = 'test-results/screenshots';
const START = Date.parse('2026-11-21T09:00:00Z');
const PASSWORD = 'correct horse battery';
const LEAD = { email: 'lena@shop.example', password: PASSWORD };

test.describe('CSAT on the dashboard', () => {
  test('shows CSAT in the totals and by agent and channel', async ({ page, agentHub }) => {
    const problems = watchForProblems(page);
    test.setTimeout(90_000);
    const users = createUserService(agentHub.current.db, () => agentHub.clock.at ?? Date.now());
    await users.create({ ...LEAD, name: 'Lena Lead', role: 'lead' });
    const ana = await users.create({
      email: 'ana@shop.example',
      name: 'Ana Silva',
      role: 'agent',
      password: PASSWORD,
    });
    agentHub.clock.at = START - 2 * 3_600_000;
    const message = textMessage('Where is my order?', {
      from: '31612345670',
      name: 'Ana Lima',
      timestamp: agentHub.clock.at / 1000,
    });
    expect(await agentHub.webhook(messagesWebhook(message))).toBe(200);
    const admin = await login(agentHub.url);
    const list = await api<{ conversations: { id: string }[] }>(
      agentHub.url,
      admin,
      '/api/conversations',
    );
    const conversationId = list.body.conversations[0]?.id;
    // Two answered questions and one unanswered, as the hub records them (csat.test.ts tests how).
    for (const [id, state, satisfied] of [
      ['csr_e2e1', 'answered', true],
      ['csr_e2e2', 'answered', false],
      ['csr_e2e3', 'asked', null],
    ] as const) {
      await agentHub.current.db.query(
        `insert into csat_requests (id, conversation_id, channel, agent_id, state, scale,
           resolved_at, due_at, asked_at, rating, satisfied, answered_at, created_at)
         values ($1, $2, 'whatsapp', $3, $4, 'three', $5, $5, $5, $6, $7, $8, $5)`,
        [
          id,
          conversationId,
          ana.id,
          state,
          START - 3_600_000,
          satisfied === null ? null : satisfied ? 3 : 1,
          satisfied,
          satisfied === null ? null : START - 1_800_000,
        ],
      );
    }
    agentHub.clock.at = START;
    await page.clock.install({ time: START });
    await page.setViewportSize({ width: 1280, height: 720 });
    await page.goto(`${agentHub.url}/#/dashboard`);
    await page.getByLabel('E-mail').fill(LEAD.email);
    await page.getByLabel(/^Password/).fill(LEAD.password);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await expect(page.getByTestId('dashboard')).toBeVisible();
    // The CSAT settings are for admins: a lead has no entry for them.
    await expect(page.getByRole('link', { name: 'Dashboard' })).toBeVisible();
    await expect(page.getByRole('link', { name: 'CSAT' })).toHaveCount(0);
    await expect(page.getByTestId('range-totals')).toContainText('CSAT50%');
    await expect(page.getByTestId('range-totals')).toContainText('2 of 3 rated · 66.7%');
    const byAgent = page.getByTestId('figures-by-agent');
    const row = byAgent.getByTestId('figures-row').filter({ hasText: 'Ana Silva' });
    await expect(row.getByTestId('csat-score')).toHaveText('50%');
    await expect(row).toContainText('2/3');
    await page.screenshot({
      path: `${SCREENSHOTS}/csat-dashboard-light.png`,
      animations: 'disabled',
    });
    await page.emulateMedia({ colorScheme: 'dark' });
    await expect(page.locator('html')).toHaveAttribute('data-mantine-color-scheme', 'dark');
    await page.screenshot({
      path: `${SCREENSHOTS}/csat-dashboard-dark.png`,
      animations: 'disabled',
    });
    await page.emulateMedia({ colorScheme: 'light' });
    await page.getByTestId('breakdown-switch').getByText('By channel').click();
    await expect(
      page
        .getByTestId('figures-by-channel')
        .getByTestId('figures-row')
        .filter({ hasText: 'WhatsApp' })
        .getByTestId('csat-score'),
    ).toHaveText('50%');
    expect(problems).toEqual([]);
  });
});

test.describe('CSAT settings', () => {
  test('the admin setting saves', async ({ page, agentHub }) => {
    const problems = watchForProblems(page);
    test.setTimeout(90_000);
    await page.setViewportSize({ width: 1280, height: 720 });
    await page.goto(`${agentHub.url}/#/inbox`);
    await page.getByLabel('E-mail').fill(ADMIN.email);
    await page.getByLabel(/^Password/).fill(ADMIN.password);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('link', { name: 'CSAT' }).click();
    const question = page.getByTestId('csat-question');
    const delay = page.getByTestId('csat-delay');
    await expect(question).toHaveValue('How would you rate our help today?');
    await expect(delay).toHaveValue('5 min');
    await expect(page.getByTestId('csat-save')).toBeDisabled();

    await question.fill('How did we do with your order?');
    await delay.fill('15');
    await page.getByTestId('csat-enabled').click();
    await expect(page.getByTestId('csat-save')).toBeEnabled();
    await page.getByTestId('csat-save').click();
    await expect(page.getByTestId('csat-saved')).toHaveText('Saved');
    await expect(page.getByTestId('csat-save')).toBeDisabled();
    const token = await login(agentHub.url);
    const stored = await api<{ settings: Record<string, unknown> }>(
      agentHub.url,
      token,
      '/api/csat/settings',
    );
    expect(stored.body.settings).toEqual({
      enabled: true,
      question: 'How did we do with your order?',
      scale: 'three',
      delayMs: 900_000,
      askComment: true,
      whatsappTemplateId: null,
    });
    await page.screenshot({
      path: `${SCREENSHOTS}/csat-settings-light.png`,
      animations: 'disabled',
    });
    await page.emulateMedia({ colorScheme: 'dark' });
    await expect(page.locator('html')).toHaveAttribute('data-mantine-color-scheme', 'dark');
    await page.getByTestId('csat-scale').getByText('1–5').click();
    await expect(page.getByTestId('csat-settings-page')).toContainText(
      'there it goes out as a list',
    );
    await page.screenshot({
      path: `${SCREENSHOTS}/csat-settings-dark.png`,
      animations: 'disabled',
    });
    await page.emulateMedia({ colorScheme: 'light' });

    await page.reload();
    await expect(page.getByTestId('csat-question')).toHaveValue('How did we do with your order?');
    await expect(page.getByTestId('csat-delay')).toHaveValue('15 min');
    await expect(page.getByTestId('csat-enabled')).toBeChecked();
    expect(problems).toEqual([]);
  });
});
