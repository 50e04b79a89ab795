import type { DesktopApi } from '../../../shared/ipc/contract';

/**
 * The desktop API when running inside the Electron window, `null` in a browser. Components never
 * read `window` themselves; they receive what this returns.
 */
export function getDesktopApi(): DesktopApi | null {
  return typeof window !== 'undefined' && window.replydesk ? window.replydesk : null;
}
