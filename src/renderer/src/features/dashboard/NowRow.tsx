import { Paper, SimpleGrid, Text } from '@mantine/core';
import { memo, type ReactNode } from 'react';
import { formatMoney } from './dashboard-format';
import { formatThreshold } from './at-risk-threshold';
import type { NowFigures } from './now';

function Stat({
  label,
  value,
  hint,
  color,
  testId,
}: {
  readonly label: string;
  readonly value: ReactNode;
  readonly hint: string;
  readonly color?: string;
  readonly testId: string;
}) {
  return (
    <Paper withBorder p="sm" radius="md" data-testid={testId}>
      <Text size="xs" c="dimmed" fw={600} tt="uppercase" lts={0.3} truncate>
        {label}
      </Text>
      <Text fz={24} fw={700} lh={1.2} c={color} data-testid="stat-value">
        {value}
      </Text>
      <Text size="xs" c="dimmed" truncate>
        {hint}
      </Text>
    </Paper>
  );
}

export interface NowRowProps {
  readonly figures: NowFigures;
  /** The at-risk counts, so the row and the at-risk list say the same numbers. */
  readonly windowsClosing: number;
  readonly slaDue: number;
  readonly thresholdMs: number;
}

/** "Now", from the cached conversations on the app clock: moves as time passes. */
function NowRowView({ figures, windowsClosing, slaDue, thresholdMs }: NowRowProps) {
  const within = formatThreshold(thresholdMs);
  return (
    <SimpleGrid cols={{ base: 2, sm: 3, lg: 5 }} spacing="sm" data-testid="now-row">
      <Stat
        testId="now-waiting"
        label="Waiting for a reply"
        value={figures.waiting}
        hint="the customer wrote last"
      />
      <Stat
        testId="now-closing"
        label={`Closing within ${within}`}
        value={windowsClosing}
        hint="waiting, window still open"
        color={windowsClosing > 0 ? 'orange' : undefined}
      />
      <Stat
        testId="now-sla-due"
        label={`SLA due within ${within}`}
        value={slaDue}
        hint="targets not yet missed"
        color={slaDue > 0 ? 'orange' : undefined}
      />
      <Stat
        testId="now-closed-today"
        label="Closed unanswered"
        value={figures.closedToday}
        hint="window closed today"
        color={figures.closedToday > 0 ? 'red' : undefined}
      />
      <Stat
        testId="now-cost"
        label="Cost to answer those"
        value={formatMoney(figures.costToReply, figures.closedToday > 0 ? '—' : 'Nothing')}
        hint={
          figures.unpriced > 0
            ? `${figures.unpriced} not priced by the rate card`
            : 'one paid message each'
        }
      />
    </SimpleGrid>
  );
}

/** Re-rendered when a figure changes, not at every tick of the clock that computes them. */
export const NowRow = memo(
  NowRowView,
  (a, b) =>
    a.windowsClosing === b.windowsClosing &&
    a.slaDue === b.slaDue &&
    a.thresholdMs === b.thresholdMs &&
    JSON.stringify(a.figures) === JSON.stringify(b.figures),
);
