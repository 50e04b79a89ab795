import { useMemo, useState, type ReactNode } from 'react';
import { Spotlight, type SpotlightActionGroupData } from '@mantine/spotlight';
import { IconSearch } from '@tabler/icons-react';
import { KeyHint } from './KeyHint';
import { KEYMAP, SHORTCUT_GROUPS, type Shortcut, type ShortcutId } from './keymap';
import { commandPaletteStore } from './palette-store';
import type { KeyboardPlatform } from './platform';
import { SHORTCUT_ICONS } from './icons';
import type { ShortcutHandlers } from './useShortcuts';

/** An action that is not a shortcut: "Open conversation with Anna", a search result. */
export interface PaletteAction {
  readonly id: string;
  readonly label: string;
  readonly description?: string;
  /** Heading it is listed under; default "Conversations". */
  readonly group?: string;
  readonly keywords?: readonly string[];
  readonly icon?: ReactNode;
  readonly onTrigger: () => void;
}

export interface CommandPaletteProps {
  /**
   * The same handlers as `useShortcuts`: every keymap action with a handler is listed, with its
   * keys. Give a handler exactly for the actions available now (no "Assign to me" without an
   * open conversation), so the palette never offers what cannot run.
   */
  readonly handlers: ShortcutHandlers;
  /** More actions, listed after the keymap's (e.g. conversations matching the query). */
  readonly extraActions?: readonly PaletteAction[];
  /** The query as typed, for callers that search (conversations by customer name). */
  readonly onQueryChange?: (query: string) => void;
  readonly platform?: KeyboardPlatform;
  readonly keymap?: readonly Shortcut[];
}

/** Test hooks; data attributes pass through Mantine to the element but are not in its types. */
const data = (attributes: Record<string, string>): Record<string, string> => attributes;

/** Listed elsewhere or meaningless here: the palette itself, and Escape. */
const NOT_LISTED = new Set<ShortcutId>(['commandPalette', 'leaveField']);

/**
 * The command palette (⌘K / Ctrl+K, bound by `useShortcuts`): every action, searchable, with
 * its keys, so the palette also teaches the shortcuts. An action runs after the palette has
 * closed and handed focus back, so "Reply" or "Search orders" keep the focus they take.
 *
 * Needs `@mantine/spotlight/styles.css` loaded after the core styles.
 */
export function CommandPalette({
  handlers,
  extraActions = [],
  onQueryChange,
  platform,
  keymap = KEYMAP,
}: CommandPaletteProps) {
  // The action chosen, run once the palette has closed.
  const [pending, setPending] = useState<{ readonly run: () => void } | null>(null);

  const actions = useMemo(() => {
    const later = (run: () => void) => () => setPending({ run });
    const groups: SpotlightActionGroupData[] = SHORTCUT_GROUPS.map((group) => ({
      group,
      actions: keymap
        .filter((shortcut) => shortcut.group === group && !NOT_LISTED.has(shortcut.id))
        .flatMap((shortcut) => {
          const handler = handlers[shortcut.id];
          if (!handler) return [];
          const Icon = SHORTCUT_ICONS[shortcut.id];
          return [
            {
              id: `shortcut:${shortcut.id}`,
              label: shortcut.description,
              keywords: [...(shortcut.keywords ?? []), group],
              leftSection: <Icon size={16} stroke={1.75} />,
              rightSection: <KeyHint keys={shortcut.keys} platform={platform} />,
              onClick: later(() => handler()),
              ...data({ 'data-testid': 'palette-action', 'data-action': shortcut.id }),
            },
          ];
        }),
    })).filter((group) => group.actions.length > 0);

    const extraGroups = new Map<string, SpotlightActionGroupData>();
    for (const action of extraActions) {
      const name = action.group ?? 'Conversations';
      const group = extraGroups.get(name) ?? { group: name, actions: [] };
      group.actions.push({
        id: `extra:${action.id}`,
        label: action.label,
        description: action.description,
        keywords: action.keywords ? [...action.keywords] : undefined,
        leftSection: action.icon,
        onClick: later(action.onTrigger),
        ...data({ 'data-testid': 'palette-action', 'data-action': action.id }),
      });
      extraGroups.set(name, group);
    }
    return [...groups, ...extraGroups.values()];
  }, [handlers, extraActions, platform, keymap]);

  return (
    <Spotlight
      store={commandPaletteStore}
      // useShortcuts binds the key from the keymap; Spotlight's own binding would toggle twice.
      shortcut={null}
      actions={actions}
      onQueryChange={onQueryChange}
      nothingFound="No matching action"
      highlightQuery
      scrollable
      maxHeight={420}
      size="lg"
      radius="md"
      onExitTransitionEnd={() => {
        setPending(null);
        pending?.run();
      }}
      onSpotlightOpen={() => setPending(null)}
      searchProps={{
        leftSection: <IconSearch size={18} stroke={1.5} />,
        placeholder: 'Type a command or search…',
        'aria-label': 'Command palette',
        ...data({ 'data-testid': 'palette-search' }),
      }}
      styles={{
        actionsGroup: { fontSize: 'var(--mantine-font-size-xs)' },
        action: { paddingBlock: 6 },
      }}
      data-testid="command-palette"
    />
  );
}
