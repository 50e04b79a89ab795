import { customerWrites, expect, rowOf, signIn, test, watchForProblems } from './agent-fixtures';
import { callsOf, emit, offerLink, useFakeDesktop } from './fake-desktop';

/**
 * Issue #21 in the page: what the renderer does with what the desktop shell hands it. Playwright
 * has no Electron here, so the preload's `window.replydesk` is the fake in fake-desktop.ts,
 * answering in the contract's shapes; the hub is real.
 */

test.describe.configure({ timeout: 90_000 });

const REFUSED =
  'Replydesk opens only replydesk://conversation/<id> and replydesk://hub?url=<address>.';

test('a conversation link opens it, a refused link is explained, an inline reply goes out through the outbox', async ({
  page,
  agentHub,
}) => {
  const problems = watchForProblems(page);
  await useFakeDesktop(page, agentHub.url);
  await customerWrites(agentHub, 'Where is my parcel?', Date.now());
  await signIn(page, agentHub.url);
  await rowOf(page).click();
  await expect(page).toHaveURL(/#\/inbox\/.+/);
  const hash = new URL(page.url()).hash;
  const conversationId = decodeURIComponent(hash.slice('#/inbox/'.length));

  // Away from it, then a link from main brings it back.
  await page.evaluate(() => {
    window.location.hash = '#/inbox';
  });
  await expect(page).toHaveURL(/#\/inbox$/);
  await offerLink(page, { link: { kind: 'conversation', conversationId } });
  await expect(page).toHaveURL(new RegExp(`${hash.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}$`));

  // A link main refused: said, and nothing else changes.
  await offerLink(page, { link: null, refused: REFUSED });
  await expect(page.getByText('This link was not opened')).toBeVisible();
  await expect(page.getByText(REFUSED)).toBeVisible();
  await expect(page).toHaveURL(new RegExp(`${hash.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}$`));

  // A reply typed into the notification: queued through the outbox, shown in the conversation.
  await emit(page, 'notification:reply', { conversationId, text: 'It leaves the depot today.' });
  await expect(page.getByText('It leaves the depot today.')).toBeVisible();
  expect(await callsOf(page, 'showNotification')).toEqual([]);
  expect(await callsOf(page, 'takeDeepLink')).toHaveLength(3);
  expect(problems).toEqual([]);
});

test('Settings shows the Desktop section; a change and a check go to the desktop shell', async ({
  page,
  agentHub,
}) => {
  const problems = watchForProblems(page);
  await useFakeDesktop(page, agentHub.url);
  await signIn(page, agentHub.url);
  await page.keyboard.press('ControlOrMeta+Comma');
  const section = page.getByTestId('desktop-settings');
  await section.scrollIntoViewIfNeeded();
  await expect(section).toBeVisible();
  await section.getByText('Start at login').click();
  await expect.poll(() => callsOf(page, 'setDesktopSettings')).toEqual([[{ startAtLogin: true }]]);
  await section.getByTestId('check-for-updates').click();
  await expect.poll(() => callsOf(page, 'checkForUpdates')).toEqual([[]]);
  await section.getByTestId('open-crash-reports').click();
  await expect.poll(() => callsOf(page, 'openCrashReports')).toEqual([[]]);
  expect(problems).toEqual([]);
});
