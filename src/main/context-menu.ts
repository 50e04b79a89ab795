import type { MenuItemConstructorOptions } from 'electron';

/**
 * The right-click menu (issue #21 item 6). Electron shows none by default: without it the
 * spellchecker underlines a word in the agent's languages but offers no correction, and a
 * field has no Cut / Copy / Paste on right click. Spelling suggestions come from Chromium's
 * spellchecker (`dictionarySuggestions`); the edit items are the platform's own roles, so they
 * act on the focused field exactly like the keys do. Labels are English until the i18n issue.
 */

/** The parts of Electron's `ContextMenuParams` used here. */
export interface ContextMenuParamsLike {
  readonly isEditable: boolean;
  readonly selectionText: string;
  readonly misspelledWord: string;
  readonly dictionarySuggestions: readonly string[];
  readonly editFlags: {
    readonly canCut: boolean;
    readonly canCopy: boolean;
    readonly canPaste: boolean;
    readonly canSelectAll: boolean;
  };
}

export interface ContextMenuContents {
  on(
    event: 'context-menu',
    listener: (event: unknown, params: ContextMenuParamsLike) => void,
  ): unknown;
  replaceMisspelling(text: string): void;
}

export interface ContextMenuActions {
  replaceMisspelling(word: string): void;
  addToDictionary(word: string): void;
}

/** Chromium offers a handful; more would push the edit items off a small screen. */
const MAX_SUGGESTIONS = 5;

export function contextMenuTemplate(
  params: ContextMenuParamsLike,
  actions: ContextMenuActions,
): MenuItemConstructorOptions[] {
  const items: MenuItemConstructorOptions[] = [];
  const word = params.misspelledWord.trim();
  if (params.isEditable && word !== '') {
    const suggestions = params.dictionarySuggestions.slice(0, MAX_SUGGESTIONS);
    if (suggestions.length === 0) items.push({ label: 'No spelling suggestions', enabled: false });
    for (const suggestion of suggestions) {
      items.push({ label: suggestion, click: () => actions.replaceMisspelling(suggestion) });
    }
    items.push(
      { label: `Add “${word}” to the dictionary`, click: () => actions.addToDictionary(word) },
      { type: 'separator' },
    );
  }
  if (params.isEditable) {
    items.push(
      { role: 'cut', enabled: params.editFlags.canCut },
      { role: 'copy', enabled: params.editFlags.canCopy },
      { role: 'paste', enabled: params.editFlags.canPaste },
      { type: 'separator' },
      { role: 'selectAll', enabled: params.editFlags.canSelectAll },
    );
  } else if (params.selectionText.trim() !== '') {
    items.push({ role: 'copy' });
  }
  return items;
}

/** Show the menu on every right click in `contents`; nothing where it would be empty. */
export function attachContextMenu(
  contents: ContextMenuContents,
  options: {
    readonly buildMenu: (template: MenuItemConstructorOptions[]) => { popup(): void };
    readonly addToDictionary: (word: string) => void;
  },
): void {
  contents.on('context-menu', (_event, params) => {
    const template = contextMenuTemplate(params, {
      replaceMisspelling: (word) => contents.replaceMisspelling(word),
      addToDictionary: options.addToDictionary,
    });
    if (template.length > 0) options.buildMenu(template).popup();
  });
}
