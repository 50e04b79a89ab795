import {
  customerWrites,
  expect,
  rowOf,
  serveAppFromDisk,
  signIn,
  test,
  watchForProblems,
} from './agent-fixtures';
import { CHROMIUM_ARGS, findChromium } from './chromium';

const SCREENSHOTS = 'test-results/screenshots';

// The desktop app's pages come from `app://`, not from the hub; here Playwright serves them from
// out/renderer, so the page loads while the hub is stopped. Chromium then sees a page without an
// address reaching a loopback hub and applies Local Network Access checks, which the desktop
// shell's own scheme is not subject to.
test.use({
  launchOptions: {
    executablePath: findChromium(process.env) ?? undefined,
    args: [...CHROMIUM_ARGS, '--disable-features=LocalNetworkAccessChecks'],
  },
});

test('with the hub stopped a reply is queued, survives a reload, and arrives exactly once when the hub is back', async ({
  page,
  agentHub,
}) => {
  // Stopping and reopening the hub's PGlite takes several seconds of this test.
  test.setTimeout(90_000);
  watchForProblems(page);
  await serveAppFromDisk(page, agentHub.url);
  await customerWrites(agentHub, 'Can I change my delivery address?', Date.now());
  await signIn(page, agentHub.url);
  await rowOf(page).click();
  await expect(page.getByTestId('composer-input')).toBeVisible();
  // Opening the conversation marked it read: wait until the hub has that, so only the reply waits.
  await expect(page.getByTestId('hub-status')).toHaveText('Live');

  await agentHub.stop();
  await expect(page.getByTestId('offline-banner')).toBeVisible({ timeout: 15_000 });
  const input = page.getByTestId('composer-input');
  await input.fill('Yes: send me the new address and I will update the order.');
  await page.keyboard.press('Enter');
  const queued = page.locator('[data-testid="message"][data-status="queued"]');
  await expect(queued).toHaveCount(1);
  await expect(page.getByTestId('hub-status')).toContainText('1 queued');
  await page.screenshot({ path: `${SCREENSHOTS}/offline-queued.png` });

  await page.reload();
  await expect(page.getByTestId('workspace')).toBeVisible();
  await expect(queued).toHaveCount(1);
  await expect(page.getByTestId('offline-banner')).toBeVisible();
  expect(agentHub.graph.requests).toHaveLength(0);

  await agentHub.restart();
  await page.getByRole('button', { name: 'Retry now' }).click();
  await expect(page.getByTestId('hub-status')).toHaveAttribute('data-phase', 'live', {
    timeout: 20_000,
  });
  await expect
    .poll(() => agentHub.graph.requests.filter((r) => r.response?.status === 200).length, {
      timeout: 10_000,
    })
    .toBe(1);
  const outbound = page.locator('[data-testid="message"][data-direction="outbound"]');
  await expect(outbound).toHaveCount(1);
  await expect(outbound).not.toHaveAttribute('data-status', 'queued');
  // Give a duplicate every chance to show up, then count what the hub stored and sent.
  await page.waitForTimeout(1_500);
  expect(agentHub.graph.requests.filter((r) => r.response?.status === 200)).toHaveLength(1);
  await expect(outbound).toHaveCount(1);
});
