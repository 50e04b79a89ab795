import { mkdtemp, mkdir, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import {
  locateElectronRuntime,
  obtainElectronRuntime,
  runElectronInstaller,
  summariseInstallFailure,
} from '../../scripts/electron-runtime';

let pkg: string;

beforeEach(async () => {
  pkg = await mkdtemp(path.join(os.tmpdir(), 'replydesk-electron-'));
  await writeFile(path.join(pkg, 'package.json'), '{"name":"electron","version":"45.4.1"}');
});

afterEach(async () => {
  await rm(pkg, { recursive: true, force: true });
});

async function installBinary(): Promise<void> {
  await mkdir(path.join(pkg, 'dist'), { recursive: true });
  await writeFile(path.join(pkg, 'dist', 'electron'), '#!/bin/sh\n');
  await writeFile(path.join(pkg, 'path.txt'), 'electron');
}

describe('finding the Electron runtime for npm start', () => {
  it('finds a downloaded runtime without downloading again', async () => {
    await installBinary();
    const install = vi.fn();
    const runtime = await obtainElectronRuntime(pkg, {}, install);
    expect(runtime).toEqual({ found: true, executable: path.join(pkg, 'dist', 'electron') });
    expect(install).not.toHaveBeenCalled();
  });

  it('downloads a missing runtime once and uses it', async () => {
    const install = vi.fn(async () => {
      await installBinary();
      return { ok: true, output: '' };
    });
    const runtime = await obtainElectronRuntime(pkg, {}, install);
    expect(runtime.found).toBe(true);
    expect(install).toHaveBeenCalledTimes(1);
  });

  it('reports the network failure in one line when the download fails', async () => {
    const output = [
      'HTTPError: getaddrinfo ENOTFOUND github.com',
      '    at ClientRequest.<anonymous> (/x/node_modules/got/index.js:1:1)',
      '    at emit (node:events:1:1)',
    ].join('\n');
    const runtime = await obtainElectronRuntime(pkg, {}, async () => ({ ok: false, output }));
    expect(runtime).toEqual({
      found: false,
      reason: 'the download failed: HTTPError: getaddrinfo ENOTFOUND github.com',
    });
  });

  it('says the package is missing when electron is not installed', async () => {
    await rm(path.join(pkg, 'package.json'));
    expect(locateElectronRuntime(pkg, {})).toEqual({
      found: false,
      reason: 'the electron package is not installed (run npm install)',
    });
  });

  it('honours ELECTRON_OVERRIDE_DIST_PATH without downloading', async () => {
    const install = vi.fn();
    const runtime = await obtainElectronRuntime(
      pkg,
      { ELECTRON_OVERRIDE_DIST_PATH: '/nowhere' },
      install,
    );
    expect(runtime).toMatchObject({ found: false, reason: expect.stringMatching(/OVERRIDE/) });
    expect(install).not.toHaveBeenCalled();
  });

  it('runs the real installer script and captures its failure instead of printing it', async () => {
    await writeFile(
      path.join(pkg, 'install.js'),
      'console.error("Error: connect ECONNREFUSED 127.0.0.1:443"); process.exit(1);',
    );
    const result = await runElectronInstaller(pkg, 10_000);
    expect(result.ok).toBe(false);
    expect(summariseInstallFailure(result.output)).toBe(
      'Error: connect ECONNREFUSED 127.0.0.1:443',
    );
  });

  it('gives up on an installer that hangs', async () => {
    await writeFile(path.join(pkg, 'install.js'), 'setInterval(() => {}, 1000);');
    const result = await runElectronInstaller(pkg, 300);
    expect(result).toEqual({ ok: false, output: 'timed out after 0 s' });
  });
});
