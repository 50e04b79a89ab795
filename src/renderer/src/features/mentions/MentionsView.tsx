import './mentions.css';
import { Badge, Button, Text, UnstyledButton } from '@mantine/core';
import { IconArrowLeft, IconAt } from '@tabler/icons-react';
import { formatDateTime } from '../../format/dates';

/** One note that mentions me, as the Mentions view lists it. */
export interface MentionItem {
  readonly messageId: string;
  readonly conversationId: string;
  readonly authorName: string;
  readonly customerName: string;
  readonly text: string;
  readonly at: number;
  readonly unread: boolean;
}

/** The "Mentions" toggle beside the inbox views, with the count of unread mentions. */
export function MentionsToggle({
  unread,
  active,
  onToggle,
}: {
  unread: number;
  active: boolean;
  onToggle: () => void;
}) {
  return (
    <Button
      size="compact-xs"
      variant={active ? 'filled' : 'subtle'}
      color="yellow"
      leftSection={active ? <IconArrowLeft size={14} /> : <IconAt size={14} />}
      onClick={onToggle}
      aria-pressed={active}
      data-testid="mentions-toggle"
      rightSection={
        unread > 0 ? (
          <Badge size="xs" color="red" circle={unread < 10} data-testid="mentions-unread">
            {unread}
          </Badge>
        ) : null
      }
    >
      {active ? 'Back to conversations' : 'Mentions'}
    </Button>
  );
}

/**
 * Notes that mention me (issue #20 item 1), newest first, unread ones marked. A click opens the
 * conversation at the note.
 */
export function MentionsView({
  items,
  loaded,
  selectedMessageId,
  onOpen,
}: {
  items: readonly MentionItem[];
  loaded: boolean;
  selectedMessageId: string | null;
  onOpen: (item: MentionItem) => void;
}) {
  if (items.length === 0) {
    return (
      <div className="rd-mentions-empty" data-testid="mentions-empty">
        <Text size="sm" c="dimmed">
          {loaded ? 'No one has mentioned you in a note yet.' : 'Loading mentions…'}
        </Text>
      </div>
    );
  }
  return (
    <div className="rd-mentions" data-testid="mentions-view" role="list">
      {items.map((item) => (
        <UnstyledButton
          key={item.messageId}
          role="listitem"
          className="rd-mention-row"
          data-testid="mention-row"
          data-unread={item.unread || undefined}
          data-selected={item.messageId === selectedMessageId || undefined}
          data-message-id={item.messageId}
          onClick={() => onOpen(item)}
        >
          <div className="rd-mention-head">
            {item.unread ? <span className="rd-mention-dot" aria-label="Unread" /> : null}
            <Text size="sm" fw={item.unread ? 700 : 500} truncate="end" flex={1}>
              {item.authorName} · {item.customerName}
            </Text>
            <Text size="xs" c="dimmed">
              {formatDateTime(item.at)}
            </Text>
          </div>
          <Text size="xs" c="dimmed" lineClamp={2} data-testid="mention-text">
            {item.text}
          </Text>
        </UnstyledButton>
      ))}
    </div>
  );
}
