import type { IpcRequest } from '../shared/ipc/contract';

/**
 * Operating-system notifications (issue #21 item 3): one per conversation at a time, grouped
 * under the conversation in the notification centre (`groupId`), none while the agent paused
 * them from the tray, and on macOS an inline reply where the conversation's reply window allows
 * a free-form reply (the page says so: `replyable`). A click opens the conversation; a reply
 * goes to the page, which sends it through the outbox like any reply.
 */

export interface NotificationOptionsLike {
  title: string;
  body: string;
  silent?: boolean;
  groupId?: string;
  hasReply?: boolean;
  replyPlaceholder?: string;
}

export interface NotificationLike {
  on(event: 'click' | 'close', listener: () => void): unknown;
  on(event: 'reply', listener: (details: { reply?: string }, reply?: string) => void): unknown;
  show(): void;
  close(): void;
}

export interface NotificationClassLike {
  isSupported(): boolean;
  new (options: NotificationOptionsLike): NotificationLike;
}

export interface NotifierOptions {
  readonly Notification: NotificationClassLike;
  readonly platform: string;
  /** Epoch ms until which notifications are paused, or null. */
  readonly pausedUntil: () => number | null;
  readonly onClick: (conversationId: string) => void;
  readonly onReply: (conversationId: string, text: string) => void;
}

export type NotifyResult = { shown: true } | { shown: false; reason: string };

const MAX_REPLY = 4096;

export function createNotifier(options: NotifierOptions) {
  const { Notification } = options;
  /** The notification on screen per conversation: a newer one replaces it. */
  const current = new Map<string, NotificationLike>();
  return {
    show(request: IpcRequest<'notification:show'>): NotifyResult {
      if (!Notification.isSupported()) {
        return { shown: false, reason: 'Desktop notifications are not supported on this system.' };
      }
      const paused = options.pausedUntil();
      if (paused !== null) {
        const until = new Date(paused).toLocaleTimeString([], {
          hour: '2-digit',
          minute: '2-digit',
        });
        return { shown: false, reason: `Notifications are paused until ${until}.` };
      }
      const { conversationId } = request;
      const inlineReply =
        options.platform === 'darwin' && conversationId !== undefined && request.replyable === true;
      const notification = new Notification({
        title: request.title,
        body: request.body,
        silent: request.silent ?? false,
        ...(conversationId !== undefined ? { groupId: `conversation:${conversationId}` } : {}),
        ...(inlineReply ? { hasReply: true, replyPlaceholder: 'Reply…' } : {}),
      });
      if (conversationId !== undefined) {
        current.get(conversationId)?.close();
        current.set(conversationId, notification);
        notification.on('close', () => {
          if (current.get(conversationId) === notification) current.delete(conversationId);
        });
        notification.on('click', () => options.onClick(conversationId));
        if (inlineReply) {
          notification.on('reply', (details, legacy) => {
            const text = (details.reply ?? legacy ?? '').trim().slice(0, MAX_REPLY);
            if (text !== '') options.onReply(conversationId, text);
          });
        }
      }
      notification.show();
      return { shown: true };
    },
    /** Notifications of this conversation on screen now (0 or 1). */
    openFor: (conversationId: string): number => (current.has(conversationId) ? 1 : 0),
  };
}
export type Notifier = ReturnType<typeof createNotifier>;
