import { Group, List, Table, Text } from '@mantine/core';
import { CHANNEL_INFO, CHANNEL_KINDS } from '../../../../shared/domain/channels';
import type { ChannelRules } from '../../../../shared/reply-window';
import { ChannelIcon } from '../../components/ChannelIcon';
import { describeChannelRule } from './describe-rule';

/** Every channel's reply-window rule, worded for agents, from the same data the hub enforces. */
export function ChannelRulesTable({ rules }: { rules: ChannelRules }) {
  return (
    <Table
      striped
      highlightOnHover
      withTableBorder
      verticalSpacing={6}
      fz="sm"
      data-testid="channel-rules"
    >
      <Table.Thead>
        <Table.Tr>
          <Table.Th w={150}>Channel</Table.Th>
          <Table.Th w={170}>Free-reply window</Table.Th>
          <Table.Th w={280}>After it closes</Table.Th>
          <Table.Th>Special cases</Table.Th>
        </Table.Tr>
      </Table.Thead>
      <Table.Tbody>
        {CHANNEL_KINDS.map((kind) => {
          const summary = describeChannelRule(rules[kind]);
          return (
            <Table.Tr key={kind}>
              <Table.Td>
                <Group gap={6} wrap="nowrap">
                  <ChannelIcon channel={kind} />
                  <Text size="sm" fw={500}>
                    {CHANNEL_INFO[kind].label}
                  </Text>
                </Group>
              </Table.Td>
              <Table.Td>{summary.window}</Table.Td>
              <Table.Td>{summary.afterClose}</Table.Td>
              <Table.Td>
                {summary.extras.length === 0 ? (
                  <Text size="sm" c="dimmed">
                    —
                  </Text>
                ) : (
                  <List size="sm" spacing={2}>
                    {summary.extras.map((extra) => (
                      <List.Item key={extra}>{extra}</List.Item>
                    ))}
                  </List>
                )}
              </Table.Td>
            </Table.Tr>
          );
        })}
      </Table.Tbody>
    </Table>
  );
}
