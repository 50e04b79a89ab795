import path from 'node:path';
import { test as base, expect } from '@playwright/test';
import type { RunningHub } from '../../src/server/hub';
import { startFakeGraphApi, type FakeGraphApi } from '../support/fake-graph-api';
import { startTestHub, WHATSAPP } from '../support/hub';
import { messagesWebhook, signedWebhook, textMessage } from '../support/whatsapp-webhooks';
import { signIn } from './agent-fixtures';

const SCREENSHOTS = 'test-results/screenshots';

/** A hub whose sends time out after 0.8 s and wait 1.5 s for Meta's status (issue #13 item 2). */
const test = base.extend<{ graph: FakeGraphApi; hub: RunningHub }>({
  // eslint-disable-next-line no-empty-pattern
  graph: async ({}, use) => {
    const graph = await startFakeGraphApi({ accessToken: WHATSAPP.accessToken });
    await use(graph);
    await graph.close();
  },
  hub: async ({ graph }, use) => {
    const hub = await startTestHub({
      rendererDir: path.resolve('out/renderer'),
      graphUrl: graph.url,
      sendTimeoutMs: 800,
      outbound: { baseDelayMs: 50, pollMs: 50, reconcileMs: 1_500 },
    });
    await use(hub);
    await hub.close();
  },
});

// A hub and a browser on a shared 2-core machine.
test.describe.configure({ timeout: 90_000 });

test('a reply whose fate is unknown says it may not have been delivered, and goes again only when the agent resends it', async ({
  page,
  hub,
  graph,
}) => {
  const signed = signedWebhook(
    messagesWebhook(
      textMessage('Did my refund go through?', { from: '31640000001', name: 'Noor Bakker' }),
    ),
    WHATSAPP.appSecret,
  );
  expect(
    (
      await fetch(`${hub.url}/webhooks/whatsapp`, {
        method: 'POST',
        headers: signed.headers,
        body: signed.body,
      })
    ).status,
  ).toBe(200);
  await page.setViewportSize({ width: 1280, height: 720 });
  await signIn(page, hub.url);
  await page.getByTestId('conversation-row').filter({ hasText: 'Noor Bakker' }).click();
  await expect(page.getByTestId('composer-input')).toBeVisible();

  graph.acceptAndHang();
  const input = page.getByTestId('composer-input');
  await input.fill('Yes, it was paid out this morning.');
  await page.keyboard.press('Enter');

  const outbound = page.locator('[data-testid="message"][data-direction="outbound"]');
  await expect(outbound).toHaveCount(1);
  await expect(outbound).toHaveAttribute('data-status', 'failed', { timeout: 10_000 });
  const failure = outbound.getByTestId('failure');
  await expect(failure).toContainText('May not have been delivered');
  await expect(failure).not.toContainText('Not sent:');
  expect(graph.accepted).toHaveLength(1);
  await page.screenshot({ path: `${SCREENSHOTS}/unconfirmed-send-1280.png` });

  await failure.getByRole('button', { name: 'Resend' }).click();
  await expect(outbound).toHaveCount(2);
  await expect(outbound.nth(1)).toHaveAttribute('data-status', 'sent');
  expect(graph.accepted).toHaveLength(2);
  expect(graph.accepted[0]?.ourId).not.toBe(graph.accepted[1]?.ourId);
  await page.setViewportSize({ width: 1440, height: 900 });
  await page.screenshot({ path: `${SCREENSHOTS}/unconfirmed-send-1440.png` });
});
