import './palette.css';
import { useEffect, useMemo, useState, type ReactNode } from 'react';
import {
  Spotlight,
  type SpotlightActionData,
  type SpotlightActionGroupData,
  type SpotlightFilterFunction,
} from '@mantine/spotlight';
import { IconSearch } from '@tabler/icons-react';
import { KeyHint } from './KeyHint';
import { KEYMAP, SHORTCUT_GROUPS, type Shortcut, type ShortcutId } from './keymap';
import { commandPaletteStore, selectFirstPaletteRow } from './palette-store';
import type { KeyboardPlatform } from './platform';
import { SHORTCUT_ICONS } from './icons';
import type { ShortcutHandlers } from './useShortcuts';

/** An action that is not a shortcut: "Sign out", a customer or an order the query found. */
export interface PaletteAction {
  readonly id: string;
  readonly label: string;
  readonly description?: string;
  /** Heading it is listed under; default "Conversations". */
  readonly group?: string;
  readonly keywords?: readonly string[];
  readonly icon?: ReactNode;
  readonly onTrigger: () => void;
  /**
   * A search result (a customer, a conversation, an order) the caller found for the query:
   * listed above the actions, in the order given, and not filtered again by the palette's own
   * text match (a phone typed "+31 6 1234" finds "+31612345678").
   */
  readonly found?: {
    /** The label with the match marked (`MatchText`). */
    readonly label: ReactNode;
    readonly description?: ReactNode;
    /** At the right: a status, the channels. */
    readonly aside?: ReactNode;
  };
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

const FOUND_PREFIX = 'found:';

/**
 * Found items pass as they are (the caller matched them); every other action is kept when its
 * label, description or keywords contain the query, in its group's order.
 */
export const paletteFilter: SpotlightFilterFunction = (rawQuery, actions) => {
  const query = rawQuery.trim().toLowerCase();
  const matches = (action: SpotlightActionData): boolean =>
    action.id.startsWith(FOUND_PREFIX) ||
    query === '' ||
    (action.label ?? '').toLowerCase().includes(query) ||
    (action.description ?? '').toLowerCase().includes(query) ||
    (Array.isArray(action.keywords) ? action.keywords.join(',') : (action.keywords ?? ''))
      .toLowerCase()
      .includes(query);
  return actions.flatMap((item): (SpotlightActionData | SpotlightActionGroupData)[] => {
    if (!('actions' in item)) return matches(item) ? [item] : [];
    const kept = item.actions.filter(matches);
    return kept.length > 0 ? [{ ...item, actions: kept }] : [];
  });
};

/** A found item's face: what it is, what matched (marked), and where it stands. */
function FoundItem({
  icon,
  found,
}: {
  readonly icon: ReactNode;
  readonly found: NonNullable<PaletteAction['found']>;
}) {
  return (
    <span className="rd-palette-found">
      {icon && <span className="rd-palette-found-icon">{icon}</span>}
      <span className="rd-palette-found-body">
        <span className="rd-palette-found-label">{found.label}</span>
        {found.description && (
          <span className="rd-palette-found-description">{found.description}</span>
        )}
      </span>
      {found.aside && <span className="rd-palette-found-aside">{found.aside}</span>}
    </span>
  );
}

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

    const foundGroups = new Map<string, SpotlightActionGroupData>();
    // An extra action joins the keymap's group of its name ("Sign out" in General): two groups
    // of one name would share a React key, and the list then showed stale rows.
    const extraGroups = new Map<string, SpotlightActionGroupData>(
      groups.map((group) => [group.group, group]),
    );
    for (const action of extraActions) {
      const name = action.group ?? 'Conversations';
      const into = action.found ? foundGroups : extraGroups;
      const group = into.get(name) ?? { group: name, actions: [] };
      group.actions.push(
        action.found
          ? {
              id: `${FOUND_PREFIX}${action.id}`,
              label: action.label,
              children: <FoundItem icon={action.icon} found={action.found} />,
              onClick: later(action.onTrigger),
              ...data({ 'data-testid': 'palette-found', 'data-action': action.id }),
            }
          : {
              id: `extra:${action.id}`,
              label: action.label,
              description: action.description,
              keywords: action.keywords ? [...action.keywords] : undefined,
              leftSection: action.icon,
              onClick: later(action.onTrigger),
              ...data({ 'data-testid': 'palette-action', 'data-action': action.id }),
            },
      );
      into.set(name, group);
    }
    // What the query found first, then the actions (issue 12, item 7).
    return [...foundGroups.values(), ...extraGroups.values()];
  }, [handlers, extraActions, platform, keymap]);

  // What the query found changed (some of it comes after a pause): its first row is the one
  // Enter opens.
  const foundKey = extraActions
    .filter((action) => action.found)
    .map((action) => action.id)
    .join('\n');
  useEffect(() => {
    if (foundKey !== '') selectFirstPaletteRow();
  }, [foundKey]);

  return (
    <Spotlight
      store={commandPaletteStore}
      // useShortcuts binds the key from the keymap; Spotlight's own binding would toggle twice.
      shortcut={null}
      actions={actions}
      onQueryChange={onQueryChange}
      filter={paletteFilter}
      nothingFound="No customer, order or action matches"
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
        placeholder: 'Find a customer, phone or order number, or type a command…',
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
