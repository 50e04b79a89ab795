import type { Locator, Page } from '@playwright/test';
import { api, login } from '../support/hub';
import { expect, signIn, test, watchForProblems } from './agent-fixtures';

/**
 * Issue 12, item 9: an admin form says what is wrong beside the field, in words, once the field
 * was touched or Save pressed — never a banner of raw paths ("weeklyHours.mon.0: …") and never
 * zod's "Too small: expected string to have >=1 characters" on a form nothing was typed in.
 */

const SHOTS = 'test-results/screenshots';
const SIZES = [
  [1280, 720],
  [1440, 900],
] as const;

/** The hub's 400 and 409 answers are expected here; the browser logs them as errors. */
const unexpected = (problems: readonly string[]) =>
  problems.filter((p) => !/status of (400|409)/.test(p));

async function shoot(page: Page, name: string, show?: Locator): Promise<void> {
  for (const [width, height] of SIZES) {
    await page.setViewportSize({ width, height });
    await show?.scrollIntoViewIfNeeded();
    await page.screenshot({ path: `${SHOTS}/${name}-${width}.png`, animations: 'disabled' });
  }
  await page.setViewportSize({ width: 1360, height: 860 });
}

async function go(page: Page, link: string, testId: string): Promise<void> {
  await page.getByRole('link', { name: link }).click();
  await expect(page.getByTestId(testId)).toBeVisible();
}

/** Nothing on the page is a raw schema path or a zod default message. */
async function noRawErrors(page: Page): Promise<void> {
  const text = await page.locator('body').innerText();
  expect(text).not.toMatch(/weeklyHours|periods\[|Too small|Too big|Invalid input|expected string/);
}

test.describe('form errors', () => {
  // Three admin screens against a real hub on a loaded 2-core machine.
  test.describe.configure({ timeout: 120_000 });

  test('a quick reply says nothing until touched, then "Required" beside the field; a taken shortcut is said beside the shortcut', async ({
    page,
    agentHub,
  }) => {
    const problems = watchForProblems(page);
    const admin = await login(agentHub.url);
    const eta = await api(agentHub.url, admin, '/api/templates', {
      method: 'POST',
      body: {
        kind: 'quick_reply',
        name: 'ETA',
        shortcut: 'eta',
        body: 'It arrives soon.',
        channels: ['whatsapp'],
      },
    });
    expect(eta.status).toBe(201);
    await signIn(page, agentHub.url);
    await go(page, 'Templates', 'templates-page');
    await page.getByRole('button', { name: 'New', exact: true }).click();
    await page.getByRole('menuitem', { name: 'Quick reply' }).click();

    // A fresh form: no error anywhere.
    await expect(page.getByTestId('editor-title')).toHaveText('New quick reply');
    await expect(page.getByTestId('field-error')).toHaveCount(0);
    await expect(page.getByTestId('quick-reply-problems')).toHaveCount(0);
    await noRawErrors(page);

    // Typed and cleared: the title says so; the body, untouched, does not.
    const title = page.getByLabel('Title');
    await title.fill('D');
    await title.fill('');
    await expect(page.getByTestId('field-error')).toHaveText(['Required']);
    // Create: every field's error, beside it, and nothing is sent.
    await page.getByRole('button', { name: 'Create' }).click();
    await expect(page.getByTestId('field-error')).toHaveText(['Required', 'Required']);
    await expect(page.getByTestId('template-error')).toHaveCount(0);

    // The hub's conflict on the shortcut lands beside the shortcut, not in a banner.
    await title.fill('Delivery time');
    await page.getByLabel('Shortcut').fill('eta');
    await page.getByTestId('template-body').fill('Your parcel arrives tomorrow.');
    await expect(page.getByTestId('field-error')).toHaveCount(0);
    await page.getByRole('button', { name: 'Create' }).click();
    await expect(page.getByTestId('field-error')).toHaveText([
      'Shortcut /eta is already used by ‘ETA’',
    ]);
    await expect(page.getByTestId('template-error')).toHaveCount(0);
    await noRawErrors(page);
    await shoot(page, 'form-errors-quick-reply');
    // Another shortcut: the hub's error goes with the value it was about.
    await page.getByLabel('Shortcut').fill('delivery');
    await expect(page.getByTestId('field-error')).toHaveCount(0);
    expect(unexpected(problems)).toEqual([]);
  });

  test('business hours and SLA policies say what is wrong beside the day and the field', async ({
    page,
    agentHub,
  }) => {
    const problems = watchForProblems(page);
    await signIn(page, agentHub.url);
    await go(page, 'SLA policies', 'sla-page');

    // Monday opens at 17:00 and closes at 09:00: said beside Monday, in words, at once.
    const monday = page.getByTestId('sla-day-mon');
    await expect(page.getByTestId('field-error')).toHaveCount(0);
    await monday.getByRole('combobox', { name: 'Monday opens' }).fill('17:00');
    await page.getByRole('option', { name: '17:00', exact: true }).click();
    await expect(monday.getByTestId('field-error')).toHaveText(
      'Opening time must be before closing time',
    );
    // Tuesday overlapping itself, found on Save, beside Tuesday.
    const tuesday = page.getByTestId('sla-day-tue');
    await tuesday.getByRole('button', { name: 'Add hours on Tuesday' }).click();
    await page.getByTestId('sla-calendar-save').click();
    await expect(tuesday.getByTestId('field-error')).toHaveText(
      'Tuesday: 09:00–17:00 overlaps 13:00–17:00',
    );
    await expect(page.getByTestId('sla-calendar-error')).toHaveCount(0);
    await noRawErrors(page);
    await shoot(page, 'form-errors-business-hours');
    await page.emulateMedia({ colorScheme: 'dark' });
    await expect(page.locator('html')).toHaveAttribute('data-mantine-color-scheme', 'dark');
    await page.screenshot({ path: `${SHOTS}/form-errors-business-hours-dark.png` });
    await page.emulateMedia({ colorScheme: 'light' });
    await page.getByRole('button', { name: 'Discard changes' }).click();
    await expect(page.getByTestId('field-error')).toHaveCount(0);

    // A policy: the name, once left empty, says so; the scope clash is said beside the channel.
    const name = 'Donaudampfschifffahrtsgesellschaftskundendienst Wochenendbereitschaft';
    const admin = await login(agentHub.url);
    const first = await api(agentHub.url, admin, '/api/sla/policies', {
      method: 'POST',
      body: {
        name,
        channel: 'whatsapp',
        priority: null,
        firstResponseMs: 30 * 60_000,
        nextResponseMs: null,
        resolutionMs: null,
        hours: 'always',
        enabled: true,
      },
    });
    expect(first.status).toBe(201);
    await page.getByTestId('sla-add-policy').click();
    const modal = page.getByTestId('sla-policy-modal');
    await expect(modal.getByTestId('sla-policy-name')).toBeFocused();
    await expect(modal.getByText('Give the policy a name')).toHaveCount(0);
    await modal.getByTestId('sla-policy-first').click();
    await expect(modal.getByText('Give the policy a name')).toBeVisible();
    await modal.getByTestId('sla-policy-first').fill('');
    await modal.getByTestId('sla-policy-next').fill('');
    await modal.getByTestId('sla-policy-save').click();
    await expect(modal.getByText('Give the policy at least one target')).toBeVisible();

    await modal.getByTestId('sla-policy-name').fill('Weekend WhatsApp');
    await modal.getByTestId('sla-policy-first').fill('20');
    await modal.getByTestId('sla-policy-channel').click();
    await page.getByRole('option', { name: 'WhatsApp' }).click();
    await modal.getByTestId('sla-policy-save').click();
    await expect(
      modal.getByText(`Policy "${name}" already covers WhatsApp, any priority`, { exact: false }),
    ).toBeVisible();
    await expect(modal.getByTestId('sla-policy-error')).toHaveCount(0);
    await noRawErrors(page);
    await shoot(page, 'form-errors-sla-policy');
    // The long compound name wraps in the list instead of running into the next column.
    await modal.getByRole('button', { name: 'Cancel' }).click();
    await expect(page.getByTestId('sla-policy-row')).toHaveCount(1);
    await shoot(page, 'sla-policies-long-name');
    expect(unexpected(problems)).toEqual([]);
  });

  test('a negative price is refused beside its cell, and the card is not saved', async ({
    page,
    agentHub,
  }) => {
    const problems = watchForProblems(page);
    const admin = await login(agentHub.url);
    const before = (await api(agentHub.url, admin, '/api/rate-card')).body;
    await signIn(page, agentHub.url);
    await go(page, 'Channels and rates', 'rate-card-editor');
    const editor = page.getByTestId('rate-card-editor');
    await editor.getByLabel('Period').click();
    await page.getByRole('option', { name: /WhatsApp · per message/ }).click();
    const cell = editor.getByRole('textbox', { name: 'GB marketing' });
    await cell.fill('-0.05');
    await cell.blur();
    // Kept as typed (not clamped to 0) and refused beside the cell.
    await expect(cell).toHaveValue('-0.05');
    await expect(editor.getByTestId('field-error')).toHaveText(['A price cannot be negative']);
    await editor.getByRole('button', { name: 'Save rate card' }).click();
    await expect(editor.getByTestId('field-error')).toHaveText(['A price cannot be negative']);
    await expect(editor).not.toContainText('Saved; apps reprice now');
    await expect(editor.getByTestId('rate-card-error')).toHaveCount(0);
    await noRawErrors(page);
    await shoot(page, 'form-errors-rate-card', editor.getByTestId('rate-table'));

    // The hub still has the card as it was.
    expect((await api(agentHub.url, admin, '/api/rate-card')).body).toEqual(before);
    expect(unexpected(problems)).toEqual([]);
  });
});
