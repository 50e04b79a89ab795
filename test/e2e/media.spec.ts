import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import type { JSHandle, Page } from '@playwright/test';
import { formatBytes } from '../../src/renderer/src/format/files';
import {
  audioMessage,
  documentMessage,
  imageMessage,
  messagesWebhook,
} from '../support/whatsapp-webhooks';
import {
  customerWrites,
  expect,
  rowOf,
  serveAppFromDisk,
  signIn,
  test,
  watchForProblems,
  type AgentHub,
} from './agent-fixtures';
import { CHROMIUM_ARGS, findChromium } from './chromium';

const demo = (name: string) => readFile(`resources/demo/${name}`);

/** The customer sends a file on WhatsApp: Graph holds it, the webhook names it. */
async function customerSends(
  hub: AgentHub,
  message: (mediaId: string) => ReturnType<typeof imageMessage>,
  file: { bytes: Buffer; mimeType: string },
): Promise<void> {
  const id = hub.graph.addMedia(file);
  expect(await hub.webhook(messagesWebhook(message(id)))).toBe(200);
}

/**
 * Issue #14 items 4–5 in the app: files attached in the composer (button, drop, paste) checked
 * against the channel's limits before any upload, and media messages shown from the hub.
 */

test.describe.configure({ timeout: 90_000 });
// Pages served from disk (the offline test) reach the loopback hub: as offline.spec.ts, without
// Chromium's Local Network Access checks, which the desktop shell's app:// scheme is not subject to.
test.use({
  launchOptions: {
    executablePath: findChromium(process.env) ?? undefined,
    args: [...CHROMIUM_ARGS, '--disable-features=LocalNetworkAccessChecks'],
  },
});

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

test.describe('media messages from the customer', () => {
  test('photos open in the lightbox (← → Esc), a voice note plays with its length, a PDF is offered with its name and size; offline, they still show', async ({
    page,
    agentHub,
  }) => {
    const problems = watchForProblems(page);
    const [parcel, damaged, voice, pdf] = await Promise.all([
      demo('parcel.png'),
      demo('damaged.png'),
      demo('voice-note.wav'),
      demo('return-form.pdf'),
    ]);
    const now = Date.now();
    await customerSends(
      agentHub,
      (id) =>
        imageMessage({
          mediaId: id,
          mimeType: 'image/png',
          caption: 'The box',
          timestamp: (now - 4000) / 1000,
        }),
      { bytes: parcel, mimeType: 'image/png' },
    );
    await customerSends(
      agentHub,
      (id) =>
        imageMessage({
          mediaId: id,
          mimeType: 'image/png',
          caption: 'And the item inside',
          timestamp: (now - 3000) / 1000,
        }),
      { bytes: damaged, mimeType: 'image/png' },
    );
    await customerSends(
      agentHub,
      (id) =>
        audioMessage({
          mediaId: id,
          mimeType: 'audio/wav',
          voice: true,
          timestamp: (now - 2000) / 1000,
        }),
      { bytes: voice, mimeType: 'audio/wav' },
    );
    await customerSends(
      agentHub,
      (id) =>
        documentMessage({
          mediaId: id,
          filename: 'return-form.pdf',
          timestamp: (now - 1000) / 1000,
        }),
      { bytes: pdf, mimeType: 'application/pdf' },
    );
    // What the page asks the hub for: the timeline the photos' thumbnails, the lightbox the photos.
    const fileRequests: string[] = [];
    page.on('request', (request) => {
      const url = new URL(request.url());
      if (url.pathname.startsWith('/api/media/')) fileRequests.push(`${url.pathname}${url.search}`);
    });
    await serveAppFromDisk(page, agentHub.url);
    await signIn(page, agentHub.url);
    await rowOf(page).click();

    const thumbs = page.getByTestId('media-thumbnail');
    await expect(thumbs).toHaveCount(2, { timeout: 15_000 });
    // The hub's thumbnails (480 × 360, as the demo photos are: a thumbnail never enlarges).
    for (const i of [0, 1]) {
      await expect
        .poll(() => thumbs.nth(i).evaluate((img: HTMLImageElement) => img.naturalWidth))
        .toBe(480);
    }
    const photoSha = (bytes: Buffer) => createHash('sha256').update(bytes).digest('hex');
    const [parcelSha, damagedSha] = [photoSha(parcel), photoSha(damaged)];
    expect(fileRequests.filter((r) => r.includes('?size=thumb')).sort()).toEqual(
      [`/api/media/${parcelSha}?size=thumb`, `/api/media/${damagedSha}?size=thumb`].sort(),
    );
    expect(fileRequests.some((r) => r === `/api/media/${parcelSha}`)).toBe(false);

    // The lightbox: the first photo, → the second, ← back, Esc closes.
    await page.getByTestId('media-thumbnail-button').first().click();
    const lightbox = page.getByTestId('lightbox');
    await expect(lightbox.getByTestId('lightbox-position')).toContainText('1 / 2');
    await expect(lightbox.getByTestId('lightbox-image')).toBeVisible();
    // …shows the photo itself, fetched without a size.
    await expect.poll(() => fileRequests.includes(`/api/media/${parcelSha}`)).toBe(true);
    await screenshots(page, 'lightbox');
    // The whole stage, its next arrow included, fits at 1280 × 720 (it was cut off at the right).
    const stage = await lightbox.getByTestId('lightbox-stage').boundingBox();
    const nextArrow = await lightbox.getByRole('button', { name: 'Next photo' }).boundingBox();
    expect(
      stage && nextArrow ? [stage.x >= 0, nextArrow.x + nextArrow.width <= SIZE.width - 40] : null,
    ).toEqual([true, true]);
    await page.keyboard.press('ArrowRight');
    await expect(lightbox.getByTestId('lightbox-position')).toContainText('2 / 2');
    await page.keyboard.press('ArrowLeft');
    await expect(lightbox.getByTestId('lightbox-position')).toContainText('1 / 2');
    await page.keyboard.press('Escape');
    await expect(page.getByTestId('lightbox-image')).toBeHidden();

    // The voice note: 2.4 s long, shown as 0:02; it plays.
    const audio = page.getByTestId('media-audio');
    await expect(audio.getByTestId('audio-duration')).toHaveText('0:02');
    await audio.getByTestId('audio-play').click();
    await expect(audio.getByTestId('audio-player')).toHaveAttribute('data-playing', 'true');

    // The PDF: its name, type and size, to open or save.
    const document = page.getByTestId('media-document');
    await expect(document.getByTestId('document-name')).toHaveText('return-form.pdf');
    await expect(document.getByTestId('document-details')).toHaveText(
      `PDF · ${formatBytes(pdf.length)}`,
    );
    await expect(document.getByTestId('document-save')).toHaveAttribute(
      'download',
      'return-form.pdf',
    );
    await screenshots(page, 'media-messages');

    // Offline: the hub is gone, the page reloads from disk, the files come from the media cache.
    await agentHub.stop();
    await page.reload();
    await expect(page.getByTestId('workspace')).toBeVisible();
    await rowOf(page).click();
    await expect(page.getByTestId('media-thumbnail')).toHaveCount(2);
    await expect
      .poll(() =>
        page
          .getByTestId('media-thumbnail')
          .first()
          .evaluate((img: HTMLImageElement) => img.naturalWidth),
      )
      .toBeGreaterThan(0);
    await expect(page.getByTestId('media-document').getByTestId('document-save')).toHaveAttribute(
      'href',
      /^blob:/,
    );
    await screenshots(page, 'media-offline');
    expect(problems).toEqual([]);
  });
});

test.describe('sending a file', () => {
  test('a photo dropped on the composer is uploaded once, sent with its caption and shows its thumbnail', async ({
    page,
    agentHub,
  }) => {
    const problems = watchForProblems(page);
    await customerWrites(agentHub, 'Can you show me the label?', Date.now());
    await signIn(page, agentHub.url);
    await rowOf(page).click();
    await dropOnComposer(page, await fileTransfer(page, { name: 'label.png', type: 'image/png' }));
    await page.getByTestId('composer-input').fill('Here is the label');
    await page.getByTestId('composer-send').click();
    const sent = page.getByTestId('message').filter({ hasText: 'Here is the label' });
    await expect(sent).toHaveAttribute('data-content-type', 'image');
    await expect(sent).toHaveAttribute('data-status', /^(sent|delivered|read)$/, {
      timeout: 15_000,
    });
    await expect
      .poll(() =>
        sent.getByTestId('media-thumbnail').evaluate((img: HTMLImageElement) => img.naturalWidth),
      )
      .toBe(640);
    // Uploaded to WhatsApp once, then sent naming that upload.
    expect(agentHub.graph.uploads.map((u) => [u.type, u.filename])).toEqual([
      ['image/png', 'label.png'],
    ]);
    await screenshots(page, 'sent-photo');
    expect(problems).toEqual([]);
  });
});
