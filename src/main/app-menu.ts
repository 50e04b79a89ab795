import type { MenuItemConstructorOptions } from 'electron';
import type { MenuCommand } from '../shared/ipc/contract';

/**
 * The application menu (issue #21 item 6): the platform's own roles (edit, window, zoom) and the
 * app's commands with their keys. The page owns its keys (features/shortcuts/keymap.ts): an item
 * sends `menu:command` and the page runs the same handler as the key. Keys with a modifier are
 * real accelerators; single letters (J, K, G M…) are only shown, so typing a reply never
 * triggers a menu item. Labels are English until the i18n issue lands.
 */

export interface MenuActions {
  command(command: MenuCommand): void;
  openCrashReports(): void;
  quit(): void;
}

interface CommandItem {
  readonly command: MenuCommand;
  readonly label: string;
  /** Electron accelerator syntax. */
  readonly keys: string;
  /** A bare key the page handles: shown, never registered with the system. */
  readonly bare?: boolean;
}

const GO: readonly CommandItem[] = [
  { command: 'nextConversation', label: 'Next conversation', keys: 'J', bare: true },
  { command: 'previousConversation', label: 'Previous conversation', keys: 'K', bare: true },
  { command: 'goToMine', label: 'Mine', keys: 'G M', bare: true },
  { command: 'goToUnassigned', label: 'Unassigned', keys: 'G U', bare: true },
  { command: 'goToAll', label: 'All conversations', keys: 'G A', bare: true },
  { command: 'focusComposer', label: 'Reply', keys: 'R', bare: true },
];

function commandItem(
  item: CommandItem,
  platform: string,
  actions: MenuActions,
): MenuItemConstructorOptions {
  const click = (): void => actions.command(item.command);
  // A two-key sequence is no accelerator at all: say it in the label.
  if (item.bare && (platform === 'darwin' || item.keys.includes(' '))) {
    return { label: `${item.label}  (${item.keys})`, click };
  }
  return {
    label: item.label,
    accelerator: item.keys,
    ...(item.bare ? { registerAccelerator: false } : {}),
    click,
  };
}

export function appMenuTemplate(
  platform: string,
  appName: string,
  actions: MenuActions,
): MenuItemConstructorOptions[] {
  const mac = platform === 'darwin';
  const settings: MenuItemConstructorOptions = {
    label: mac ? 'Settings…' : 'Settings',
    accelerator: 'CmdOrCtrl+,',
    click: () => actions.command('settings'),
  };
  const quit: MenuItemConstructorOptions = {
    label: mac ? `Quit ${appName}` : 'Quit',
    accelerator: mac ? 'Cmd+Q' : 'Ctrl+Q',
    click: () => actions.quit(),
  };
  return [
    ...(mac
      ? [
          {
            label: appName,
            submenu: [
              { role: 'about' },
              { type: 'separator' },
              settings,
              { type: 'separator' },
              { role: 'hide' },
              { role: 'hideOthers' },
              { role: 'unhide' },
              { type: 'separator' },
              quit,
            ],
          } satisfies MenuItemConstructorOptions,
        ]
      : []),
    {
      label: 'File',
      submenu: [
        {
          label: 'Command palette',
          accelerator: 'CmdOrCtrl+K',
          click: () => actions.command('commandPalette'),
        },
        ...(mac ? [] : [settings]),
        { type: 'separator' },
        mac ? { role: 'close' } : quit,
      ],
    },
    { role: 'editMenu' },
    {
      label: 'View',
      submenu: [
        {
          label: 'Light / dark',
          accelerator: 'Shift+D',
          registerAccelerator: false,
          click: () => actions.command('toggleColorScheme'),
        },
        { type: 'separator' },
        { role: 'resetZoom' },
        { role: 'zoomIn' },
        { role: 'zoomOut' },
        { type: 'separator' },
        { role: 'togglefullscreen' },
      ],
    },
    { label: 'Go', submenu: GO.map((item) => commandItem(item, platform, actions)) },
    { role: 'windowMenu' },
    {
      role: 'help',
      submenu: [
        {
          label: 'Keyboard shortcuts',
          accelerator: '?',
          registerAccelerator: false,
          click: () => actions.command('shortcutsHelp'),
        },
        { label: 'Show crash reports', click: () => actions.openCrashReports() },
      ],
    },
  ];
}
