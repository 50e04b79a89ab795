import type { MenuCommand } from '../../../../shared/ipc/contract';

/**
 * An application-menu command chosen while the main window showed a page without the inbox
 * (Dashboard, Templates, …; issue #21 item 6): the page goes to the inbox, which runs it once
 * its handlers are there (`useShortcuts` takes it as it subscribes to the menu).
 */
let pending: MenuCommand | null = null;

export function relayMenuCommand(command: MenuCommand): void {
  pending = command;
}

/** The relayed command, once. */
export function takeRelayedMenuCommand(): MenuCommand | null {
  const command = pending;
  pending = null;
  return command;
}
