import { memo } from 'react';
import { Anchor, Badge, Group, Paper, ScrollArea, Select, Stack, Table, Text } from '@mantine/core';
import { SLA_TARGET_NAMES } from '../../../../shared/sla';
import { formatDuration } from '../../../../shared/reply-window/format';
import { useNow } from '../../app/clock';
import { ChannelIcon } from '../../components/ChannelIcon';
import type { Teammate } from '../../data/types';
import { LiveWindowTimer } from '../inbox/WindowTimer';
import { hashOfConversation } from '../workspace/selection';
import { formatThreshold } from './at-risk-threshold';
import { AT_RISK_THRESHOLDS_MS, type AtRisk, type AtRiskItem } from './now';

export interface AtRiskListProps {
  readonly risk: AtRisk;
  readonly thresholdMs: number;
  readonly onThreshold: (ms: number) => void;
  readonly teammates: readonly Teammate[];
  readonly onAssign: (conversationId: string, assigneeId: string | null) => void;
}

const UNASSIGNED = '';
const THRESHOLD_OPTIONS = AT_RISK_THRESHOLDS_MS.map((ms) => ({
  value: String(ms),
  label: formatThreshold(ms),
}));

const capitalise = (text: string): string => text.charAt(0).toUpperCase() + text.slice(1);

/** An SLA target's time left ("1h 29m"), ticking. */
function LiveLeft({ dueAt }: { readonly dueAt: number }) {
  const now = useNow();
  return (
    <Text span size="sm" c="orange" fw={600} style={{ fontVariantNumeric: 'tabular-nums' }}>
      {formatDuration(dueAt - now)}
    </Text>
  );
}

/**
 * What falls due, soonest first, each as its name over its time left: the window's countdown
 * (coloured by its state), each SLA target's time. Two short lines keep the column narrow.
 */
function DueCell({ item }: { readonly item: AtRiskItem }) {
  return (
    <Group gap="xs" justify="flex-end" wrap="nowrap" align="flex-start">
      {item.due.map((due) => (
        <Stack
          key={due.kind}
          gap={0}
          align="flex-end"
          data-testid="at-risk-due"
          data-kind={due.kind}
        >
          <Text span size="xs" c="dimmed" lh={1.2}>
            {due.kind === 'window' ? 'Window' : capitalise(SLA_TARGET_NAMES[due.kind])}
          </Text>{' '}
          {due.kind === 'window' ? (
            <LiveWindowTimer conversation={item.conversation} />
          ) : (
            <LiveLeft dueAt={due.dueAt} />
          )}
        </Stack>
      ))}
    </Group>
  );
}

/**
 * Conversations with a reply window closing or an SLA target due within the lead's threshold,
 * what falls due first at the top: the customer (a link that opens it in the inbox), its
 * channel, owner (reassignable here) and what is due, ticking.
 */
function AtRiskListView({ risk, thresholdMs, onThreshold, teammates, onAssign }: AtRiskListProps) {
  const options = [
    { value: UNASSIGNED, label: 'Unassigned' },
    ...teammates.filter((t) => !t.disabled).map((t) => ({ value: t.id, label: t.name })),
  ];
  const within = formatThreshold(thresholdMs);
  const { rows, total } = risk;
  return (
    <Paper withBorder radius="md" p="sm" data-testid="at-risk">
      <Group justify="space-between" wrap="nowrap" gap="xs">
        <Group gap={6} wrap="nowrap" style={{ minWidth: 0 }}>
          <Text fw={600} size="sm" data-testid="at-risk-heading" truncate>
            At risk within {within}
          </Text>
          <Badge
            variant="light"
            color={total > 0 ? 'orange' : 'gray'}
            size="sm"
            data-testid="at-risk-count"
          >
            {total > rows.length ? `${rows.length} of ${total}` : total}
          </Badge>
        </Group>
        <Select
          size="xs"
          w={92}
          aria-label="At risk within"
          data={THRESHOLD_OPTIONS}
          value={String(thresholdMs)}
          onChange={(value) => {
            if (value !== null) onThreshold(Number(value));
          }}
          allowDeselect={false}
          comboboxProps={{ withinPortal: true }}
          data-testid="at-risk-threshold"
        />
      </Group>
      <Text size="xs" c="dimmed" mb="xs" data-testid="at-risk-summary">
        {risk.windowsClosing} waiting with the reply window closing · {risk.slaDue} with an SLA
        target due
      </Text>
      {rows.length === 0 ? (
        <Text size="sm" c="dimmed" ta="center" py="lg" data-testid="at-risk-empty">
          Nothing falls due within {within}: no reply window of a waiting customer closes and no SLA
          target is due.
        </Text>
      ) : (
        <ScrollArea.Autosize mah={520} type="auto">
          <Table verticalSpacing={4} horizontalSpacing="xs" fz="sm" highlightOnHover>
            <Table.Thead>
              <Table.Tr>
                <Table.Th>Customer</Table.Th>
                <Table.Th>Owner</Table.Th>
                <Table.Th ta="right">Due</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {rows.map((item) => {
                const { conversation } = item;
                return (
                  <Table.Tr
                    key={conversation.id}
                    data-testid="at-risk-row"
                    data-conversation-id={conversation.id}
                  >
                    <Table.Td maw={160}>
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
                    <Table.Td w={120}>
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
                      <DueCell item={item} />
                    </Table.Td>
                  </Table.Tr>
                );
              })}
            </Table.Tbody>
          </Table>
        </ScrollArea.Autosize>
      )}
    </Paper>
  );
}

const sameItem = (a: AtRiskItem, b: AtRiskItem | undefined): boolean =>
  b !== undefined &&
  a.conversation === b.conversation &&
  a.due.length === b.due.length &&
  a.due.every((due, i) => due.kind === b.due[i]?.kind && due.dueAt === b.due[i]?.dueAt);

/**
 * Re-rendered when a row, a count, the threshold or the teammates change, not at every tick of
 * the page's clock: the countdowns tick by themselves.
 */
export const AtRiskList = memo(
  AtRiskListView,
  (a, b) =>
    a.thresholdMs === b.thresholdMs &&
    a.onThreshold === b.onThreshold &&
    a.risk.total === b.risk.total &&
    a.risk.windowsClosing === b.risk.windowsClosing &&
    a.risk.slaDue === b.risk.slaDue &&
    a.teammates === b.teammates &&
    a.onAssign === b.onAssign &&
    a.risk.rows.length === b.risk.rows.length &&
    a.risk.rows.every((item, i) => sameItem(item, b.risk.rows[i])),
);
