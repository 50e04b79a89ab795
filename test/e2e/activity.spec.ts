import { mkdir } from 'node:fs/promises';
import type { Activity } from '../../src/shared/protocol/activity';
import { api, conversationNamed, login } from '../support/hub';
import { createTeamUser } from '../support/team-users';
import { TEST_CUSTOMER } from '../support/whatsapp-webhooks';
import { customerWrites, expect, rowOf, signIn, test, watchForProblems } from './agent-fixtures';

/**
 * Activity lines in the open timeline (issue #20 item 3): a lead changes the conversation from
 * elsewhere and the agent's timeline shows who did what, live and after a reload.
 */

const SHOTS = 'test-results/screenshots';

// Times on the lines are the page's local clock: UTC here, so the expected text is exact.
test.use({ locale: 'en-GB', timezoneId: 'UTC' });
test.describe.configure({ timeout: 120_000 });

test('a lead reassigns the open conversation and the timeline says so', async ({
  page,
  agentHub,
}) => {
  const problems = watchForProblems(page);
  await page.setViewportSize({ width: 1280, height: 720 });
  await signIn(page, agentHub.url);
  await customerWrites(agentHub, 'Hello, my refund has not arrived yet.', Date.now());
  await rowOf(page).click();
  await expect(page.getByTestId('conversation-pane')).toBeVisible();
  await expect(page.getByTestId('message-list')).toContainText('my refund has not arrived');

  const adminToken = await login(agentHub.url);
  const lead = await createTeamUser(agentHub.url, adminToken, 'Lea Lead', 'lead');
  const me = (
    await api<{ user: { id: string; name: string } }>(agentHub.url, adminToken, '/api/me')
  ).body.user;
  const conversation = await conversationNamed<{ id: string; customer: { name: string } }>(
    agentHub.url,
    adminToken,
    'whatsapp',
    TEST_CUSTOMER.name,
  );
  let counter = 0;
  const command = async (body: Record<string, unknown>) => {
    counter += 1;
    const answer = await api(agentHub.url, lead.token, '/api/commands', {
      method: 'POST',
      body: { clientId: `activity-e2e-${counter}`, command: body },
    });
    expect(answer.status).toBe(200);
  };

  await command({ type: 'assign', conversationId: conversation.id, assigneeId: me.id });
  await command({ type: 'set_priority', conversationId: conversation.id, priority: 'urgent' });
  await command({ type: 'set_labels', conversationId: conversation.id, labels: ['refund'] });

  const lines = await api<{ activity: Activity[] }>(
    agentHub.url,
    adminToken,
    `/api/conversations/${conversation.id}/activity`,
  );
  const clock = (at: number) => new Date(at).toISOString().slice(11, 16);
  const expected = [...lines.body.activity]
    .sort((a, b) => a.at - b.at)
    .map((line) => {
      const what =
        line.kind === 'assignment'
          ? `Assigned to ${me.name} by Lea Lead`
          : line.kind === 'priority'
            ? 'Priority set to Urgent by Lea Lead'
            : 'Label ‘refund’ added by Lea Lead';
      return `${what} · ${clock(line.at)}`;
    });
  expect(lines.body.activity.map((line) => line.kind).sort()).toEqual([
    'assignment',
    'label_added',
    'priority',
  ]);

  const shown = page.getByTestId('activity-line');
  await expect(shown).toHaveText(expected);

  // Stored in the cache: a reload shows them again.
  await page.reload();
  await expect(page.getByTestId('workspace')).toBeVisible();
  await expect(page.getByTestId('conversation-pane')).toBeVisible();
  await expect(page.getByTestId('activity-line')).toHaveText(expected);

  await mkdir(SHOTS, { recursive: true });
  await page.screenshot({ path: `${SHOTS}/activity-timeline-light.png`, animations: 'disabled' });
  await page.emulateMedia({ colorScheme: 'dark' });
  await expect(page.locator('html')).toHaveAttribute('data-mantine-color-scheme', 'dark');
  await page.screenshot({ path: `${SHOTS}/activity-timeline-dark.png`, animations: 'disabled' });
  expect(problems).toEqual([]);
});
