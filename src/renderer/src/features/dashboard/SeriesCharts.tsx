import { BarChart, LineChart } from '@mantine/charts';
import { Group, Paper, SegmentedControl, SimpleGrid, Text } from '@mantine/core';
import { useState } from 'react';
import type { SeriesPoint } from '../../../../shared/dashboard';
import { formatClockTime, formatDayMonth } from '../../format/dates';

type View = 'volume' | 'response';

const VOLUME_SERIES = [
  { name: 'inbound', label: 'Messages in', color: 'blue.5' },
  { name: 'responses', label: 'Responses', color: 'teal.6' },
  { name: 'breaches', label: 'Breaches', color: 'red.6' },
];
const RESPONSE_SERIES = [{ name: 'minutes', label: 'Median first response', color: 'violet.6' }];

function SeriesChart({
  title,
  points,
  label,
  testId,
}: {
  title: string;
  points: readonly SeriesPoint[];
  label: (start: number) => string;
  testId: string;
}) {
  const [view, setView] = useState<View>('volume');
  const data = points.map((point) => ({
    at: label(point.start),
    inbound: point.inbound,
    responses: point.responses,
    breaches: point.breaches,
    // Minutes read better on an axis than ms; a bucket with no first response has no point.
    minutes:
      point.medianFirstResponseMs === null
        ? null
        : Math.round(point.medianFirstResponseMs / 6_000) / 10,
  }));
  const empty = points.every((p) => p.inbound === 0 && p.responses === 0 && p.breaches === 0);
  return (
    <Paper withBorder radius="md" p="sm" data-testid={testId}>
      <Group justify="space-between" mb={6} wrap="nowrap">
        <Text fw={600} size="sm">
          {title}
        </Text>
        <SegmentedControl
          size="xs"
          value={view}
          onChange={(value) => setView(value === 'response' ? 'response' : 'volume')}
          data={[
            { value: 'volume', label: 'Volume' },
            { value: 'response', label: 'First response' },
          ]}
        />
      </Group>
      {empty ? (
        <Text size="sm" c="dimmed" ta="center" py={60}>
          No customer messages, responses or breaches in this period.
        </Text>
      ) : view === 'volume' ? (
        <BarChart
          h={170}
          data={data}
          dataKey="at"
          series={VOLUME_SERIES}
          tickLine="y"
          withLegend
          legendProps={{ verticalAlign: 'bottom', height: 28 }}
          barProps={{ radius: 2 }}
          maxBarWidth={10}
          xAxisProps={{ interval: 'preserveStartEnd', minTickGap: 12 }}
          yAxisProps={{ allowDecimals: false, width: 32 }}
        />
      ) : (
        <LineChart
          h={170}
          data={data}
          dataKey="at"
          series={RESPONSE_SERIES}
          tickLine="y"
          connectNulls
          withLegend
          legendProps={{ verticalAlign: 'bottom', height: 28 }}
          unit=" min"
          xAxisProps={{ interval: 'preserveStartEnd', minTickGap: 12 }}
          yAxisProps={{ width: 40 }}
        />
      )}
    </Paper>
  );
}

const hourLabel = (start: number): string => formatClockTime(start);
const dayLabel = (start: number): string => formatDayMonth(start);

/** Last 24 h by hour and last 30 days by day, as the hub counted them in this time zone. */
export function SeriesCharts({
  hourly,
  daily,
}: {
  readonly hourly: readonly SeriesPoint[];
  readonly daily: readonly SeriesPoint[];
}) {
  return (
    // One above the other: 30 days of three bars each need the width.
    <SimpleGrid cols={1} spacing="sm">
      <SeriesChart title="Last 24 hours" points={hourly} label={hourLabel} testId="chart-24h" />
      <SeriesChart title="Last 30 days" points={daily} label={dayLabel} testId="chart-30d" />
    </SimpleGrid>
  );
}
