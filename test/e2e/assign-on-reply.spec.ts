import { mkdir } from 'node:fs/promises';
import { api, login } from '../support/hub';
import { expect, signIn, test, watchForProblems } from './agent-fixtures';

/** The "assign on reply" switch an admin finds under Users and teams (issue 12, item 13). */

const SHOTS = 'test-results/screenshots';

test.describe.configure({ timeout: 120_000 });

for (const size of [
  { width: 1280, height: 720 },
  { width: 1440, height: 900 },
]) {
  test(`an admin switches assign on reply off and on at ${size.width}×${size.height}`, async ({
    page,
    agentHub,
  }) => {
    const problems = watchForProblems(page);
    await page.setViewportSize(size);
    await signIn(page, agentHub.url);
    await page.goto(`${agentHub.url}/#/users`);
    const toggle = page.getByTestId('assign-on-reply');
    await expect(toggle).toBeChecked();
    await mkdir(SHOTS, { recursive: true });
    await page.getByText('Assign on reply').scrollIntoViewIfNeeded();
    await page.screenshot({ path: `${SHOTS}/assign-on-reply-${size.width}x${size.height}.png` });

    const token = await login(agentHub.url);
    await page.getByText('Assign on reply').click();
    await expect(toggle).not.toBeChecked();
    expect((await api(agentHub.url, token, '/api/workspace-settings')).body).toEqual({
      settings: { assignOnReply: false },
    });
    await page.reload();
    await expect(page.getByTestId('assign-on-reply')).not.toBeChecked();
    await page.getByText('Assign on reply').click();
    await expect(page.getByTestId('assign-on-reply')).toBeChecked();
    expect((await api(agentHub.url, token, '/api/workspace-settings')).body).toEqual({
      settings: { assignOnReply: true },
    });
    expect(problems).toEqual([]);
  });
}
