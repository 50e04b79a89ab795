import path from 'node:path';
import { test as base, expect, type Page } from '@playwright/test';
import type { RunningHub } from '../../src/server/hub';
import type { AdminUser, SetupToken, Team } from '../../src/shared/protocol/admin';
import { ADMIN, api, login, startTestHub, WHATSAPP } from '../support/hub';

const SCREENSHOTS = 'test-results/screenshots';
const PASSWORD = 'correct horse battery';
const AGENT = { email: 'ana@shop.example', password: PASSWORD };

/** A team hub with WhatsApp configured (its Graph API unreachable: nothing is sent here). */
const test = base.extend<{ hub: RunningHub }>({
  // Playwright requires fixtures to destructure their first argument, even when unused.
  // eslint-disable-next-line no-empty-pattern
  hub: async ({}, use) => {
    const hub = await startTestHub({
      rendererDir: path.resolve('out/renderer'),
      graphUrl: 'http://127.0.0.1:9',
    });
    await use(hub);
    await hub.close();
  },
});

/** A small team: an agent, a lead, an invited agent, a disabled one, and a round-robin team. */
async function seedTeam(hub: RunningHub): Promise<void> {
  const admin = await login(hub.url);
  const create = async (body: Record<string, unknown>): Promise<AdminUser> => {
    const res = await api<{ user: AdminUser }>(hub.url, admin, '/api/admin/users', {
      method: 'POST',
      body,
    });
    expect(res.status).toBe(201);
    return res.body.user;
  };
  const ana = await create({ ...AGENT, name: 'Ana Silva', role: 'agent' });
  const lena = await create({
    email: 'lena@shop.example',
    name: 'Lena Lead',
    role: 'lead',
    password: PASSWORD,
  });
  const ben = await create({ email: 'ben@shop.example', name: 'Ben Okafor', role: 'agent' });
  const otto = await create({
    email: 'otto@shop.example',
    name: 'Otto Berg',
    role: 'agent',
    password: PASSWORD,
  });
  await api(hub.url, admin, `/api/admin/users/${otto.id}`, {
    method: 'PUT',
    body: { disabled: true },
  });
  const team = await api<{ team: Team }>(hub.url, admin, '/api/admin/teams', {
    method: 'POST',
    body: {
      name: 'WhatsApp desk',
      assignment: 'round_robin',
      channels: ['whatsapp'],
      memberIds: [ana.id, ben.id, otto.id],
    },
  });
  expect(team.status).toBe(201);
  await api(hub.url, admin, '/api/admin/teams', {
    method: 'POST',
    body: {
      name: 'Social',
      assignment: 'manual',
      channels: ['instagram', 'messenger'],
      memberIds: [lena.id],
    },
  });
}

async function signIn(page: Page, hubUrl: string, hash: string, who = ADMIN): Promise<void> {
  await page.goto(`${hubUrl}/${hash}`);
  await page.getByLabel('E-mail').fill(who.email);
  await page.getByLabel(/^Password/).fill(who.password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page.getByTestId('hub-status')).toHaveAttribute('data-phase', 'live', {
    timeout: 15_000,
  });
}

const ADMIN_PAGES = [
  { hash: '#/users', label: 'Users and teams' },
  { hash: '#/templates', label: 'Templates' },
  { hash: '#/channels', label: 'Channels and rates' },
  { hash: '#/sla', label: 'SLA policies' },
  { hash: '#/dashboard', label: 'Dashboard' },
];

test.describe('admin screens', () => {
  // Each test seeds several accounts (scrypt hashes) on a shared 2-core machine.
  test.describe.configure({ timeout: 90_000 });

  test('an agent does not see the admin screens and cannot reach them by URL', async ({
    page,
    hub,
  }) => {
    await seedTeam(hub);
    await signIn(page, hub.url, '#/inbox', AGENT);
    await expect(page.getByTestId('workspace')).toBeVisible();
    await expect(page.getByRole('link', { name: 'Inbox' })).toBeVisible();
    for (const { label } of ADMIN_PAGES)
      await expect(page.getByRole('link', { name: label, exact: true })).toHaveCount(0);
    for (const { hash, label } of ADMIN_PAGES) {
      await page.goto(`${hub.url}/${hash}`);
      const refusal = page.getByTestId('not-for-role');
      await expect(refusal).toBeVisible();
      await expect(refusal).toContainText(`${label} is not available to you`);
    }
    // The hub refuses the data too, whatever the app shows.
    const token = await login(hub.url, AGENT);
    expect((await api(hub.url, token, '/api/admin/users')).status).toBe(403);
  });

  test('an admin sees the users screen and creates a user who can sign in', async ({
    page,
    hub,
  }) => {
    await seedTeam(hub);
    await signIn(page, hub.url, '#/users');
    await expect(page.getByRole('link', { name: 'Users and teams' })).toBeVisible();
    const rows = page.getByTestId('user-row');
    await expect(rows).toHaveCount(5);
    await expect(rows.filter({ hasText: 'Ben Okafor' })).toContainText('Invited');
    await expect(rows.filter({ hasText: 'Otto Berg' })).toContainText('Disabled');
    await expect(page.getByTestId('teams-table')).toContainText('WhatsApp desk');
    await page.screenshot({ path: `${SCREENSHOTS}/users-light.png` });

    await page.getByTestId('add-user').click();
    const dialog = page.getByRole('dialog', { name: 'Add a user' });
    await dialog.getByLabel('E-mail').fill('cleo@shop.example');
    await dialog.getByLabel('Name').fill('Cleo Park');
    await dialog.getByText('Lead', { exact: true }).click();
    await dialog.getByText('Set a password', { exact: true }).click();
    await dialog.locator('input[type="password"]').fill('a temporary password');
    await dialog.getByTestId('create-user-submit').click();
    await expect(dialog.getByTestId('user-created')).toContainText('Cleo Park can sign in now');
    await dialog.getByRole('button', { name: 'Done' }).click();
    const cleo = rows.filter({ hasText: 'cleo@shop.example' });
    await expect(cleo).toBeVisible();
    await expect(cleo.getByLabel('Role of Cleo Park')).toHaveValue('Lead');
    const token = await login(hub.url, {
      email: 'cleo@shop.example',
      password: 'a temporary password',
    });
    const me = await api<{ user: { role: string } }>(hub.url, token, '/api/me');
    expect(me.body.user.role).toBe('lead');

    // An invite shows its one-time code once.
    await page.getByTestId('add-user').click();
    await dialog.getByLabel('E-mail').fill('dev@shop.example');
    await dialog.getByLabel('Name').fill('Dev Rao');
    await dialog.getByTestId('create-user-submit').click();
    await expect(dialog.getByTestId('setup-code')).toContainText('one-time invite code');
    await dialog.getByRole('button', { name: 'Done' }).click();
    await expect(rows.filter({ hasText: 'Dev Rao' })).toContainText('Invited');

    await page.mouse.move(0, 0);
    await page.emulateMedia({ colorScheme: 'dark' });
    await expect(page.locator('html')).toHaveAttribute('data-mantine-color-scheme', 'dark');
    await page.screenshot({ path: `${SCREENSHOTS}/users-dark.png`, animations: 'disabled' });
    await page.emulateMedia({ colorScheme: 'light' });
  });

  test('an invited agent sets a password with the code, is signed in, and goes away for a break', async ({
    page,
    hub,
  }) => {
    const admin = await login(hub.url);
    const invited = await api<{ user: AdminUser; setup: SetupToken | null }>(
      hub.url,
      admin,
      '/api/admin/users',
      { method: 'POST', body: { email: 'dev@shop.example', name: 'Dev Rao', role: 'agent' } },
    );
    expect(invited.status).toBe(201);
    const code = invited.body.setup?.token ?? '';
    expect(code).not.toBe('');

    await page.goto(`${hub.url}/#/inbox`);
    await page.getByTestId('sign-in-mode').click();
    await page.getByTestId('code-input').fill('not-the-code-an-admin-gave-you');
    await page.getByLabel(/^New password/).fill('my own password');
    await page.getByLabel(/^Repeat the new password/).fill('my own password');
    await page.getByRole('button', { name: 'Set password and sign in' }).click();
    await expect(page.getByTestId('sign-in-error')).toContainText('unknown, used or expired');

    await page.getByTestId('code-input').fill(code);
    await page.getByRole('button', { name: 'Set password and sign in' }).click();
    await expect(page.getByTestId('hub-status')).toHaveAttribute('data-phase', 'live', {
      timeout: 15_000,
    });
    await expect(page.getByTestId('signed-in-user')).toHaveText('Dev Rao');
    // The code worked once; the password is now the user's own.
    const token = await login(hub.url, { email: 'dev@shop.example', password: 'my own password' });

    await page.getByTestId('availability').click();
    await page.getByRole('menuitem', { name: /Away/ }).click();
    await expect(page.getByTestId('availability')).toContainText('Away');
    const mine = await api<{ availability: string }>(hub.url, token, '/api/me/availability');
    expect(mine.body.availability).toBe('away');
    await page.screenshot({ path: `${SCREENSHOTS}/availability-away.png` });
  });

  test('an admin configures a channel from the settings its connector declares', async ({
    page,
    hub,
  }) => {
    await page.setViewportSize({ width: 1280, height: 720 });
    await signIn(page, hub.url, '#/channels');
    const whatsapp = page.locator('[data-testid="channel-card"][data-channel="whatsapp"]');
    await expect(whatsapp.getByTestId('webhook-url')).toHaveText(`${hub.url}/webhooks/whatsapp`);
    await expect(whatsapp.getByRole('button', { name: 'Copy the webhook URL' })).toBeVisible();
    // Drawn from the connector's settings: secrets write-only with their state, others shown.
    for (const name of ['appSecret', 'verifyToken', 'accessToken'])
      await expect(whatsapp.getByTestId(`secret-set-${name}`)).toHaveText('Set (environment)');
    await expect(whatsapp.getByTestId('setting-set-phoneNumberId')).toHaveText('Set (environment)');
    const phone = whatsapp.getByLabel(/Phone number ID/);
    await expect(phone).toHaveAttribute('placeholder', WHATSAPP.phoneNumberId);
    await expect(whatsapp.getByLabel(/App secret/)).toHaveAttribute('type', 'password');
    await expect(whatsapp).toContainText('Last event');
    await expect(whatsapp).toContainText('Last error');

    // A value the connector's pattern refuses is shown beside its field; nothing is saved.
    await phone.fill('12ab');
    await whatsapp.getByRole('button', { name: 'Save settings' }).click();
    await expect(whatsapp).toContainText('digits only, as Meta shows it');
    await page.screenshot({ path: `${SCREENSHOTS}/channels-settings-error-1280.png` });
    const admin = await login(hub.url);
    const before = await api<{ channel: { settings: { name: string; value: string | null }[] } }>(
      hub.url,
      admin,
      '/api/admin/channels/whatsapp',
    );
    expect(before.body.channel.settings.find((s) => s.name === 'phoneNumberId')?.value).toBe(
      WHATSAPP.phoneNumberId,
    );

    await phone.fill('1234567890');
    await whatsapp.getByRole('button', { name: 'Save settings' }).click();
    await expect(whatsapp.getByTestId('setting-set-phoneNumberId')).toHaveText('Set');
    await expect(phone).toHaveAttribute('placeholder', '1234567890');
    await expect(whatsapp).not.toContainText('digits only');
    await page.screenshot({ path: `${SCREENSHOTS}/channels-1280.png` });
  });

  test('an admin sees the channels with their status and edits the rates', async ({
    page,
    hub,
  }) => {
    // Meta's verification and a demo channel's traffic, for the status shown.
    const verified = await fetch(
      `${hub.url}/webhooks/whatsapp?hub.mode=subscribe&hub.verify_token=${WHATSAPP.verifyToken}&hub.challenge=5`,
    );
    expect(verified.status).toBe(200);
    await hub.ingestor.ingest({
      kind: 'message',
      channel: 'messenger',
      channelAccountId: 'demo-messenger',
      externalId: 'm.1',
      customer: { externalId: 'psid-1', name: 'Chloé Martin', phone: null },
      sentAt: Date.now(),
      content: { type: 'text', body: 'Bonjour' },
    });
    await signIn(page, hub.url, '#/channels');
    const whatsapp = page.locator('[data-testid="channel-card"][data-channel="whatsapp"]');
    await expect(whatsapp).toContainText('Connected');
    await expect(whatsapp.getByTestId('secret-set-appSecret')).toBeVisible();
    await expect(page.locator('[data-channel="demo-messenger"]')).toContainText('demo simulator');
    const editor = page.getByTestId('rate-card-editor');
    await expect(editor.getByTestId('rate-table')).toBeVisible();
    await page.screenshot({ path: `${SCREENSHOTS}/channels-light.png`, fullPage: true });

    // A secret is written, never shown back.
    await whatsapp.getByLabel(/Verify token/).fill('a-brand-new-verify-token');
    await whatsapp.getByRole('button', { name: 'Save settings' }).click();
    await expect(whatsapp.getByTestId('secret-set-verifyToken')).toHaveText('Set');
    await expect(page.locator('body')).not.toContainText('a-brand-new-verify-token');

    // The reported 2026-10-01 switch, and a rate edited and saved.
    const rule = editor.getByTestId('rule-set');
    // Controlled by the hub's card: it turns on once the hub's event reached the app.
    await rule.getByRole('switch').click({ force: true });
    await expect(rule.getByRole('switch')).toBeChecked();
    await expect(rule).toContainText('On');
    await editor.getByLabel('Period').click();
    await page.getByRole('option', { name: /WhatsApp · per message/ }).click();
    await editor.getByRole('textbox', { name: 'GB marketing' }).fill('0.06');
    await editor.getByRole('button', { name: 'Save rate card' }).click();
    await expect(editor).toContainText('Saved; apps reprice now');
    const admin = await login(hub.url);
    const card = await api<{
      rateCard: {
        ruleSets: { enabled: boolean }[];
        periods: { model: string; rates: Record<string, Record<string, number>> }[];
      };
    }>(hub.url, admin, '/api/rate-card');
    expect(card.body.rateCard.ruleSets[0]?.enabled).toBe(true);
    const perMessage = card.body.rateCard.periods.find((p) => p.model === 'per_message');
    expect(perMessage?.rates['GB']?.['marketing']).toBe(0.06);

    // Back to the top: a full-page shot of a scrolled page draws the fixed header mid-page.
    await page.evaluate(() => window.scrollTo(0, 0));
    await page.mouse.move(0, 0);
    await page.emulateMedia({ colorScheme: 'dark' });
    await expect(page.locator('html')).toHaveAttribute('data-mantine-color-scheme', 'dark');
    await page.screenshot({
      path: `${SCREENSHOTS}/channels-dark.png`,
      fullPage: true,
      animations: 'disabled',
    });
    await page.emulateMedia({ colorScheme: 'light' });
  });
});
