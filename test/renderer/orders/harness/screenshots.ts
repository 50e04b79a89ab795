/**
 * Screenshots of the order panel harness at 1280×720, light and dark, and with a search that
 * offers to link an order:
 *
 *   npx tsx test/renderer/orders/harness/screenshots.ts [out-dir]
 */
import { mkdirSync } from 'node:fs';
import { resolve } from 'node:path';
import { chromium } from '@playwright/test';
import { createServer } from 'vite';
import { CHROMIUM_ARGS, CHROMIUM_HINT, findChromium } from '../../../e2e/chromium';

const out = resolve(process.argv[2] ?? 'test-results/order-panel');
mkdirSync(out, { recursive: true });

const executablePath = findChromium(process.env);
if (!executablePath) throw new Error(CHROMIUM_HINT);

const server = await createServer({
  configFile: resolve(import.meta.dirname, 'vite.config.mts'),
  server: { port: 0, strictPort: false },
  logLevel: 'warn',
});
await server.listen();
const url = server.resolvedUrls?.local[0];
const browser = await chromium.launch({ executablePath, args: CHROMIUM_ARGS });
try {
  if (!url) throw new Error('the harness has no URL');
  for (const scheme of ['light', 'dark'] as const) {
    const page = await browser.newPage({ viewport: { width: 1280, height: 720 } });
    page.on('pageerror', (error) => console.error('page error:', error.message));
    await page.goto(`${url}?scheme=${scheme}`);
    await page.getByTestId('order-panel').first().waitFor();
    await page.screenshot({ path: resolve(out, `panel-${scheme}.png`) });
    const last = page.locator('[data-scenario="linked order; search 3999"]');
    await last.getByTestId('order-search').fill('3999');
    await last.getByTestId('order-search').press('Enter');
    await last.getByTestId('order-link').waitFor();
    await page.screenshot({ path: resolve(out, `panel-${scheme}-search.png`) });
    await page.close();
  }
} finally {
  await browser.close();
  await server.close();
}
console.log(`screenshots in ${out}`);
