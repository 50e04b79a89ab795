import { useEffect, useRef } from 'react';
import { notifications } from '@mantine/notifications';
import type { Conversation } from '../../../../shared/domain/model';
import type { DesktopApi, IpcRequest } from '../../../../shared/ipc/contract';
import { readClock } from '../../app/clock';
import type { DataActions } from '../../data/types';
import { deliverInlineReply, refusedReplyNotification } from './desktop-bridge';

export interface DesktopBridgeOptions {
  readonly desktop: DesktopApi | null;
  readonly layer: Pick<DataActions, 'sendMessage'>;
  readonly conversations: ReadonlyMap<string, Conversation>;
  /** What a restart would interrupt here (`windowActivity`); an update waits (issue #21 item 5). */
  readonly activity: IpcRequest<'app:activity'>;
  /** Main window only: answer inline replies from notifications. Pop-outs leave them to it. */
  readonly inlineReplies: boolean;
  readonly open: (conversationId: string) => void;
}

/**
 * The workspace's half of the desktop shell: tells main what a restart would interrupt (the
 * updater installs only when every window reports nothing), and sends notification inline
 * replies through the outbox.
 */
export function useDesktopBridge({
  desktop,
  layer,
  conversations,
  activity: { pendingReplies, typing },
  inlineReplies,
  open,
}: DesktopBridgeOptions): void {
  useEffect(() => {
    if (!desktop) return;
    desktop
      .reportActivity({ pendingReplies, typing })
      .catch((error: unknown) => console.warn('Replydesk: activity report failed', error));
  }, [desktop, pendingReplies, typing]);

  const latest = useRef({ conversations, layer, open });
  useEffect(() => {
    latest.current = { conversations, layer, open };
  });

  useEffect(() => {
    if (!desktop || !inlineReplies) return;
    return desktop.onNotificationReply((reply) => {
      const { conversations: byId, layer: data, open: openConversation } = latest.current;
      void deliverInlineReply(reply, {
        conversation: byId.get(reply.conversationId),
        now: readClock(),
        send: (id, content) => data.sendMessage(id, content),
        refuse: (id, reason) => {
          notifications.show({
            id: `inline-reply:${id}`,
            color: 'orange',
            title: 'Reply not sent',
            message: `${reason} Open the conversation to answer there.`,
            onClick: () => openConversation(id),
            autoClose: false,
          });
          desktop.showNotification(refusedReplyNotification(id, reason)).catch(() => undefined);
        },
      }).catch((error: unknown) => console.warn('Replydesk: inline reply failed', error));
    });
  }, [desktop, inlineReplies]);
}
