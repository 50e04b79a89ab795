import { Alert, Badge, Group, Stack, Table, Text, Tooltip } from '@mantine/core';
import { IconInfoCircle } from '@tabler/icons-react';
import { CHANNEL_INFO } from '../../../../shared/domain/channels';
import { formatPrice } from '../../../../shared/pricing';
import {
  describeAllowance,
  formatDuration,
  formatWindowTimer,
} from '../../../../shared/reply-window';
import { ChannelIcon } from '../../components/ChannelIcon';
import { WINDOW_STATE_COLORS, WindowStateBadge } from '../../components/WindowStateBadge';
import { formatWeekdayDateTime } from '../../format/dates';
import type { ScenarioResult } from './scenario';

export interface WindowResultProps {
  readonly result: ScenarioResult;
  readonly now: number;
  readonly exampleRates: boolean;
}

/** The live window of a what-if conversation and what each kind of message would cost now. */
export function WindowResult({ result, now, exampleRates }: WindowResultProps) {
  const { window, quotes } = result;
  const offer = window.entryPointOffer;
  return (
    <Stack gap="sm">
      <Group justify="space-between">
        <Group gap={6}>
          <ChannelIcon channel={window.channel} size={20} />
          <Text fw={600}>{CHANNEL_INFO[window.channel].label}</Text>
        </Group>
        <WindowStateBadge state={window.state} />
      </Group>
      <div>
        <Text
          data-testid="window-timer"
          fz={window.state === 'closed' ? 24 : 32}
          fw={600}
          lh={1.2}
          style={{ fontVariantNumeric: 'tabular-nums' }}
          c={window.state === 'open' ? undefined : WINDOW_STATE_COLORS[window.state]}
        >
          {formatWindowTimer(window, now)}
        </Text>
        <Text size="xs" c="dimmed" mt={2}>
          {window.closesAt !== null && window.state !== 'closed'
            ? `Free replies until ${formatWeekdayDateTime(window.closesAt)}`
            : window.state === 'unlimited'
              ? 'This channel has no reply window.'
              : 'The free-reply window is closed.'}
        </Text>
      </div>
      <Group gap="xs">
        <Text size="sm" c="dimmed">
          May send now:
        </Text>
        <Text size="sm" fw={500} data-testid="window-allowed">
          {describeAllowance(window.allowed, now)}
        </Text>
      </Group>
      {window.allowed.kind === 'none' && (
        <Text size="xs" c="dimmed">
          {window.allowed.reason}
        </Text>
      )}
      {window.messagesRemaining !== null && (
        <Group gap="xs">
          <Text size="sm" c="dimmed">
            Messages left:
          </Text>
          <Text size="sm" fw={500}>
            {window.messagesRemaining}
          </Text>
        </Group>
      )}
      {window.freeEntryPoint && (
        <Badge variant="light" color="teal" w="fit-content">
          Free entry point: every message is free
        </Badge>
      )}
      {offer && (
        <Alert variant="light" color="blue" p="xs" icon={<IconInfoCircle size={16} />}>
          Reply within {formatDuration(offer.replyBy - now)} to open{' '}
          {formatDuration(offer.freeWindowMs)} in which every message is free.
        </Alert>
      )}
      <Table withTableBorder verticalSpacing={6} fz="sm" data-testid="price-table">
        <Table.Thead>
          <Table.Tr>
            <Table.Th>Next message</Table.Th>
            <Table.Th ta="right">Cost</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {quotes.map(({ label, result: quote }) => (
            <Table.Tr key={label}>
              <Table.Td>{label}</Table.Td>
              <Table.Td ta="right">
                {quote.ok ? (
                  <Tooltip label={quote.quote.reason} multiline w={280} withArrow>
                    <Text
                      span
                      size="sm"
                      fw={500}
                      c={
                        !quote.quote.allowed ? 'dimmed' : quote.quote.amount > 0 ? 'orange' : 'teal'
                      }
                    >
                      {!quote.quote.allowed
                        ? 'Not allowed'
                        : quote.quote.amount === 0
                          ? 'Free'
                          : formatPrice(quote.quote.amount, quote.quote.currency)}
                    </Text>
                  </Tooltip>
                ) : (
                  <Text span size="sm" c="red">
                    {quote.error}
                  </Text>
                )}
              </Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
      {exampleRates && (
        <Text size="xs" c="dimmed">
          Prices come from the example rate card; your admin replaces it with your real rates.
        </Text>
      )}
    </Stack>
  );
}
