import { useCallback, useEffect, useMemo } from 'react';
import type { DesktopApi } from '../../../../shared/ipc/contract';
import { PAGES, type Page } from '../../app/pages';
import {
  useConversations,
  useDraft,
  useData,
  useOutbox,
  useSyncStatus,
  useTeammates,
} from '../../data/hooks';
import { mentionStoreOf, useMentionArrivals, type Mention } from '../../data/mentions';
import { customerNameOf } from '../attention/attention';
import { showMentionAlert } from '../attention/mention-alert';
import type { Me } from '../../data/types';
import { useAttention } from '../attention/useAttention';
import { closingAlertMs, usePreferences } from '../settings/preferences';
import { relayMenuCommand } from '../shortcuts/menu-relay';
import { conversationIdOfHash, hashOfConversation } from './selection';
import { windowActivity } from './desktop-bridge';
import { useDesktopBridge } from './useDesktopBridge';

const openConversation = (conversationId: string): void => {
  window.location.hash = hashOfConversation(conversationId);
};

/**
 * What watches the agent's conversations for as long as they are signed in to the main window,
 * whichever page it shows (issue #21): attention alerts and desktop notifications, the badge
 * and tray figures, a notification's click and inline reply, what a restart would interrupt,
 * and application-menu commands chosen away from the inbox (they open it and run there). Mounted
 * by the app beside the page, never in a pop-out window. Renders nothing.
 */
export function DesktopWatch({
  me,
  desktop,
  page,
  hash,
}: {
  me: Me;
  desktop: DesktopApi | null;
  page: Page;
  hash: string;
}) {
  const layer = useData();
  const status = useSyncStatus();
  const conversationsById = useConversations();
  const { preferences } = usePreferences();
  const outbox = useOutbox();
  const selectedId = page === 'inbox' ? conversationIdOfHash(hash) : null;
  const openDraft = useDraft(selectedId);
  const mine = useMemo(
    () => [...conversationsById.values()].filter((c) => c.assigneeId === me.id),
    [conversationsById, me.id],
  );

  useDesktopBridge({
    desktop,
    layer,
    conversations: conversationsById,
    activity: windowActivity(outbox, openDraft),
    inlineReplies: true,
    open: openConversation,
  });
  useAttention({
    conversations: status.phase === 'opening' ? null : mine,
    me,
    thresholdMs: closingAlertMs(preferences),
    desktop,
    desktopNotifications: preferences.desktopNotifications,
    onOpen: openConversation,
    quiet: status.phase === 'first_sync',
    activeConversationId: selectedId,
  });

  // A note mentioning me (issue #20 item 1): only the mentioned agent, never its author.
  const teammates = useTeammates();
  const onMention = useCallback(
    (mention: Mention) => {
      const conversation = conversationsById.get(mention.conversationId);
      const author = teammates?.find((teammate) => teammate.id === mention.authorId);
      showMentionAlert(
        {
          messageId: mention.messageId,
          conversationId: mention.conversationId,
          authorName: author?.name ?? 'A teammate',
          customerName: conversation ? customerNameOf(conversation) : 'a conversation',
          text: mention.text,
        },
        {
          desktop,
          desktopNotifications: preferences.desktopNotifications,
          open: () => {
            mentionStoreOf(layer).open(mention.conversationId, mention.messageId);
            openConversation(mention.conversationId);
          },
        },
      );
    },
    [conversationsById, teammates, desktop, preferences.desktopNotifications, layer],
  );
  useMentionArrivals(onMention);

  // The inbox answers the menu itself (useShortcuts); elsewhere the command takes the agent there.
  const away = page !== 'inbox';
  useEffect(() => {
    if (!desktop || !away) return undefined;
    return desktop.onMenuCommand(({ command }) => {
      relayMenuCommand(command);
      window.location.hash = PAGES.inbox.hash;
    });
  }, [desktop, away]);
  return null;
}
