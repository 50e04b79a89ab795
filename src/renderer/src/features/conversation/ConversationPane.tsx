import { useMemo, type CSSProperties, type ReactNode } from 'react';
import { Box, EmptyState, Kbd } from '@mantine/core';
import { IconMessages } from '@tabler/icons-react';
import type { Conversation, Message } from '../../../../shared/domain/model';
import type { RateCard } from '../../../../shared/pricing';
import type { Me, Teammate } from '../../data/types';
import { ConversationHeader, type HeaderCommand } from './ConversationHeader';
import { MessageList } from './MessageList';

export interface ConversationPaneProps {
  /** The selected conversation; null shows the empty state. */
  readonly conversation: Conversation | null;
  /** Its messages, oldest first, outbox items included. */
  readonly messages: readonly Message[];
  readonly me: Me;
  readonly teammates: readonly Teammate[];
  readonly rateCard: RateCard | null;
  readonly onCommand: (command: HeaderCommand) => void;
  readonly onRetry: (message: Message) => void;
  readonly onDiscard: (message: Message) => void;
  readonly hasOlder: boolean;
  readonly onLoadOlder: () => void;
  /** The composer, built elsewhere; drawn under the messages. */
  readonly composerSlot?: ReactNode;
  /** Labels used in the workspace, suggested in the header. */
  readonly knownLabels?: readonly string[];
  /** What the empty state suggests; defaults to the command palette's shortcut. */
  readonly emptyHint?: ReactNode;
  /** The empty pane's title; "Select a conversation" unless one was asked for and is missing. */
  readonly emptyTitle?: string;
  /** Extra header actions (ConversationHeader's `extraActions`). */
  readonly headerActions?: ReactNode;
  /** "Reply" on a customer's message (MessageList's `onReply`). */
  readonly onReply?: (message: Message) => void;
  /** A note to scroll to and mark (opened from the Mentions view); `null` for none. */
  readonly focusMessageId?: string | null;
}

const PANE_STYLE: CSSProperties = {
  display: 'flex',
  flexDirection: 'column',
  height: '100%',
  minHeight: 0,
  minWidth: 0,
  background: 'var(--mantine-color-body)',
};

const LIST_STYLE: CSSProperties = { flex: 1, minHeight: 0, position: 'relative' };

const COMPOSER_STYLE: CSSProperties = {
  flex: 'none',
  borderTop: '1px solid var(--mantine-color-default-border)',
  background: 'var(--mantine-color-body)',
};

const isMac = typeof navigator !== 'undefined' && /Mac|iPhone|iPad/.test(navigator.userAgent);

/** Inline content only: the empty state's description is a paragraph. */
function DefaultHint() {
  return (
    <>
      Pick one from the inbox, or press <Kbd size="xs">{isMac ? '⌘' : 'Ctrl'}</Kbd> +{' '}
      <Kbd size="xs">K</Kbd> to find one.
    </>
  );
}

/**
 * The conversation column: header fixed at the top, messages filling the middle, the composer
 * at the bottom; it fills its parent's height. Presentational: the connected layer passes the
 * data and the actions in.
 */
export function ConversationPane({
  conversation,
  messages,
  me,
  teammates,
  rateCard,
  onCommand,
  onRetry,
  onDiscard,
  hasOlder,
  onLoadOlder,
  composerSlot,
  knownLabels,
  emptyHint,
  emptyTitle = 'Select a conversation',
  headerActions,
  onReply,
  focusMessageId = null,
}: ConversationPaneProps) {
  const authorNames = useMemo(() => {
    const names: Record<string, string> = {};
    for (const teammate of teammates) names[teammate.id] = teammate.name;
    names[me.id] = 'You';
    return names;
  }, [teammates, me.id]);
  // A note's mentions are written by name, the signed-in agent's too.
  const mentionNames = useMemo(
    () => ({ ...authorNames, [me.id]: me.name }),
    [authorNames, me.id, me.name],
  );

  if (conversation === null) {
    return (
      <Box style={{ ...PANE_STYLE, justifyContent: 'center' }} data-testid="conversation-empty">
        <EmptyState
          size="sm"
          icon={<IconMessages size={28} stroke={1.5} />}
          withIndicatorBackground
          title={emptyTitle}
          description={emptyHint ?? <DefaultHint />}
        />
      </Box>
    );
  }

  return (
    <Box style={PANE_STYLE} data-testid="conversation-pane" data-conversation-id={conversation.id}>
      <ConversationHeader
        conversation={conversation}
        me={me}
        teammates={teammates}
        rateCard={rateCard}
        onCommand={onCommand}
        knownLabels={knownLabels}
        extraActions={headerActions}
      />
      <div style={LIST_STYLE}>
        {/* Keyed by conversation: each one opens at its newest message with fresh scroll state. */}
        <MessageList
          key={conversation.id}
          messages={messages}
          conversation={conversation}
          onRetry={onRetry}
          onDiscard={onDiscard}
          hasOlder={hasOlder}
          onLoadOlder={onLoadOlder}
          authorNames={authorNames}
          mentionNames={mentionNames}
          onReply={onReply}
          focusMessageId={focusMessageId}
        />
      </div>
      {composerSlot ? <div style={COMPOSER_STYLE}>{composerSlot}</div> : null}
    </Box>
  );
}
