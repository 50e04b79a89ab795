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
