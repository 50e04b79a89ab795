import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';

/**
 * The packaged app's Electron fuses (issue #13, item 9), flipped in the binary by electron-builder
 * (`electronFuses`): nobody can run the signed app as plain Node (ELECTRON_RUN_AS_NODE), pass it
 * NODE_OPTIONS or --inspect, or make it load code from outside its checked app.asar.
 */
const config = JSON.parse(readFileSync('electron-builder.json', 'utf8')) as {
  asar?: boolean;
  electronFuses?: Record<string, boolean>;
};
const schema = JSON.parse(readFileSync('node_modules/app-builder-lib/scheme.json', 'utf8')) as {
  definitions: Record<string, { properties: Record<string, unknown> }>;
};

describe('electron-builder.json', () => {
  it('sets the fuses', () => {
    expect(config.asar).toBe(true);
    expect(config.electronFuses).toEqual({
      runAsNode: false,
      enableCookieEncryption: true,
      enableNodeOptionsEnvironmentVariable: false,
      enableNodeCliInspectArguments: false,
      enableEmbeddedAsarIntegrityValidation: true,
      onlyLoadAppFromAsar: true,
      grantFileProtocolExtraPrivileges: false,
    });
  });

  it('names only fuses electron-builder knows (a typo would be ignored, the fuse left as is)', () => {
    const known = Object.keys(schema.definitions['FuseOptionsV1']?.properties ?? {});
    expect(known).not.toEqual([]);
    for (const fuse of Object.keys(config.electronFuses ?? {})) expect(known).toContain(fuse);
  });
});
