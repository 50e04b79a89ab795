import { getHotkeyHandler } from '@mantine/hooks';
import type { Role } from '../../../../shared/domain/model';
import { PAGES } from '../../app/pages';
import { keyLabels, PLATFORM, type KeyboardPlatform } from './platform';

/**
 * The one list of keyboard shortcuts (issue 4, item 7). The hook, the command palette and the
 * help sheet all read it, so a key shown anywhere is the key that works.
 *
 * Keys use Mantine's hotkey syntax (`j`, `alt+ArrowDown`, `mod+K`; `mod` is ⌘ on macOS and Ctrl
 * elsewhere). A space separates the steps of a sequence: `g m` is G, then M.
 */

export type ShortcutGroup = 'Navigate' | 'Conversation' | 'Reply' | 'General';

/** The sections of the help sheet, in order. */
export const SHORTCUT_GROUPS: readonly ShortcutGroup[] = [
  'Navigate',
  'Conversation',
  'Reply',
  'General',
];

export type ShortcutId =
  | 'nextConversation'
  | 'previousConversation'
  | 'goToMine'
  | 'goToUnassigned'
  | 'goToAll'
  | 'goToDashboard'
  | 'goToInbox'
  | 'assignToMe'
  | 'toggleResolved'
  | 'snooze'
  | 'focusComposer'
  | 'quickReplies'
  | 'noteMode'
  | 'orderSearch'
  | 'commandPalette'
  | 'shortcutsHelp'
  | 'settings'
  | 'toggleColorScheme'
  | 'leaveField';

export interface Shortcut {
  readonly id: ShortcutId;
  /** Every binding that triggers it; the first is the one shown in hints. */
  readonly keys: readonly string[];
  /** What it does, as a command: shown in the palette and the help sheet. */
  readonly description: string;
  readonly group: ShortcutGroup;
  /**
   * Also fires while typing in a field or inside a dialog. Only modified keys and Escape may:
   * a bare letter belongs to the text being typed.
   */
  readonly global?: boolean;
  /** Fires again while the key is held (moving through the list); actions fire once. */
  readonly repeats?: boolean;
  /** Extra words the command palette matches. */
  readonly keywords?: readonly string[];
  /** Only these roles have it (and see it in the help sheet); everyone when absent. */
  readonly roles?: readonly Role[];
}

export const KEYMAP: readonly Shortcut[] = [
  {
    id: 'nextConversation',
    keys: ['j', 'alt+ArrowDown'],
    description: 'Next conversation',
    group: 'Navigate',
    repeats: true,
    keywords: ['down'],
  },
  {
    id: 'previousConversation',
    keys: ['k', 'alt+ArrowUp'],
    description: 'Previous conversation',
    group: 'Navigate',
    repeats: true,
    keywords: ['up'],
  },
  {
    id: 'goToMine',
    keys: ['g m'],
    description: 'Go to my conversations',
    group: 'Navigate',
    keywords: ['inbox', 'mine', 'view'],
  },
  {
    id: 'goToUnassigned',
    keys: ['g u'],
    description: 'Go to unassigned conversations',
    group: 'Navigate',
    keywords: ['inbox', 'queue', 'view'],
  },
  {
    id: 'goToAll',
    keys: ['g a'],
    description: 'Go to all conversations',
    group: 'Navigate',
    keywords: ['inbox', 'view'],
  },
  {
    id: 'goToDashboard',
    keys: ['g d'],
    description: 'Go to the dashboard',
    group: 'Navigate',
    keywords: ['sla', 'figures', 'lead', 'at risk'],
    roles: PAGES.dashboard.roles,
  },
  {
    id: 'goToInbox',
    keys: ['g i'],
    description: 'Go to the inbox',
    group: 'Navigate',
    keywords: ['conversations'],
    // Agents never leave the inbox; leads and admins come back to it from their pages.
    roles: PAGES.dashboard.roles,
  },
  {
    id: 'assignToMe',
    keys: ['a'],
    description: 'Assign to me',
    group: 'Conversation',
    keywords: ['take', 'claim'],
  },
  {
    id: 'toggleResolved',
    keys: ['e'],
    description: 'Resolve or reopen',
    group: 'Conversation',
    keywords: ['close', 'done', 'archive', 'reopen'],
  },
  {
    id: 'snooze',
    keys: ['s'],
    description: 'Snooze',
    group: 'Conversation',
    keywords: ['later', 'remind'],
  },
  {
    id: 'orderSearch',
    keys: ['o'],
    description: 'Search orders',
    group: 'Conversation',
    keywords: ['order', 'lookup', 'tracking'],
  },
  {
    id: 'focusComposer',
    keys: ['r'],
    description: 'Reply',
    group: 'Reply',
    keywords: ['composer', 'write', 'message'],
  },
  {
    // Help Scout's key; R goes back to replying (issue #20 item 1).
    id: 'noteMode',
    keys: ['n'],
    description: 'Write an internal note',
    group: 'Reply',
    keywords: ['note', 'internal', 'mention', 'comment', 'team'],
  },
  {
    id: 'quickReplies',
    keys: ['/'],
    description: 'Insert a quick reply',
    group: 'Reply',
    keywords: ['template', 'canned', 'snippet'],
  },
  {
    id: 'commandPalette',
    keys: ['mod+K'],
    description: 'Command palette',
    group: 'General',
    global: true,
    keywords: ['search', 'actions'],
  },
  {
    id: 'shortcutsHelp',
    keys: ['shift+?'],
    description: 'Keyboard shortcuts',
    group: 'General',
    keywords: ['help', 'keys', 'hotkeys'],
  },
  {
    id: 'settings',
    keys: ['mod+,'],
    description: 'Settings',
    group: 'General',
    global: true,
    keywords: ['preferences', 'options'],
  },
  {
    id: 'toggleColorScheme',
    keys: ['shift+D'],
    description: 'Toggle dark mode',
    group: 'General',
    keywords: ['theme', 'light', 'dark', 'appearance'],
  },
  {
    id: 'leaveField',
    keys: ['Escape'],
    description: 'Leave the text field',
    group: 'General',
    global: true,
    keywords: ['blur', 'escape'],
  },
];

/** The shortcuts `role` has: the hook, the palette and the help sheet of a page take these. */
export function keymapFor(role: Role, keymap: readonly Shortcut[] = KEYMAP): readonly Shortcut[] {
  return keymap.filter((shortcut) => shortcut.roles === undefined || shortcut.roles.includes(role));
}

const BY_ID = new Map(KEYMAP.map((shortcut) => [shortcut.id, shortcut]));

export function shortcutOf(id: ShortcutId): Shortcut {
  const shortcut = BY_ID.get(id);
  if (!shortcut) throw new Error(`No shortcut "${id}"`);
  return shortcut;
}

/** The steps of one binding: `g m` → `['g', 'm']`. */
export const stepsOf = (binding: string): string[] => binding.trim().split(/\s+/);

/**
 * One binding as keys to draw: a list of steps, each a list of key labels.
 * `g m` → `[['G'], ['M']]`; `mod+K` → `[['⌘', 'K']]` on a Mac.
 */
export function bindingLabels(binding: string, platform: KeyboardPlatform = PLATFORM): string[][] {
  return stepsOf(binding).map((step) => keyLabels(step, platform));
}

/** The keyboard event fields matching reads (a DOM `KeyboardEvent` has them all). */
export interface KeyEventLike {
  readonly key: string;
  readonly code: string;
  readonly altKey: boolean;
  readonly ctrlKey: boolean;
  readonly metaKey: boolean;
  readonly shiftKey: boolean;
  readonly repeat?: boolean;
}

export interface MatchContext {
  /** Focus is in a text field (input, textarea, select, contenteditable). */
  readonly typing: boolean;
  /** Focus is inside a dialog (a modal, the palette): only global shortcuts apply. */
  readonly inDialog: boolean;
  /** Milliseconds, for the sequence timeout. */
  readonly now: number;
}

/** How long after the first key of a sequence (`g`) the second may come. */
export const SEQUENCE_TIMEOUT_MS = 1500;

const MODIFIER_KEYS = new Set(['Shift', 'Control', 'Alt', 'Meta', 'AltGraph', 'CapsLock', 'OS']);

/** Mantine's own matching, so a key behaves exactly as it would with `useHotkeys`. */
function matcherOf(step: string): (event: KeyEventLike) => boolean {
  return (event) => {
    let hit = false;
    const handle = getHotkeyHandler([
      [
        step,
        () => {
          hit = true;
        },
        { preventDefault: false },
      ],
    ]);
    handle(event as unknown as KeyboardEvent);
    return hit;
  };
}

interface CompiledBinding {
  readonly shortcut: Shortcut;
  readonly steps: readonly ((event: KeyEventLike) => boolean)[];
}

/**
 * A stateful matcher: feed it every keydown, it answers the shortcut to run (or null). It holds
 * the first key of a sequence until the second comes or the timeout passes.
 */
export function createShortcutMatcher(
  keymap: readonly Shortcut[] = KEYMAP,
  sequenceTimeoutMs: number = SEQUENCE_TIMEOUT_MS,
): (event: KeyEventLike, context: MatchContext) => ShortcutId | null {
  const bindings: CompiledBinding[] = keymap.flatMap((shortcut) =>
    shortcut.keys.map((binding) => ({ shortcut, steps: stepsOf(binding).map(matcherOf) })),
  );
  let pending: { readonly candidates: CompiledBinding[]; readonly at: number } | null = null;

  return (event, { typing, inDialog, now }) => {
    // Pressing Shift on the way to `?` must not cancel a sequence or match anything.
    if (MODIFIER_KEYS.has(event.key)) return null;
    const restricted = typing || inDialog;
    const allowed = (binding: CompiledBinding): boolean =>
      (!restricted || binding.shortcut.global === true) &&
      (!event.repeat || binding.shortcut.repeats === true);

    if (pending !== null) {
      const { candidates, at } = pending;
      pending = null;
      if (now - at <= sequenceTimeoutMs && !restricted) {
        const done = candidates.find((binding) => binding.steps[1]?.(event));
        if (done) return done.shortcut.id;
      }
      // Not the second key: it counts as a key of its own.
    }

    const single = bindings.find(
      (binding) => binding.steps.length === 1 && allowed(binding) && binding.steps[0]?.(event),
    );
    if (single) return single.shortcut.id;

    const started = bindings.filter(
      (binding) => binding.steps.length === 2 && allowed(binding) && binding.steps[0]?.(event),
    );
    if (started.length > 0) pending = { candidates: started, at: now };
    return null;
  };
}
