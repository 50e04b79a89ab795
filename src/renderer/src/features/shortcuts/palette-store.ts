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
