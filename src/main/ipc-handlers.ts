import type {
  DesktopSettings,
  DesktopSettingsState,
  UpdateStatus,
} from '../shared/desktop/settings';
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
  showNotification(
    request: IpcRequest<'notification:show'>,
  ): { shown: true } | { shown: false; reason: string };
  /** The badge, and the tray's figures when the page gives them. */
  setBadgeCount(count: number, closingSoon?: number): boolean;
  /** The remembered hub and session (src/main/hub-access.ts). */
  credentials: CredentialServices;
  /** The embedded hub's launch secret (src/main/hub-access.ts); only the app's own frame asks. */
  embeddedSecret(): IpcResponse<'hub:embedded-secret'>;
  /** The waiting link, or why the last one was refused. */
  takeDeepLink(): IpcResponse<'deep-link:take'>;
  popOut(conversationId: string): boolean;
  desktopSettings(): DesktopSettingsState;
  setDesktopSettings(patch: Partial<DesktopSettings>): Promise<DesktopSettingsState>;
  /** `windowId`: the reporting window's web contents. */
  reportActivity(windowId: number, activity: IpcRequest<'app:activity'>): void;
  /** What the tray's availability items show (`null`: none, the hub has no availability). */
  showTrayAvailability(availability: IpcRequest<'tray:availability'>['availability']): void;
  checkForUpdates(): Promise<UpdateStatus>;
  restartToUpdate(): IpcResponse<'update:restart'>;
  openCrashReports(): Promise<IpcResponse<'app:open-crash-reports'>>;
  resetLocalData(): Promise<IpcResponse<'app:reset-local-data'>>;
  /** The save dialog, then the bytes written where the agent chose (main/downloads.ts). */
  saveAttachment(request: IpcRequest<'attachment:save'>): Promise<IpcResponse<'attachment:save'>>;
}

/** The parts of an `IpcMainInvokeEvent` we check. */
export interface InvokeEventLike {
  readonly senderFrame: { readonly url: string } | null;
  /** The web contents that asked (its window). */
  readonly sender: { readonly id: number };
}

/** Who asked: the handlers that answer per window need it. */
interface CallContext {
  readonly senderId: number;
}

export interface IpcMainLike {
  handle(
    channel: string,
    listener: (event: InvokeEventLike, ...args: unknown[]) => Promise<unknown>,
  ): void;
  removeHandler(channel: string): void;
}

type Handlers = {
  [C in IpcInvokeChannel]: (
    request: IpcRequest<C>,
    context: CallContext,
  ) => Promise<IpcResponse<C>>;
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
    'notification:show': async (request) => services.showNotification(request),
    'badge:set-count': async ({ count, closingSoon }) => ({
      applied: services.setBadgeCount(count, closingSoon),
    }),
    'credentials:get': async () => services.credentials.get(),
    'credentials:set': (credentials) => services.credentials.set(credentials),
    'credentials:clear': () => services.credentials.clear(),
    'hub:embedded-secret': async () => services.embeddedSecret(),
    'deep-link:take': async () => services.takeDeepLink(),
    'window:pop-out': async ({ conversationId }) => ({ opened: services.popOut(conversationId) }),
    'desktop-settings:get': async () => services.desktopSettings(),
    'desktop-settings:set': (patch) => services.setDesktopSettings(patch),
    'app:activity': async (activity, { senderId }) => {
      services.reportActivity(senderId, activity);
      return { recorded: true };
    },
    'tray:availability': async ({ availability }) => {
      services.showTrayAvailability(availability);
      return { recorded: true };
    },
    'update:check': () => services.checkForUpdates(),
    'update:restart': async () => services.restartToUpdate(),
    'app:open-crash-reports': () => services.openCrashReports(),
    'app:reset-local-data': () => services.resetLocalData(),
    'attachment:save': (request) => services.saveAttachment(request),
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
      return dispatch(channel, handlers, args[0], { senderId: event.sender.id });
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
  context: CallContext,
): Promise<IpcResponse<C>> {
  const request = parseIpcRequest(channel, raw);
  const handler = handlers[channel] as (
    request: IpcRequest<C>,
    context: CallContext,
  ) => Promise<IpcResponse<C>>;
  return parseIpcResponse(channel, await handler(request, context));
}
