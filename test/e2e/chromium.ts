import { existsSync } from 'node:fs';
import { chromium } from '@playwright/test';

/**
 * The Chromium the browser tests drive: `REPLYDESK_CHROMIUM` (or `CHROMIUM_PATH`), then Debian's
 * `/usr/bin/chromium`, then a browser Playwright installed itself. Never silently none.
 */
export function findChromium(env: Record<string, string | undefined>): string | null {
  const candidates = [
    env['REPLYDESK_CHROMIUM'],
    env['CHROMIUM_PATH'],
    '/usr/bin/chromium',
    '/usr/bin/chromium-browser',
  ];
  for (const candidate of candidates) {
    if (candidate && existsSync(candidate)) return candidate;
  }
  try {
    const bundled = chromium.executablePath();
    if (bundled && existsSync(bundled)) return bundled;
  } catch {
    // Playwright throws when it has no browser of its own; fall through to the message.
  }
  return null;
}

export const CHROMIUM_HINT =
  'No Chromium found for the browser tests: install one with `sudo apt-get install -y chromium` (or set REPLYDESK_CHROMIUM=/path/to/chromium).';

/** Flags that keep Chromium quiet on machines with a closed network (see README). */
export const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];
