import path from 'node:path';

/** The parts of Electron's `DownloadItem` used here. */
export interface DownloadItemLike {
  getFilename(): string;
  setSaveDialogOptions(options: { title: string; defaultPath: string; buttonLabel?: string }): void;
}

/** Characters no file system takes (Windows' list is the longest), and control characters. */
// eslint-disable-next-line no-control-regex -- control characters are exactly what is removed
const UNSAFE = /[<>:"/\\|?*\u0000-\u001f]/g;

/**
 * The save dialog for an attachment (issue #21 item 6): the system's own dialog, in Downloads,
 * with the attachment's name made safe to be a file name (a customer chose it).
 */
export function attachmentSaveDialog(
  fileName: string,
  downloadsDir: string,
): { title: string; defaultPath: string; buttonLabel: string } {
  const safe =
    fileName.replace(UNSAFE, '_').replace(/^\.+/, '').trim().slice(0, 200) || 'attachment';
  return {
    title: 'Save attachment',
    defaultPath: path.join(downloadsDir, safe),
    buttonLabel: 'Save',
  };
}

/** The parts of Electron's `dialog.showSaveDialog` answer used here. */
export interface SaveDialogAnswer {
  readonly canceled: boolean;
  readonly filePath?: string;
}

/** What saving an attachment needs from the system; Electron and `fs` supply it (app.ts). */
export interface SaveFileServices {
  showSaveDialog(options: {
    title: string;
    defaultPath: string;
    buttonLabel: string;
  }): Promise<SaveDialogAnswer>;
  writeFile(filePath: string, bytes: Uint8Array): Promise<void>;
  readonly downloadsDir: string;
}

export type SaveFileResult = { saved: true } | { saved: false; reason: string };

/**
 * "Save…" on an attachment in the desktop app (issue #21 item 6): the system's save dialog in
 * Downloads with the file's name made safe, then the bytes written where the agent chose, and
 * nowhere else. The page sends a name and bytes only (the IPC schema refuses a path); main
 * writes exactly the absolute path the dialog answered, so the page can never choose where.
 */
export async function saveAttachmentFile(
  request: { readonly filename: string; readonly bytes: Uint8Array },
  services: SaveFileServices,
): Promise<SaveFileResult> {
  const answer = await services.showSaveDialog(
    attachmentSaveDialog(request.filename, services.downloadsDir),
  );
  if (answer.canceled || !answer.filePath) return { saved: false, reason: 'cancelled' };
  const chosen = answer.filePath;
  if (!path.isAbsolute(chosen) || path.normalize(chosen) !== chosen || chosen.includes('\u0000')) {
    return {
      saved: false,
      reason: 'The save dialog answered a path that is not a plain file path.',
    };
  }
  try {
    await services.writeFile(chosen, request.bytes);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    return {
      saved: false,
      reason: `The file could not be written${code ? ` (${code})` : ''}.`,
    };
  }
  return { saved: true };
}
