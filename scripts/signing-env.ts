/**
 * What `npm run dist` needs to sign each installer (issue #21 item 7), read from the environment
 * variables electron-builder itself reads — the script only checks them first, so a release is
 * refused in one clear line instead of producing an unsigned installer (which Windows SmartScreen
 * and macOS Gatekeeper then block on the agents' machines).
 */

export type DistTarget = 'win' | 'mac' | 'linux';

type Env = Readonly<Record<string, string | undefined>>;

const TARGET_FLAGS: Readonly<Record<string, DistTarget>> = {
  '--win': 'win',
  '--windows': 'win',
  '--mac': 'mac',
  '--macos': 'mac',
  '--linux': 'linux',
};

const HOST_TARGETS: Readonly<Record<string, DistTarget>> = {
  win32: 'win',
  darwin: 'mac',
  linux: 'linux',
};

export interface DistRequest {
  readonly targets: readonly DistTarget[];
  /** `--unsigned`: a local build for this machine only; nothing is checked or signed. */
  readonly unsigned: boolean;
}

/** The installers asked for (`--win`, `--mac`, `--linux`; none: this machine's own). */
export function parseDistArgs(argv: readonly string[], platform: string): DistRequest {
  const targets: DistTarget[] = [];
  let unsigned = false;
  for (const arg of argv) {
    if (arg === '--unsigned') {
      unsigned = true;
      continue;
    }
    const target = TARGET_FLAGS[arg];
    if (target === undefined) {
      throw new Error(
        `npm run dist: unknown option ${arg} (use --win, --mac, --linux, --unsigned).`,
      );
    }
    if (!targets.includes(target)) targets.push(target);
  }
  if (targets.length === 0) {
    const host = HOST_TARGETS[platform];
    if (host === undefined) throw new Error(`npm run dist: no installer is made on ${platform}.`);
    targets.push(host);
  }
  return { targets, unsigned };
}

const isSet = (env: Env, name: string): boolean => (env[name] ?? '').trim() !== '';

/**
 * The ways electron-builder's notarisation (@electron/notarize) signs in to Apple, in the order
 * its documentation recommends them: an App Store Connect API key, an Apple ID with an
 * app-specific password, or a profile stored in a keychain by `notarytool store-credentials`.
 */
export const NOTARISATION_CREDENTIALS: readonly (readonly string[])[] = [
  ['APPLE_API_KEY', 'APPLE_API_KEY_ID', 'APPLE_API_ISSUER'],
  ['APPLE_ID', 'APPLE_APP_SPECIFIC_PASSWORD', 'APPLE_TEAM_ID'],
  ['APPLE_KEYCHAIN', 'APPLE_KEYCHAIN_PROFILE'],
];

/** The certificate variables missing for one platform (`WIN_` ones take precedence on Windows). */
function missingCertificate(target: 'win' | 'mac', env: Env): string[] {
  if (target === 'mac' && isSet(env, 'CSC_NAME')) return []; // an identity in the keychain
  const link = target === 'win' && isSet(env, 'WIN_CSC_LINK') ? 'WIN_CSC_LINK' : 'CSC_LINK';
  const password =
    target === 'win' && isSet(env, 'WIN_CSC_LINK') ? 'WIN_CSC_KEY_PASSWORD' : 'CSC_KEY_PASSWORD';
  if (!isSet(env, link)) return [target === 'mac' ? 'CSC_LINK (or CSC_NAME)' : 'CSC_LINK'];
  return isSet(env, password) ? [] : [password];
}

/** Missing notarisation variables: none when one complete way is set, else the nearest way's. */
function missingNotarisation(env: Env): string[] {
  let nearest: readonly string[] = NOTARISATION_CREDENTIALS[1] ?? [];
  let nearestSet = 0;
  for (const way of NOTARISATION_CREDENTIALS) {
    const set = way.filter((name) => isSet(env, name)).length;
    if (set === way.length) return [];
    if (set > nearestSet) {
      nearest = way;
      nearestSet = set;
    }
  }
  return nearest.filter((name) => !isSet(env, name));
}

const PLATFORM_NAMES: Readonly<Record<DistTarget, string>> = {
  win: 'Windows',
  mac: 'macOS',
  linux: 'Linux',
};

const list = (names: readonly string[]): string =>
  names.length === 1
    ? (names[0] ?? '')
    : `${names.slice(0, -1).join(', ')} and ${names[names.length - 1] ?? ''}`;

/**
 * Null when every asked-for installer can be signed (and the macOS one notarised); else the one
 * line that says which variables are missing and how to build without them.
 */
export function signingRefusal(request: DistRequest, env: Env): string | null {
  if (request.unsigned) return null;
  for (const target of request.targets) {
    if (target === 'linux') continue; // AppImages are not signed
    const missing = [
      ...missingCertificate(target, env),
      ...(target === 'mac' ? missingNotarisation(env) : []),
    ];
    if (missing.length > 0) {
      return (
        `npm run dist: cannot sign the ${PLATFORM_NAMES[target]} installer: ${list(missing)} ` +
        `${missing.length === 1 ? 'is' : 'are'} not set (see docs/desktop.md#signing); ` +
        'for a build only this computer runs, use npm run dist -- --unsigned.'
      );
    }
  }
  return null;
}

/** electron-builder's arguments for the request (an unsigned build turns signing off). */
export function electronBuilderArgs(request: DistRequest): string[] {
  return [
    '--config',
    'electron-builder.json',
    ...request.targets.map((target) => `--${target}`),
    ...(request.unsigned ? ['-c.mac.identity=null', '-c.mac.notarize=false'] : []),
  ];
}
