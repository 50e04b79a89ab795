import { expect, type Page } from '@playwright/test';

/**
 * Screenshots of the page as it is, light then dark (`<dir>/<name>.png`, `<name>-dark.png`),
 * the colour scheme back to light after.
 */
export function screenshotsIn(dir: string): (page: Page, name: string) => Promise<void> {
  return async (page, name) => {
    await page.screenshot({ path: `${dir}/${name}.png`, animations: 'disabled' });
    await page.emulateMedia({ colorScheme: 'dark' });
    await expect(page.locator('html')).toHaveAttribute('data-mantine-color-scheme', 'dark');
    await page.screenshot({ path: `${dir}/${name}-dark.png`, animations: 'disabled' });
    await page.emulateMedia({ colorScheme: 'light' });
    await expect(page.locator('html')).toHaveAttribute('data-mantine-color-scheme', 'light');
  };
}
