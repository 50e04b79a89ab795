import { Paper, SimpleGrid, Text } from '@mantine/core';
import { memo, type ReactNode } from 'react';
import { formatMoney } from './dashboard-format';
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

/** "Now", from the cached conversations on the app clock: moves as time passes. */
function NowRowView({ figures }: { readonly figures: NowFigures }) {
  return (
    <SimpleGrid cols={{ base: 2, sm: 3, lg: 5 }} spacing="sm" data-testid="now-row">
      <Stat
        testId="now-waiting"
        label="Waiting for a reply"
        value={figures.waiting}
        hint="open and pending conversations"
      />
      <Stat
        testId="now-closing-1h"
        label="Closing within 1 h"
        value={figures.closingWithin1h}
        hint="waiting, window still open"
        color={figures.closingWithin1h > 0 ? 'orange' : undefined}
      />
      <Stat
        testId="now-closing-4h"
        label="Closing within 4 h"
        value={figures.closingWithin4h}
        hint="including those within 1 h"
      />
      <Stat
        testId="now-closed-today"
        label="Closed unanswered today"
        value={figures.closedToday}
        hint="free reply no longer possible"
        color={figures.closedToday > 0 ? 'red' : undefined}
      />
      <Stat
        testId="now-cost"
        label="Cost to answer those"
        value={formatMoney(figures.costToReply, figures.closedToday > 0 ? '—' : 'Nothing')}
        hint={
          figures.unpriced > 0
            ? `${figures.unpriced} not priced by the rate card`
            : 'one template or tagged reply each'
        }
      />
    </SimpleGrid>
  );
}

/** Re-rendered when a figure changes, not at every tick of the clock that computes them. */
export const NowRow = memo(
  NowRowView,
  (a, b) => JSON.stringify(a.figures) === JSON.stringify(b.figures),
);
