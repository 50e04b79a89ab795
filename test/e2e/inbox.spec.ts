import type { Page } from '@playwright/test';
import type { InboundMessage } from '../../src/server/channels/types';
import { ADMIN } from '../support/hub';
import { expect, test } from './demo-fixtures';

const SCREENSHOTS = 'test-results/screenshots';

/**
 * Console errors and uncaught exceptions (CSP violations included). The browser logs every 4xx
 * answer as an error; those of the sign-in routes are expected answers (a team hub refuses the
 * embedded sign-in with 403, a wrong password gets 401) and are left out.
 */
function watchForProblems(page: Page): string[] {
  const problems: string[] = [];
  page.on('console', (message) => {
    if (message.type() !== 'error') return;
    if (/\/api\/auth\/(embedded|login)$/.test(message.location().url)) return;
    problems.push(message.text());
  });
  page.on('pageerror', (error) => problems.push(error.message));
  return problems;
}

async function signIn(page: Page, hubUrl: string): Promise<void> {
  await page.goto(hubUrl);
  await page.getByLabel('E-mail').fill(ADMIN.email);
  await page.getByLabel(/^Password/).fill(ADMIN.password);
  await page.getByRole('button', { name: 'Sign in' }).click();
}

const rowsOf = (page: Page) => page.getByTestId('conversation-row');
const windowFilter = (page: Page) => page.getByRole('radiogroup', { name: 'Reply window' });
const timersIn = (page: Page, state: string) =>
  page.locator(`[data-testid="window-timer"][data-window-state="${state}"]`);

test.describe('the inbox', () => {
  test('shows the embedded demo hub live, on several channels, with new messages on top', async ({
    page,
    demoHub,
  }) => {
    const problems = watchForProblems(page);
    await page.goto(demoHub.url);

    const rows = rowsOf(page);
    await expect(rows.first()).toBeVisible({ timeout: 10_000 });
    await expect(page.getByTestId('connection-status')).toHaveText('Live');
    await expect
      .poll(
        async () =>
          new Set(await rows.evaluateAll((els) => els.map((el) => el.getAttribute('data-channel'))))
            .size,
        { timeout: 10_000 },
      )
      .toBeGreaterThanOrEqual(4);
    for (const state of ['open', 'closing', 'closed']) {
      await expect(timersIn(page, state).first()).toBeVisible();
    }
    await expect(page.getByTestId('window-counts')).toContainText(/\d+ closing soon/);
    await page.screenshot({ path: `${SCREENSHOTS}/inbox-light.png`, animations: 'disabled' });

    // A customer writes while we watch: the row appears on top, without a reload.
    const topBefore = await rows.first().getAttribute('data-conversation-id');
    const message: InboundMessage = {
      kind: 'message',
      channel: 'whatsapp',
      channelAccountId: 'e2e-number',
      externalId: 'wamid.e2e-live-1',
      customer: { externalId: '31612345678', name: 'Zoë Live-Test', phone: '+31612345678' },
      sentAt: Date.now(),
      content: { type: 'text', body: 'Is my parcel on its way? Order #4711' },
    };
    await demoHub.ingestor.ingest(message);
    const row = rows.filter({ hasText: 'Zoë Live-Test' });
    await expect(row).toBeVisible();
    await expect(row).toContainText('Is my parcel on its way? Order #4711');
    await expect(row.getByTestId('window-timer')).toHaveAttribute('data-window-state', 'open');
    await expect(row.getByTestId('window-timer')).toHaveText(/^2[34]h \d+m$/);
    // Demo customers keep writing, so "on top" means: above every row that was there before.
    const order = await rows.evaluateAll((els) =>
      els.map((el) => el.getAttribute('data-conversation-id')),
    );
    const id = await row.getAttribute('data-conversation-id');
    expect(order.indexOf(id)).toBeLessThan(order.indexOf(topBefore));
    expect(order.indexOf(id)).toBeGreaterThanOrEqual(0);

    // Loaded afresh in dark mode, so the screenshot shows no colour-scheme transition.
    await page.emulateMedia({ colorScheme: 'dark' });
    await page.reload();
    await expect(page.locator('html')).toHaveAttribute('data-mantine-color-scheme', 'dark');
    await expect(row).toBeVisible();
    await page.screenshot({ path: `${SCREENSHOTS}/inbox-dark.png`, animations: 'disabled' });
    expect(problems).toEqual([]);
  });

  test('filters to closed windows and sorts by the soonest deadline', async ({ page, demoHub }) => {
    await page.goto(demoHub.url);
    const rows = rowsOf(page);
    await expect(rows.first()).toBeVisible({ timeout: 10_000 });

    await windowFilter(page)
      .getByText(/^Closed/)
      .click();
    await expect(timersIn(page, 'closed').first()).toBeVisible();
    const states = await page
      .getByTestId('window-timer')
      .evaluateAll((els) => els.map((el) => el.getAttribute('data-window-state')));
    expect(states.length).toBeGreaterThan(0);
    expect(new Set(states)).toEqual(new Set(['closed']));
    await page.screenshot({
      path: `${SCREENSHOTS}/inbox-closed-filter.png`,
      animations: 'disabled',
    });

    await windowFilter(page)
      .getByText(/^Any window/)
      .click();
    await page.getByRole('combobox', { name: 'Sort' }).click();
    await page.getByRole('option', { name: 'Closes soonest' }).click();
    await expect(rows.first().getByTestId('window-timer')).toHaveAttribute(
      'data-window-state',
      'closing',
    );
  });

  test('keeps the list reachable from the keyboard, one row at a time', async ({
    page,
    teamHub,
  }) => {
    // A quiet hub (no demo traffic), so the order of the rows holds still while keys move.
    const names = ['Ada Quiet', 'Ben Quiet', 'Cleo Quiet'];
    for (const [index, name] of names.entries()) {
      await teamHub.ingestor.ingest({
        kind: 'message',
        channel: 'telegram',
        channelAccountId: 'e2e-bot',
        externalId: `tg.quiet.${index}`,
        customer: { externalId: `quiet-${index}`, name, phone: null },
        sentAt: Date.now() - (names.length - index) * 60_000,
        content: { type: 'text', body: `Hello from ${name}` },
      });
    }
    await signIn(page, teamHub.url);
    const rows = rowsOf(page);
    await expect(rows).toHaveCount(3);
    await expect(rows.first()).toContainText('Cleo Quiet');
    await expect(page.locator('tr[data-conversation-id][tabindex="0"]')).toHaveCount(1);
    await expect(page.getByRole('table', { name: 'Conversations' })).toBeVisible();
    await expect(page.getByRole('columnheader', { name: 'Reply window' })).toBeVisible();

    await rows.first().focus();
    await page.keyboard.press('ArrowDown');
    await expect(rows.nth(1)).toBeFocused();
    await page.keyboard.press('End');
    await expect(rows.last()).toBeFocused();
    await page.keyboard.press('Home');
    await expect(rows.first()).toBeFocused();
    // Tab leaves the list from wherever the focus is: only one row is a tab stop.
    await page.keyboard.press('ArrowDown');
    await expect(page.locator('tr[data-conversation-id][tabindex="0"]')).toHaveText(/Ben Quiet/);
  });

  test('asks a team hub user to sign in, refuses a wrong password, then shows the inbox', async ({
    page,
    teamHub,
  }) => {
    const problems = watchForProblems(page);
    await page.goto(teamHub.url);
    await expect(page.getByRole('heading', { name: 'Sign in' })).toBeVisible();
    await expect(page.getByTestId('hub-status')).toHaveText('Hub connected');

    await page.getByLabel('E-mail').fill(ADMIN.email);
    await page.getByLabel(/^Password/).fill('not the password');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await expect(page.getByTestId('sign-in-error')).toHaveText(
      'The e-mail or password is wrong, or the account is disabled.',
    );
    await page.screenshot({ path: `${SCREENSHOTS}/sign-in-error.png`, animations: 'disabled' });

    await page.getByLabel(/^Password/).fill(ADMIN.password);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await expect(page.getByTestId('inbox-empty')).toBeVisible();
    await expect(page.getByTestId('connection-status')).toHaveText('Live');
    await page.screenshot({ path: `${SCREENSHOTS}/inbox-empty.png`, animations: 'disabled' });

    // The session survives a reload (sessionStorage), and the Reply windows page still works.
    await page.reload();
    await expect(page.getByTestId('inbox-empty')).toBeVisible();
    await page.getByRole('link', { name: 'Reply windows' }).click();
    await expect(page.getByRole('heading', { name: 'Reply windows' })).toBeVisible();
    await page.getByRole('link', { name: 'Inbox' }).click();

    await page.getByRole('button', { name: 'Sign out' }).click();
    await expect(page.getByRole('heading', { name: 'Sign in' })).toBeVisible();
    expect(problems).toEqual([]);
  });

  test('says when conversations cannot be loaded, and recovers', async ({ page, demoHub }) => {
    await page.route('**/api/conversations?**', (route) =>
      route.fulfill({
        status: 503,
        contentType: 'application/json',
        body: JSON.stringify({ error: 'internal', message: 'Down for maintenance.' }),
      }),
    );
    await page.goto(demoHub.url);
    await expect(page.getByTestId('inbox-error')).toBeVisible();
    await expect(page.getByTestId('inbox-error')).toContainText('Down for maintenance. (HTTP 503)');
    await page.screenshot({ path: `${SCREENSHOTS}/inbox-error.png`, animations: 'disabled' });

    // The client retries on its own (1 s, 2 s, 4 s… with jitter) once the hub answers again.
    await page.unroute('**/api/conversations?**');
    await expect(rowsOf(page).first()).toBeVisible({ timeout: 20_000 });
    await expect(page.getByTestId('connection-status')).toHaveText('Live');
  });

  test('keeps the last known list, and says so, while the hub is away', async ({
    page,
    demoHub,
  }) => {
    await page.goto(demoHub.url);
    const rows = rowsOf(page);
    await expect(rows.first()).toBeVisible({ timeout: 10_000 });
    const shown = await rows.count();

    await demoHub.close();
    await expect(page.getByTestId('inbox-stale')).toBeVisible();
    await expect(page.getByTestId('connection-status')).toHaveText(
      /^(Reconnecting|Offline · retrying) in \d+ s$/,
    );
    await expect(rows).toHaveCount(shown);
    await page.screenshot({ path: `${SCREENSHOTS}/inbox-stale.png`, animations: 'disabled' });
  });
});
