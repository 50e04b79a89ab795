import { CHANNEL_KINDS } from '../../src/shared/domain/channels';
import { expect, test } from './fixtures';

const SCREENSHOTS = 'test-results/screenshots';

test.describe('the app served by the hub', () => {
  test('loads in the browser with the hub connected and no errors or CSP violations', async ({
    page,
    hub,
  }) => {
    const problems: string[] = [];
    page.on('console', (message) => {
      if (message.type() === 'error') problems.push(message.text());
    });
    page.on('pageerror', (error) => problems.push(error.message));
    await page.goto(`${hub.url}/#/reply-windows`);
    await expect(page.getByRole('heading', { name: 'Reply windows' })).toBeVisible();
    await expect(page.getByTestId('hub-status')).toHaveText('Hub connected');
    await expect(page.getByTestId('runtime')).toHaveText('Browser');
    // A header and one row per channel (nine with KakaoTalk).
    expect(CHANNEL_KINDS.length).toBe(9);
    await expect(page.getByTestId('channel-rules').getByRole('row')).toHaveCount(10);
    await expect(page.getByTestId('channel-rules')).toContainText('KakaoTalk');
    expect(problems).toEqual([]);
  });

  test('enforces its Content-Security-Policy: inline scripts are blocked and reported', async ({
    page,
    hub,
  }) => {
    await page.goto(`${hub.url}/#/reply-windows`);
    const outcome = await page.evaluate(async () => {
      const violations: string[] = [];
      document.addEventListener('securitypolicyviolation', (event) =>
        violations.push(event.violatedDirective),
      );
      const script = document.createElement('script');
      script.textContent = 'document.body.dataset.inlineRan = "yes"';
      document.body.append(script);
      await new Promise((resolve) => setTimeout(resolve, 100));
      return { ran: document.body.dataset.inlineRan === 'yes', violations };
    });
    expect(outcome.ran).toBe(false);
    expect(outcome.violations).toContain('script-src-elem');
    await expect(page.addScriptTag({ content: 'window.x = 1' })).rejects.toThrow();
  });

  test('counts a WhatsApp window down live, through closing to closed, with prices', async ({
    page,
    hub,
    hubClock,
  }) => {
    const start = Date.parse('2026-11-21T09:00:00Z');
    hubClock.at = start;
    await page.clock.install({ time: start });
    await page.goto(`${hub.url}/#/reply-windows`);
    await expect(page.getByTestId('hub-status')).toHaveText('Hub connected');

    // The customer wrote 22.5 h ago: 1h 30m left, still open, free-form is free.
    await page.getByLabel('Customer last wrote (hours ago)').fill('22.5');
    const timer = page.getByTestId('window-timer');
    await expect(timer).toHaveText('1h 30m');
    await expect(page.getByTestId('window-state')).toHaveAttribute('data-window-state', 'open');
    const prices = page.getByTestId('price-table');
    await expect(prices.getByRole('row', { name: /Free-form reply/ })).toContainText('Free');
    await expect(prices.getByRole('row', { name: /Utility template/ })).toContainText('Free');
    await expect(prices.getByRole('row', { name: /Marketing template/ })).toContainText('$');
    await page.screenshot({ path: `${SCREENSHOTS}/reply-windows-open.png`, fullPage: true });

    // 30 minutes later (plus the seconds the test itself took) the window is inside the 1 h
    // threshold: closing.
    hubClock.at = start + 30 * 60_000;
    await page.clock.fastForward(30 * 60_000);
    await expect(timer).toHaveText('59m');
    await expect(page.getByTestId('window-state')).toHaveAttribute('data-window-state', 'closing');

    // 61 minutes on it has closed: templates only, and the utility template now costs money.
    hubClock.at = start + 91 * 60_000;
    await page.clock.fastForward(61 * 60_000);
    await expect(page.getByTestId('window-state')).toHaveAttribute('data-window-state', 'closed');
    await expect(timer).toHaveText('closed 1m ago');
    await expect(page.getByTestId('window-allowed')).toHaveText('Approved templates only');
    await expect(prices.getByRole('row', { name: /Free-form reply/ })).toContainText('Not allowed');
    await expect(prices.getByRole('row', { name: /Utility template/ })).toContainText('$');
    await page.screenshot({ path: `${SCREENSHOTS}/reply-windows-closed.png`, fullPage: true });
  });

  test('shows WeChat message counts and Messenger human-agent tag', async ({ page, hub }) => {
    await page.goto(`${hub.url}/#/reply-windows`);
    await page.getByRole('combobox', { name: 'Channel' }).click();
    await page.getByRole('option', { name: 'WeChat' }).click();
    await page.getByLabel('Messages already sent since the customer wrote').fill('5');
    await expect(page.getByTestId('window-allowed')).toHaveText(
      'Nothing until the customer writes',
    );

    await page.getByRole('combobox', { name: 'Channel' }).click();
    await page.getByRole('option', { name: 'Messenger' }).click();
    await page.getByLabel('Customer last wrote (hours ago)').fill('30');
    await expect(page.getByTestId('window-allowed')).toHaveText(
      /Only with the HUMAN_AGENT tag, for 5d 17h/,
    );
  });

  test('looks right in dark mode', async ({ page, hub }) => {
    await page.emulateMedia({ colorScheme: 'dark' });
    await page.goto(`${hub.url}/#/reply-windows`);
    await expect(page.locator('html')).toHaveAttribute('data-mantine-color-scheme', 'dark');
    await page.screenshot({
      path: `${SCREENSHOTS}/reply-windows-dark.png`,
      fullPage: true,
      animations: 'disabled',
    });
  });
});
