import {
  IPC_INVOKE_CHANNELS,
  parseIpcRequest,
  parseIpcResponse,
  type AppInfo,
  type IpcInvokeChannel,
  type IpcRequest,
  type IpcResponse,
} from '../shared/ipc/contract';
import { checkExternalUrl } from './external-links';
import type { CredentialServices } from './hub-access';

/** What main needs from the operating system to answer the renderer; Electron supplies it. */
export interface DesktopServices {
  appInfo(): AppInfo;
  openExternal(url: string): Promise<void>;
  showNotification(request: IpcRequest<'notification:show'>): boolean;
  setBadgeCount(count: number): boolean;
  /** The remembered hub and session (src/main/hub-access.ts). */
  credentials: CredentialServices;
  /** The embedded hub's launch secret (src/main/hub-access.ts); only the app's own frame asks. */
  embeddedSecret(): IpcResponse<'hub:embedded-secret'>;
}

/** The parts of an `IpcMainInvokeEvent` we check. */
export interface InvokeEventLike {
  readonly senderFrame: { readonly url: string } | null;
}

export interface IpcMainLike {
  handle(
    channel: string,
    listener: (event: InvokeEventLike, ...args: unknown[]) => Promise<unknown>,
  ): void;
  removeHandler(channel: string): void;
}

type Handlers = {
  [C in IpcInvokeChannel]: (request: IpcRequest<C>) => Promise<IpcResponse<C>>;
};

function createHandlers(services: DesktopServices): Handlers {
  return {
    'app:get-info': async () => services.appInfo(),
    'shell:open-external': async ({ url }) => {
      const check = checkExternalUrl(url);
      if (!check.ok) return { opened: false, reason: check.reason };
      await services.openExternal(check.url);
      return { opened: true };
    },
    'notification:show': async (request) => {
      const shown = services.showNotification(request);
      return shown
        ? { shown: true }
        : { shown: false, reason: 'Desktop notifications are not supported on this system.' };
    },
    'badge:set-count': async ({ count }) => ({ applied: services.setBadgeCount(count) }),
    'credentials:get': async () => services.credentials.get(),
    'credentials:set': (credentials) => services.credentials.set(credentials),
    'credentials:clear': () => services.credentials.clear(),
    'hub:embedded-secret': async () => services.embeddedSecret(),
  };
}

/**
 * Register one handler per contract channel (never a generic pass-through). Each call is
 * checked in order: the sender frame must be the app's own page (VS Code's
 * `validatedIpcMain`), the arguments must match the contract, and the response is parsed too.
 * Failures reject the renderer's promise with a clear message and change nothing.
 */
export function registerIpcHandlers(
  ipcMain: IpcMainLike,
  services: DesktopServices,
  isTrustedSender: (frameUrl: string) => boolean,
): () => void {
  const handlers = createHandlers(services);
  for (const channel of IPC_INVOKE_CHANNELS) {
    ipcMain.handle(channel, async (event, ...args) => {
      const frameUrl = event.senderFrame?.url ?? '';
      if (!isTrustedSender(frameUrl)) {
        throw new Error(`Refused ${channel}: the request did not come from the Replydesk window.`);
      }
      if (args.length !== 1) {
        throw new Error(
          `Invalid arguments for ${channel}: expected one argument, got ${args.length}`,
        );
      }
      return dispatch(channel, handlers, args[0]);
    });
  }
  return () => {
    for (const channel of IPC_INVOKE_CHANNELS) ipcMain.removeHandler(channel);
  };
}

async function dispatch<C extends IpcInvokeChannel>(
  channel: C,
  handlers: Handlers,
  raw: unknown,
): Promise<IpcResponse<C>> {
  const request = parseIpcRequest(channel, raw);
  const handler = handlers[channel] as (request: IpcRequest<C>) => Promise<IpcResponse<C>>;
  return parseIpcResponse(channel, await handler(request));
}
