import '../inbox/inbox-list.css';
import { downloadBlob } from '../../platform/save-file';
import { useCallback, useEffect, useMemo, useState, type ReactNode } from 'react';
import {
  Alert,
  Button,
  Grid,
  Group,
  Loader,
  Menu,
  Paper,
  SegmentedControl,
  Stack,
  Text,
  Title,
  useMantineColorScheme,
} from '@mantine/core';
import { IconAlertTriangle, IconDownload } from '@tabler/icons-react';
import { DAY_MS } from '../../../../shared/domain/channels';
import {
  dashboardFiguresSchema,
  startOfZonedDay,
  type DashboardFigures,
} from '../../../../shared/dashboard';
import type { Conversation } from '../../../../shared/domain/model';
import { dueTargetsOf, type SlaDue } from '../../../../shared/sla';
import { clockNow, useNow } from '../../app/clock';
import { PAGES } from '../../app/pages';
import { HubRequestError } from '../../data/data-layer';
import { useConversations, useData, useRateCard, useTeammates } from '../../data/hooks';
import type { Me, Teammate } from '../../data/types';
import { createClassifier } from '../inbox/inbox-view';
import { CommandPalette } from '../shortcuts/CommandPalette';
import { KeyHint } from '../shortcuts/KeyHint';
import { keymapFor } from '../shortcuts/keymap';
import { ShortcutsHelp } from '../shortcuts/ShortcutsHelp';
import { useShortcuts, type ShortcutHandlers } from '../shortcuts/useShortcuts';
import { useSla, type SlaView } from '../sla/sla-store';
import { AtRiskList } from './AtRiskList';
import { useAtRiskThreshold } from './at-risk-threshold';
import { localTimeZone } from './dashboard-format';
import { FigureTables, RangeTotals } from './FigureTables';
import { NowRow } from './NowRow';
import { atRisk, nowFigures } from './now';
import { SeriesCharts } from './SeriesCharts';

type RangePreset = 'today' | '7d' | '30d';

const PRESETS: { value: RangePreset; label: string; days: number }[] = [
  { value: 'today', label: 'Today', days: 1 },
  { value: '7d', label: '7 days', days: 7 },
  { value: '30d', label: '30 days', days: 30 },
];

/** How long after live events the figures are asked for again (events in between join in). */
const REFETCH_DEBOUNCE_MS = 1000;
const AT_RISK_ROWS = 50;
/** While the cache is read: one stable empty list, so the at-risk list is not redrawn each tick. */
const NO_TEAMMATES: readonly Teammate[] = [];
const NO_DUE: readonly SlaDue[] = [];
const noDue = (): readonly SlaDue[] => NO_DUE;

/**
 * A conversation's SLA due instants under `sla`, computed once per conversation object and
 * settings: they are fixed for fixed facts, and the page asks every second.
 */
const dueFunctions = new WeakMap<SlaView, (conversation: Conversation) => readonly SlaDue[]>();
function dueTargetsFor(sla: SlaView): (conversation: Conversation) => readonly SlaDue[] {
  let dueOf = dueFunctions.get(sla);
  if (!dueOf) {
    const cache = new WeakMap<Conversation, readonly SlaDue[]>();
    dueOf = (conversation) => {
      let due = cache.get(conversation);
      if (!due) {
        due = dueTargetsOf(conversation, sla.settings, sla.clocks);
        cache.set(conversation, due);
      }
      return due;
    };
    dueFunctions.set(sla, dueOf);
  }
  return dueOf;
}

/** The query for a preset: from the start of the first local day; `to` is the hub's now. */
function rangeQuery(preset: RangePreset, timeZone: string, now: number): string {
  const days = PRESETS.find((p) => p.value === preset)?.days ?? 1;
  let from = startOfZonedDay(now, timeZone);
  for (let i = 1; i < days; i += 1) from = startOfZonedDay(from - DAY_MS / 2, timeZone);
  return `from=${from}&tz=${encodeURIComponent(timeZone)}`;
}

/** The range of the exports (issue #20 item 6): the preset's, up to now. */
function exportQuery(preset: RangePreset, timeZone: string, now: number): string {
  const from = new URLSearchParams(rangeQuery(preset, timeZone, now)).get('from') ?? '0';
  return `from=${from}&to=${now}`;
}

/**
 * "Now" and the at-risk list, from the cache on the app clock: this part re-renders every second;
 * the hub's figures come in as `children`, elements made by the page, so they do not.
 */
function LiveLayout({ me, children }: { me: Me; children: ReactNode }) {
  const conversations = useConversations();
  const teammates = useTeammates();
  const rateCard = useRateCard();
  const { runCommand } = useData();
  const now = useNow();
  const [classifier] = useState(createClassifier);
  const list = useMemo(() => [...conversations.values()], [conversations]);
  // The classifier keeps each conversation's window until it changes state: cheap every second.
  const { items } = classifier.classify(list, now);
  const figures = nowFigures(items, now, startOfZonedDay(now, localTimeZone()), rateCard ?? null);
  const [thresholdMs, setThresholdMs] = useAtRiskThreshold(me.id);
  const sla = useSla();
  const dueOf = sla ? dueTargetsFor(sla) : noDue;
  const risk = atRisk(items, dueOf, now, thresholdMs, AT_RISK_ROWS);
  const onAssign = useCallback(
    (conversationId: string, assigneeId: string | null) => {
      void runCommand({ type: 'assign', conversationId, assigneeId });
    },
    [runCommand],
  );
  return (
    <>
      <NowRow
        figures={figures}
        windowsClosing={risk.windowsClosing}
        slaDue={risk.slaDue}
        thresholdMs={thresholdMs}
      />
      <Grid gap="sm">
        <Grid.Col span={{ base: 12, lg: 8 }}>{children}</Grid.Col>
        <Grid.Col span={{ base: 12, lg: 4 }}>
          <AtRiskList
            risk={risk}
            thresholdMs={thresholdMs}
            onThreshold={setThresholdMs}
            teammates={teammates ?? NO_TEAMMATES}
            onAssign={onAssign}
          />
        </Grid.Col>
      </Grid>
    </>
  );
}

interface FiguresAnswer {
  /** The range the answer is for: another range's figures are never shown as this one's. */
  readonly key: string;
  readonly figures: DashboardFigures | null;
  readonly error: string | null;
}

/**
 * The hub's figures for the range, asked again (debounced) whenever live events arrive: the hub
 * computes them from what it stored, so they follow the event stream without a reload.
 */
function useHubFigures(preset: RangePreset, timeZone: string) {
  const layer = useData();
  const [round, setRound] = useState(0);
  const [answer, setAnswer] = useState<FiguresAnswer | null>(null);
  const key = `${preset}\n${timeZone}`;

  useEffect(() => {
    let timer: ReturnType<typeof setTimeout> | null = null;
    const unsubscribe = layer.subscribeEvents(() => {
      // Once a second at most, counted from the first event of a burst: a busy hub, with events
      // every few hundred ms, must still refresh the figures (a reset debounce never would).
      if (timer !== null) return;
      timer = setTimeout(() => {
        timer = null;
        setRound((r) => r + 1);
      }, REFETCH_DEBOUNCE_MS);
    });
    return () => {
      unsubscribe();
      if (timer !== null) clearTimeout(timer);
    };
  }, [layer]);

  useEffect(() => {
    let current = true;
    const path = `/api/dashboard?${rangeQuery(preset, timeZone, clockNow())}`;
    layer.request('GET', path, dashboardFiguresSchema).then(
      (figures) => {
        if (current) setAnswer({ key, figures, error: null });
      },
      (error: unknown) => {
        if (!current) return;
        const message =
          error instanceof HubRequestError ? error.message : 'The figures could not be read.';
        // Keep showing the last figures of this range, with the reason they are not fresh.
        setAnswer((previous) => ({
          key,
          figures: previous?.key === key ? previous.figures : null,
          error: message,
        }));
      },
    );
    return () => {
      current = false;
    };
  }, [layer, key, preset, timeZone, round]);

  const mine = answer?.key === key ? answer : null;
  return { figures: mine?.figures ?? null, error: mine?.error ?? null, loading: mine === null };
}

/** Download the CSV of the range through the data layer (the token stays in the header). */
async function downloadCsv(
  download: (path: string) => Promise<{ blob: Blob; filename: string | null }>,
  query: string,
): Promise<void> {
  const { blob, filename } = await download(`/api/dashboard.csv?${query}`);
  downloadBlob(blob, filename ?? 'replydesk-dashboard.csv');
}

/** The live SLA dashboard for leads and admins (issue 5, item 2). */
export function DashboardPage({ me }: { me: Me }) {
  const layer = useData();
  const [preset, setPreset] = useState<RangePreset>('today');
  const [timeZone] = useState(localTimeZone);
  const { figures, error, loading } = useHubFigures(preset, timeZone);
  const [exporting, setExporting] = useState(false);
  const [exportError, setExportError] = useState<string | null>(null);
  const [helpOpen, setHelpOpen] = useState(false);
  const { toggleColorScheme } = useMantineColorScheme();

  const keymap = useMemo(() => keymapFor(me.role), [me.role]);
  const handlers = useMemo<ShortcutHandlers>(
    () => ({
      goToInbox: () => window.location.assign(PAGES.inbox.hash),
      shortcutsHelp: () => setHelpOpen(true),
      toggleColorScheme: () => toggleColorScheme(),
    }),
    [toggleColorScheme],
  );
  useShortcuts(handlers, { keymap });
  const inboxKeys = keymap.find((s) => s.id === 'goToInbox')?.keys ?? [];

  const onExport = async (
    what: 'dashboard' | 'conversations' | 'customers' = 'dashboard',
  ): Promise<void> => {
    setExporting(true);
    setExportError(null);
    try {
      if (what === 'dashboard')
        await downloadCsv(layer.download, rangeQuery(preset, timeZone, clockNow()));
      else {
        const { blob, filename } = await layer.download(
          `/api/exports/${what}.csv?${exportQuery(preset, timeZone, clockNow())}`,
        );
        downloadBlob(blob, filename ?? `replydesk-${what}.csv`);
      }
    } catch (error) {
      setExportError(error instanceof HubRequestError ? error.message : 'The export failed.');
    } finally {
      setExporting(false);
    }
  };

  return (
    <Stack gap="sm" maw={1400} data-testid="dashboard">
      <Group justify="space-between" wrap="wrap" gap="xs">
        <Group gap="sm">
          <Title order={3}>Dashboard</Title>
          <Text size="xs" c="dimmed">
            Live · {timeZone}
          </Text>
        </Group>
        <Group gap="xs">
          <Text size="xs" c="dimmed" component="span">
            Inbox
          </Text>
          <KeyHint keys={inboxKeys} />
        </Group>
      </Group>

      <LiveLayout me={me}>
        <Stack gap="sm">
          <Paper withBorder radius="md" p="sm">
            <Group justify="space-between" mb="sm" wrap="wrap" gap="xs">
              <SegmentedControl
                size="xs"
                value={preset}
                onChange={(value) =>
                  setPreset(PRESETS.find((p) => p.value === value)?.value ?? 'today')
                }
                data={PRESETS.map(({ value, label }) => ({ value, label }))}
                data-testid="range-preset"
              />
              <Group gap="xs">
                {error !== null && figures !== null ? (
                  <Text size="xs" c="red" data-testid="figures-error">
                    {error}
                  </Text>
                ) : null}
                {exportError ? (
                  <Text size="xs" c="red">
                    {exportError}
                  </Text>
                ) : null}
                <Button
                  size="compact-sm"
                  variant="default"
                  leftSection={<IconDownload size={14} />}
                  loading={exporting}
                  onClick={() => void onExport()}
                  data-testid="export-csv"
                >
                  Export CSV
                </Button>
                <Menu position="bottom-end" withinPortal>
                  <Menu.Target>
                    <Button
                      size="compact-sm"
                      variant="default"
                      leftSection={<IconDownload size={14} />}
                      disabled={exporting}
                      data-testid="export-data"
                    >
                      Export data
                    </Button>
                  </Menu.Target>
                  <Menu.Dropdown>
                    <Menu.Label>The range's, as CSV</Menu.Label>
                    <Menu.Item
                      onClick={() => void onExport('conversations')}
                      data-testid="export-conversations"
                    >
                      Conversations
                    </Menu.Item>
                    <Menu.Item
                      onClick={() => void onExport('customers')}
                      data-testid="export-customers"
                    >
                      Customers
                    </Menu.Item>
                  </Menu.Dropdown>
                </Menu>
              </Group>
            </Group>
            {figures ? (
              <RangeTotals totals={figures.totals} csat={figures.csat?.totals} />
            ) : !loading && error !== null ? (
              <Alert color="red" variant="light" icon={<IconAlertTriangle size={16} />}>
                {error}
              </Alert>
            ) : (
              <Group justify="center" py="md">
                <Loader size="sm" />
              </Group>
            )}
          </Paper>
          {figures ? <FigureTables figures={figures} /> : null}
          {figures ? (
            <SeriesCharts hourly={figures.series.hourly} daily={figures.series.daily} />
          ) : null}
        </Stack>
      </LiveLayout>
      <CommandPalette handlers={handlers} keymap={keymap} />
      <ShortcutsHelp opened={helpOpen} onClose={() => setHelpOpen(false)} keymap={keymap} />
    </Stack>
  );
}
