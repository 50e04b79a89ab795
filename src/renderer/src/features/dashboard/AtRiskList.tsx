import { memo } from 'react';
import { Anchor, Badge, Group, Paper, ScrollArea, Select, Table, Text } from '@mantine/core';
import type { Conversation } from '../../../../shared/domain/model';
import { ChannelIcon } from '../../components/ChannelIcon';
import type { Teammate } from '../../data/types';
import { LiveWindowTimer } from '../inbox/WindowTimer';
import { hashOfConversation } from '../workspace/selection';

export interface AtRiskListProps {
  readonly conversations: readonly Conversation[];
  /** All at risk, of which `conversations` are the first. */
  readonly total: number;
  readonly teammates: readonly Teammate[];
  readonly onAssign: (conversationId: string, assigneeId: string | null) => void;
}

const UNASSIGNED = '';

/**
 * Waiting conversations by time left in their reply window, soonest first: the customer (a link
 * that opens it in the inbox), its channel, owner (reassignable here) and the live countdown.
 */
function AtRiskListView({ conversations, total, teammates, onAssign }: AtRiskListProps) {
  const options = [
    { value: UNASSIGNED, label: 'Unassigned' },
    ...teammates.filter((t) => !t.disabled).map((t) => ({ value: t.id, label: t.name })),
  ];
  return (
    <Paper withBorder radius="md" p="sm" data-testid="at-risk">
      <Group justify="space-between" mb="xs">
        <Text fw={600} size="sm">
          At risk
        </Text>
        <Badge variant="light" color={total > 0 ? 'orange' : 'gray'} size="sm">
          {total > conversations.length ? `${conversations.length} of ${total}` : total} at risk
        </Badge>
      </Group>
      {conversations.length === 0 ? (
        <Text size="sm" c="dimmed" ta="center" py="lg" data-testid="at-risk-empty">
          No conversation is waiting with its reply window open.
        </Text>
      ) : (
        <ScrollArea.Autosize mah={520} type="auto">
          <Table verticalSpacing={4} horizontalSpacing="xs" fz="sm" highlightOnHover>
            <Table.Thead>
              <Table.Tr>
                <Table.Th>Customer</Table.Th>
                <Table.Th>Owner</Table.Th>
                <Table.Th ta="right">Time left</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {conversations.map((conversation) => (
                <Table.Tr
                  key={conversation.id}
                  data-testid="at-risk-row"
                  data-conversation-id={conversation.id}
                >
                  <Table.Td maw={180}>
                    <Group gap={6} wrap="nowrap">
                      <ChannelIcon channel={conversation.channel} size={14} />
                      <Anchor
                        href={hashOfConversation(conversation.id)}
                        size="sm"
                        truncate
                        data-testid="at-risk-open"
                      >
                        {conversation.customer.name}
                      </Anchor>
                    </Group>
                  </Table.Td>
                  <Table.Td w={150}>
                    <Select
                      size="xs"
                      variant="unstyled"
                      aria-label={`Owner of ${conversation.customer.name}`}
                      data={options}
                      value={conversation.assigneeId ?? UNASSIGNED}
                      onChange={(value) =>
                        onAssign(
                          conversation.id,
                          value === null || value === UNASSIGNED ? null : value,
                        )
                      }
                      allowDeselect={false}
                      searchable
                      comboboxProps={{ withinPortal: true, width: 200, position: 'bottom-end' }}
                      data-testid="at-risk-assign"
                    />
                  </Table.Td>
                  <Table.Td ta="right" style={{ whiteSpace: 'nowrap' }}>
                    <LiveWindowTimer conversation={conversation} />
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </ScrollArea.Autosize>
      )}
    </Paper>
  );
}

/**
 * Re-rendered when a row, the total or the teammates change, not at every tick of the page's
 * clock: the countdowns tick by themselves (`LiveWindowTimer`).
 */
export const AtRiskList = memo(
  AtRiskListView,
  (a, b) =>
    a.total === b.total &&
    a.teammates === b.teammates &&
    a.onAssign === b.onAssign &&
    a.conversations.length === b.conversations.length &&
    a.conversations.every((conversation, i) => conversation === b.conversations[i]),
);
