import { useEffect, useEffectEvent } from 'react';
import type { DesktopApi, MenuCommand } from '../../../../shared/ipc/contract';
import { createShortcutMatcher, KEYMAP, type Shortcut, type ShortcutId } from './keymap';
import { takeRelayedMenuCommand } from './menu-relay';
import { toggleCommandPalette } from './palette-store';

/** Runs the action; `event` is the keydown when a key triggered it, absent from the palette. */
export type ShortcutHandler = (event?: KeyboardEvent) => void;
export type ShortcutHandlers = Partial<Record<ShortcutId, ShortcutHandler>>;

export interface UseShortcutsOptions {
  /** Off while a screen that owns the keyboard is shown (sign-in). Default true. */
  readonly enabled?: boolean;
  readonly keymap?: readonly Shortcut[];
  /**
   * The desktop app's application menu: its items run the same handlers as their keys
   * (`menu:command`), so a key and its menu item do one thing.
   */
  readonly menu?: Pick<DesktopApi, 'onMenuCommand'> | null;
}

/** Fields where a bare letter is text, not a command. */
export function isTypingTarget(target: EventTarget | null): boolean {
  if (typeof HTMLElement === 'undefined' || !(target instanceof HTMLElement)) return false;
  if (target.isContentEditable) return true;
  const tag = target.tagName;
  if (tag === 'TEXTAREA' || tag === 'SELECT') return true;
  if (tag !== 'INPUT') return false;
  // Checkboxes, radios and buttons take no text: letters there are still shortcuts.
  const type = (target as HTMLInputElement).type;
  return !['checkbox', 'radio', 'button', 'submit', 'reset', 'range', 'color', 'file'].includes(
    type,
  );
}

/** Inside a modal or the palette: single-letter shortcuts would act on the page behind it. */
export function isInDialog(target: EventTarget | null): boolean {
  if (typeof Element === 'undefined' || !(target instanceof Element)) return false;
  return target.closest('[role="dialog"], [aria-modal="true"]') !== null;
}

/** What Escape does when no handler is given: give the keyboard back to the shortcuts. */
function leaveField(): void {
  const active = document.activeElement;
  if (active instanceof HTMLElement && isTypingTarget(active) && !isInDialog(active)) {
    active.blur();
  }
}

const DEFAULT_HANDLERS: ShortcutHandlers = {
  commandPalette: () => toggleCommandPalette(),
  leaveField: () => leaveField(),
};

/**
 * Binds the keymap to the document. Only shortcuts with a handler act (the command palette and
 * Escape have defaults); a shortcut without one lets the key through untouched. Bare-letter
 * shortcuts are ignored while typing in a field or inside a dialog; global ones (⌘K, Escape,
 * ⌘,) work everywhere. A key a component already handled (`preventDefault`) is left alone.
 */
export function useShortcuts(handlers: ShortcutHandlers, options: UseShortcutsOptions = {}): void {
  const { enabled = true, keymap = KEYMAP, menu = null } = options;

  const onMenuCommand = useEffectEvent((command: MenuCommand) => {
    if (enabled) (handlers[command] ?? DEFAULT_HANDLERS[command])?.();
  });
  useEffect(() => {
    if (!menu) return undefined;
    // A command chosen on another page, which brought the agent here to run it.
    const relayed = takeRelayedMenuCommand();
    if (relayed !== null) onMenuCommand(relayed);
    return menu.onMenuCommand(({ command }) => onMenuCommand(command));
  }, [menu]);

  const onKeyDown = useEffectEvent(
    (event: KeyboardEvent, match: ReturnType<typeof createShortcutMatcher>) => {
      if (event.defaultPrevented || event.isComposing) return;
      const id = match(event, {
        typing: isTypingTarget(event.target),
        inDialog: isInDialog(event.target),
        now: event.timeStamp || performance.now(),
      });
      if (id === null) return;
      const handler = handlers[id] ?? DEFAULT_HANDLERS[id];
      if (!handler) return;
      // Escape stays with whatever else listens (Mantine closes its popovers on it).
      if (id !== 'leaveField') event.preventDefault();
      handler(event);
    },
  );

  useEffect(() => {
    if (!enabled) return;
    const match = createShortcutMatcher(keymap);
    const listener = (event: KeyboardEvent): void => onKeyDown(event, match);
    document.addEventListener('keydown', listener);
    return () => document.removeEventListener('keydown', listener);
  }, [enabled, keymap]);
}
