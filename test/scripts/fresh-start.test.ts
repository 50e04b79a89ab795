import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { buildIfStale } from '../../scripts/build-if-stale';
import { embeddedHubStarter, hubStartFailure } from '../../src/main/embedded-hub';
import { DataFolderError, prepareDataDir } from '../../src/server/store/data-dir';
import { errorLineOf } from '../../src/server/store/db';

/**
 * The first thing a newcomer runs. `npm start` (its browser fallback), `npm run hub` and the
 * desktop app's embedded hub each get a home folder with nothing in it: the data folder and its
 * parents are created, and a folder that cannot be used is one line, not a stack trace.
 */
const root = path.resolve('.');
const tsx = path.join(root, 'node_modules/tsx/dist/cli.mjs');

// The scripts build first when out/ is older than the sources: do that here, once, so their
// output below is only what a user sees on a start.
beforeAll(() => buildIfStale(root), 180_000);

const temporary: string[] = [];
async function tempDir(): Promise<string> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'replydesk-fresh-'));
  temporary.push(dir);
  return dir;
}
const children: ChildProcess[] = [];
afterEach(async () => {
  for (const child of children.splice(0)) {
    if (child.exitCode === null && child.signalCode === null) {
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGTERM');
      await exited;
    }
  }
  for (const dir of temporary.splice(0)) await rm(dir, { recursive: true, force: true });
});

/** The environment of a fresh machine: this process's, minus every Replydesk setting. */
function freshEnv(home: string, extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [key, value] of Object.entries(process.env)) {
    if (!key.startsWith('REPLYDESK_') && !key.startsWith('WHATSAPP_')) env[key] = value;
  }
  return { ...env, HOME: home, USERPROFILE: home, PORT: '0', ...extra };
}

interface Run {
  readonly child: ChildProcess;
  stdout: string;
  stderr: string;
  readonly exited: Promise<number | null>;
}

function run(script: string, env: NodeJS.ProcessEnv): Run {
  const child = spawn(process.execPath, [tsx, script], { cwd: root, env });
  children.push(child);
  const result: Run = {
    child,
    stdout: '',
    stderr: '',
    exited: new Promise((resolve) => child.once('exit', (code) => resolve(code))),
  };
  child.stdout?.on('data', (chunk: Buffer) => (result.stdout += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (result.stderr += chunk.toString()));
  return result;
}

/** The first URL `pattern` finds in the output, or the output if the process ended first. */
function urlIn(result: Run, pattern: RegExp): Promise<string> {
  return new Promise((resolve, reject) => {
    const look = (): void => {
      const url = pattern.exec(result.stdout)?.[1];
      if (url) resolve(url);
    };
    result.child.stdout?.on('data', look);
    void result.exited.then((code) =>
      reject(new Error(`exited ${code}:\n${result.stdout}\n${result.stderr}`)),
    );
    look();
  });
}

describe('a fresh machine', () => {
  it('npm start (browser fallback) creates ~/.replydesk/hub with its parents and serves the app', async () => {
    const home = await tempDir();
    const started = run(
      'scripts/start.ts',
      // The demo is the same code whatever the folder; off here, the start stays quick.
      freshEnv(home, { REPLYDESK_NO_ELECTRON: '1', REPLYDESK_DEMO: '0' }),
    );
    const url = await urlIn(started, /Replydesk is running at (http:\/\/\S+) /);
    expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    // The one way in: the printed one-time link (any local process can reach the address).
    const link = await urlIn(started, /\n {2}(http:\/\/\S+)\n/);
    expect(link).toMatch(new RegExp(`^${url}/#/sign-in\\?token=[A-Za-z0-9_-]{43}$`));
    const signIn = (secret?: string) =>
      fetch(`${url}/api/auth/embedded`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(secret === undefined ? {} : { secret }),
      }).then((response) => response.status);
    const token = new URLSearchParams(link.split('?')[1]).get('token') ?? '';
    expect(await signIn()).toBe(401);
    expect(await signIn(token)).toBe(200);
    expect(await signIn(token)).toBe(401);
    const page = await fetch(`${url}/`);
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('<div id="root"></div>');
    expect(existsSync(path.join(home, '.replydesk', 'hub', 'PG_VERSION'))).toBe(true);
    expect(started.stderr).toBe('');
  }, 120_000);

  it('npm run hub names a data folder it cannot create in one line, and stops', async () => {
    const home = await tempDir();
    await writeFile(path.join(home, 'not-a-folder'), '');
    const dataDir = path.join(home, 'not-a-folder', 'hub');
    const hub = run('scripts/hub.ts', freshEnv(home, { REPLYDESK_DATA_DIR: dataDir }));
    expect(await hub.exited).toBe(1);
    expect(hub.stderr).toBe(
      `hub: Cannot use the data folder ${dataDir}: a part of the path is a file, not a folder (ENOTDIR).\n`,
    );
  }, 120_000);

  it("the desktop app's error dialog names an unusable data folder and why, in one line", async () => {
    // The parents are created by the same `prepareDataDir` as above; what can still go wrong is
    // a folder that cannot be made at all.
    const userDataDir = path.join(await tempDir(), 'Replydesk');
    await writeFile(userDataDir, '');
    const starter = embeddedHubStarter({
      env: { REPLYDESK_DEMO: '0' },
      cwd: root,
      rendererDir: path.join(root, 'out/renderer'),
      defaultRateCard: path.join(root, 'resources/pricing/rate-card.example.json'),
    });
    const error = await starter({
      userDataDir,
      secret: 'launch-secret-0123456789abcdefghijklmnopqrstuv',
    }).catch((e: unknown) => e);
    const dataDir = path.join(userDataDir, 'hub');
    expect(hubStartFailure(error, userDataDir).content.split('\n')[2]).toBe(
      `Cannot use the data folder ${dataDir}: a part of the path is a file, not a folder (ENOTDIR).`,
    );
  });
});

describe('preparing a data folder', () => {
  it('creates every missing parent', async () => {
    const dir = path.join(await tempDir(), 'a', 'b', 'c');
    await prepareDataDir(dir);
    expect(existsSync(dir)).toBe(true);
  });

  it('says, in one sentence, that a file is in the way', async () => {
    const dir = path.join(await tempDir(), 'hub');
    await writeFile(dir, '');
    const error = await prepareDataDir(dir).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DataFolderError);
    expect((error as Error).message).toBe(
      `Cannot use the data folder ${dir}: a file of that name is in the way (EEXIST).`,
    );
  });

  it("keeps only the error line of the database process's dump", () => {
    const dump = [
      'node:fs:1386',
      '  const result = binding.mkdir(',
      '                         ^',
      '',
      "Error: ENOSPC: no space left on device, write '/data/hub/base/1/1259'",
      '    at Object.writeSync (node:fs:927:3)',
    ].join('\n');
    expect(errorLineOf(dump)).toBe(
      "Error: ENOSPC: no space left on device, write '/data/hub/base/1/1259'",
    );
  });
});
