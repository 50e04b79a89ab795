import { readFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import path from 'node:path';
import { Ajv } from 'ajv';
import { describe, expect, it } from 'vitest';
import { checkUpdateFeedUrl } from '../../src/main/app';
import { DEEP_LINK_SCHEME } from '../../src/shared/desktop/deep-link';

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

interface BuilderConfig {
  protocols: { name: string; schemes: string[] }[];
  nsis: { oneClick: boolean; perMachine: boolean; include: string };
  mac: {
    hardenedRuntime: boolean;
    notarize: boolean;
    entitlements: string;
    entitlementsInherit: string;
  };
  publish: { provider: string; url: string }[];
  generateUpdatesFilesForAllChannels: boolean;
}

// Issue #21 item 7: the installers register replydesk:, the macOS app runs hardened, and the
// update files are published where the app's updater looks (src/main/auto-update.ts).
describe('electron-builder.json against electron-builder scheme.json (ajv)', () => {
  const schema = JSON.parse(
    readFileSync(require.resolve('app-builder-lib/scheme.json', { paths: [builderDir] }), 'utf8'),
  ) as object;
  const validate = new Ajv({ allErrors: true, strict: false }).compile(schema);
  const config = JSON.parse(readFileSync('electron-builder.json', 'utf8')) as BuilderConfig;

  it('is valid, and the same schema refuses a misspelt option', () => {
    expect(validate(config)).toBe(true);
    expect(validate.errors).toBeNull();
    expect(validate({ ...config, mac: { ...config.mac, hardenedRuntme: true } })).toBe(false);
    expect(validate.errors?.map((error) => error.instancePath)).toContain('/mac');
  });

  it('declares the replydesk: scheme the app parses, and the Windows installer registers it per user', () => {
    expect(config.protocols).toEqual([{ name: 'Replydesk', schemes: [DEEP_LINK_SCHEME] }]);
    // electron-builder's `protocols` is macOS-only: the NSIS include writes the HKCU keys.
    expect(config.nsis).toMatchObject({
      oneClick: true,
      perMachine: false,
      include: 'build/installer.nsh',
    });
    const installer = readFileSync(config.nsis.include, 'utf8');
    expect(installer).toContain(
      'WriteRegStr HKCU "Software\\Classes\\replydesk" "URL Protocol" ""',
    );
    expect(installer).toContain(
      'WriteRegStr HKCU "Software\\Classes\\replydesk\\shell\\open\\command" "" \'"$INSTDIR\\${APP_EXECUTABLE_FILENAME}" "%1"\'',
    );
    expect(installer).toContain('DeleteRegKey HKCU "Software\\Classes\\replydesk"');
    expect(installer).not.toContain('HKLM');
  });

  it('signs the macOS app with the hardened runtime, its entitlements, and notarises it', () => {
    expect(config.mac).toMatchObject({
      hardenedRuntime: true,
      notarize: true,
      entitlements: 'build/entitlements.mac.plist',
      entitlementsInherit: 'build/entitlements.mac.plist',
    });
    const entitlements = readFileSync(config.mac.entitlements, 'utf8');
    const granted = [...entitlements.matchAll(/<key>([^<]+)<\/key>\s*<true\/>/g)].map((m) => m[1]);
    expect(granted).toEqual([
      'com.apple.security.cs.allow-jit',
      'com.apple.security.cs.allow-unsigned-executable-memory',
    ]);
  });

  it('publishes one generic feed, an address the updater accepts, with beta files too', () => {
    expect(config.publish).toEqual([
      { provider: 'generic', url: 'https://updates.replydesk.app/desktop' },
    ]);
    const feed = config.publish[0]?.url ?? '';
    // The same check a team's own feed (REPLYDESK_UPDATE_URL) passes.
    expect(checkUpdateFeedUrl(feed)).toBe(feed);
    expect(config.generateUpdatesFilesForAllChannels).toBe(true);
  });
});
