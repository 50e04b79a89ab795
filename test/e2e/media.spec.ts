import type { JSHandle, Page } from '@playwright/test';
import { customerWrites, expect, rowOf, signIn, test, watchForProblems } from './agent-fixtures';

/**
 * Issue #14 items 4–5 in the app: files attached in the composer (button, drop, paste) checked
 * against the channel's limits before any upload, and media messages shown from the hub.
 */

test.describe.configure({ timeout: 90_000 });

const SHOTS = process.env['MEDIA_SHOTS'] ?? 'test-results/screenshots/media';
const SIZE = { width: 1280, height: 720 } as const;
const MiB = 1024 * 1024;

async function screenshots(page: Page, name: string): Promise<void> {
  await page.setViewportSize(SIZE);
  await page.screenshot({ path: `${SHOTS}/${name}-1280.png`, animations: 'disabled' });
  await page.emulateMedia({ colorScheme: 'dark' });
  await expect(page.locator('html')).toHaveAttribute('data-mantine-color-scheme', 'dark');
  await page.screenshot({ path: `${SHOTS}/${name}-dark.png`, animations: 'disabled' });
  await page.emulateMedia({ colorScheme: 'light' });
}

/** A DataTransfer holding one file made in the page: a drawn PNG, or `size` zero bytes. */
function fileTransfer(
  page: Page,
  file: { name: string; type: string; size?: number },
): Promise<JSHandle<DataTransfer>> {
  return page.evaluateHandle(async ({ name, type, size }) => {
    let blob: Blob;
    if (size === undefined) {
      const canvas = new OffscreenCanvas(640, 480);
      const g = canvas.getContext('2d');
      if (!g) throw new Error('no 2d context');
      g.fillStyle = '#c7a77b';
      g.fillRect(0, 0, 640, 480);
      g.fillStyle = '#8a6a43';
      g.fillRect(160, 120, 320, 240);
      g.fillStyle = '#ffffff';
      g.font = 'bold 48px sans-serif';
      g.fillText('PARCEL', 230, 260);
      blob = await canvas.convertToBlob({ type });
    } else {
      blob = new Blob([new Uint8Array(size)], { type });
    }
    const transfer = new DataTransfer();
    transfer.items.add(new File([blob], name, { type }));
    return transfer;
  }, file);
}

async function dropOnComposer(page: Page, transfer: JSHandle<DataTransfer>): Promise<void> {
  const box = page.getByTestId('composer-box');
  await box.dispatchEvent('dragenter', { dataTransfer: transfer });
  await expect(page.getByTestId('composer-drop-hint')).toBeVisible();
  await box.dispatchEvent('dragover', { dataTransfer: transfer });
  await box.dispatchEvent('drop', { dataTransfer: transfer });
  await expect(page.getByTestId('composer-drop-hint')).toBeHidden();
}

test.describe('attaching files in the composer', () => {
  test('a dropped photo is attached with its thumbnail; one over WhatsApp’s 5 MB is refused with the limit named, before any upload; the caption note follows the text', async ({
    page,
    agentHub,
  }) => {
    const problems = watchForProblems(page);
    await customerWrites(agentHub, 'The box arrived crushed, can I send you a photo?', Date.now());
    const uploads: string[] = [];
    page.on('request', (request) => {
      if (new URL(request.url()).pathname.startsWith('/api/media')) uploads.push(request.url());
    });
    await signIn(page, agentHub.url);
    await rowOf(page).click();

    // Too large: refused in the composer, naming WhatsApp's limit and the file's size.
    await dropOnComposer(
      page,
      await fileTransfer(page, { name: 'huge.png', type: 'image/png', size: 6 * MiB + 300 * 1024 }),
    );
    await expect(page.getByTestId('attachment-refused')).toHaveText(
      'Not attached. WhatsApp accepts images up to 5 MB; this file is 6.3 MB.',
    );
    await expect(page.getByTestId('composer-attachment')).toHaveCount(0);
    await screenshots(page, 'composer-refused');

    // A type WhatsApp does not take, through the attach button.
    await page.getByTestId('composer-file-input').setInputFiles({
      name: 'invoice.zip',
      mimeType: 'application/zip',
      buffer: Buffer.from('PK\u0003\u0004 not really a zip'),
    });
    await expect(page.getByTestId('attachment-refused')).toContainText(
      'Not attached. WhatsApp does not accept application/zip files. It accepts image (image/jpeg, image/png)',
    );

    // A photo: attached, with its thumbnail, name, type and size.
    await dropOnComposer(page, await fileTransfer(page, { name: 'parcel.png', type: 'image/png' }));
    await expect(page.getByTestId('attachment-refused')).toHaveCount(0);
    const attachment = page.getByTestId('composer-attachment');
    await expect(attachment).toHaveAttribute('data-kind', 'image');
    await expect(attachment.getByTestId('attachment-name')).toHaveText('parcel.png');
    await expect(attachment.getByTestId('attachment-details')).toHaveText(/^PNG · \d+(\.\d)? KB$/);
    const thumb = attachment.getByTestId('composer-attachment-thumb');
    await expect(thumb).toBeVisible();
    await expect.poll(() => thumb.evaluate((img: HTMLImageElement) => img.naturalWidth)).toBe(640);
    // Send is offered with an empty box: the photo alone is a reply.
    await expect(page.getByTestId('composer-send')).toBeEnabled();
    await page.getByTestId('composer-input').fill('Here is what we received');
    await expect(attachment.getByTestId('attachment-details')).toContainText(
      'Your text is sent as its caption.',
    );
    await screenshots(page, 'composer-attached');

    // Removed: nothing attached, Send needs text again.
    await attachment.getByTestId('composer-attachment-remove').click();
    await expect(page.getByTestId('composer-attachment')).toHaveCount(0);

    // Nothing was uploaded by attaching or refusing.
    expect(uploads).toEqual([]);
    expect(problems).toEqual([]);
  });

  test('Settings shows the media cache with its budget, which the agent changes', async ({
    page,
    agentHub,
  }) => {
    const problems = watchForProblems(page);
    await signIn(page, agentHub.url);
    await page.keyboard.press('ControlOrMeta+Comma');
    const section = page.getByTestId('media-cache-settings');
    await section.scrollIntoViewIfNeeded();
    await expect(section.getByTestId('media-cache-usage')).toHaveText(
      '0 bytes of 500 MB · 0 files',
    );
    await expect(section.getByTestId('media-cache-clear')).toBeDisabled();
    await section.getByTestId('media-cache-budget').click();
    await page.getByRole('option', { name: '1 GB' }).click();
    await expect(section.getByTestId('media-cache-usage')).toHaveText('0 bytes of 1 GB · 0 files');
    await screenshots(page, 'settings-media-cache');
    // Kept: the budget is there after a reload.
    await page.reload();
    await expect(page.getByTestId('workspace')).toBeVisible();
    await page.keyboard.press('ControlOrMeta+Comma');
    await expect(page.getByTestId('media-cache-usage')).toHaveText('0 bytes of 1 GB · 0 files');
    expect(problems).toEqual([]);
  });
});
