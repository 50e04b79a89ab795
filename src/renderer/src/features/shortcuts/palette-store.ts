import { createSpotlight } from '@mantine/spotlight';

/**
 * The command palette's own Spotlight store, so it never shares state with another Spotlight
 * (a future search). Its key (⌘K / Ctrl+K) is bound by `useShortcuts`, from the keymap, not by
 * Spotlight itself.
 */
export const [commandPaletteStore, commandPalette] = createSpotlight();

export const openCommandPalette = (): void => commandPalette.open();
export const closeCommandPalette = (): void => commandPalette.close();
export const toggleCommandPalette = (): void => commandPalette.toggle();

/**
 * Select the first row of the open palette, as Spotlight does when the query changes. Results
 * found a moment later (orders are looked up after a pause in typing) arrive after Spotlight
 * selected the first row of the list it had then (none), and Enter would do nothing.
 * Spotlight does not export its own `selectAction`; this is what it does, on our store.
 */
export function selectFirstPaletteRow(): void {
  const state = commandPaletteStore.getState();
  if (!state.opened || !state.listId) return;
  const list = document.getElementById(state.listId);
  const rows = list?.querySelectorAll<HTMLElement>('[data-action]') ?? [];
  if (rows.length === 0) return;
  list?.querySelector('[data-selected]')?.removeAttribute('data-selected');
  rows[0]?.setAttribute('data-selected', 'true');
  commandPaletteStore.updateState((current) => ({ ...current, selected: 0 }));
}
