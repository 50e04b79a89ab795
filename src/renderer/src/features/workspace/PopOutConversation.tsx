import { useEffect, useRef } from 'react';
import { Box, Center, Loader, Text } from '@mantine/core';
import type { DesktopApi } from '../../../../shared/ipc/contract';
import {
  useConversation,
  useData,
  useDraft,
  useActivity,
  useMessages,
  useOutbox,
  useRateCard,
  useSyncStatus,
  useTeammates,
} from '../../data/hooks';
import type { Me } from '../../data/types';
import type { ComposerHandle } from '../composer';
import { ConversationPane } from '../conversation/ConversationPane';
import { ConversationComposer } from './ConversationComposer';
import { useReplyQuotes } from './reply-quotes';
import { ConversationLinkActions } from './ConversationLinkActions';
import { SyncBanner } from './SyncBanner';
import { useConversationActions } from './useConversationActions';
import { windowActivity } from './desktop-bridge';
import { useDesktopBridge } from './useDesktopBridge';

const NO_TEAMMATES: never[] = [];
const NO_CONVERSATIONS = new Map();
const nowhere = (): void => undefined;

/**
 * One conversation alone, in a window of its own (`#/popout/<id>`, issue #21 item 4): the same
 * page and cache as the main window, its header, messages and composer, nothing else. Inline
 * replies from notifications stay with the main window.
 */
export function PopOutConversation({
  conversationId,
  me,
  desktop,
}: {
  conversationId: string;
  me: Me;
  desktop: DesktopApi | null;
}) {
  const layer = useData();
  const status = useSyncStatus();
  const conversation = useConversation(conversationId) ?? null;
  const messages = useMessages(conversationId);
  const activity = useActivity(conversation === null ? null : conversationId);
  const teammates = useTeammates() ?? NO_TEAMMATES;
  const rateCard = useRateCard();
  const draft = useDraft(conversationId);
  const composerRef = useRef<ComposerHandle | null>(null);
  const quotes = useReplyQuotes(composerRef);
  const { setQuote, onReply } = quotes;
  const actions = useConversationActions(conversationId, conversation?.unreadCount ?? 0);
  useDesktopBridge({
    desktop,
    layer,
    conversations: NO_CONVERSATIONS,
    activity: windowActivity(useOutbox(), draft),
    inlineReplies: false,
    open: nowhere,
  });
  const name = conversation?.customer.name ?? null;
  useEffect(() => {
    document.title = name ? `${name} — Replydesk` : 'Replydesk';
  }, [name]);

  const loading = status.phase === 'opening' || status.phase === 'first_sync';
  return (
    <Box
      style={{ display: 'flex', flexDirection: 'column', height: '100dvh', minHeight: 0 }}
      data-testid="popout"
      data-conversation-id={conversationId}
    >
      <SyncBanner status={status} queuedReplies={0} onRetryNow={() => layer.reconnectNow()} />
      <Box style={{ flex: 1, minHeight: 0 }}>
        {conversation === null && loading ? (
          <Center h="100%">
            <Loader size="sm" color="gray" />
          </Center>
        ) : (
          <ConversationPane
            conversation={conversation}
            messages={messages ?? []}
            activity={activity}
            me={me}
            teammates={teammates}
            rateCard={rateCard ?? null}
            onCommand={actions.runCommand}
            onRetry={actions.onRetry}
            onDiscard={actions.onDiscard}
            hasOlder={actions.hasOlder}
            onLoadOlder={actions.onLoadOlder}
            onReply={onReply}
            emptyHint={
              <Text size="sm" c="dimmed">
                This conversation is not on this computer. It may have been deleted, or belong to
                another hub.
              </Text>
            }
            headerActions={
              <ConversationLinkActions conversationId={conversationId} desktop={null} />
            }
            composerSlot={
              conversation ? (
                <ConversationComposer
                  conversation={conversation}
                  me={me}
                  order={null}
                  composerRef={composerRef}
                  quote={quotes.quoteOf(conversationId)}
                  onClearQuote={() => setQuote(conversationId, null)}
                />
              ) : null
            }
          />
        )}
      </Box>
    </Box>
  );
}
