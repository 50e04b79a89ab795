import { useMemo, useState } from 'react';
import { Grid, Paper, Stack, Text, Title } from '@mantine/core';
import rateCardJson from '../../../../../resources/pricing/rate-card.example.json';
import { parseRateCard } from '../../../../shared/pricing';
import { DEFAULT_CHANNEL_RULES } from '../../../../shared/reply-window';
import { useNow } from '../../app/clock';
import { ChannelRulesTable } from './ChannelRulesTable';
import { ScenarioForm } from './ScenarioForm';
import { evaluateScenario, initialScenario, type Scenario } from './scenario';
import { WindowResult } from './WindowResult';

// The shipped example card; the hub will serve the admin's own card (DESIGN.md rule 6).
const RATE_CARD = parseRateCard(rateCardJson);
const COUNTRIES = [
  ...new Set(
    RATE_CARD.periods
      .flatMap((period) => Object.keys(period.rates))
      .filter((code) => code !== 'default'),
  ),
]
  .sort()
  .concat('default');

/**
 * Reply windows: every channel's rule, and a live what-if that shows the countdown, what may be
 * sent, and what the next message costs — the same functions the inbox and the hub use.
 */
export function ReplyWindowsPage() {
  const now = useNow();
  const [scenario, setScenario] = useState<Scenario>(() => initialScenario(Date.now()));
  const result = useMemo(() => evaluateScenario(scenario, now, RATE_CARD), [scenario, now]);

  return (
    <Stack gap="md" maw={1200}>
      <div>
        <Title order={3}>Reply windows</Title>
        <Text size="sm" c="dimmed">
          When each channel lets you answer freely, and what a message costs once the window has
          closed.
        </Text>
      </div>
      <Grid gap="md">
        <Grid.Col span={{ base: 12, md: 5 }}>
          <Paper withBorder p="md" h="100%">
            <Text fw={600} size="sm" mb="sm">
              Try a conversation
            </Text>
            <ScenarioForm
              scenario={scenario}
              rule={DEFAULT_CHANNEL_RULES[scenario.channel]}
              countries={COUNTRIES}
              now={now}
              onChange={setScenario}
            />
          </Paper>
        </Grid.Col>
        <Grid.Col span={{ base: 12, md: 7 }}>
          <Paper withBorder p="md" h="100%" aria-live="polite">
            <WindowResult result={result} now={now} exampleRates={RATE_CARD.example} />
          </Paper>
        </Grid.Col>
      </Grid>
      <div>
        <Text fw={600} size="sm" mb="xs">
          Rules by channel
        </Text>
        <ChannelRulesTable rules={DEFAULT_CHANNEL_RULES} />
      </div>
    </Stack>
  );
}
