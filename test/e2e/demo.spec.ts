import { expect, test } from './demo-fixtures';

const SHOTS = 'test-results/screenshots';

/**
 * What a newcomer meets on `npm start` (issue 12, items 10 and 12): the demo inbox with a mix of
 * waiting, answered and resolved conversations, SLA targets beside reply-window timers, and a
 * dashboard whose 30 days have something in them.
 */
test.describe('the demo a newcomer starts', () => {
  test.describe.configure({ timeout: 120_000 });

  for (const size of [
    { width: 1280, height: 720 },
    { width: 1440, height: 900 },
  ]) {
    test(`shows the mix, "first reply due in …" beside the window, and a full 30 days at ${size.width} px`, async ({
      page,
      demoHub,
    }) => {
      await page.setViewportSize(size);
      await page.goto(demoHub.signInUrl() ?? demoHub.url);
      await expect(page.getByTestId('hub-status')).toHaveAttribute('data-phase', 'live', {
        timeout: 60_000,
      });
      const rows = page.getByTestId('conversation-row');
      await expect(rows.first()).toBeVisible();
      // Teammates answered some: not every conversation is unassigned and waiting.
      await expect(
        page.locator('[data-testid="conversation-row"] [aria-label^="Assigned to"]').first(),
      ).toBeVisible();
      // A waiting conversation shows its SLA chip beside the reply-window timer.
      const withTarget = rows.filter({ has: page.getByTestId('sla-chip') }).first();
      await expect(withTarget).toBeVisible();
      await expect(withTarget.getByTestId('window-timer')).toBeVisible();
      await withTarget.click();
      await expect(page.getByTestId('sla-countdown')).toHaveText(
        /^(First reply|Reply) (due in|overdue) /,
      );
      await page.screenshot({ path: `${SHOTS}/inbox-${size.width}.png` });

      await page.goto(`${demoHub.url}/#/dashboard`);
      const chart = page.getByTestId('chart-30d');
      await expect(chart).toBeVisible({ timeout: 30_000 });
      await chart.scrollIntoViewIfNeeded();
      // Bars on most of the 30 days (recharts draws one path per non-zero bar).
      await expect
        .poll(async () =>
          chart.locator('.recharts-bar-rectangle path, .recharts-bar-rectangle').count(),
        )
        .toBeGreaterThanOrEqual(25);
      await page.screenshot({ path: `${SHOTS}/dashboard-${size.width}.png` });
    });
  }
});
