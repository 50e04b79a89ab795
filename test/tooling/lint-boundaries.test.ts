import { ESLint } from 'eslint';
import { describe, expect, it } from 'vitest';

// Runs the project's real ESLint config (the one `npm run check` uses) against deliberate
// violations, so a boundary that silently stopped being enforced fails this suite.
const eslint = new ESLint({ cwd: process.cwd() });

async function boundaryErrors(filePath: string, code: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath });
  return (result?.messages ?? [])
    .filter((message) => message.ruleId === 'no-restricted-imports')
    .map((message) => message.message);
}

const violations: [where: string, filePath: string, code: string, expected: RegExp][] = [
  [
    'shared imports a Node built-in',
    'src/shared/probe.ts',
    "import fs from 'node:fs';\nexport const x = fs;",
    /Node built-ins/,
  ],
  [
    'shared imports a bare Node built-in',
    'src/shared/probe.ts',
    "import { join } from 'path';\nexport const x = join;",
    /Node built-ins/,
  ],
  [
    'shared imports Electron',
    'src/shared/probe.ts',
    "import { app } from 'electron';\nexport const x = app;",
    /Only src\/main and src\/preload/,
  ],
  [
    'shared imports React',
    'src/shared/probe.ts',
    "import { useState } from 'react';\nexport const x = useState;",
    /pure TypeScript/,
  ],
  [
    'shared imports the server',
    'src/shared/probe.ts',
    "import { x as y } from '../server/hub';\nexport const x = y;",
    /src\/server/,
  ],
  [
    'renderer imports Electron',
    'src/renderer/src/probe.ts',
    "import { ipcRenderer } from 'electron';\nexport const x = ipcRenderer;",
    /Only src\/main/,
  ],
  [
    'renderer imports a Node built-in',
    'src/renderer/src/probe.ts',
    "import { readFile } from 'node:fs/promises';\nexport const x = readFile;",
    /Node built-ins/,
  ],
  [
    'renderer imports the server',
    'src/renderer/src/probe.ts',
    "import { x as y } from '../../server/http';\nexport const x = y;",
    /src\/server/,
  ],
  [
    'server imports Electron',
    'src/server/probe.ts',
    "import { app } from 'electron';\nexport const x = app;",
    /Only src\/main/,
  ],
  [
    'server imports the renderer',
    'src/server/probe.ts',
    "import { x as y } from '../renderer/src/app';\nexport const x = y;",
    /src\/renderer/,
  ],
  [
    'main imports the renderer',
    'src/main/probe.ts',
    "import { x as y } from '../renderer/src/app';\nexport const x = y;",
    /src\/renderer/,
  ],
  [
    'preload imports a Node built-in',
    'src/preload/probe.ts',
    "import fs from 'fs';\nexport const x = fs;",
    /Node built-ins/,
  ],
];

describe('import boundaries', () => {
  it.each(violations)('fails lint when %s', async (_where, filePath, code, expected) => {
    const errors = await boundaryErrors(filePath, code);
    expect(errors.length).toBeGreaterThan(0);
    expect(errors.join('\n')).toMatch(expected);
  });

  it.each([
    [
      'shared imports zod and a sibling module',
      'src/shared/probe.ts',
      "import { z } from 'zod';\nimport { HOUR_MS } from './domain/channels';\nexport const x = [z, HOUR_MS];",
    ],
    [
      'renderer imports shared',
      'src/renderer/src/probe.ts',
      "import { CHANNEL_INFO } from '../../shared/domain/channels';\nexport const x = CHANNEL_INFO;",
    ],
    [
      'server imports Node built-ins and shared',
      'src/server/probe.ts',
      "import { createServer } from 'node:http';\nimport { HOUR_MS } from '../shared/domain/channels';\nexport const x = [createServer, HOUR_MS];",
    ],
    [
      'main imports the server (the embedded hub)',
      'src/main/probe.ts',
      "import { x as y } from '../server/hub';\nexport const x = y;",
    ],
  ])('allows it when %s', async (_where, filePath, code) => {
    expect(await boundaryErrors(filePath, code)).toEqual([]);
  });

  it('makes the whole lint run fail on a violation, as npm run check does', async () => {
    const [result] = await eslint.lintText("import fs from 'node:fs';\nexport const x = fs;\n", {
      filePath: 'src/shared/probe.ts',
    });
    expect(result?.errorCount).toBeGreaterThan(0);
  });
});

describe('one date formatter in the renderer', () => {
  const FORMATTER = 'Format dates and times with src/renderer/src/format/dates.ts.';
  const dateErrors = async (filePath: string, code: string): Promise<string[]> => {
    const [result] = await eslint.lintText(code, { filePath });
    return (result?.messages ?? [])
      .filter((message) => message.ruleId === 'no-restricted-syntax')
      .map((message) => message.message);
  };

  it.each([
    ['new Intl.DateTimeFormat', "export const f = new Intl.DateTimeFormat('en-US');"],
    ['toLocaleTimeString', 'export const t = new Date(0).toLocaleTimeString();'],
    ['toLocaleDateString', 'export const d = (at: Date) => at.toLocaleDateString();'],
    ['new Date(…).toLocaleString', 'export const s = new Date(0).toLocaleString();'],
  ])('fails lint when a screen formats a date with %s', async (_what, code) => {
    expect(await dateErrors('src/renderer/src/features/probe.ts', code)).toEqual([FORMATTER]);
  });

  it('allows numbers in the locale, and the formatter module itself', async () => {
    expect(
      await dateErrors(
        'src/renderer/src/features/probe.ts',
        'export const n = (1234).toLocaleString();',
      ),
    ).toEqual([]);
    expect(
      await dateErrors(
        'src/renderer/src/format/dates.ts',
        "export const f = new Intl.DateTimeFormat('en-GB');",
      ),
    ).toEqual([]);
  });
});
