import { memo } from 'react';
import { Badge, Box, Table, Text } from '@mantine/core';
import type { Conversation, ConversationStatus } from '../../../../shared/domain/model';
import { ChannelIcon } from '../../components/ChannelIcon';
import { WindowTimerCell } from './WindowTimer';

const STATUS: Readonly<Record<ConversationStatus, { label: string; color: string }>> = {
  open: { label: 'Open', color: 'dimmed' },
  pending: { label: 'Pending', color: 'yellow' },
  snoozed: { label: 'Snoozed', color: 'grape' },
  resolved: { label: 'Resolved', color: 'dimmed' },
};

export const ROW_HEIGHT = 44;

export interface ConversationRowProps {
  readonly conversation: Conversation;
  /** The one row in the tab order (roving tabindex); arrow keys move between rows. */
  readonly tabbable: boolean;
}

/**
 * One conversation on one line. Memoised: it re-renders when its conversation changes; the
 * timer inside re-renders on its own every second.
 */
export const ConversationRow = memo(function ConversationRow({
  conversation,
  tabbable,
}: ConversationRowProps) {
  const { customer, unreadCount, status } = conversation;
  const unread = unreadCount > 0;
  return (
    <Table.Tr
      tabIndex={tabbable ? 0 : -1}
      h={ROW_HEIGHT}
      data-testid="conversation-row"
      data-conversation-id={conversation.id}
      data-channel={conversation.channel}
      data-status={status}
    >
      <Table.Td>
        {/* A flex box, so the icon sits on the row's centre line rather than on a text baseline. */}
        <Box display="flex">
          <ChannelIcon channel={conversation.channel} size={18} />
        </Box>
      </Table.Td>
      <Table.Td>
        <Text size="sm" fw={unread ? 650 : 500} truncate="end" data-testid="customer-name">
          {customer.name || customer.phone || 'Unknown customer'}
        </Text>
      </Table.Td>
      <Table.Td>
        <Text size="sm" c="dimmed" truncate="end">
          {conversation.lastMessagePreview || '—'}
        </Text>
      </Table.Td>
      <Table.Td ta="right">
        {unread && (
          <Badge
            size="sm"
            variant="light"
            color="teal"
            radius="xl"
            aria-label={`${unreadCount} unread`}
            styles={{ label: { fontVariantNumeric: 'tabular-nums' } }}
          >
            {unreadCount > 99 ? '99+' : unreadCount}
          </Badge>
        )}
      </Table.Td>
      <Table.Td>
        <Text size="xs" c={STATUS[status].color}>
          {STATUS[status].label}
        </Text>
      </Table.Td>
      <Table.Td ta="right">
        <WindowTimerCell conversation={conversation} />
      </Table.Td>
    </Table.Tr>
  );
});
