import {
  ipcEventContract,
  parseIpcRequest,
  parseIpcResponse,
  type DesktopApi,
  type IpcEventChannel,
  type IpcEventPayload,
  type IpcInvokeChannel,
  type IpcRequest,
  type IpcResponse,
} from '../shared/ipc/contract';

/** The two `ipcRenderer` calls the preload needs; kept as an interface so it is testable. */
export interface IpcRendererLike {
  invoke(channel: string, ...args: unknown[]): Promise<unknown>;
  on(channel: string, listener: (event: unknown, ...args: unknown[]) => void): unknown;
  removeListener(channel: string, listener: (event: unknown, ...args: unknown[]) => void): unknown;
}

/**
 * Build the object exposed as `window.replydesk`. It never exposes `ipcRenderer` itself: each
 * method maps to one channel of the contract, and arguments are validated here before they
 * leave the page and responses after they return.
 */
export function createDesktopApi(ipc: IpcRendererLike): DesktopApi {
  async function invoke<C extends IpcInvokeChannel>(
    channel: C,
    request: IpcRequest<C>,
  ): Promise<IpcResponse<C>> {
    const valid = parseIpcRequest(channel, request);
    return parseIpcResponse(channel, await ipc.invoke(channel, valid));
  }

  function subscribe<C extends IpcEventChannel>(
    channel: C,
    listener: (payload: IpcEventPayload<C>) => void,
  ): () => void {
    const wrapped = (_event: unknown, payload: unknown): void => {
      const parsed = ipcEventContract[channel].safeParse(payload);
      // A malformed event from main is a bug there; dropping it keeps the page consistent.
      if (parsed.success) listener(parsed.data as IpcEventPayload<C>);
    };
    ipc.on(channel, wrapped);
    return () => {
      ipc.removeListener(channel, wrapped);
    };
  }

  return {
    getAppInfo: () => invoke('app:get-info', {}),
    openExternal: (url) => invoke('shell:open-external', { url }),
    showNotification: (request) => invoke('notification:show', request),
    setBadgeCount: (count, closingSoon) =>
      invoke('badge:set-count', closingSoon === undefined ? { count } : { count, closingSoon }),
    getCredentials: () => invoke('credentials:get', {}),
    setCredentials: (credentials) => invoke('credentials:set', credentials),
    clearCredentials: () => invoke('credentials:clear', {}),
    getEmbeddedSecret: () => invoke('hub:embedded-secret', {}),
    takeDeepLink: () => invoke('deep-link:take', {}),
    popOutConversation: (conversationId) => invoke('window:pop-out', { conversationId }),
    getDesktopSettings: () => invoke('desktop-settings:get', {}),
    setDesktopSettings: (patch) => invoke('desktop-settings:set', patch),
    reportActivity: (activity) => invoke('app:activity', activity),
    showTrayAvailability: (availability) => invoke('tray:availability', { availability }),
    checkForUpdates: () => invoke('update:check', {}),
    restartToUpdate: () => invoke('update:restart', {}),
    openCrashReports: () => invoke('app:open-crash-reports', {}),
    resetLocalData: () => invoke('app:reset-local-data', {}),
    saveAttachment: (request) => invoke('attachment:save', request),
    onNotificationClicked: (listener) => subscribe('notification:clicked', listener),
    onNotificationReply: (listener) => subscribe('notification:reply', listener),
    onDeepLinkAvailable: (listener) => subscribe('deep-link:available', () => listener()),
    onTrayAvailability: (listener) => subscribe('tray:set-availability', listener),
    onMenuCommand: (listener) => subscribe('menu:command', listener),
    onUpdateStatus: (listener) => subscribe('update:status', listener),
  };
}
