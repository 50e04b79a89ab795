import type { Page } from '@playwright/test';
import { api, login } from '../support/hub';
import { customerWrites, expect, rowOf, signIn, test, watchForProblems } from './agent-fixtures';
import { screenshotsIn } from './screenshots';
import { until } from '../support/until';

/** Issue #20 item 1: an internal note with an @mention, seen by the mentioned teammate. */

test.describe.configure({ timeout: 90_000 });

const shots = screenshotsIn(process.env['NOTES_SHOTS'] ?? 'test-results/screenshots/notes');
const BEN = { email: 'ben@shop.example', password: 'ben password 12', name: 'Ben Okafor' };

async function signInAs(page: Page, hubUrl: string, who: typeof BEN): Promise<void> {
  await page.goto(`${hubUrl}/#/inbox`);
  await page.getByLabel('E-mail').fill(who.email);
  await page.getByLabel(/^Password/).fill(who.password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page.getByTestId('hub-status')).toHaveAttribute('data-phase', 'live', {
    timeout: 15_000,
  });
}

test('a note mentioning a teammate never reaches WhatsApp and shows, marked, in the teammate’s browser', async ({
  page,
  agentHub,
  browser,
}) => {
  const problems = watchForProblems(page);
  const admin = await login(agentHub.url);
  const created = await api<{ user: { id: string } }>(agentHub.url, admin, '/api/admin/users', {
    method: 'POST',
    body: { ...BEN, role: 'agent' },
  });
  expect(created.status).toBe(201);
  await customerWrites(agentHub, 'My parcel has not arrived.', Date.now());
  await page.setViewportSize({ width: 1280, height: 720 });
  await signIn(page, agentHub.url);
  await rowOf(page).click();
  const before = agentHub.graph.requests.length;

  // Ben is signed in, in a browser of his own, before the note is written.
  const context = await browser.newContext({ viewport: { width: 1280, height: 720 } });
  const benPage = await context.newPage();
  await signInAs(benPage, agentHub.url, BEN);

  // N switches to Note mode (from outside the text box); the box says who sees it.
  await page.getByTestId('message').first().click();
  await page.keyboard.press('n');
  const note = page.getByTestId('note-input');
  await expect(note).toBeFocused();
  await expect(page.getByTestId('note-composer')).toContainText(
    'Only your team sees notes: customers never receive them.',
  );
  await note.pressSequentially('Carrier lost it? @be');
  const picker = page.getByTestId('mention-picker');
  await expect(picker.getByTestId('mention-option')).toHaveText(['@Ben Okafor']);
  await shots(page, 'note-mention-picker');
  await page.keyboard.press('Enter');
  await expect(note).toHaveValue('Carrier lost it? @Ben Okafor ');
  await note.pressSequentially('please call DHL');
  await page.keyboard.press('Enter');

  const row = page.locator('[data-testid="message"][data-direction="note"]');
  await expect(row).toHaveCount(1);
  await expect(row.getByTestId('note-label')).toHaveText(/Internal note/);
  await expect(row.getByTestId('note-mention')).toHaveText('@Ben Okafor');
  await expect(row).not.toHaveAttribute('data-status', 'queued');
  await shots(page, 'note-in-timeline');

  // The mention reached Ben at the hub, and nothing reached WhatsApp.
  const ben = await login(agentHub.url, BEN);
  const mentions = await api<{ unread: number; mentions: { text: string }[] }>(
    agentHub.url,
    ben,
    '/api/mentions',
  );
  expect(mentions.body).toMatchObject({
    unread: 1,
    mentions: [{ text: 'Carrier lost it? @Ben Okafor please call DHL' }],
  });
  expect(agentHub.graph.requests.length).toBe(before);

  // Ben is notified (in the browser, in the app); the author is not.
  const alert = benPage.locator('[data-testid="attention-notification"][data-kind="mention"]');
  await expect(alert).toHaveCount(1);
  await expect(alert).toContainText('mentioned you');
  await expect(alert.getByTestId('mention-alert-text')).toHaveText(
    'Carrier lost it? @Ben Okafor please call DHL',
  );
  await expect(
    page.locator('[data-testid="attention-notification"][data-kind="mention"]'),
  ).toHaveCount(0);

  // His Mentions view: one unread note; a click lands on it and reads it.
  await expect(benPage.getByTestId('mentions-unread')).toHaveText('1');
  await benPage.getByTestId('mentions-toggle').click();
  const mention = benPage.getByTestId('mention-row');
  await expect(mention).toHaveCount(1);
  await expect(mention).toHaveAttribute('data-unread', 'true');
  await expect(mention.getByTestId('mention-text')).toHaveText(
    'Carrier lost it? @Ben Okafor please call DHL',
  );
  await benPage.mouse.move(1000, 600);
  await shots(benPage, 'mentions-view');
  await mention.click();
  const seen = benPage.locator('[data-testid="message"][data-direction="note"]');
  await expect(seen.getByTestId('note-mention')).toHaveText('@Ben Okafor');
  await expect(seen.getByTestId('note-text')).toHaveText(
    'Carrier lost it? @Ben Okafor please call DHL',
  );
  await expect(seen.locator('.rd-message-bubble')).toHaveAttribute('data-flash', 'true');
  await expect(seen).toBeInViewport();
  await expect(benPage.getByTestId('mentions-unread')).toHaveCount(0);
  await expect(alert).toHaveCount(0);
  await expect(mention).not.toHaveAttribute('data-unread');
  const after = await until(
    () => api<{ unread: number }>(agentHub.url, ben, '/api/mentions'),
    (answer) => answer.body.unread === 0,
  );
  expect(after.body.unread).toBe(0);
  await shots(benPage, 'mentions-view-read');
  await context.close();
  expect(problems).toEqual([]);
});
