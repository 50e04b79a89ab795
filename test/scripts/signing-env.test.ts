import { describe, expect, it } from 'vitest';
import { electronBuilderArgs, parseDistArgs, signingRefusal } from '../../scripts/signing-env';

const MAC_SIGNED = {
  CSC_LINK: '/secure/developer-id.p12',
  CSC_KEY_PASSWORD: 'p12-password',
  APPLE_ID: 'release@replydesk.app',
  APPLE_APP_SPECIFIC_PASSWORD: 'abcd-efgh-ijkl-mnop',
  APPLE_TEAM_ID: 'ABCDE12345',
};

describe('npm run dist: which installers', () => {
  it('builds the installer of the machine it runs on when none is named', () => {
    expect(parseDistArgs([], 'darwin')).toEqual({ targets: ['mac'], unsigned: false });
    expect(parseDistArgs([], 'win32')).toEqual({ targets: ['win'], unsigned: false });
  });

  it('builds the named ones, once each', () => {
    expect(parseDistArgs(['--mac', '--win', '--mac', '--unsigned'], 'linux')).toEqual({
      targets: ['mac', 'win'],
      unsigned: true,
    });
  });

  it('refuses an option it does not know', () => {
    expect(() => parseDistArgs(['--publish'], 'linux')).toThrow(
      'npm run dist: unknown option --publish (use --win, --mac, --linux, --unsigned).',
    );
  });

  it('passes the targets to electron-builder, and turns signing off for --unsigned', () => {
    expect(electronBuilderArgs({ targets: ['win', 'mac'], unsigned: false })).toEqual([
      '--config',
      'electron-builder.json',
      '--win',
      '--mac',
    ]);
    expect(electronBuilderArgs({ targets: ['mac'], unsigned: true })).toEqual([
      '--config',
      'electron-builder.json',
      '--mac',
      '-c.mac.identity=null',
      '-c.mac.notarize=false',
    ]);
  });
});

describe('npm run dist: signing variables', () => {
  const mac = { targets: ['mac'] as const, unsigned: false };
  const win = { targets: ['win'] as const, unsigned: false };

  it('goes ahead when the macOS certificate and one complete notarisation login are set', () => {
    expect(signingRefusal(mac, MAC_SIGNED)).toBeNull();
    expect(
      signingRefusal(mac, {
        CSC_NAME: 'Developer ID Application: Replydesk (ABCDE12345)',
        APPLE_API_KEY: '/secure/AuthKey.p8',
        APPLE_API_KEY_ID: 'KEY123',
        APPLE_API_ISSUER: 'c055ca8c-e5a8-4836-b61d-aa5794eeb3f4',
      }),
    ).toBeNull();
  });

  it('refuses in one line naming the one variable missing', () => {
    const { APPLE_TEAM_ID: _omitted, ...env } = MAC_SIGNED;
    expect(signingRefusal(mac, env)).toBe(
      'npm run dist: cannot sign the macOS installer: APPLE_TEAM_ID is not set (see docs/desktop.md#signing); for a build only this computer runs, use npm run dist -- --unsigned.',
    );
  });

  it('names the certificate and the Apple ID login when nothing is set', () => {
    expect(signingRefusal(mac, {})).toBe(
      'npm run dist: cannot sign the macOS installer: CSC_LINK (or CSC_NAME), APPLE_ID, APPLE_APP_SPECIFIC_PASSWORD and APPLE_TEAM_ID are not set (see docs/desktop.md#signing); for a build only this computer runs, use npm run dist -- --unsigned.',
    );
  });

  it('names the rest of the login begun (an API key without its issuer), and counts blank as missing', () => {
    expect(
      signingRefusal(mac, {
        CSC_LINK: 'x.p12',
        CSC_KEY_PASSWORD: 'pw',
        APPLE_API_KEY: 'k.p8',
        APPLE_API_KEY_ID: 'KEY',
        APPLE_API_ISSUER: '  ',
      }),
    ).toBe(
      'npm run dist: cannot sign the macOS installer: APPLE_API_ISSUER is not set (see docs/desktop.md#signing); for a build only this computer runs, use npm run dist -- --unsigned.',
    );
  });

  it('needs the password of the Windows certificate it was given', () => {
    expect(signingRefusal(win, { WIN_CSC_LINK: 'w.pfx', CSC_KEY_PASSWORD: 'mac-pw' })).toBe(
      'npm run dist: cannot sign the Windows installer: WIN_CSC_KEY_PASSWORD is not set (see docs/desktop.md#signing); for a build only this computer runs, use npm run dist -- --unsigned.',
    );
    expect(signingRefusal(win, { WIN_CSC_LINK: 'w.pfx', WIN_CSC_KEY_PASSWORD: 'pw' })).toBeNull();
    expect(signingRefusal(win, { CSC_LINK: 'w.pfx', CSC_KEY_PASSWORD: 'pw' })).toBeNull();
  });

  it('needs nothing for Linux or for an explicitly unsigned build', () => {
    expect(signingRefusal({ targets: ['linux'], unsigned: false }, {})).toBeNull();
    expect(signingRefusal({ targets: ['mac', 'win'], unsigned: true }, {})).toBeNull();
  });
});
