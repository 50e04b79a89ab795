import { mkdir } from 'node:fs/promises';
import type { Page } from '@playwright/test';
import { api, login } from '../support/hub';
import { customerWrites, expect, rowOf, signIn, test, watchForProblems } from './agent-fixtures';

/**
 * Two agents in one conversation (issue 12, item 13): each sees who else is viewing or typing
 * there, never themselves, and a reply to the unassigned conversation makes it the replier's.
 */

const SHOTS = 'test-results/screenshots';
const ANA = { email: 'ana@shop.example', password: 'ana password 1', name: 'Ana Lima' };

async function signInAs(page: Page, hubUrl: string, who: { email: string; password: string }) {
  await page.goto(`${hubUrl}/#/inbox`);
  await page.getByLabel('E-mail').fill(who.email);
  await page.getByLabel(/^Password/).fill(who.password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page.getByTestId('hub-status')).toHaveAttribute('data-phase', 'live', {
    timeout: 15_000,
  });
}

test.describe.configure({ timeout: 120_000 });

for (const size of [
  { width: 1280, height: 720 },
  { width: 1440, height: 900 },
]) {
  test(`two agents at ${size.width}×${size.height}: each sees the other viewing and typing, and the reply assigns the conversation`, async ({
    page,
    browser,
    agentHub,
  }) => {
    const problems = watchForProblems(page);
    const admin = await login(agentHub.url);
    const created = await api(agentHub.url, admin, '/api/admin/users', {
      method: 'POST',
      body: { email: ANA.email, name: ANA.name, role: 'agent', password: ANA.password },
    });
    expect(created.status).toBe(201);
    await customerWrites(agentHub, 'Hi! Where is my order #1043?', Date.now());

    const anaContext = await browser.newContext({ viewport: size });
    const ana = await anaContext.newPage();
    const anaProblems = watchForProblems(ana);
    await page.setViewportSize(size);
    await signIn(page, agentHub.url);
    await signInAs(ana, agentHub.url, ANA);

    await rowOf(page).click();
    await rowOf(ana).click();
    const mine = page.getByTestId('conversation-header').getByTestId('presence-text');
    const hers = ana.getByTestId('conversation-header').getByTestId('presence-text');
    await expect(mine).toHaveText('Ana is viewing');
    await expect(hers).toHaveText('Administrator is viewing');

    await ana.getByTestId('composer-input').pressSequentially('Let me check');
    await expect(mine).toHaveText('Ana is typing…');
    await expect(page.getByTestId('presence')).toHaveAttribute('data-activity', 'typing');
    // Her own typing is not news to her.
    await expect(hers).toHaveText('Administrator is viewing');
    await mkdir(SHOTS, { recursive: true });
    await page.screenshot({ path: `${SHOTS}/presence-${size.width}x${size.height}.png` });
    await page.emulateMedia({ colorScheme: 'dark' });
    await expect(page.locator('html')).toHaveAttribute('data-mantine-color-scheme', 'dark');
    await page.screenshot({
      path: `${SHOTS}/presence-${size.width}x${size.height}-dark.png`,
      animations: 'disabled',
    });
    await page.emulateMedia({ colorScheme: 'light' });

    // She sends: the conversation becomes hers (assign on reply) and the typing stops.
    await expect(page.getByTestId('assign-button')).toHaveText('Unassigned');
    await ana.keyboard.press('Enter');
    await expect(page.getByTestId('assign-button')).toHaveText(`AL${ANA.name}`);
    await expect(ana.getByTestId('assign-button')).toHaveText('ALYou');
    await expect(mine).toHaveText('Ana is viewing');

    // She leaves: nobody else is there.
    await ana.goto(`${agentHub.url}/#/reply-windows`);
    await expect(mine).toHaveCount(0);
    await anaContext.close();
    expect(problems).toEqual([]);
    expect(anaProblems).toEqual([]);
  });
}
