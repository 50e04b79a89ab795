/**
 * Which keyboard the agent has, for labels only: Mantine's `mod` already matches ⌘ on macOS and
 * Ctrl elsewhere, so bindings are the same everywhere and only what we print differs.
 */
export type KeyboardPlatform = 'mac' | 'other';

interface NavigatorLike {
  readonly platform?: string;
  readonly userAgent?: string;
  readonly userAgentData?: { readonly platform?: string };
}

/** The platform from `navigator` (Electron's renderer and browsers alike); `other` without one. */
export function detectPlatform(
  nav: NavigatorLike | undefined = typeof navigator === 'undefined' ? undefined : navigator,
): KeyboardPlatform {
  if (!nav) return 'other';
  const name = nav.userAgentData?.platform || nav.platform || nav.userAgent || '';
  return /mac|iphone|ipad|ipod/i.test(name) ? 'mac' : 'other';
}

/** The platform of this window, read once. */
export const PLATFORM: KeyboardPlatform = detectPlatform();

const MAC_NAMES: Readonly<Record<string, string>> = {
  mod: '⌘',
  meta: '⌘',
  ctrl: '⌃',
  alt: '⌥',
  shift: '⇧',
};

const OTHER_NAMES: Readonly<Record<string, string>> = {
  mod: 'Ctrl',
  meta: 'Win',
  ctrl: 'Ctrl',
  alt: 'Alt',
  shift: 'Shift',
};

const KEY_NAMES: Readonly<Record<string, string>> = {
  arrowdown: '↓',
  arrowup: '↑',
  arrowleft: '←',
  arrowright: '→',
  escape: 'Esc',
  enter: 'Enter',
  space: 'Space',
  tab: 'Tab',
  backspace: 'Backspace',
  delete: 'Delete',
  slash: '/',
  comma: ',',
};

/**
 * One step of a hotkey (Mantine syntax, e.g. `mod+K`, `alt+ArrowDown`, `shift+?`) as the keys
 * to draw, one `<Kbd>` each: `['⌘', 'K']` on a Mac, `['Ctrl', 'K']` elsewhere. Shift is left
 * out before a key that is itself shifted (`?` is already Shift+/ on most keyboards).
 */
export function keyLabels(hotkey: string, platform: KeyboardPlatform = PLATFORM): string[] {
  const names = platform === 'mac' ? MAC_NAMES : OTHER_NAMES;
  const parts = hotkey.split('+').map((part) => part.trim());
  const key = parts.find((part) => !(part.toLowerCase() in names)) ?? '';
  const shiftedSymbol = key.length === 1 && /[^a-z0-9]/i.test(key);
  const modifiers = parts
    .filter((part) => part !== key)
    .filter((part) => !(shiftedSymbol && part.toLowerCase() === 'shift'))
    .map((part) => names[part.toLowerCase()] ?? part);
  const keyName = KEY_NAMES[key.toLowerCase()] ?? (key.length === 1 ? key.toUpperCase() : key);
  return [...modifiers, keyName];
}

/** A hotkey as one string for tooltips and notifications: `⌘K` on a Mac, `Ctrl+K` elsewhere. */
export function keyText(hotkey: string, platform: KeyboardPlatform = PLATFORM): string {
  const labels = keyLabels(hotkey, platform);
  return platform === 'mac' ? labels.join('') : labels.join('+');
}
