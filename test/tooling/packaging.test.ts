import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

// Packaging cannot run on machines without the Electron runtime; its configuration is validated
// against electron-builder's own schema instead, so `npm run dist` fails on users' machines
// only for reasons of their machine.
const require = createRequire(import.meta.url);
const builderDir = path.dirname(require.resolve('electron-builder/package.json'));
const configModule = require(
  require.resolve('app-builder-lib/out/util/config/config', { paths: [builderDir] }),
) as { validateConfiguration(config: unknown, logger: unknown): Promise<void> };
const { DebugLogger } = require(require.resolve('builder-util', { paths: [builderDir] })) as {
  DebugLogger: new (enabled: boolean) => unknown;
};

async function loadConfig(): Promise<Record<string, unknown>> {
  return JSON.parse(await readFile('electron-builder.json', 'utf8')) as Record<string, unknown>;
}

describe('electron-builder configuration', () => {
  it('passes electron-builder schema validation', async () => {
    await expect(
      configModule.validateConfiguration(await loadConfig(), new DebugLogger(false)),
    ).resolves.toBeUndefined();
  });

  it('is validated for real: an unknown option fails', async () => {
    const config = { ...(await loadConfig()), win: { target: 'nsis', notAnOption: true } };
    await expect(
      configModule.validateConfiguration(config, new DebugLogger(false)),
    ).rejects.toThrow(/configuration.win/);
  });

  it('targets nsis on Windows, dmg on macOS and AppImage on Linux', async () => {
    const config = (await loadConfig()) as {
      win: { target: { target: string }[] };
      mac: { target: { target: string }[] };
      linux: { target: { target: string }[] };
    };
    expect(config.win.target.map((t) => t.target)).toEqual(['nsis']);
    expect(config.mac.target.map((t) => t.target)).toEqual(['dmg']);
    expect(config.linux.target.map((t) => t.target)).toEqual(['AppImage']);
  });

  it('packages the built app and points package.json main at it', async () => {
    const config = (await loadConfig()) as { files: string[] };
    const pkg = JSON.parse(await readFile('package.json', 'utf8')) as { main: string };
    expect(config.files).toContain('out/**/*');
    expect(pkg.main).toBe('./out/main/index.js');
  });
});
