import { useCallback, useState, type FocusEvent, type KeyboardEvent } from 'react';
import { Table, VisuallyHidden } from '@mantine/core';
import type { Conversation } from '../../../../shared/domain/model';
import { ConversationRow } from './ConversationRow';

export interface ConversationListProps {
  readonly conversations: readonly Conversation[];
  /** Rows that match before the cap, for assistive technology (`aria-rowcount`). */
  readonly total: number;
  /** Height of whatever is fixed above the page (the app header), so the column headers stick below it. */
  readonly stickyOffset?: number;
}

const rowsOf = (body: HTMLElement): HTMLTableRowElement[] => [
  ...body.querySelectorAll<HTMLTableRowElement>('tr[data-conversation-id]'),
];

/** Keys that move the focus between rows, as in any list an agent works through. */
function targetIndex(key: string, current: number, count: number): number | null {
  switch (key) {
    case 'ArrowDown':
      return Math.min(count - 1, current + 1);
    case 'ArrowUp':
      return Math.max(0, current - 1);
    case 'PageDown':
      return Math.min(count - 1, current + 10);
    case 'PageUp':
      return Math.max(0, current - 10);
    case 'Home':
      return 0;
    case 'End':
      return count - 1;
    default:
      return null;
  }
}

/**
 * The conversations as a table with real column headers. One row is in the tab order at a time
 * (roving tabindex); arrow keys, Page Up/Down, Home and End move between rows.
 */
export function ConversationList({
  conversations,
  total,
  stickyOffset = 0,
}: ConversationListProps) {
  const [focusedId, setFocusedId] = useState<string | null>(null);
  const tabbableId = conversations.some((c) => c.id === focusedId)
    ? focusedId
    : (conversations[0]?.id ?? null);

  const onFocus = useCallback((event: FocusEvent<HTMLTableSectionElement>) => {
    const id = (event.target as HTMLElement).closest('tr')?.dataset['conversationId'];
    if (id) setFocusedId(id);
  }, []);

  const onKeyDown = useCallback((event: KeyboardEvent<HTMLTableSectionElement>) => {
    const rows = rowsOf(event.currentTarget);
    const current = rows.indexOf(
      (event.target as HTMLElement).closest('tr') as HTMLTableRowElement,
    );
    if (current < 0) return;
    const next = targetIndex(event.key, current, rows.length);
    if (next === null) return;
    event.preventDefault();
    rows[next]?.focus();
  }, []);

  return (
    <Table
      layout="fixed"
      highlightOnHover
      stickyHeader
      stickyHeaderOffset={stickyOffset}
      verticalSpacing={0}
      horizontalSpacing="xs"
      aria-label="Conversations"
      aria-rowcount={total + 1}
      data-testid="conversation-list"
    >
      <Table.Thead>
        <Table.Tr>
          <Table.Th w={36}>
            <VisuallyHidden>Channel</VisuallyHidden>
          </Table.Th>
          <Table.Th w="22%">Customer</Table.Th>
          <Table.Th>Last message</Table.Th>
          <Table.Th w={64} ta="right">
            Unread
          </Table.Th>
          <Table.Th w={84}>Status</Table.Th>
          <Table.Th w={160} ta="right">
            Reply window
          </Table.Th>
        </Table.Tr>
      </Table.Thead>
      <Table.Tbody onFocus={onFocus} onKeyDown={onKeyDown}>
        {conversations.map((conversation) => (
          <ConversationRow
            key={conversation.id}
            conversation={conversation}
            tabbable={conversation.id === tabbableId}
          />
        ))}
      </Table.Tbody>
    </Table>
  );
}
