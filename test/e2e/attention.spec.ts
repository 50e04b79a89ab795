import { mkdir } from 'node:fs/promises';
import type { Page } from '@playwright/test';
import { api, login } from '../support/hub';
import { messagesWebhook, textMessage } from '../support/whatsapp-webhooks';
import { advance, expect, rowOf, signIn, test, watchForProblems } from './agent-fixtures';

/**
 * Closing-window alerts as an agent meets them (issue 12, item 3): they fire for conversations
 * waiting for a reply, never cover the composer, show at most three with the rest summed up, and
 * go away when the conversation is opened or answered.
 */

const SHOTS = 'test-results/screenshots';
const START = Date.parse('2026-11-21T09:00:00Z');
const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const WAITING = ['Ana Lima', 'Ben Okafor', 'Chloé Martin', 'Dara Singh'];
const ANSWERED = 'Eva Novak';

interface Conversations {
  readonly token: string;
  readonly idOf: (name: string) => string;
}

/** Five customers write at START; all five are assigned to me; Eva is answered at once. */
async function setUp(url: string, webhook: (payload: unknown) => Promise<number>) {
  for (const [index, name] of [...WAITING, ANSWERED].entries()) {
    const message = textMessage(`Question from ${name}`, {
      from: `3161234500${index}`,
      name,
      timestamp: (START - (5 - index) * MINUTE) / 1000,
    });
    expect(await webhook(messagesWebhook(message))).toBe(200);
  }
  const token = await login(url);
  const me = await api<{ user: { id: string } }>(url, token, '/api/me');
  const list = await api<{ conversations: { id: string; customer: { name: string } }[] }>(
    url,
    token,
    '/api/conversations?limit=50',
  );
  const ids = new Map(list.body.conversations.map((c) => [c.customer.name, c.id]));
  const idOf = (name: string): string => {
    const id = ids.get(name);
    if (!id) throw new Error(`no conversation of ${name}`);
    return id;
  };
  let n = 0;
  const command = async (command: unknown) => {
    n += 1;
    const answer = await api(url, token, '/api/commands', {
      method: 'POST',
      body: { clientId: `attention-${n}-${Date.now()}`, command },
    });
    expect(answer.status).toBeLessThan(300);
  };
  for (const name of [...WAITING, ANSWERED]) {
    await command({ type: 'assign', conversationId: idOf(name), assigneeId: me.body.user.id });
  }
  return { token, idOf, command } satisfies Conversations & { command: typeof command };
}

const alerts = (page: Page) => page.getByTestId('attention-notification');

/** The element at the centre of the Send button is the button itself (or inside it). */
async function sendIsOnTop(page: Page): Promise<boolean> {
  return page.getByTestId('composer-send').evaluate((button) => {
    const box = button.getBoundingClientRect();
    const top = document.elementFromPoint(box.left + box.width / 2, box.top + box.height / 2);
    return top !== null && button.contains(top);
  });
}

test.describe.configure({ timeout: 120_000 });

for (const size of [
  { width: 1280, height: 720 },
  { width: 1440, height: 900 },
]) {
  test(`closing alerts at ${size.width}×${size.height}: only waiting conversations, three at a time beside the composer, gone when opened or answered`, async ({
    page,
    agentHub,
  }) => {
    const problems = watchForProblems(page);
    await page.setViewportSize(size);
    agentHub.clock.at = START;
    await page.clock.install({ time: START });
    const { idOf, command } = await setUp(agentHub.url, (p) => agentHub.webhook(p));
    await signIn(page, agentHub.url);
    await expect(page.getByTestId('conversation-row')).toHaveCount(5);

    // Eva is answered: her window closing costs nothing.
    await command({
      type: 'send_message',
      conversationId: idOf(ANSWERED),
      content: { type: 'text', body: 'Hi Eva, on it.' },
    });
    await rowOf(page, ANSWERED).click();
    await expect(page.getByTestId('composer-send')).toBeVisible();

    // Every window now closes within 10–14 minutes (alerts come 15 minutes before).
    await advance(page, agentHub, 24 * HOUR - 15 * MINUTE);
    await expect(alerts(page)).toHaveCount(3);
    const more = page.getByTestId('attention-more');
    await expect(more).toHaveAttribute('data-count', '1');
    await expect(more).toContainText('1 more window closing');
    // The first four wrote first, so their windows close first; none is Eva's.
    await expect(alerts(page).filter({ hasText: ANSWERED })).toHaveCount(0);
    await expect(more).not.toContainText(ANSWERED);
    for (const name of WAITING.slice(0, 3)) {
      await expect(alerts(page).filter({ hasText: name })).toHaveCount(1);
    }
    await expect(more).toContainText(WAITING[3] ?? '');

    // The composer stays usable: nothing covers Send.
    expect(await sendIsOnTop(page)).toBe(true);
    const send = await page.getByTestId('composer-send').boundingBox();
    for (const alert of await alerts(page).all()) {
      const box = await alert.boundingBox();
      if (!send || !box) throw new Error('no box');
      const overlaps =
        box.x < send.x + send.width &&
        send.x < box.x + box.width &&
        box.y < send.y + send.height &&
        send.y < box.y + box.height;
      expect(overlaps).toBe(false);
    }
    await mkdir(SHOTS, { recursive: true });
    await page.screenshot({ path: `${SHOTS}/alerts-${size.width}x${size.height}.png` });
    await page.emulateMedia({ colorScheme: 'dark' });
    await expect(page.locator('html')).toHaveAttribute('data-mantine-color-scheme', 'dark');
    await page.screenshot({
      path: `${SHOTS}/alerts-${size.width}x${size.height}-dark.png`,
      animations: 'disabled',
    });
    await page.emulateMedia({ colorScheme: 'light' });

    // Opening Ana's conversation puts her alert away; Dara's takes its place.
    await rowOf(page, WAITING[0]).click();
    await expect(alerts(page).filter({ hasText: WAITING[0] ?? '' })).toHaveCount(0);
    await expect(alerts(page).filter({ hasText: WAITING[3] ?? '' })).toHaveCount(1);
    await expect(alerts(page)).toHaveCount(3);
    await expect(more).toHaveCount(0);
    expect(await sendIsOnTop(page)).toBe(true);

    // Answering Ben (from elsewhere: another window, the API) puts his away too.
    await command({
      type: 'send_message',
      conversationId: idOf(WAITING[1] ?? ''),
      content: { type: 'text', body: 'Hi Ben, looking now.' },
    });
    await expect(alerts(page).filter({ hasText: WAITING[1] ?? '' })).toHaveCount(0);
    await expect(alerts(page)).toHaveCount(2);
    expect(problems).toEqual([]);
  });
}
