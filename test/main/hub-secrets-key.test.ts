import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { HUB_SECRETS_KEY_FILE, loadHubSecretsKey } from '../../src/main/hub-secrets-key';
import { parseSecretKey } from '../../src/server/secrets/secret-box';
import { createFakeElectron, FakeSafeStorage, removeFakeUserData } from './fake-electron';

// Issue #13 item 10: the embedded hub's key for channel secrets lives in the OS keychain.
afterAll(() => removeFakeUserData());

describe("the embedded hub's secrets key", () => {
  it('is made once, kept encrypted by the keychain, and the same at the next launch', async () => {
    const electron = createFakeElectron();
    const filePath = path.join(electron.userDataDir, HUB_SECRETS_KEY_FILE);
    const options = { safeStorage: electron.safeStorage, platform: 'darwin', filePath };
    const first = await loadHubSecretsKey(options);
    expect(parseSecretKey(first ?? '', 'key')).toHaveLength(32);
    const onDisk = await readFile(filePath);
    expect(onDisk.includes(first ?? '')).toBe(false);
    expect(electron.safeStorage.decryptString(onDisk)).toBe(first);
    expect(await loadHubSecretsKey(options)).toBe(first);
  });

  it('is not made where the keychain protects nothing (Linux basic_text): the hub keeps its own file', async () => {
    const electron = createFakeElectron();
    const safeStorage = new FakeSafeStorage();
    safeStorage.backend = 'basic_text';
    const filePath = path.join(electron.userDataDir, HUB_SECRETS_KEY_FILE);
    expect(await loadHubSecretsKey({ safeStorage, platform: 'linux', filePath })).toBeNull();
    await expect(readFile(filePath)).rejects.toThrow(/ENOENT/);
  });
});
