import { useMemo, useState } from 'react';
import {
  ActionIcon,
  Alert,
  Badge,
  Button,
  Checkbox,
  Group,
  Select,
  Stack,
  Table,
  Text,
  TextInput,
  Tooltip,
} from '@mantine/core';
import { IconAlertCircle, IconCheck, IconPlus, IconX } from '@tabler/icons-react';
import { checkFields } from '../../../../../shared/protocol/field-errors';
import {
  businessCalendarSchema,
  WEEKDAY_NAMES,
  WEEKDAYS,
  type BusinessCalendar,
  type OpeningInterval,
  type Weekday,
} from '../../../../../shared/sla';
import { useNow } from '../../../app/clock';
import { formatWeekdayTime } from '../../../format/dates';
import { useFieldErrors } from '../field-errors';

/** The IANA zones this platform knows (UTC first), plus `current` if it is not among them. */
function timeZoneOptions(current: string): string[] {
  const zones = new Set<string>(['UTC']);
  try {
    for (const zone of Intl.supportedValuesOf('timeZone')) zones.add(zone);
  } catch {
    // An engine without the list: the current zone and UTC only.
  }
  zones.add(current);
  return [...zones];
}

/** Opening and closing times every quarter hour, 00:00 to 24:00. */
const QUARTER_HOURS = Array.from({ length: 97 }, (_, i) => {
  const minutes = i * 15;
  return `${String(Math.floor(minutes / 60)).padStart(2, '0')}:${String(minutes % 60).padStart(2, '0')}`;
});
const TIME_OF_DAY = /^(([01]\d|2[0-3]):[0-5]\d|24:00)$/;

/**
 * A time of day on the 24 h clock (native time inputs follow the browser's locale and cannot
 * say 24:00): a quarter-hour list that also takes a typed time such as 08:50.
 */
function TimeSelect({
  label,
  value,
  onChange,
  onBlur,
  invalid,
}: {
  readonly label: string;
  readonly value: string;
  readonly onChange: (value: string) => void;
  readonly onBlur: () => void;
  /** Drawn red: the message is said once for the interval, beside the day. */
  readonly invalid: boolean;
}) {
  const [search, setSearch] = useState<string | null>(null);
  const typed = search !== null && TIME_OF_DAY.test(search) ? search : null;
  const data = [...new Set([...QUARTER_HOURS, value, ...(typed ? [typed] : [])])].sort();
  return (
    <Select
      size="xs"
      w={72}
      aria-label={label}
      data={data}
      value={value}
      searchable
      searchValue={search ?? value}
      onSearchChange={(next) => setSearch(next === value ? null : next)}
      onChange={(next) => {
        setSearch(null);
        if (next) onChange(next);
      }}
      onBlur={() => {
        setSearch(null);
        onBlur();
      }}
      error={invalid}
      aria-invalid={invalid}
      allowDeselect={false}
      maxDropdownHeight={220}
      withCheckIcon={false}
      rightSectionWidth={0}
      rightSection={null}
      styles={{ input: { fontVariantNumeric: 'tabular-nums', paddingInlineEnd: 8 } }}
    />
  );
}

/** "Now Wed 14:32 there": so an admin sees the zone they picked is the one they meant. */
function ZoneClock({ zone }: { readonly zone: string }) {
  const now = useNow();
  let text: string;
  try {
    text = formatWeekdayTime(now, { timeZone: zone });
  } catch {
    return null;
  }
  return (
    <Text size="xs" c="dimmed" style={{ fontVariantNumeric: 'tabular-nums' }}>
      Now {text} there
    </Text>
  );
}

const sameCalendar = (a: BusinessCalendar, b: BusinessCalendar): boolean =>
  JSON.stringify(a) === JSON.stringify(b);

export interface CalendarEditorProps {
  readonly calendar: BusinessCalendar;
  /** Save through the hub; rejects with its message, which the editor shows. */
  readonly onSave: (calendar: BusinessCalendar) => Promise<void>;
}

/**
 * The business calendar: its time zone, opening hours per weekday (several intervals a day,
 * e.g. around a lunch break) and holidays. Edited as a draft, checked with the hub's own schema
 * as it changes: each problem (hours backwards, overlapping, an unknown zone) is said beside its
 * day or field once touched or on Save, as are the hub's field errors.
 */
export function CalendarEditor({ calendar, onSave }: CalendarEditorProps) {
  const [draft, setDraft] = useState<BusinessCalendar>(calendar);
  const [base, setBase] = useState<BusinessCalendar>(calendar);
  const [holiday, setHoliday] = useState('');
  const [general, setGeneral] = useState<string | null>(null);
  const [saving, setSaving] = useState(false);
  const [saved, setSaved] = useState(false);
  const client = useMemo(() => {
    const checked = checkFields(businessCalendarSchema, draft);
    return checked.ok ? [] : checked.fields;
  }, [draft]);
  const errors = useFieldErrors(draft, client);
  // The hub's calendar changed (another admin, or our own save): follow it unless editing.
  if (!sameCalendar(base, calendar)) {
    setBase(calendar);
    if (sameCalendar(draft, base)) setDraft(calendar);
  }
  const zones = useMemo(() => timeZoneOptions(draft.timeZone), [draft.timeZone]);
  const dirty = !sameCalendar(draft, calendar);

  const setDay = (day: Weekday, intervals: OpeningInterval[], touched: string): void => {
    setSaved(false);
    errors.touch(touched);
    setDraft((d) => ({ ...d, weeklyHours: { ...d.weeklyHours, [day]: intervals } }));
  };
  const addHoliday = (): void => {
    if (!/^\d{4}-\d{2}-\d{2}$/.test(holiday) || draft.holidays.includes(holiday)) return;
    setSaved(false);
    setDraft((d) => ({ ...d, holidays: [...d.holidays, holiday].sort() }));
    setHoliday('');
  };

  const save = async (): Promise<void> => {
    setGeneral(null);
    if (!errors.submit()) return;
    setSaving(true);
    try {
      await onSave(draft);
      setSaved(true);
      errors.reset();
    } catch (caught) {
      setGeneral(errors.refused(caught));
    } finally {
      setSaving(false);
    }
  };
  const unplaced = errors.unplaced(['timeZone', 'weeklyHours', 'holidays']);

  return (
    <Stack gap="sm" data-testid="sla-calendar">
      <Group gap="sm" align="flex-end">
        <Select
          label="Time zone"
          searchable
          data={zones}
          value={draft.timeZone}
          onChange={(zone) => {
            if (!zone) return;
            setSaved(false);
            setDraft((d) => ({ ...d, timeZone: zone }));
            errors.touch('timeZone');
          }}
          onBlur={() => errors.touch('timeZone')}
          error={errors.of('timeZone')}
          allowDeselect={false}
          w={280}
          limit={200}
          data-testid="sla-time-zone"
        />
        <div style={{ paddingBottom: 8 }}>
          <ZoneClock zone={draft.timeZone} />
        </div>
      </Group>

      <Table verticalSpacing={4} horizontalSpacing="xs" withRowBorders={false} layout="fixed">
        <Table.Tbody>
          {WEEKDAYS.map((day) => {
            const intervals = draft.weeklyHours[day];
            const open = intervals.length > 0;
            const dayPath = `weeklyHours.${day}`;
            const dayErrors = errors.at(dayPath, true);
            return (
              <Table.Tr key={day} data-testid={`sla-day-${day}`}>
                <Table.Td w={150}>
                  <Checkbox
                    size="xs"
                    label={WEEKDAY_NAMES[day]}
                    checked={open}
                    onChange={(event) =>
                      setDay(
                        day,
                        event.currentTarget.checked ? [{ start: '09:00', end: '17:00' }] : [],
                        dayPath,
                      )
                    }
                  />
                </Table.Td>
                <Table.Td>
                  {open ? (
                    <Group gap={6} wrap="wrap">
                      {intervals.map((interval, i) => (
                        <Group key={i} gap={4} wrap="nowrap">
                          <TimeSelect
                            label={`${WEEKDAY_NAMES[day]} opens`}
                            value={interval.start}
                            onChange={(start) =>
                              setDay(
                                day,
                                intervals.map((x, j) => (j === i ? { ...x, start } : x)),
                                `${dayPath}.${i}`,
                              )
                            }
                            onBlur={() => errors.touch(`${dayPath}.${i}`)}
                            invalid={errors.at(`${dayPath}.${i}`, true).length > 0}
                          />
                          <Text size="xs" c="dimmed">
                            –
                          </Text>
                          <TimeSelect
                            label={`${WEEKDAY_NAMES[day]} closes`}
                            value={interval.end}
                            onChange={(end) =>
                              setDay(
                                day,
                                intervals.map((x, j) => (j === i ? { ...x, end } : x)),
                                `${dayPath}.${i}`,
                              )
                            }
                            onBlur={() => errors.touch(`${dayPath}.${i}`)}
                            invalid={errors.at(`${dayPath}.${i}`, true).length > 0}
                          />
                          <Tooltip label="Remove these hours" openDelay={300}>
                            <ActionIcon
                              variant="subtle"
                              color="gray"
                              size="sm"
                              aria-label={`Remove ${WEEKDAY_NAMES[day]} ${interval.start}–${interval.end}`}
                              onClick={() =>
                                setDay(
                                  day,
                                  intervals.filter((_, j) => j !== i),
                                  dayPath,
                                )
                              }
                            >
                              <IconX size={13} />
                            </ActionIcon>
                          </Tooltip>
                        </Group>
                      ))}
                      {intervals.length < 6 ? (
                        <Tooltip label="Add opening hours" openDelay={300}>
                          <ActionIcon
                            variant="subtle"
                            size="sm"
                            aria-label={`Add hours on ${WEEKDAY_NAMES[day]}`}
                            onClick={() =>
                              setDay(
                                day,
                                [...intervals, { start: '13:00', end: '17:00' }],
                                `${dayPath}.${intervals.length}`,
                              )
                            }
                          >
                            <IconPlus size={13} />
                          </ActionIcon>
                        </Tooltip>
                      ) : null}
                    </Group>
                  ) : (
                    <Text size="xs" c="dimmed">
                      Closed
                    </Text>
                  )}
                  {dayErrors.length > 0 ? (
                    <Text size="xs" c="red" mt={2} data-testid="field-error" data-field={dayPath}>
                      {dayErrors.join(' · ')}
                    </Text>
                  ) : null}
                </Table.Td>
              </Table.Tr>
            );
          })}
        </Table.Tbody>
      </Table>
      {errors.of('weeklyHours') ? (
        <Text size="xs" c="red" mt={-6} data-testid="field-error" data-field="weeklyHours">
          {errors.of('weeklyHours')}
        </Text>
      ) : null}

      <div>
        <Text size="sm" fw={500}>
          Holidays
        </Text>
        <Text size="xs" c="dimmed" mb={6}>
          Closed all day, in the calendar&apos;s time zone.
        </Text>
        <Group gap={6} mb={6} data-testid="sla-holidays">
          {draft.holidays.length === 0 ? (
            <Text size="xs" c="dimmed">
              No holidays
            </Text>
          ) : (
            draft.holidays.map((date) => (
              <Badge
                key={date}
                variant="light"
                color="gray"
                tt="none"
                rightSection={
                  <ActionIcon
                    variant="transparent"
                    color="gray"
                    size={14}
                    aria-label={`Remove holiday ${date}`}
                    onClick={() => {
                      setSaved(false);
                      setDraft((d) => ({ ...d, holidays: d.holidays.filter((x) => x !== date) }));
                    }}
                  >
                    <IconX size={11} />
                  </ActionIcon>
                }
              >
                {date}
              </Badge>
            ))
          )}
        </Group>
        {errors.of('holidays', true) ? (
          <Text size="xs" c="red" mb={6} data-testid="field-error" data-field="holidays">
            {errors.of('holidays', true)}
          </Text>
        ) : null}
        <Group gap={6}>
          <TextInput
            size="xs"
            type="date"
            aria-label="Holiday date"
            value={holiday}
            onChange={(event) => setHoliday(event.currentTarget.value)}
            onKeyDown={(event) => {
              if (event.key === 'Enter') addHoliday();
            }}
            w={150}
            data-testid="sla-holiday-input"
          />
          <Button size="compact-sm" variant="default" onClick={addHoliday} disabled={!holiday}>
            Add holiday
          </Button>
        </Group>
      </div>

      {general !== null || unplaced.length > 0 ? (
        <Alert
          color="red"
          variant="light"
          icon={<IconAlertCircle size={16} />}
          data-testid="sla-calendar-error"
        >
          {[general, ...unplaced].filter(Boolean).join(' ')}
        </Alert>
      ) : null}
      <Group gap="xs">
        <Button
          size="compact-sm"
          onClick={() => void save()}
          loading={saving}
          disabled={!dirty}
          data-testid="sla-calendar-save"
        >
          Save business hours
        </Button>
        <Button
          size="compact-sm"
          variant="subtle"
          color="gray"
          disabled={!dirty}
          onClick={() => {
            setDraft(calendar);
            setGeneral(null);
            errors.reset();
          }}
        >
          Discard changes
        </Button>
        {saved && !dirty ? (
          <Group gap={4} c="teal">
            <IconCheck size={14} />
            <Text size="xs">Saved</Text>
          </Group>
        ) : null}
      </Group>
    </Stack>
  );
}
