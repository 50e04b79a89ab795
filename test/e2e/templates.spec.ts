import { readFile } from 'node:fs/promises';
import type { Page } from '@playwright/test';
import { createUserService } from '../../src/server/auth/users';
import { ADMIN } from '../support/hub';
import { TEST_CUSTOMER } from '../support/whatsapp-webhooks';
import { customerWrites, expect, rowOf, test, watchForProblems } from './agent-fixtures';

const SCREENSHOTS = 'test-results/screenshots';
const AGENT = { email: 'sam@shop.example', password: 'agent password 1', name: 'Sam Agent' };

async function signInAs(page: Page, hubUrl: string, who: { email: string; password: string }) {
  await page.goto(`${hubUrl}/#/inbox`);
  await page.getByLabel('E-mail').fill(who.email);
  await page.getByLabel(/^Password/).fill(who.password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page.getByTestId('workspace')).toBeVisible();
  await expect(page.getByTestId('hub-status')).toHaveAttribute('data-phase', 'live', {
    timeout: 15_000,
  });
}

async function openTemplates(page: Page) {
  await page.getByRole('link', { name: 'Templates' }).click();
  await expect(page.getByTestId('templates-page')).toBeVisible();
}

async function startNew(page: Page, kind: 'Quick reply' | 'WhatsApp template') {
  await page.getByRole('button', { name: 'New', exact: true }).click();
  await page.getByRole('menuitem', { name: kind }).click();
}

/** The hub's 400 answers are expected in these tests; the browser logs them as errors. */
const unexpected = (problems: readonly string[]) =>
  problems.filter((p) => !/status of (400|409)/.test(p));

test.describe('the template editor', () => {
  // Two signed-in browsers and a hub share two loaded cores here: give them room.
  test.describe.configure({ timeout: 90_000 });

  test('an admin creates a quick reply with a variable and an agent uses it with / at once, without reloading', async ({
    page,
    browser,
    agentHub,
  }) => {
    await createUserService(agentHub.current.db, Date.now).create({ ...AGENT, role: 'agent' });
    await customerWrites(agentHub, 'Hi! When does my parcel arrive?', Date.now());

    // The agent is already at work, in their own browser.
    const agentContext = await browser.newContext();
    const agentPage = await agentContext.newPage();
    const agentProblems = watchForProblems(agentPage);
    await signInAs(agentPage, agentHub.url, AGENT);
    await expect(agentPage.getByRole('link', { name: 'Templates' })).toHaveCount(0);
    await rowOf(agentPage).click();
    const input = agentPage.getByTestId('composer-input');
    await expect(input).toBeVisible();

    const problems = watchForProblems(page);
    await signInAs(page, agentHub.url, ADMIN);
    await openTemplates(page);
    await startNew(page, 'Quick reply');
    await page.getByLabel('Title').fill('Delivery tomorrow');
    await page.getByLabel('Shortcut').fill('eta');
    await page.getByRole('combobox', { name: 'Folder', exact: true }).fill('Shipping');
    await page
      .getByTestId('template-body')
      .fill(
        'Hi {{customer.first_name}}, your parcel arrives tomorrow before {{order.carrier|noon}}.',
      );
    // The preview fills the sample customer (Ana) and keeps the fallback.
    await expect(page.getByTestId('template-preview')).toHaveText(
      'Hi Ana, your parcel arrives tomorrow before UPS.',
    );
    await page.getByRole('button', { name: 'Create' }).click();
    await expect(page.getByTestId('template-notice')).toContainText('Version 1 is live');
    await expect(page.getByTestId('version-row')).toHaveCount(1);
    await expect(page.getByTestId('version-row')).toContainText('created');
    await page.screenshot({ path: `${SCREENSHOTS}/templates-quick-reply.png` });

    // The agent's app got the new quick reply live: "/" finds it with no reload.
    await input.click();
    await input.pressSequentially('/eta');
    await expect(agentPage.getByTestId('quick-reply-option').first()).toContainText(
      'Delivery tomorrow',
    );
    await agentPage.keyboard.press('Enter');
    const firstName = TEST_CUSTOMER.name.split(' ')[0] ?? '';
    await expect(input).toHaveValue(
      new RegExp(`^Hi ${firstName}, your parcel arrives tomorrow before noon\\.\\s*$`),
    );

    // An edit, then a restore of the first version: both are in the history.
    await page
      .getByTestId('template-body')
      .fill('Hello {{customer.first_name}}, it arrives tomorrow.');
    await page.getByRole('button', { name: 'Save', exact: true }).click();
    await expect(page.getByTestId('template-notice')).toContainText('Version 2 is live');
    await expect(page.getByTestId('version-row').first()).toContainText('changed body');
    await page.getByRole('button', { name: 'Restore version 1' }).click();
    await expect(page.getByTestId('template-notice')).toContainText(
      'Version 1 is back as version 3',
    );
    await expect(page.getByTestId('template-body')).toHaveValue(
      'Hi {{customer.first_name}}, your parcel arrives tomorrow before {{order.carrier|noon}}.',
    );
    await expect(page.getByTestId('version-row').first()).toContainText('restored version 1');

    expect(problems).toEqual([]);
    expect(agentProblems).toEqual([]);
    await agentContext.close();
  });

  test("an admin's bad templates are refused with the reason shown: an unknown variable, a WhatsApp body too long", async ({
    page,
    agentHub,
  }) => {
    const problems = watchForProblems(page);
    await signInAs(page, agentHub.url, ADMIN);
    await openTemplates(page);

    await startNew(page, 'Quick reply');
    await page.getByLabel('Title').fill('Order number');
    await page.getByTestId('template-body').fill('Your order {{order.nubmer}} is on its way.');
    const reason =
      'Unknown variable "order.nubmer" at line 1, column 12 (did you mean "order.number"?)';
    // Beside the field as it is typed, and still there (not in a banner) when Create is pressed:
    // nothing is sent that the hub would refuse.
    await expect(page.getByTestId('field-error')).toHaveText(reason);
    await page.getByRole('button', { name: 'Create' }).click();
    await expect(page.getByTestId('field-error')).toHaveText(reason);
    await expect(page.getByTestId('template-error')).toHaveCount(0);
    await expect(page.getByTestId('template-row')).toHaveCount(0);

    await startNew(page, 'WhatsApp template');
    await page.getByLabel('Name').fill('late_delivery');
    const body = `Hello {{1}}, ${'your parcel is late. '.repeat(55)}Sorry!`;
    await page.getByTestId('template-body').fill(body);
    await page.getByLabel('Example for {{1}}').fill('Ana');
    const tooLong = `The body is ${body.length} characters; WhatsApp allows 1024`;
    await expect(page.getByTestId('whatsapp-checks').getByTestId('check-reason')).toHaveText([
      tooLong,
    ]);
    await page.getByRole('button', { name: 'Create' }).click();
    await expect(page.getByTestId('field-error')).toHaveText([tooLong]);
    await expect(page.getByTestId('template-error')).toHaveCount(0);
    await expect(page.getByTestId('template-row')).toHaveCount(0);
    await page.screenshot({ path: `${SCREENSHOTS}/templates-refused.png` });
    expect(unexpected(problems)).toEqual([]);
  });

  test('a WhatsApp template with header, buttons, examples, checks and the cost per category, in light and dark', async ({
    page,
    agentHub,
  }) => {
    const problems = watchForProblems(page);
    await agentHub.addStarterTemplates();
    await signInAs(page, agentHub.url, ADMIN);
    await openTemplates(page);
    await startNew(page, 'WhatsApp template');
    await page.getByLabel('Name').fill('delivery_update');
    await page.getByLabel('Header').fill('Your delivery');
    await page
      .getByTestId('template-body')
      .fill('Hello {{1}}, your order {{2}} arrives on {{3}}. Reply to change the day.');
    await page.getByLabel('Example for {{1}}').fill('Ana');
    await page.getByLabel('Example for {{2}}').fill('100482');
    await page.getByLabel('Footer').fill('Northwind Outfitters');
    await page.getByRole('button', { name: 'Add button' }).click();
    await page.getByRole('menuitem', { name: 'Link (URL)' }).click();
    await page.getByLabel('Button 1 label').fill('Track parcel');
    await page.getByLabel('Button 1 address').fill('https://track.example.com/100482');
    await page.getByRole('button', { name: 'Add button' }).click();
    await page.getByRole('menuitem', { name: 'Quick reply' }).click();
    await page.getByLabel('Button 2 label').fill('Change the day');

    // One example is missing: the checklist says so, then passes once it is given.
    await expect(page.getByTestId('whatsapp-checks')).toContainText('1 to fix');
    await expect(page.getByTestId('check-reason')).toHaveText([
      "Variable {{3}} needs an example value for Meta's review",
    ]);
    await page.getByLabel('Example for {{3}}').fill('Friday');
    await expect(page.getByTestId('whatsapp-checks')).toContainText('ready to submit');
    await expect(page.getByTestId('template-preview')).toContainText(
      'Hello Ana, your order 100482 arrives on Friday.',
    );
    const costs = page.getByTestId('category-costs');
    await expect(costs).toContainText('Marketing');
    await expect(costs).toContainText('example rate card');
    await page.getByRole('button', { name: 'Create' }).click();
    await expect(page.getByTestId('template-notice')).toContainText('Version 1 is live');
    await page.getByRole('textbox', { name: 'Search templates' }).click();
    await page.mouse.move(0, 0);
    await page.screenshot({ path: `${SCREENSHOTS}/templates-editor-light.png` });
    await page.emulateMedia({ colorScheme: 'dark' });
    await expect(page.locator('html')).toHaveAttribute('data-mantine-color-scheme', 'dark');
    await page.screenshot({
      path: `${SCREENSHOTS}/templates-editor-dark.png`,
      animations: 'disabled',
    });
    expect(problems).toEqual([]);
  });

  test('exports the quick replies as a JSON file and imports one with a summary of what was added, updated and refused', async ({
    page,
    agentHub,
  }) => {
    const problems = watchForProblems(page);
    await agentHub.addStarterTemplates();
    await signInAs(page, agentHub.url, ADMIN);
    await openTemplates(page);

    await page.getByRole('button', { name: 'JSON' }).click();
    const downloading = page.waitForEvent('download');
    await page.getByRole('menuitem', { name: 'Export…' }).click();
    const download = await downloading;
    expect(download.suggestedFilename()).toMatch(/^quick-replies-\d{4}-\d{2}-\d{2}\.json$/);
    const exported = JSON.parse(await readFile(await download.path(), 'utf8')) as {
      quickReplies: { name: string; shortcut: string | null }[];
    };
    expect(exported.quickReplies.map((q) => q.shortcut).sort()).toEqual(['hi', 'return', 'status']);

    const file = {
      quickReplies: [
        {
          name: 'Opening hours',
          shortcut: 'hours',
          body: 'We answer from 9:00 to 18:00, {{customer.first_name}}.',
          language: 'en',
          channels: ['whatsapp', 'telegram'],
          folder: 'General',
        },
        { ...exported.quickReplies.find((q) => q.shortcut === 'hi'), body: 'Hello there!' },
        { name: 'Broken', body: 'Hi {{customer.nmae}}', channels: ['whatsapp'] },
      ],
    };
    await page.getByRole('button', { name: 'JSON' }).click();
    await page.getByRole('menuitem', { name: 'Import…' }).click();
    await page.getByTestId('import-file').setInputFiles({
      name: 'replies.json',
      mimeType: 'application/json',
      buffer: Buffer.from(JSON.stringify(file)),
    });
    const summary = page.getByTestId('import-summary');
    await expect(summary).toContainText('1 added · 1 updated · 1 refused');
    await expect(summary).toContainText(
      '#3 Broken: body: Unknown variable "customer.nmae" at line 1, column 4',
    );
    await expect(
      page.getByTestId('template-row').filter({ hasText: 'Opening hours' }),
    ).toBeVisible();
    await page.getByTestId('template-row').filter({ hasText: 'Greeting' }).click();
    await expect(page.getByTestId('template-body')).toHaveValue('Hello there!');
    await expect(page.getByTestId('version-row').first()).toContainText('imported: body');
    await page.screenshot({ path: `${SCREENSHOTS}/templates-import.png` });
    expect(problems).toEqual([]);
  });
});
