import { mkdir } from 'node:fs/promises';
import { api, login } from '../support/hub';
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
  const shots = process.env['DESKTOP_SHOTS'] ?? 'test-results/screenshots/desktop';
  await mkdir(shots, { recursive: true });
  const problems = watchForProblems(page);
  await page.setViewportSize({ width: 1280, height: 720 });
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
  await expect(
    page.getByTestId('message-list').getByText('It leaves the depot today.'),
  ).toBeVisible();
  expect(await callsOf(page, 'showNotification')).toEqual([]);

  // A link to a conversation this computer does not have opens the inbox and says so.
  const notFound: string[] = [];
  page.on('response', (response) => {
    if (response.status() === 404) notFound.push(new URL(response.url()).pathname);
  });
  await offerLink(page, { link: { kind: 'conversation', conversationId: 'cnv_elsewhere' } });
  await expect(page).toHaveURL(/#\/inbox\/cnv_elsewhere$/);
  await expect(
    page
      .getByTestId('conversation-empty')
      .getByText(
        'The conversation asked for is not on this computer: it may be on another hub, or not one you may see.',
      ),
  ).toBeVisible();
  await expect(
    page.getByTestId('conversation-empty').getByText('Conversation not found'),
  ).toBeVisible();
  await page.screenshot({ path: `${shots}/desktop-link-not-here-1280x720.png` });
  expect(await callsOf(page, 'takeDeepLink')).toHaveLength(4);
  // The order lookup asked the hub for its orders, which answered 404: no such conversation here.
  expect(notFound.sort()).toEqual(['/api/orders', '/api/orders/sources']);
  expect(problems).toEqual([
    'Failed to load resource: the server responded with a status of 404 (Not Found)',
    'Failed to load resource: the server responded with a status of 404 (Not Found)',
  ]);
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
  await expect(
    section.getByText('Up to 5; right-click an underlined word for suggestions.'),
  ).toBeVisible();
  await section.getByText('Start at login').click();
  await expect.poll(() => callsOf(page, 'setDesktopSettings')).toEqual([[{ startAtLogin: true }]]);
  await section.getByTestId('check-for-updates').click();
  await expect.poll(() => callsOf(page, 'checkForUpdates')).toEqual([[]]);
  await section.getByTestId('open-crash-reports').click();
  await expect.poll(() => callsOf(page, 'openCrashReports')).toEqual([[]]);
  expect(problems).toEqual([]);
});

test('Copy link, Pop out, an inline reply reaching WhatsApp once, and Restart to update', async ({
  page,
  agentHub,
}) => {
  const shots = process.env['DESKTOP_SHOTS'] ?? 'test-results/screenshots/desktop';
  await mkdir(shots, { recursive: true });
  const problems = watchForProblems(page);
  await page.setViewportSize({ width: 1280, height: 720 });
  await page.context().grantPermissions(['clipboard-read', 'clipboard-write']);
  await useFakeDesktop(page, agentHub.url);
  await customerWrites(agentHub, 'Where is my parcel?', Date.now());
  await signIn(page, agentHub.url);
  const row = rowOf(page);
  const id = await row.getAttribute('data-conversation-id');
  if (!id) throw new Error('no conversation id');
  await row.click();

  // Copy link puts the conversation's replydesk:// link on the clipboard; Pop out asks main.
  await page.getByTestId('copy-conversation-link').click();
  expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(
    `replydesk://conversation/${id}`,
  );
  await page.getByTestId('pop-out-conversation').click();
  await expect.poll(() => callsOf(page, 'popOutConversation')).toEqual([[id]]);

  // The inline reply goes out through the outbox to the WhatsApp API, exactly once.
  await emit(page, 'notification:reply', { conversationId: id, text: 'It ships today.' });
  await expect(page.getByTestId('conversation-pane').getByText('It ships today.')).toBeVisible();
  const sends = () =>
    agentHub.graph.requests.filter((r) => JSON.stringify(r.body).includes('It ships today.'))
      .length;
  await expect.poll(sends).toBe(1);

  // Main says an update is ready: the header and Settings offer the restart; main refuses it
  // while something is in flight, and the page says why.
  await emit(page, 'update:status', { state: 'ready', version: '0.9.1' });
  await page.getByTestId('restart-to-update').click();
  await expect(
    page.getByText('A reply is still being typed or waiting in the outbox.'),
  ).toBeVisible();
  await page.keyboard.press('ControlOrMeta+Comma');
  const section = page.getByTestId('desktop-settings');
  await section.scrollIntoViewIfNeeded();
  await expect(page.getByTestId('update-status')).toHaveText(
    'Version 0.9.1 is ready: restart to use it.',
  );
  await page.screenshot({ path: `${shots}/desktop-settings-1280x720.png` });
  await page.emulateMedia({ colorScheme: 'dark' });
  await page.screenshot({
    path: `${shots}/desktop-settings-1280x720-dark.png`,
    animations: 'disabled',
  });
  expect(await callsOf(page, 'restartToUpdate')).toEqual([[]]);
  expect(sends()).toBe(1);
  expect(problems).toEqual([]);
});

test('away from the inbox the badge still counts, notifications act and menu commands open the inbox', async ({
  page,
  agentHub,
}) => {
  const problems = watchForProblems(page);
  await page.setViewportSize({ width: 1280, height: 720 });
  await useFakeDesktop(page, agentHub.url);
  await customerWrites(agentHub, 'Is my order shipped?', Date.now());
  // Assigned to me through the hub, as a lead would: it waits for my reply.
  const token = await login(agentHub.url);
  const me = await api<{ user: { id: string } }>(agentHub.url, token, '/api/me');
  const list = await api<{ conversations: { id: string }[] }>(
    agentHub.url,
    token,
    '/api/conversations?limit=5',
  );
  const id = list.body.conversations[0]?.id;
  if (!id) throw new Error('no conversation');
  const assign = await api(agentHub.url, token, '/api/commands', {
    method: 'POST',
    body: {
      clientId: `desktop-assign-${Date.now()}`,
      command: { type: 'assign', conversationId: id, assigneeId: me.body.user.id },
    },
  });
  expect(assign.status).toBeLessThan(300);
  await signIn(page, agentHub.url);
  await expect(rowOf(page)).toBeVisible();
  const lastBadge = async () => (await callsOf(page, 'setBadgeCount')).at(-1);
  await expect.poll(lastBadge).toEqual([1, 0]);
  // The tray shows the availability checked; choosing Away there sets it and the tray follows.
  const trayAvailability = async () => (await callsOf(page, 'showTrayAvailability')).at(-1);
  await expect.poll(trayAvailability).toEqual(['available']);
  await emit(page, 'tray:set-availability', { availability: 'away' });
  await expect(page.getByTestId('availability')).toHaveAccessibleName('Availability: Away');
  await expect.poll(trayAvailability).toEqual(['away']);

  // The agent goes to the Reply windows page: the workspace is gone, the watch is not.
  await page.getByRole('link', { name: 'Reply windows' }).click();
  await expect(page).toHaveURL(/#\/reply-windows$/);
  await expect.poll(lastBadge).toEqual([1, 0]);

  // A reply typed into the notification goes out through the outbox from here too.
  await emit(page, 'notification:reply', { conversationId: id, text: 'Shipped this morning.' });
  const sends = () =>
    agentHub.graph.requests.filter((r) => JSON.stringify(r.body).includes('Shipped this morning.'))
      .length;
  await expect.poll(sends).toBe(1);
  // Answered: nothing waits for me any more, and the tray hears it.
  await expect.poll(lastBadge).toEqual([0, 0]);

  // Settings… from the application menu: the inbox opens with Settings.
  await emit(page, 'menu:command', { command: 'settings' });
  await expect(page).toHaveURL(/#\/inbox$/);
  await expect(page.getByTestId('desktop-settings')).toBeVisible();
  await page.keyboard.press('Escape');
  await expect(page.getByTestId('desktop-settings')).toBeHidden();

  // A notification clicked while on another page opens its conversation.
  await page.getByRole('link', { name: 'Reply windows' }).click();
  await expect(page).toHaveURL(/#\/reply-windows$/);
  await emit(page, 'notification:clicked', { conversationId: id });
  await expect(page).toHaveURL(new RegExp(`#/inbox/${id}$`));
  await expect(
    page.getByTestId('conversation-pane').getByText('Shipped this morning.'),
  ).toBeVisible();
  expect(sends()).toBe(1);
  expect(problems).toEqual([]);
});
