import { describe, expect, it } from 'vitest';
import {
  sendKeyAction,
  sendKeyHints,
  type KeyPress,
} from '../../../src/renderer/src/features/composer/send-key';

const press = (overrides: Partial<KeyPress> = {}): KeyPress => ({
  key: 'Enter',
  shiftKey: false,
  ctrlKey: false,
  metaKey: false,
  altKey: false,
  ...overrides,
});

describe('send key: Enter', () => {
  it('sends on Enter', () => {
    expect(sendKeyAction(press(), 'enter')).toBe('send');
  });

  it('makes a new line on Shift+Enter', () => {
    expect(sendKeyAction(press({ shiftKey: true }), 'enter')).toBe('default');
  });

  it('also sends on Ctrl+Enter and Cmd+Enter', () => {
    expect(sendKeyAction(press({ ctrlKey: true }), 'enter')).toBe('send');
    expect(sendKeyAction(press({ metaKey: true }), 'enter')).toBe('send');
  });
});

describe('send key: Ctrl/Cmd+Enter', () => {
  it('sends on Ctrl+Enter and on Cmd+Enter', () => {
    expect(sendKeyAction(press({ ctrlKey: true }), 'mod-enter')).toBe('send');
    expect(sendKeyAction(press({ metaKey: true }), 'mod-enter')).toBe('send');
  });

  it('makes a new line on Enter and Shift+Enter', () => {
    expect(sendKeyAction(press(), 'mod-enter')).toBe('default');
    expect(sendKeyAction(press({ shiftKey: true }), 'mod-enter')).toBe('default');
    expect(sendKeyAction(press({ shiftKey: true, ctrlKey: true }), 'mod-enter')).toBe('default');
  });
});

describe('keys that never send', () => {
  it.each(['enter', 'mod-enter'] as const)('ignores other keys and Alt+Enter (%s)', (mode) => {
    expect(sendKeyAction(press({ key: 'a' }), mode)).toBe('default');
    expect(sendKeyAction(press({ key: 'Tab', ctrlKey: true }), mode)).toBe('default');
    expect(sendKeyAction(press({ altKey: true, ctrlKey: true }), mode)).toBe('default');
  });

  it.each(['enter', 'mod-enter'] as const)(
    'leaves Enter to an input method while it composes (%s)',
    (mode) => {
      expect(sendKeyAction(press({ isComposing: true, ctrlKey: true }), mode)).toBe('default');
      expect(sendKeyAction(press({ keyCode: 229, metaKey: true }), mode)).toBe('default');
    },
  );
});

describe('the hint under the box', () => {
  it('names the keys for the setting and the platform', () => {
    expect(sendKeyHints('enter', false)).toEqual([
      { keys: ['Enter'], action: 'send' },
      { keys: ['Shift', 'Enter'], action: 'new line' },
    ]);
    expect(sendKeyHints('mod-enter', true)[0]).toEqual({ keys: ['⌘', 'Enter'], action: 'send' });
    expect(sendKeyHints('mod-enter', false)[0]).toEqual({
      keys: ['Ctrl', 'Enter'],
      action: 'send',
    });
  });
});
