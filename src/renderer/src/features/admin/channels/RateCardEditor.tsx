import { useMemo, useState } from 'react';
import { z } from 'zod';
import {
  ActionIcon,
  Alert,
  Badge,
  Button,
  Group,
  Loader,
  NumberInput,
  Paper,
  Select,
  Stack,
  Switch,
  Table,
  Text,
  TextInput,
  Tooltip,
} from '@mantine/core';
import { IconAlertTriangle, IconCopy, IconPlus, IconTrash } from '@tabler/icons-react';
import { parseRateCard, RateCardError, type RuleSet } from '../../../../../shared/pricing';
import { useData, useRateCard } from '../../../data/hooks';
import {
  addCountry,
  columnsOf,
  countriesOf,
  duplicatePeriod,
  periodLabel,
  removeCountry,
  removePeriod,
  setPeriodField,
  setLinePlan,
  setRate,
  toDraft,
  type DraftCard,
} from './rate-card-draft';
import { useFieldErrors } from '../field-errors';
import { useSubmit } from '../use-submit';

const rateCardAnswerSchema = z.object({ rateCard: z.unknown() });
const COLUMN_LABELS: Record<string, string> = {
  marketing: 'Marketing',
  utility: 'Utility',
  authentication: 'Authentication',
  service: 'Service',
  session: 'Outside session',
  segment: 'Per segment',
  message: 'Per message',
  push: 'Push beyond the quota',
};

/** The reported 2026-10-01 WhatsApp change (CHANNELS.md): data an admin switches on. */
function RuleSetSwitch({
  set,
  onToggle,
  busy,
}: {
  set: RuleSet;
  onToggle: (on: boolean) => void;
  busy: boolean;
}) {
  const tier = set.serviceFreeTierPerMonth;
  return (
    <Paper withBorder p="sm" radius="sm" data-testid="rule-set" bg="var(--mantine-color-body)">
      <Group justify="space-between" align="flex-start" wrap="nowrap">
        <div>
          <Group gap="xs">
            <Text fw={600} size="sm">
              {set.label}
            </Text>
            <Badge size="xs" color="yellow" variant="light">
              {set.source}
            </Badge>
          </Group>
          <Text size="xs" c="dimmed" mt={4} maw={720}>
            From {set.effectiveFrom}:{' '}
            {tier === null
              ? 'service messages stay free'
              : `service messages charged beyond ${tier.toLocaleString()} free per phone number per month`}
            {set.utilityChargedInsideWindow
              ? '; utility templates charged inside the window too'
              : ''}
            . This is reported, not confirmed by Meta: switch it on only once Meta confirms it for
            your account. Until its date it changes no price.
          </Text>
        </div>
        <Switch
          checked={set.enabled}
          disabled={busy}
          onChange={(e) => onToggle(e.currentTarget.checked)}
          aria-label={`Apply: ${set.label}`}
          label={set.enabled ? 'On' : 'Off'}
          labelPosition="left"
        />
      </Group>
    </Paper>
  );
}

/**
 * One price: typed as text, kept in the draft as a number. A negative number stays what was
 * typed (the check refuses it beside the cell); it is never clamped to 0 on blur, which saved
 * a typo as "free" (issue 12, item 9). Empty or half-typed ("-") is no price (NaN) until done.
 */
function RateCell({
  amount,
  label,
  error,
  onChange,
  onBlur,
}: {
  amount: number;
  label: string;
  error: string | undefined;
  onChange: (amount: number) => void;
  onBlur: () => void;
}) {
  const [pending, setPending] = useState<string | null>(null);
  return (
    <Stack gap={0}>
      <NumberInput
        size="xs"
        variant="unstyled"
        hideControls
        clampBehavior="none"
        decimalScale={4}
        styles={{
          input: {
            textAlign: 'right',
            fontVariantNumeric: 'tabular-nums',
            paddingRight: 8,
            color: error ? 'var(--mantine-color-error)' : undefined,
          },
        }}
        value={pending ?? (Number.isNaN(amount) ? '' : amount)}
        aria-label={label}
        aria-invalid={error !== undefined}
        onChange={(value) => {
          if (typeof value === 'number') {
            setPending(null);
            onChange(value);
          } else {
            setPending(value);
            onChange(Number.NaN);
          }
        }}
        onBlur={onBlur}
      />
      {error ? (
        <Text size="xs" c="red" ta="right" pr={8} lh={1.2} pb={2} data-testid="field-error">
          {error}
        </Text>
      ) : null}
    </Stack>
  );
}

/**
 * LINE's plan beside its price table: the monthly free push messages (replies are always free)
 * and whether the plan allows additional messages, which the table's price is then charged for.
 */
function LinePlanFields({
  period,
  errorOf,
  onTouch,
  onChange,
}: {
  period: { readonly monthlyFreePushes?: number; readonly extraAllowed?: boolean };
  errorOf: (field: string) => string | undefined;
  onTouch: (field: string) => void;
  onChange: (plan: { monthlyFreePushes?: number; extraAllowed?: boolean }) => void;
}) {
  const [pending, setPending] = useState<string | null>(null);
  const free = period.monthlyFreePushes;
  return (
    <Group gap="sm" align="flex-start" wrap="wrap" data-testid="rate-card-line-plan">
      <NumberInput
        size="xs"
        w={260}
        hideControls
        label="Free push messages a month"
        description="The plan’s quota; replies are always free"
        allowDecimal={false}
        clampBehavior="none"
        thousandSeparator=","
        value={pending ?? (free === undefined || Number.isNaN(free) ? '' : free)}
        onChange={(value) => {
          if (typeof value === 'number') {
            setPending(null);
            onChange({ monthlyFreePushes: value });
          } else {
            setPending(value);
            onChange({ monthlyFreePushes: Number.NaN });
          }
        }}
        onBlur={() => onTouch('monthlyFreePushes')}
        error={errorOf('monthlyFreePushes')}
      />
      <Switch
        mt={22}
        size="sm"
        checked={period.extraAllowed === true}
        onChange={(e) => onChange({ extraAllowed: e.currentTarget.checked })}
        label="Plan allows additional messages, at the price below"
        description="Beyond the quota LINE charges each push on such plans (Standard in Japan) and refuses pushes on the others until next month."
        maw={560}
      />
    </Group>
  );
}

/** The rate card editor: each period as a table of countries × categories, dated, in a currency. */
export function RateCardEditor() {
  const layer = useData();
  const cached = useRateCard();
  const [draft, setDraft] = useState<DraftCard | null>(null);
  const [chosenPeriod, setPeriodIndex] = useState(0);
  const [newCountry, setNewCountry] = useState('');
  const { busy, error, setError, run } = useSubmit();
  const [savedAt, setSavedAt] = useState<number | null>(null);

  // The card in force, live: another admin's save (an event) shows here unless editing.
  const base = useMemo(() => (cached ? toDraft(cached) : null), [cached]);
  const dirty = draft !== null;
  const card = draft ?? base;
  // A period removed (here or by another admin) falls back to the first.
  const periodIndex = card && chosenPeriod < card.periods.length ? chosenPeriod : 0;
  // Checked as the hub checks it, live; shown beside each field once touched or on Save.
  const client = useMemo(() => {
    if (!draft) return [];
    try {
      parseRateCard(draft);
      return [];
    } catch (failure) {
      if (!(failure instanceof RateCardError)) throw failure;
      return failure.issues.map((issue) => ({ path: issue.field, message: issue.message }));
    }
  }, [draft]);
  const errors = useFieldErrors(card, client);

  if (cached === undefined)
    return (
      <Group justify="center" p="xl">
        <Loader size="sm" />
      </Group>
    );
  if (card === null)
    return (
      <Alert color="gray" variant="light" icon={<IconAlertTriangle size={18} />}>
        The hub has not sent a rate card yet.
      </Alert>
    );

  const period = card.periods[periodIndex];
  const edit = (next: DraftCard) => {
    setDraft(next);
    setSavedAt(null);
  };

  const save = async () => {
    setError(null);
    if (!errors.submit()) return;
    const saved = await run(
      async () => {
        await layer.request('PUT', '/api/admin/rate-card', rateCardAnswerSchema, {
          rateCard: parseRateCard(card),
        });
      },
      (failure) => errors.refused(failure),
    );
    if (saved) {
      setDraft(null);
      setSavedAt(Date.now());
      errors.reset();
    }
  };

  const toggleRuleSet = async (id: string, enabled: boolean) => {
    await run(async () => {
      await layer.request('PUT', `/api/admin/rate-card/rule-sets/${id}`, rateCardAnswerSchema, {
        enabled,
      });
      // The switch saves at once; an unsaved table edit keeps the new switch state too.
      if (draft)
        setDraft({
          ...draft,
          ruleSets: draft.ruleSets.map((set) => (set.id === id ? { ...set, enabled } : set)),
        });
    });
  };

  const columns = period ? columnsOf(period) : [];
  const here = `periods.${periodIndex}`;
  // Problems of periods not on screen, said with the period they are in.
  const elsewhere = errors.shown
    .filter((e) => !(e.path === here || e.path.startsWith(`${here}.`)))
    .map((e) => {
      const other = /^periods\.(\d+)/.exec(e.path);
      const where = other ? card.periods[Number(other[1])] : undefined;
      return where ? `${periodLabel(where)}: ${e.message}` : e.message;
    });
  return (
    <Paper withBorder p="md" data-testid="rate-card-editor">
      <Stack gap="sm">
        <Group justify="space-between" align="flex-start">
          <div>
            <Group gap="xs">
              <Text fw={600} size="sm">
                Rate card
              </Text>
              {card.example && (
                <Badge size="sm" color="yellow" variant="light">
                  Example prices
                </Badge>
              )}
            </Group>
            <Text size="xs" c="dimmed" maw={760}>
              {card.notice}
            </Text>
          </div>
          <Group gap="xs">
            {savedAt !== null && !dirty && (
              <Text size="xs" c="teal">
                Saved; apps reprice now
              </Text>
            )}
            <Button size="xs" variant="default" disabled={!dirty} onClick={() => setDraft(null)}>
              Discard
            </Button>
            <Button size="xs" disabled={!dirty} loading={busy} onClick={() => void save()}>
              Save rate card
            </Button>
          </Group>
        </Group>

        {card.ruleSets.map((set) => (
          <RuleSetSwitch
            key={set.id}
            set={set}
            busy={busy}
            onToggle={(on) => void toggleRuleSet(set.id, on)}
          />
        ))}

        {(error || elsewhere.length > 0) && (
          <Alert
            color="red"
            variant="light"
            title="The rate card was not saved"
            data-testid="rate-card-error"
          >
            {error && <Text size="sm">{error}</Text>}
            {elsewhere.map((line) => (
              <Text size="sm" key={line}>
                {line}
              </Text>
            ))}
          </Alert>
        )}

        {card.periods.length === 0 || !period ? (
          <Text size="sm" c="dimmed">
            No periods: every message on WhatsApp, Viber and SMS is unpriced until one is added.
          </Text>
        ) : (
          <>
            <Group gap="sm" align="flex-end" wrap="wrap">
              <Select
                size="xs"
                label="Period"
                w={380}
                allowDeselect={false}
                data={card.periods.map((p, i) => ({ value: String(i), label: periodLabel(p) }))}
                value={String(periodIndex)}
                onChange={(value) => setPeriodIndex(Number(value ?? 0))}
              />
              <TextInput
                size="xs"
                label="Effective from"
                w={120}
                value={period.effectiveFrom}
                onChange={(e) =>
                  edit(setPeriodField(card, periodIndex, 'effectiveFrom', e.currentTarget.value))
                }
                onBlur={() => errors.touch(`${here}.effectiveFrom`)}
                error={errors.of(`${here}.effectiveFrom`)}
                placeholder="YYYY-MM-DD"
              />
              <TextInput
                size="xs"
                label="Currency"
                w={80}
                value={period.currency}
                onChange={(e) =>
                  edit(
                    setPeriodField(
                      card,
                      periodIndex,
                      'currency',
                      e.currentTarget.value.toUpperCase(),
                    ),
                  )
                }
                onBlur={() => errors.touch(`${here}.currency`)}
                error={errors.of(`${here}.currency`)}
                maxLength={3}
              />
              <Tooltip label="Prices change by date: add the next period, starting the first of next month, with these rates to edit">
                <Button
                  size="xs"
                  variant="light"
                  leftSection={<IconCopy size={14} />}
                  onClick={() => {
                    const next = new Date();
                    const start = new Date(
                      Date.UTC(next.getUTCFullYear(), next.getUTCMonth() + 1, 1),
                    );
                    edit(duplicatePeriod(card, periodIndex, start.toISOString().slice(0, 10)));
                    setPeriodIndex(card.periods.length);
                  }}
                >
                  New period from this
                </Button>
              </Tooltip>
              <Button
                size="xs"
                variant="subtle"
                color="red"
                onClick={() => {
                  edit(removePeriod(card, periodIndex));
                  setPeriodIndex(0);
                }}
              >
                Remove period
              </Button>
            </Group>
            {period.source && (
              <Text size="xs" c="dimmed">
                Source: {period.source}
              </Text>
            )}
            {period.channel === 'sms' && (
              <Text size="xs" c="dimmed" data-testid="rate-card-sms-note">
                Per segment, to the country of the customer’s number: a text costs its segments ×
                this price. A segment holds 160 GSM-7 characters, or 70 once an emoji or a character
                outside GSM-7 makes the text UCS-2 (153 or 67 each when it needs several).
              </Text>
            )}
            {period.channel === 'line' && (
              <LinePlanFields
                period={period}
                errorOf={(field) => errors.of(`${here}.${field}`)}
                onTouch={(field) => errors.touch(`${here}.${field}`)}
                onChange={(plan) => edit(setLinePlan(card, periodIndex, plan))}
              />
            )}
            <Table
              verticalSpacing={2}
              horizontalSpacing="sm"
              fz="sm"
              withTableBorder
              withColumnBorders
              data-testid="rate-table"
            >
              <Table.Thead>
                <Table.Tr>
                  <Table.Th w={110}>Country</Table.Th>
                  {columns.map((column) => (
                    <Table.Th key={column} ta="right">
                      {COLUMN_LABELS[column] ?? column} ({period.currency})
                    </Table.Th>
                  ))}
                  <Table.Th w={40} />
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {countriesOf(period).map((country) => (
                  <Table.Tr key={country}>
                    <Table.Td>
                      <Text
                        size="sm"
                        ff="monospace"
                        c={country === 'default' ? 'dimmed' : undefined}
                      >
                        {country === 'default' ? 'Others' : country}
                      </Text>
                    </Table.Td>
                    {columns.map((column) => (
                      <Table.Td key={column} p={2}>
                        <RateCell
                          amount={period.rates[country]?.[column] ?? 0}
                          label={`${country} ${column}`}
                          error={errors.of(`${here}.rates.${country}.${column}`)}
                          onChange={(amount) =>
                            edit(setRate(card, periodIndex, country, column, amount))
                          }
                          onBlur={() => errors.touch(`${here}.rates.${country}.${column}`)}
                        />
                      </Table.Td>
                    ))}
                    <Table.Td p={2}>
                      {country !== 'default' && (
                        <ActionIcon
                          size="sm"
                          variant="subtle"
                          color="gray"
                          aria-label={`Remove ${country}`}
                          onClick={() => edit(removeCountry(card, periodIndex, country))}
                        >
                          <IconTrash size={14} />
                        </ActionIcon>
                      )}
                    </Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
            <Group gap="xs">
              <TextInput
                size="xs"
                w={120}
                placeholder="Country (GB)"
                value={newCountry}
                maxLength={2}
                onChange={(e) => setNewCountry(e.currentTarget.value.toUpperCase())}
                aria-label="New country code"
              />
              <Button
                size="xs"
                variant="light"
                leftSection={<IconPlus size={14} />}
                disabled={!/^[A-Z]{2}$/.test(newCountry)}
                onClick={() => {
                  const next = addCountry(card, periodIndex, newCountry);
                  if (next) {
                    edit(next);
                    setNewCountry('');
                  }
                }}
              >
                Add country
              </Button>
              <Text size="xs" c="dimmed">
                Amounts in currency units, up to 4 decimals (0.0625 is 6.25 cents). “Others” prices
                every country not listed.
              </Text>
            </Group>
          </>
        )}
      </Stack>
    </Paper>
  );
}
