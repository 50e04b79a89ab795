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
