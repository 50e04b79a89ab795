import { describe, expect, it, vi } from 'vitest';
import { createDesktopApi, type IpcRendererLike } from '../../src/preload/api';

function fakeIpcRenderer(answer: (channel: string, arg: unknown) => unknown): IpcRendererLike & {
  calls: { channel: string; args: unknown[] }[];
  emit(channel: string, payload: unknown): void;
  listenerCount(channel: string): number;
} {
  const listeners = new Map<string, Set<(event: unknown, ...args: unknown[]) => void>>();
  const calls: { channel: string; args: unknown[] }[] = [];
  return {
    calls,
    invoke: async (channel, ...args) => {
      calls.push({ channel, args });
      return answer(channel, args[0]);
    },
    on: (channel, listener) => {
      const set = listeners.get(channel) ?? new Set();
      set.add(listener);
      listeners.set(channel, set);
    },
    removeListener: (channel, listener) => {
      listeners.get(channel)?.delete(listener);
    },
    emit: (channel, payload) => {
      for (const listener of listeners.get(channel) ?? []) listener({}, payload);
    },
    listenerCount: (channel) => listeners.get(channel)?.size ?? 0,
  };
}

describe('the preload desktop API', () => {
  it('sends each method on its own contract channel', async () => {
    const ipc = fakeIpcRenderer((channel) =>
      channel === 'badge:set-count' ? { applied: true } : { opened: true },
    );
    const api = createDesktopApi(ipc);
    await api.setBadgeCount(4);
    await api.openExternal('https://shop.example/');
    expect(ipc.calls).toEqual([
      { channel: 'badge:set-count', args: [{ count: 4 }] },
      { channel: 'shell:open-external', args: [{ url: 'https://shop.example/' }] },
    ]);
  });

  it('rejects malformed arguments before anything leaves the page', async () => {
    const ipc = fakeIpcRenderer(() => ({ applied: true }));
    const api = createDesktopApi(ipc);
    await expect(api.setBadgeCount(-3)).rejects.toThrow(/Invalid arguments for badge:set-count/);
    await expect(api.showNotification({ title: '', body: '' })).rejects.toThrow(/title/);
    expect(ipc.calls).toEqual([]);
  });

  it('sends credentials on their channels and refuses a hub URL that is not an origin', async () => {
    const ipc = fakeIpcRenderer((channel) =>
      channel === 'credentials:set'
        ? { storage: 'encrypted', reloadRequired: false }
        : { credentials: null, storage: 'memory' },
    );
    const api = createDesktopApi(ipc);
    await expect(api.getCredentials()).resolves.toEqual({ credentials: null, storage: 'memory' });
    await api.setCredentials({ hubUrl: 'https://hub.example', session: null });
    await expect(
      api.setCredentials({ hubUrl: 'https://hub.example/path', session: null }),
    ).rejects.toThrow(/Invalid arguments for credentials:set: hubUrl/);
    expect(ipc.calls).toEqual([
      { channel: 'credentials:get', args: [{}] },
      { channel: 'credentials:set', args: [{ hubUrl: 'https://hub.example', session: null }] },
    ]);
  });

  it('rejects a response that does not match the contract', async () => {
    const api = createDesktopApi(fakeIpcRenderer(() => ({ applied: 'yes' })));
    await expect(api.setBadgeCount(1)).rejects.toThrow(/Invalid response from badge:set-count/);
  });

  it('subscribes to notification clicks, drops malformed events, and unsubscribes', () => {
    const ipc = fakeIpcRenderer(() => undefined);
    const api = createDesktopApi(ipc);
    const listener = vi.fn();
    const unsubscribe = api.onNotificationClicked(listener);
    ipc.emit('notification:clicked', { conversationId: 'c-1' });
    ipc.emit('notification:clicked', { conversationId: 7 });
    expect(listener).toHaveBeenCalledExactlyOnceWith({ conversationId: 'c-1' });
    unsubscribe();
    expect(ipc.listenerCount('notification:clicked')).toBe(0);
  });

  it('exposes only the contract methods', () => {
    const api = createDesktopApi(fakeIpcRenderer(() => undefined));
    expect(Object.keys(api).sort()).toEqual([
      'checkForUpdates',
      'clearCredentials',
      'getAppInfo',
      'getCredentials',
      'getDesktopSettings',
      'getEmbeddedSecret',
      'onDeepLinkAvailable',
      'onMenuCommand',
      'onNotificationClicked',
      'onNotificationReply',
      'onTrayAvailability',
      'onUpdateStatus',
      'openCrashReports',
      'openExternal',
      'popOutConversation',
      'reportActivity',
      'resetLocalData',
      'restartToUpdate',
      'saveAttachment',
      'setBadgeCount',
      'setCredentials',
      'setDesktopSettings',
      'showNotification',
      'showTrayAvailability',
      'takeDeepLink',
    ]);
  });
});
