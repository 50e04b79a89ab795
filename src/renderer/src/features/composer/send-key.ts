/**
 * Which key combination sends a message (the agent's preference; the same union as the
 * settings' `sendKey`).
 */
export type SendKey = 'enter' | 'mod-enter';

/** The parts of a keyboard event the decision reads (a React or DOM `KeyboardEvent` fits). */
export interface KeyPress {
  readonly key: string;
  readonly shiftKey: boolean;
  readonly ctrlKey: boolean;
  readonly metaKey: boolean;
  readonly altKey: boolean;
  /** True while an input method (Japanese, Chinese, Korean…) is composing a character. */
  readonly isComposing?: boolean;
  /** 229 while composing in browsers that do not set `isComposing` on keydown. */
  readonly keyCode?: number;
}

/**
 * What a key press in the composer does: `send`, or `default` to let the textarea handle it
 * (a newline for Shift+Enter, or for Enter in `mod-enter` mode).
 *
 * - `enter`: Enter sends, Shift+Enter is a new line; Ctrl/Cmd+Enter also sends.
 * - `mod-enter`: Ctrl+Enter or Cmd+Enter sends; Enter and Shift+Enter are new lines.
 * Alt+Enter never sends, and Enter that confirms an input method's composition never sends.
 */
export function sendKeyAction(press: KeyPress, sendKey: SendKey): 'send' | 'default' {
  if (press.key !== 'Enter' || press.isComposing === true || press.keyCode === 229)
    return 'default';
  if (press.shiftKey || press.altKey) return 'default';
  const mod = press.ctrlKey || press.metaKey;
  if (sendKey === 'enter') return 'send';
  return mod ? 'send' : 'default';
}

export interface KeyHint {
  readonly keys: readonly string[];
  readonly action: string;
}

/** The hint under the composer: which keys send and which make a new line. */
export function sendKeyHints(sendKey: SendKey, mac: boolean): KeyHint[] {
  const mod = mac ? '⌘' : 'Ctrl';
  return sendKey === 'enter'
    ? [
        { keys: ['Enter'], action: 'send' },
        { keys: ['Shift', 'Enter'], action: 'new line' },
      ]
    : [
        { keys: [mod, 'Enter'], action: 'send' },
        { keys: ['Enter'], action: 'new line' },
      ];
}
