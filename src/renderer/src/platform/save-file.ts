import { createContext } from 'react';
import type { DesktopApi } from '../../../shared/ipc/contract';

/**
 * Saving a file from the desktop app: the system's save dialog through main
 * (`attachment:save`, src/main/downloads.ts). Null in a browser, where a download link saves it.
 * Provided once at the root (main.tsx) so a timeline bubble needs no prop threaded down to it.
 */
export type SaveFile = (file: {
  readonly filename: string;
  readonly blob: Blob;
}) => Promise<{ saved: true } | { saved: false; reason: string }>;

export function saveFileVia(desktop: DesktopApi | null): SaveFile | null {
  if (!desktop) return null;
  return async ({ filename, blob }) =>
    desktop.saveAttachment({ filename, bytes: new Uint8Array(await blob.arrayBuffer()) });
}

export const SaveFileContext = createContext<SaveFile | null>(null);

/**
 * Hand a file the app made or fetched (an export) to the user as a download: the browser's, which
 * the desktop app turns into the system's save dialog too (src/main/downloads.ts).
 */
export function downloadBlob(blob: Blob, fileName: string): void {
  const url = URL.createObjectURL(blob);
  const anchor = document.createElement('a');
  anchor.href = url;
  anchor.download = fileName;
  document.body.append(anchor);
  anchor.click();
  anchor.remove();
  // Revoked after the click has been handled; the download keeps its own copy.
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}
