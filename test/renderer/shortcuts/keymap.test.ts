import { describe, expect, it } from 'vitest';
import {
  bindingLabels,
  createShortcutMatcher,
  KEYMAP,
  SEQUENCE_TIMEOUT_MS,
  SHORTCUT_GROUPS,
  stepsOf,
  type KeyEventLike,
  type MatchContext,
  type ShortcutId,
} from '../../../src/renderer/src/features/shortcuts/keymap';
import {
  detectPlatform,
  keyLabels,
  keyText,
  type KeyboardPlatform,
} from '../../../src/renderer/src/features/shortcuts/platform';

const IDLE: MatchContext = { typing: false, inDialog: false, now: 0 };

/** The keydown a person's keyboard produces for one step, e.g. `mod+K` on a Mac. */
function press(step: string, platform: KeyboardPlatform = 'other'): KeyEventLike {
  const parts = step.split('+').map((part) => part.trim());
  const has = (name: string) => parts.some((part) => part.toLowerCase() === name);
  const key =
    parts.find((part) => !['mod', 'ctrl', 'alt', 'shift', 'meta'].includes(part.toLowerCase())) ??
    '';
  const mod = has('mod');
  return {
    key: key.length === 1 && has('shift') ? key.toUpperCase() : key,
    code: key.length === 1 && /[a-z]/i.test(key) ? `Key${key.toUpperCase()}` : key,
    altKey: has('alt'),
    ctrlKey: has('ctrl') || (mod && platform === 'other'),
    metaKey: has('meta') || (mod && platform === 'mac'),
    shiftKey: has('shift'),
  };
}

const key = (k: string, extra: Partial<KeyEventLike> = {}): KeyEventLike => ({
  ...press(k),
  ...extra,
});

describe('the keymap', () => {
  const bindings = KEYMAP.flatMap((shortcut) =>
    shortcut.keys.map((binding) => ({ shortcut, binding })),
  );

  it('gives every binding to one shortcut only', () => {
    const seen = new Map<string, string>();
    for (const { shortcut, binding } of bindings) {
      const normal = stepsOf(binding)
        .map((step) => step.toLowerCase())
        .join(' ');
      expect(seen.get(normal), `${binding} is bound twice`).toBeUndefined();
      seen.set(normal, shortcut.id);
    }
  });

  it('has unique ids', () => {
    expect(new Set(KEYMAP.map((shortcut) => shortcut.id)).size).toBe(KEYMAP.length);
  });

  it('never binds alone a key that starts a sequence', () => {
    const starters = new Set(
      bindings
        .filter(({ binding }) => stepsOf(binding).length > 1)
        .map(({ binding }) => stepsOf(binding)[0]?.toLowerCase()),
    );
    for (const { binding } of bindings.filter(({ binding }) => stepsOf(binding).length === 1)) {
      expect(starters.has(binding.toLowerCase()), binding).toBe(false);
    }
  });

  it('describes every shortcut, in a known group, with at least one key', () => {
    for (const shortcut of KEYMAP) {
      expect(shortcut.description.trim().length, shortcut.id).toBeGreaterThan(2);
      expect(SHORTCUT_GROUPS).toContain(shortcut.group);
      expect(shortcut.keys.length, shortcut.id).toBeGreaterThan(0);
    }
  });

  it('has the shortcuts the issue asks for', () => {
    const ids: ShortcutId[] = [
      'nextConversation',
      'previousConversation',
      'assignToMe',
      'toggleResolved',
      'snooze',
      'focusComposer',
      'quickReplies',
      'orderSearch',
      'commandPalette',
      'shortcutsHelp',
      'toggleColorScheme',
    ];
    expect(KEYMAP.map((shortcut) => shortcut.id)).toEqual(expect.arrayContaining(ids));
  });

  it('lets only modified keys and Escape work while typing', () => {
    for (const shortcut of KEYMAP.filter((s) => s.global)) {
      for (const binding of shortcut.keys) {
        const step = stepsOf(binding);
        expect(step.length).toBe(1);
        expect(/^(mod|ctrl|meta|alt)\+/i.test(binding) || binding === 'Escape', binding).toBe(true);
      }
    }
  });

  it.each(['other', 'mac'] as const)(
    'triggers each binding by its own keypress (%s)',
    (platform) => {
      for (const { shortcut, binding } of bindings) {
        const match = createShortcutMatcher();
        const steps = stepsOf(binding);
        let result: ShortcutId | null = null;
        steps.forEach((step, index) => {
          result = match(press(step, platform), { ...IDLE, now: index * 100 });
        });
        expect(result, binding).toBe(shortcut.id);
      }
    },
  );
});

describe('createShortcutMatcher', () => {
  it('moves through conversations with j and k, also while the key is held', () => {
    const match = createShortcutMatcher();
    expect(match(key('j'), IDLE)).toBe('nextConversation');
    expect(match(key('k', { repeat: true }), IDLE)).toBe('previousConversation');
    expect(match(key('alt+ArrowDown'), IDLE)).toBe('nextConversation');
  });

  it('does not repeat an action while its key is held', () => {
    const match = createShortcutMatcher();
    expect(match(key('e'), IDLE)).toBe('toggleResolved');
    expect(match(key('e', { repeat: true }), IDLE)).toBeNull();
  });

  it('ignores letters while typing, but not the palette key or Escape', () => {
    const match = createShortcutMatcher();
    const typing = { ...IDLE, typing: true };
    expect(match(key('j'), typing)).toBeNull();
    expect(match(key('/'), typing)).toBeNull();
    expect(match(key('shift+?', { key: '?' }), typing)).toBeNull();
    expect(match(key('mod+K'), typing)).toBe('commandPalette');
    expect(match(key('Escape'), typing)).toBe('leaveField');
  });

  it('ignores letters inside a dialog', () => {
    const match = createShortcutMatcher();
    const dialog = { ...IDLE, inDialog: true };
    expect(match(key('a'), dialog)).toBeNull();
    expect(match(key('mod+K'), dialog)).toBe('commandPalette');
  });

  it('does not take a modified letter for the bare one', () => {
    const match = createShortcutMatcher();
    expect(match(key('a', { ctrlKey: true }), IDLE)).toBeNull();
    expect(match(key('a', { shiftKey: true, key: 'A' }), IDLE)).toBeNull();
    expect(match(key('k', { metaKey: true }), IDLE)).toBe('commandPalette');
  });

  it('works with Caps Lock on', () => {
    expect(createShortcutMatcher()(key('j', { key: 'J' }), IDLE)).toBe('nextConversation');
  });

  it('opens the help with ? however the keyboard layout makes it', () => {
    const match = createShortcutMatcher();
    // US: Shift+/ ; French AZERTY: Shift+, — both produce "?" with Shift held.
    expect(match({ ...key('/'), key: '?', shiftKey: true }, IDLE)).toBe('shortcutsHelp');
    expect(match({ ...key(','), key: '?', code: 'KeyM', shiftKey: true }, IDLE)).toBe(
      'shortcutsHelp',
    );
  });

  it('runs g then m as one sequence, the g alone doing nothing', () => {
    const match = createShortcutMatcher();
    expect(match(key('g'), { ...IDLE, now: 1000 })).toBeNull();
    expect(match(key('m'), { ...IDLE, now: 1400 })).toBe('goToMine');
    // The sequence is over: `a` alone is "assign to me" again.
    expect(match(key('a'), { ...IDLE, now: 1500 })).toBe('assignToMe');
    expect(match(key('g'), { ...IDLE, now: 2000 })).toBeNull();
    expect(match(key('a'), { ...IDLE, now: 2100 })).toBe('goToAll');
  });

  it('lets Shift pass between the steps of a sequence', () => {
    const match = createShortcutMatcher();
    match(key('g'), IDLE);
    expect(match({ ...key('Shift'), key: 'Shift', shiftKey: true }, IDLE)).toBeNull();
    expect(match(key('u'), IDLE)).toBe('goToUnassigned');
  });

  it('forgets the first step after the timeout', () => {
    const match = createShortcutMatcher();
    match(key('g'), { ...IDLE, now: 0 });
    expect(match(key('a'), { ...IDLE, now: SEQUENCE_TIMEOUT_MS + 1 })).toBe('assignToMe');
  });

  it('takes a key that does not finish the sequence as a key of its own', () => {
    const match = createShortcutMatcher();
    match(key('g'), IDLE);
    expect(match(key('j'), IDLE)).toBe('nextConversation');
  });

  it('does not start a sequence while typing', () => {
    const match = createShortcutMatcher();
    match(key('g'), { ...IDLE, typing: true });
    expect(match(key('m'), IDLE)).toBeNull();
  });
});

describe('key labels', () => {
  it('names modifiers the way each platform prints them', () => {
    expect(keyLabels('mod+K', 'mac')).toEqual(['⌘', 'K']);
    expect(keyLabels('mod+K', 'other')).toEqual(['Ctrl', 'K']);
    expect(keyLabels('alt+ArrowDown', 'mac')).toEqual(['⌥', '↓']);
    expect(keyLabels('alt+ArrowDown', 'other')).toEqual(['Alt', '↓']);
    expect(keyLabels('shift+D', 'other')).toEqual(['Shift', 'D']);
    expect(keyLabels('shift+D', 'mac')).toEqual(['⇧', 'D']);
    expect(keyLabels('mod+,', 'other')).toEqual(['Ctrl', ',']);
  });

  it('does not print Shift before a symbol that needs it anyway', () => {
    expect(keyLabels('shift+?', 'other')).toEqual(['?']);
    expect(keyLabels('/', 'mac')).toEqual(['/']);
  });

  it('names special keys', () => {
    expect(keyLabels('Escape', 'other')).toEqual(['Esc']);
    expect(keyLabels('j', 'other')).toEqual(['J']);
  });

  it('splits sequences into steps', () => {
    expect(bindingLabels('g m', 'other')).toEqual([['G'], ['M']]);
  });

  it('writes a hotkey as one string', () => {
    expect(keyText('mod+K', 'mac')).toBe('⌘K');
    expect(keyText('mod+K', 'other')).toBe('Ctrl+K');
  });

  it('detects a Mac from navigator', () => {
    expect(detectPlatform({ platform: 'MacIntel' })).toBe('mac');
    expect(detectPlatform({ userAgentData: { platform: 'macOS' } })).toBe('mac');
    expect(detectPlatform({ platform: 'Win32' })).toBe('other');
    expect(detectPlatform({ platform: 'Linux x86_64' })).toBe('other');
    expect(detectPlatform(undefined)).toBe('other');
  });
});
