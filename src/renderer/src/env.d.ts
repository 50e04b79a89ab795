import type { DesktopApi } from '../../shared/ipc/contract';

declare global {
  interface Window {
    /** Present only inside the Electron window; the browser build runs without it. */
    readonly replydesk?: DesktopApi;
  }
}

export {};
