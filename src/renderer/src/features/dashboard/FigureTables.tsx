import { Group, Paper, SegmentedControl, SimpleGrid, Table, Text } from '@mantine/core';
import { useState } from 'react';
import type {
  CsatFigures,
  CsatRow,
  DashboardFigures,
  GroupFigures,
  GroupRow,
} from '../../../../shared/dashboard';
import { channelKindSchema } from '../../../../shared/domain/channels';
import { ChannelIcon } from '../../components/ChannelIcon';
import { formatMoney, formatWait } from './dashboard-format';

const pctText = (value: number | null): string => (value === null ? '—' : `${value}%`);

function Figure({ label, value, sub }: { label: string; value: string; sub?: string }) {
  return (
    <div>
      <Text size="xs" c="dimmed" truncate>
        {label}
      </Text>
      <Text fw={700} size="lg" lh={1.25}>
        {value}
      </Text>
      {sub ? (
        <Text size="xs" c="dimmed" lineClamp={2}>
          {sub}
        </Text>
      ) : null}
    </div>
  );
}

/** The range's totals in one band. */
export function RangeTotals({
  totals,
  csat,
}: {
  readonly totals: GroupFigures;
  readonly csat?: CsatFigures | undefined;
}) {
  const { firstResponse: first, nextResponse: next, breaches, lateReplies } = totals;
  return (
    <SimpleGrid cols={{ base: 4, md: csat ? 7 : 6 }} spacing="md" data-testid="range-totals">
      <Figure
        label="First response"
        value={formatWait(first.medianMs)}
        sub={`p90 ${formatWait(first.p90Ms)} · ${first.count} answers`}
      />
      <Figure
        label="Next response"
        value={formatWait(next.medianMs)}
        sub={`p90 ${formatWait(next.p90Ms)} · ${next.count} answers`}
      />
      <Figure
        label="SLA breaches"
        value={String(breaches.total)}
        sub={`${breaches.firstResponse} first, ${breaches.nextResponse} next, ${breaches.resolution} resolution`}
      />
      <Figure label="Handled" value={String(totals.handled)} sub="conversations replied to" />
      <Figure
        label="Late replies"
        value={String(lateReplies.count)}
        sub="sent after the window closed"
      />
      <Figure label="Late reply cost" value={formatMoney(lateReplies.cost, '—')} />
      {csat ? (
        <Figure
          label="CSAT"
          value={pctText(csat.scorePct)}
          sub={`${csat.responses} of ${csat.asked} rated · ${pctText(csat.responseRatePct)}`}
        />
      ) : null}
    </SimpleGrid>
  );
}

type Dimension = 'agent' | 'channel' | 'team';

const DIMENSIONS: { value: Dimension; label: string }[] = [
  { value: 'agent', label: 'By agent' },
  { value: 'channel', label: 'By channel' },
  { value: 'team', label: 'By team' },
];

const num = { ta: 'right' } as const;

function RowIcon({ rowKey, dimension }: { rowKey: string | null; dimension: Dimension }) {
  const channel = channelKindSchema.safeParse(rowKey);
  return dimension === 'channel' && channel.success ? (
    <ChannelIcon channel={channel.data} size={14} />
  ) : null;
}

/** CSAT cells: % satisfied, answers of questions asked, and the response rate. */
function CsatCells({ csat }: { csat: CsatFigures | undefined }) {
  return (
    <>
      <Table.Td {...num} data-testid="csat-score">
        {pctText(csat?.scorePct ?? null)}
      </Table.Td>
      <Table.Td {...num}>{csat ? `${csat.responses}/${csat.asked}` : '—'}</Table.Td>
      <Table.Td {...num}>{pctText(csat?.responseRatePct ?? null)}</Table.Td>
    </>
  );
}

function FigureRows({
  rows: figureRows,
  csatRows,
  dimension,
}: {
  rows: readonly GroupRow[];
  csatRows: readonly CsatRow[];
  dimension: Dimension;
}) {
  // A group rated but with nothing else in the range still gets its row (figures blank).
  const csatOf = new Map(csatRows.map((row) => [row.key, row]));
  const known = new Set(figureRows.map((row) => row.key));
  const rows: { key: string | null; name: string; figures: GroupRow | null }[] = [
    ...figureRows.map((row) => ({ key: row.key, name: row.name, figures: row })),
    ...csatRows
      .filter((row) => !known.has(row.key))
      .map((row) => ({ key: row.key, name: row.name, figures: null })),
  ];
  if (rows.length === 0) {
    return (
      <Text size="sm" c="dimmed" py="md" ta="center" data-testid="figures-empty">
        Nothing answered, breached or sent in this range yet.
      </Text>
    );
  }
  return (
    <Table.ScrollContainer minWidth={640}>
      <Table
        striped
        highlightOnHover
        verticalSpacing={4}
        horizontalSpacing="xs"
        fz="sm"
        data-testid={`figures-by-${dimension}`}
      >
        <Table.Thead>
          <Table.Tr>
            <Table.Th>
              {dimension === 'agent' ? 'Agent' : dimension === 'team' ? 'Team' : 'Channel'}
            </Table.Th>
            <Table.Th {...num}>First</Table.Th>
            <Table.Th {...num}>First p90</Table.Th>
            <Table.Th {...num}>Next</Table.Th>
            <Table.Th {...num}>Next p90</Table.Th>
            <Table.Th {...num}>Breaches</Table.Th>
            <Table.Th {...num}>Handled</Table.Th>
            <Table.Th {...num}>Late</Table.Th>
            <Table.Th {...num}>Late cost</Table.Th>
            <Table.Th {...num}>CSAT</Table.Th>
            <Table.Th {...num}>Rated</Table.Th>
            <Table.Th {...num}>Rate</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {rows.map((row) => (
            <Table.Tr key={row.key ?? '—'} data-testid="figures-row">
              <Table.Td>
                <Group gap={6} wrap="nowrap">
                  <RowIcon rowKey={row.key} dimension={dimension} />
                  <Text size="sm" c={row.key === null ? 'dimmed' : undefined} truncate>
                    {row.name}
                  </Text>
                </Group>
              </Table.Td>
              {row.figures ? (
                <>
                  <Table.Td {...num}>{formatWait(row.figures.firstResponse.medianMs)}</Table.Td>
                  <Table.Td {...num}>{formatWait(row.figures.firstResponse.p90Ms)}</Table.Td>
                  <Table.Td {...num}>{formatWait(row.figures.nextResponse.medianMs)}</Table.Td>
                  <Table.Td {...num}>{formatWait(row.figures.nextResponse.p90Ms)}</Table.Td>
                  <Table.Td {...num} c={row.figures.breaches.total > 0 ? 'red' : undefined}>
                    {row.figures.breaches.total}
                  </Table.Td>
                  <Table.Td {...num}>{row.figures.handled}</Table.Td>
                  <Table.Td {...num}>{row.figures.lateReplies.count}</Table.Td>
                  <Table.Td {...num}>{formatMoney(row.figures.lateReplies.cost)}</Table.Td>
                </>
              ) : (
                <Table.Td {...num} colSpan={8} c="dimmed">
                  —
                </Table.Td>
              )}
              <CsatCells csat={csatOf.get(row.key)} />
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </Table.ScrollContainer>
  );
}

/** The range's figures by agent, channel or team, one compact table at a time. */
export function FigureTables({ figures }: { readonly figures: DashboardFigures }) {
  const [dimension, setDimension] = useState<Dimension>('agent');
  const rows =
    dimension === 'agent'
      ? figures.byAgent
      : dimension === 'channel'
        ? figures.byChannel
        : figures.byTeam;
  const csat =
    dimension === 'agent'
      ? figures.csat?.byAgent
      : dimension === 'channel'
        ? figures.csat?.byChannel
        : figures.csat?.byTeam;
  return (
    <Paper withBorder radius="md" p="sm">
      <Group justify="space-between" mb="xs">
        <Group gap="xs" align="baseline">
          <Text fw={600} size="sm">
            Breakdown
          </Text>
          <Text size="xs" c="dimmed">
            response times are medians unless marked p90
          </Text>
        </Group>
        <SegmentedControl
          size="xs"
          value={dimension}
          onChange={(value) => setDimension(value as Dimension)}
          data={DIMENSIONS}
          data-testid="breakdown-switch"
        />
      </Group>
      <FigureRows rows={rows} csatRows={csat ?? []} dimension={dimension} />
    </Paper>
  );
}
