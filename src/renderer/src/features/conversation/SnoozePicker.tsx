import { useState, type FormEvent } from 'react';
import { Button, Group, Stack, Text, TextInput } from '@mantine/core';
import { formatDuration } from '../../../../shared/reply-window';
import { clockNow } from '../../app/clock';
import { addLocalDays, formatWeekdayDateTime } from '../../format/dates';
import {
  customSnoozeUntil,
  localDateInputValue,
  MAX_SNOOZE_DAYS,
  MORNING_HOUR,
  snoozeUntil,
} from './header-actions';

/**
 * A snooze to a day and time of the agent's choosing (issue 12, item 13). Built from plain
 * inputs (the project has no date-picker package): the browser's own date field, which follows
 * the user's locale and is keyboard-accessible, and a typed 24-hour time, as every time in the
 * app is written (a native time field would show "2:30 PM" on an en-US machine). A time that has
 * passed is refused with a word beside the field, and the instant it resolves to is shown
 * before it is chosen.
 */
export function SnoozePicker({
  onSnooze,
  onCancel,
}: {
  readonly onSnooze: (until: number) => void;
  readonly onCancel: () => void;
}) {
  // Counted from when the picker opens; checked again against the clock on submit.
  const [openedAt] = useState(clockNow);
  const [day, setDay] = useState(() => localDateInputValue(snoozeUntil('tomorrow', openedAt)));
  const [time, setTime] = useState(() => `${String(MORNING_HOUR).padStart(2, '0')}:00`);
  const [touched, setTouched] = useState(false);
  const [now, setNow] = useState(openedAt);
  const result = customSnoozeUntil(day, time, now);
  const shown = touched && !result.ok ? result : null;

  const submit = (event: FormEvent) => {
    event.preventDefault();
    const at = clockNow();
    setNow(at);
    setTouched(true);
    const checked = customSnoozeUntil(day, time, at);
    if (checked.ok) onSnooze(checked.until);
  };

  return (
    <form onSubmit={submit} noValidate>
      <Stack gap={8}>
        <Text size="xs" fw={600} c="dimmed">
          Snooze until
        </Text>
        <Group gap={8} align="flex-start" wrap="nowrap">
          <TextInput
            type="date"
            size="xs"
            label="Day"
            value={day}
            min={localDateInputValue(openedAt)}
            max={localDateInputValue(addLocalDays(openedAt, MAX_SNOOZE_DAYS))}
            onChange={(event) => {
              setDay(event.currentTarget.value);
              setTouched(true);
            }}
            error={shown?.field === 'day' ? shown.error : undefined}
            data-autofocus
            data-testid="snooze-custom-day"
            style={{ flex: '1 1 auto' }}
          />
          <TextInput
            size="xs"
            label="Time"
            placeholder="HH:MM"
            inputMode="numeric"
            autoComplete="off"
            maxLength={5}
            value={time}
            onChange={(event) => {
              setTime(event.currentTarget.value);
              setTouched(true);
            }}
            onBlur={() => setTouched(true)}
            error={shown?.field === 'time' ? shown.error : undefined}
            data-testid="snooze-custom-time"
            w={76}
            styles={{ input: { fontVariantNumeric: 'tabular-nums' } }}
          />
        </Group>
        <Text size="xs" c="dimmed" aria-live="polite" data-testid="snooze-custom-preview">
          {result.ok
            ? `Back ${formatWeekdayDateTime(result.until)}, in ${formatDuration(result.until - now)}`
            : '\u00a0'}
        </Text>
        <Group gap={6} justify="flex-end">
          <Button size="compact-sm" variant="default" onClick={onCancel}>
            Cancel
          </Button>
          <Button
            size="compact-sm"
            type="submit"
            disabled={touched && !result.ok}
            data-testid="snooze-custom-submit"
          >
            Snooze
          </Button>
        </Group>
      </Stack>
    </form>
  );
}
