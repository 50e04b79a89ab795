import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser } from '@playwright/test';
import { build } from 'esbuild';
import type { Template } from '../../../src/shared/domain/model';
import { cacheName } from '../../../src/renderer/src/data/db';
import type { Me, Teammate } from '../../../src/renderer/src/data/types';
import { CHROMIUM_ARGS, CHROMIUM_HINT, findChromium } from '../../e2e/chromium';
import { startTestHub } from '../../support/hub';
import type { SearchProbeRequest, SearchProbeResult, Timing } from './in-page/search-probe';
import type { SeedRequest, SeedResult } from './in-page/seed';

/**
 * `npm run bench -- search`: the searches of issue 12, item 7 on the benchmark's cache (20,000
 * conversations, 200,000 messages, seeded as `app.bench.ts` seeds it, without its `bulkPut`
 * baseline), timed in Chromium on the app's own functions (`in-page/search-probe.ts`):
 * the message search through IndexedDB, the inbox selection with a search, the command
 * palette's customer search and its cached-order lookup. Figures are reported, not asserted.
 */

const here = path.dirname(fileURLToPath(import.meta.url));
const CONVERSATIONS = Number(process.env['BENCH_APP_CONVERSATIONS'] ?? 20_000);
const MESSAGES = Number(process.env['BENCH_APP_MESSAGES'] ?? 200_000);
const ROUNDS = Number(process.env['BENCH_APP_ROUNDS'] ?? 5);
const n = (value: number): string => value.toLocaleString('en-US');

async function bundle(entry: string): Promise<string> {
  const result = await build({
    entryPoints: [path.join(here, entry)],
    bundle: true,
    format: 'iife',
    platform: 'browser',
    target: 'chrome120',
    write: false,
    logLevel: 'silent',
  });
  return result.outputFiles[0]?.text ?? '';
}

async function getJson<T>(url: string, token?: string): Promise<{ status: number; body: T }> {
  const res = await fetch(url, { headers: token ? { authorization: `Bearer ${token}` } : {} });
  const text = await res.text();
  return { status: res.status, body: (text ? JSON.parse(text) : null) as T };
}

function table(title: string, rows: readonly Timing[], unit: string): void {
  console.log(`\n${title}`);
  for (const row of rows) {
    console.log(
      `  ${JSON.stringify(row.query).padEnd(18)} median ${row.medianMs.toFixed(1).padStart(7)} ms, max ${row.maxMs.toFixed(1).padStart(7)} ms, ${n(row.found)} ${unit}`,
    );
  }
}

async function main(): Promise<void> {
  const executablePath = findChromium(process.env);
  if (!executablePath) throw new Error(CHROMIUM_HINT);
  const [seedSource, probeSource] = await Promise.all([
    bundle('in-page/seed.ts'),
    bundle('in-page/search-probe.ts'),
  ]);
  // The app itself is not loaded: the hub gives the page its origin and the seed its data.
  const hub = await startTestHub({ embedded: true });
  let browser: Browser | null = null;
  try {
    const embedded = await getJson<{ token: string; user: Me }>(`${hub.url}/api/auth/embedded`);
    const { token, user } = embedded.body;
    const me: Me = { id: user.id, name: user.name, role: user.role, email: user.email ?? null };
    const [head, templates, users] = await Promise.all([
      getJson<{ headSeq: number }>(`${hub.url}/api/conversations?limit=1`, token),
      getJson<{ templates: Template[] }>(`${hub.url}/api/templates`, token),
      getJson<{ users: Teammate[] }>(`${hub.url}/api/users`, token),
    ]);
    browser = await chromium.launch({ executablePath, args: CHROMIUM_ARGS });
    console.log(
      `Chromium ${browser.version()}; ${os.availableParallelism()} cores, load average ${os
        .loadavg()
        .map((l) => l.toFixed(2))
        .join(' ')}`,
    );
    const page = await (await browser.newContext()).newPage();
    page.on('console', (message) => {
      if (message.text().startsWith('bench: ')) console.log(`  ${message.text().slice(7)}`);
    });
    await page.goto(`${hub.url}/api/bench-seed`);
    await page.evaluate(seedSource);
    const seedRequest: SeedRequest = {
      dbName: cacheName(hub.url, me.id),
      scratchName: `replydesk-bench-scratch-${Date.now()}`,
      headSeq: head.body.headSeq,
      me,
      teammates: users.body.users,
      templates: templates.body.templates,
      rateCard: null,
      conversations: CONVERSATIONS,
      messages: MESSAGES,
      bigConversationMessages: 5_000,
      skipBaseline: true,
    };
    const seeded = (await page.evaluate(
      `globalThis.__benchSeed(${JSON.stringify(seedRequest)})`,
    )) as SeedResult;
    console.log(`Seeded ${n(seeded.conversations)} conversations, ${n(seeded.messages)} messages`);

    await page.evaluate(probeSource);
    const probeRequest: SearchProbeRequest = {
      hubUrl: hub.url,
      me,
      rounds: ROUNDS,
      // Common ("order"), a phrase in about a tenth of the messages, a rare word, nothing.
      messageQueries: ['order', 'tracking link', 'discount', 'zzqx nothing'],
      paletteQueries: ['a', 'an', 'maria', '+31 6', 'zzqx'],
    };
    const result = (await page.evaluate(
      `globalThis.__benchSearch(${JSON.stringify(probeRequest)})`,
    )) as SearchProbeResult;
    console.log(`${n(result.conversations)} conversations read; medians of ${ROUNDS} rounds`);
    table(
      'Message search (layer.searchMessages: every search row read, each match its line)',
      result.messageSearch,
      'conversations',
    );
    console.log(
      `  aborted 1 ms after it started: settled after ${result.abortedAfterMs.toFixed(1)} ms`,
    );
    table(
      'Inbox selection with that text (selectInbox, every status, 20,000 classified rows)',
      result.inboxSelection,
      'rows',
    );
    table('Command palette customer search (searchPalette)', result.palette, 'entries');
    console.log(
      `\nCached order lookup by number (cachedOrdersByNumber): median ${result.orderLookupMs.toFixed(1)} ms`,
    );
  } finally {
    await browser?.close();
    await hub.close();
  }
}

await main();
