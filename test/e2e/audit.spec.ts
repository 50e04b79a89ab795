import { readFile } from 'node:fs/promises';
import type { Page } from '@playwright/test';
import type { AdminUser } from '../../src/shared/protocol/admin';
import { ADMIN, api, login } from '../support/hub';
import { expect, test } from './fixtures';

const SCREENSHOTS = 'test-results/screenshots';

async function signIn(page: Page, hubUrl: string): Promise<void> {
  await page.goto(`${hubUrl}/#/audit`);
  await page.getByLabel('E-mail').fill(ADMIN.email);
  await page.getByLabel(/^Password/).fill(ADMIN.password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page.getByTestId('hub-status')).toHaveAttribute('data-phase', 'live', {
    timeout: 15_000,
  });
}

test.describe('the audit log page', () => {
  test.describe.configure({ timeout: 90_000 });

  test('an admin sees who did what, filters to failed sign-ins and exports them', async ({
    page,
    hub,
  }) => {
    // A failed sign-in, a new agent made a lead, then disabled: before the page is opened.
    const failed = await fetch(`${hub.url}/api/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email: 'mallory@evil.example', password: 'guess' }),
    });
    expect(failed.status).toBe(401);
    const admin = await login(hub.url);
    const created = await api<{ user: AdminUser }>(hub.url, admin, '/api/admin/users', {
      method: 'POST',
      body: {
        email: 'sanne@shop.example',
        name: 'Sanne de Vries',
        role: 'agent',
        password: 'a long enough password',
      },
    });
    expect(created.status).toBe(201);
    const id = created.body.user.id;
    for (const body of [{ role: 'lead' }, { disabled: true }]) {
      expect(
        (await api(hub.url, admin, `/api/admin/users/${id}`, { method: 'PUT', body })).status,
      ).toBe(200);
    }

    await page.setViewportSize({ width: 1280, height: 720 });
    await signIn(page, hub.url);
    const rows = page.getByTestId('audit-entry');
    // Newest first: this page's own sign-in, then the changes, then the API's sign-in and the
    // failed one.
    await expect(rows).toHaveCount(6);
    expect(
      await rows.evaluateAll((trs) => trs.map((tr) => tr.getAttribute('data-action'))),
    ).toEqual([
      'auth.signed_in',
      'user.disabled',
      'user.role_changed',
      'user.invited',
      'auth.signed_in',
      'auth.sign_in_failed',
    ]);
    await expect(rows.nth(2)).toContainText('Sanne de Vries <sanne@shop.example>');
    await expect(rows.nth(2)).toContainText('agent → lead');
    await expect(rows.nth(5)).toContainText('Nobody signed in');
    await expect(rows.nth(5)).toContainText('mallory@evil.example');
    await expect(rows.nth(5)).toContainText('127.0.0.1');
    await page.screenshot({ path: `${SCREENSHOTS}/audit-log-1280.png` });

    // Filtered to failed sign-ins.
    await page.getByTestId('audit-actions').click();
    await page.getByRole('option', { name: 'Sign-in failed' }).click();
    await page.keyboard.press('Escape');
    await expect(rows).toHaveCount(1);
    await expect(rows.first()).toHaveAttribute('data-action', 'auth.sign_in_failed');

    // The export has what the page shows, and is itself recorded.
    const download = page.waitForEvent('download');
    await page.getByTestId('audit-export').click();
    const file = await download;
    expect(file.suggestedFilename()).toMatch(/^replydesk-audit-\d{4}-\d{2}-\d{2}\.csv$/);
    const csv = (await readFile(await file.path(), 'utf8')).replace(/^\uFEFF/, '').split('\r\n');
    expect(csv).toHaveLength(3);
    expect(csv[1]).toContain('"Sign-in failed","","","","","mallory@evil.example","127.0.0.1"');
    // Backspace in the empty search removes the last chosen action: all actions again.
    await page.getByTestId('audit-actions').click();
    await page.keyboard.press('Backspace');
    await page.keyboard.press('Escape');
    await page.getByTestId('audit-refresh').click();
    await expect(rows.first()).toHaveAttribute('data-action', 'export.audit_log');

    // An empty filter says so; dark mode at 1,440 × 900.
    await page.getByTestId('audit-person').fill('nobody-like-this');
    await expect(page.getByTestId('audit-empty')).toHaveText(
      'Nothing was recorded for these filters.',
    );
    await page.getByTestId('audit-person').fill('');
    await expect(rows).toHaveCount(7);
    await page.setViewportSize({ width: 1440, height: 900 });
    await page.emulateMedia({ colorScheme: 'dark' });
    await page.evaluate(() =>
      document.documentElement.setAttribute('data-mantine-color-scheme', 'dark'),
    );
    await page.screenshot({ path: `${SCREENSHOTS}/audit-log-dark-1440.png` });
  });
});
