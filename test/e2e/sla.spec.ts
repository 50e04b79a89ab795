import type { Page } from '@playwright/test';
import { api, login } from '../support/hub';
import {
  advance,
  customerWrites,
  expect,
  rowOf,
  signIn,
  test,
  watchForProblems,
} from './agent-fixtures';

const SCREENSHOTS = 'test-results/screenshots';
/** Monday 23 November 2026, 09:00 UTC. */
const START = Date.parse('2026-11-23T09:00:00Z');
const MINUTE = 60_000;

const WHATSAPP_POLICY = {
  name: 'WhatsApp first reply',
  channel: 'whatsapp',
  priority: null,
  firstResponseMs: 30 * MINUTE,
  nextResponseMs: 60 * MINUTE,
  resolutionMs: null,
  hours: 'always',
  enabled: true,
};

/** The hub's 400 and 409 answers are expected in these tests; the browser logs them as errors. */
const unexpected = (problems: readonly string[]) =>
  problems.filter((p) => !/status of (400|409)/.test(p));

async function openSlaPage(page: Page) {
  await page.getByRole('link', { name: 'SLA policies' }).click();
  await expect(page.getByTestId('sla-page')).toBeVisible();
}

test.describe('SLA policies', () => {
  // Many steps against a real hub; a loaded 2-core machine needs more than the default 30 s.
  test.describe.configure({ timeout: 90_000 });

  test('the inbox row and the header show the first-reply target, amber when due soon and red when missed, live', async ({
    page,
    agentHub,
  }) => {
    const problems = watchForProblems(page);
    agentHub.clock.at = START;
    await page.clock.install({ time: START });
    await signIn(page, agentHub.url);
    await customerWrites(agentHub, 'Hi! Where is my order #1043?', START);
    const row = rowOf(page);
    await expect(row.getByTestId('window-timer')).toBeVisible();

    // An admin adds a policy: the app learns it from the event stream, without reloading.
    const token = await login(agentHub.url);
    const created = await api(agentHub.url, token, '/api/sla/policies', {
      method: 'POST',
      body: WHATSAPP_POLICY,
    });
    expect(created.status).toBe(201);
    // The target shows as a chip beside the 24 h WhatsApp window's countdown.
    const sla = row.getByTestId('sla-chip');
    await expect(sla).toHaveAttribute('data-sla-state', 'ok');
    await expect(sla).toHaveText(/^SLA: first reply due in (30|29)m(30|29)m$/);
    await expect(row.getByTestId('window-timer')).toHaveAttribute('data-window-state', 'open');

    await advance(page, agentHub, 23 * MINUTE);
    await expect(sla).toHaveAttribute('data-sla-state', 'due_soon');
    await expect(sla).toHaveText(/^SLA due soon: first reply due in (7|6)m(7|6)m$/);
    await row.click();
    const header = page.getByTestId('sla-countdown');
    await expect(header).toHaveAttribute('data-sla-state', 'due_soon');
    await page.screenshot({ path: `${SCREENSHOTS}/sla-due-soon.png` });

    await advance(page, agentHub, 8 * MINUTE);
    await expect(sla).toHaveAttribute('data-sla-state', 'missed');
    await expect(sla).toHaveText(/^SLA missed: first reply overdue (1|0)m(1|0)m late$/);
    // A missed target no longer hides the reply window's countdown.
    await expect(row.getByTestId('window-timer')).toHaveAttribute('data-window-state', 'open');
    await expect(header).toHaveAttribute('data-sla-state', 'missed');
    await expect(header).toContainText('First reply overdue');
    await page.screenshot({ path: `${SCREENSHOTS}/sla-missed.png` });
    await page.emulateMedia({ colorScheme: 'dark' });
    await expect(page.locator('html')).toHaveAttribute('data-mantine-color-scheme', 'dark');
    await page.screenshot({ path: `${SCREENSHOTS}/sla-missed-dark.png`, animations: 'disabled' });
    await page.emulateMedia({ colorScheme: 'light' });

    // The agent answers: no target runs any more, the row shows the reply window again.
    await page.getByTestId('composer-input').fill('Your order left our warehouse today.');
    await page.getByTestId('composer-input').press('Enter');
    await expect(row.getByTestId('window-timer')).toBeVisible();
    await expect(row.getByTestId('sla-chip')).toHaveCount(0);
    await expect(header).toHaveCount(0);
    expect(problems).toEqual([]);
  });

  test('a policy created now counts a customer waiting for weeks from now; the row shows the window and the target, unclipped at 1280 and 1440 px', async ({
    page,
    agentHub,
  }) => {
    const problems = watchForProblems(page);
    agentHub.clock.at = START;
    await page.clock.install({ time: START });
    await page.setViewportSize({ width: 1280, height: 720 });
    await signIn(page, agentHub.url);
    // Unanswered for 55 days, then writes again an hour ago: the window is open for 23 h.
    await customerWrites(agentHub, 'Hello? Anyone there?', START - 55 * 24 * 60 * MINUTE);
    await customerWrites(agentHub, 'Still waiting for an answer.', START - 60 * MINUTE);
    const row = rowOf(page);
    // The page's clock runs on: a minute may pass during the test.
    await expect(row.getByTestId('window-timer')).toHaveText(/^(23h 0m|22h 59m)$/);

    const token = await login(agentHub.url);
    const created = await api(agentHub.url, token, '/api/sla/policies', {
      method: 'POST',
      body: WHATSAPP_POLICY,
    });
    expect(created.status).toBe(201);
    // Counted from the policy's creation: due in 30 minutes, not "overdue 55d".
    const chip = row.getByTestId('sla-chip');
    await expect(chip).toHaveAttribute('data-sla-state', 'ok');
    await expect(chip).toHaveText(/^SLA: first reply due in (30|29)m(30|29)m$/);
    await expect(row.getByTestId('window-timer')).toHaveText(/^(23h 0m|22h 59m)$/);
    await expect(row.getByTestId('window-timer')).toHaveAttribute('data-window-state', 'open');
    await row.click();
    await expect(page.getByTestId('sla-countdown')).toHaveText(/^First reply due in (30|29)m$/);

    for (const size of [
      { width: 1280, height: 720 },
      { width: 1440, height: 900 },
    ]) {
      await page.setViewportSize(size);
      const rowBox = await row.boundingBox();
      for (const part of [
        chip,
        row.getByTestId('window-timer'),
        row.getByTestId('customer-name'),
      ]) {
        const box = await part.boundingBox();
        if (!rowBox || !box) throw new Error('not laid out');
        // Fully inside the row (and so the list), and its text not cut.
        expect(box.x).toBeGreaterThanOrEqual(rowBox.x);
        expect(box.x + box.width).toBeLessThanOrEqual(rowBox.x + rowBox.width);
        expect(box.x + box.width).toBeLessThanOrEqual(size.width);
        expect(await part.evaluate((el) => el.scrollWidth <= el.clientWidth)).toBe(true);
      }
      await page.screenshot({
        path: `test-results/screenshots/sla-row-${size.width}.png`,
      });
    }
    expect(problems).toEqual([]);
  });

  test('an admin adds a policy and sets business hours; the hub refusals are shown with their reason', async ({
    page,
    agentHub,
  }) => {
    const problems = watchForProblems(page);
    await signIn(page, agentHub.url);
    await openSlaPage(page);
    await expect(page.getByTestId('sla-empty')).toBeVisible();

    await page.getByTestId('sla-add-policy').click();
    const modal = page.getByRole('dialog');
    await modal.getByLabel('Name').fill('Urgent WhatsApp');
    await modal.getByTestId('sla-policy-channel').click();
    await page.getByRole('option', { name: 'WhatsApp' }).click();
    await modal.getByTestId('sla-policy-priority').click();
    await page.getByRole('option', { name: 'Urgent' }).click();
    await modal.getByTestId('sla-policy-first').fill('15');
    await modal.getByTestId('sla-policy-resolution').fill('8');
    await modal.getByRole('combobox', { name: 'Resolution unit' }).click();
    await page.getByRole('option', { name: 'hours' }).click();
    await modal.getByTestId('sla-policy-save').click();
    await expect(modal).toHaveCount(0);
    const rows = page.getByTestId('sla-policy-row');
    await expect(rows).toHaveCount(1);
    await expect(rows.first()).toContainText('Urgent WhatsApp');
    await expect(rows.first()).toContainText('WhatsApp · urgent');
    await expect(rows.first()).toContainText('15m');
    await expect(rows.first()).toContainText('8h');

    // A second enabled policy for the same channel and priority is refused by the hub.
    await page.getByTestId('sla-add-policy').click();
    await modal.getByLabel('Name').fill('Duplicate');
    await modal.getByTestId('sla-policy-channel').click();
    await page.getByRole('option', { name: 'WhatsApp' }).click();
    await modal.getByTestId('sla-policy-priority').click();
    await page.getByRole('option', { name: 'Urgent' }).click();
    await modal.getByTestId('sla-policy-save').click();
    // Said beside the channel, whose scope clashes, not in a banner.
    await expect(
      modal.getByText(/^Policy "Urgent WhatsApp" already covers WhatsApp, urgent priority/),
    ).toBeVisible();
    await expect(modal.getByTestId('sla-policy-error')).toHaveCount(0);
    await page.screenshot({ path: `${SCREENSHOTS}/sla-policy-refused.png` });
    await modal.getByRole('button', { name: 'Cancel' }).click();

    // Overlapping opening hours are refused with the day and the intervals.
    const monday = page.getByTestId('sla-day-mon');
    await monday.getByRole('button', { name: 'Add hours on Monday' }).click();
    await page.getByTestId('sla-calendar-save').click();
    await expect(monday.getByTestId('field-error')).toHaveText(
      'Monday: 09:00–17:00 overlaps 13:00–17:00',
    );
    await expect(page.getByTestId('sla-calendar-error')).toHaveCount(0);
    await page.getByRole('button', { name: 'Discard changes' }).click();

    await page.getByTestId('sla-time-zone').fill('Amsterdam');
    await page.getByRole('option', { name: 'Europe/Amsterdam' }).click();
    await page.getByTestId('sla-holiday-input').fill('2026-12-25');
    await page.getByRole('button', { name: 'Add holiday' }).click();
    await page.getByTestId('sla-calendar-save').click();
    await expect(page.getByTestId('sla-calendar')).toContainText('Saved');
    const token = await login(agentHub.url);
    const stored = await api<{ calendar: { timeZone: string; holidays: string[] } }>(
      agentHub.url,
      token,
      '/api/sla',
    );
    expect(stored.body.calendar).toMatchObject({
      timeZone: 'Europe/Amsterdam',
      holidays: ['2026-12-25'],
    });
    await page.screenshot({ path: `${SCREENSHOTS}/sla-policies.png`, fullPage: true });
    await page.emulateMedia({ colorScheme: 'dark' });
    await expect(page.locator('html')).toHaveAttribute('data-mantine-color-scheme', 'dark');
    await page.screenshot({
      path: `${SCREENSHOTS}/sla-policies-dark.png`,
      fullPage: true,
      animations: 'disabled',
    });
    expect(unexpected(problems)).toEqual([]);
  });
});
