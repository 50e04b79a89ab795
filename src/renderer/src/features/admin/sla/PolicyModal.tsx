import { useState } from 'react';
import {
  Alert,
  Button,
  Group,
  Modal,
  NumberInput,
  SegmentedControl,
  Select,
  SimpleGrid,
  Stack,
  Switch,
  Text,
  TextInput,
} from '@mantine/core';
import { IconAlertCircle } from '@tabler/icons-react';
import { CHANNEL_INFO, CHANNEL_KINDS } from '../../../../../shared/domain/channels';
import { prioritySchema } from '../../../../../shared/domain/model';
import type { SlaPolicy, SlaPolicyInput } from '../../../../../shared/sla';
import { joinDuration, splitDuration, type DurationUnit } from '../../sla/sla-format';

const ANY = 'any';
const CHANNEL_OPTIONS = [
  { value: ANY, label: 'Any channel' },
  ...CHANNEL_KINDS.map((kind) => ({ value: kind, label: CHANNEL_INFO[kind].label })),
];
const PRIORITY_OPTIONS = [
  { value: ANY, label: 'Any priority' },
  ...prioritySchema.options.map((p) => ({
    value: p,
    label: p.charAt(0).toUpperCase() + p.slice(1),
  })),
];
const UNIT_OPTIONS = [
  { value: 'm', label: 'min' },
  { value: 'h', label: 'hours' },
  { value: 'd', label: 'days' },
];

interface Length {
  readonly value: number | string;
  readonly unit: DurationUnit;
}

/** A target's length: a number and its unit; empty means no target of that kind. */
function TargetInput({
  label,
  length,
  onChange,
  testId,
}: {
  readonly label: string;
  readonly length: Length;
  readonly onChange: (length: Length) => void;
  readonly testId: string;
}) {
  return (
    <Group gap={4} align="flex-end" wrap="nowrap">
      <NumberInput
        label={label}
        placeholder="None"
        min={1}
        max={9999}
        allowDecimal={false}
        value={length.value}
        onChange={(value) => onChange({ ...length, value })}
        style={{ flex: 1 }}
        data-testid={testId}
      />
      <Select
        aria-label={`${label} unit`}
        data={UNIT_OPTIONS}
        value={length.unit}
        onChange={(unit) => onChange({ ...length, unit: (unit ?? 'm') as DurationUnit })}
        allowDeselect={false}
        w={92}
      />
    </Group>
  );
}

export interface PolicyModalProps {
  /** The policy to edit; null to add one. */
  readonly policy: SlaPolicy | null;
  readonly onClose: () => void;
  /** Save through the hub; rejects with its message, which the modal shows. */
  readonly onSave: (input: SlaPolicyInput, id: string | null) => Promise<void>;
}

/** Add or edit a policy. Mounted while open, so each opening starts from the policy as saved. */
export function PolicyModal({ policy, onClose, onSave }: PolicyModalProps) {
  const [name, setName] = useState(policy?.name ?? '');
  const [channel, setChannel] = useState<string>(policy?.channel ?? ANY);
  const [priority, setPriority] = useState<string>(policy?.priority ?? ANY);
  const [first, setFirst] = useState<Length>(() =>
    splitDuration(policy ? policy.firstResponseMs : 30 * 60_000),
  );
  const [next, setNext] = useState<Length>(() =>
    splitDuration(policy ? policy.nextResponseMs : 2 * 3_600_000),
  );
  const [resolution, setResolution] = useState<Length>(() =>
    splitDuration(policy ? policy.resolutionMs : null),
  );
  const [hours, setHours] = useState<SlaPolicy['hours']>(policy?.hours ?? 'business');
  const [enabled, setEnabled] = useState(policy?.enabled ?? true);
  const [error, setError] = useState<string | null>(null);
  const [saving, setSaving] = useState(false);

  const submit = async (): Promise<void> => {
    setSaving(true);
    setError(null);
    try {
      await onSave(
        {
          name: name.trim(),
          channel: channel === ANY ? null : (channel as SlaPolicyInput['channel']),
          priority: priority === ANY ? null : (priority as SlaPolicyInput['priority']),
          firstResponseMs: joinDuration(first.value, first.unit),
          nextResponseMs: joinDuration(next.value, next.unit),
          resolutionMs: joinDuration(resolution.value, resolution.unit),
          hours,
          enabled,
        },
        policy?.id ?? null,
      );
      onClose();
    } catch (caught) {
      setError(caught instanceof Error ? caught.message : 'The policy could not be saved.');
    } finally {
      setSaving(false);
    }
  };

  return (
    <Modal
      opened
      onClose={onClose}
      title={policy ? `Edit “${policy.name}”` : 'Add an SLA policy'}
      size="lg"
      data-testid="sla-policy-modal"
    >
      <form
        onSubmit={(event) => {
          event.preventDefault();
          void submit();
        }}
      >
        <Stack gap="sm">
          <TextInput
            label="Name"
            placeholder="WhatsApp urgent"
            value={name}
            onChange={(event) => setName(event.currentTarget.value)}
            data-autofocus
            data-testid="sla-policy-name"
          />
          <Group grow gap="sm">
            <Select
              label="Channel"
              data={CHANNEL_OPTIONS}
              value={channel}
              onChange={(value) => setChannel(value ?? ANY)}
              allowDeselect={false}
              data-testid="sla-policy-channel"
            />
            <Select
              label="Priority"
              data={PRIORITY_OPTIONS}
              value={priority}
              onChange={(value) => setPriority(value ?? ANY)}
              allowDeselect={false}
              data-testid="sla-policy-priority"
            />
          </Group>
          <Text size="xs" c="dimmed" mt={-4}>
            The most specific enabled policy applies: channel and priority, then channel, then
            priority, then a policy for any.
          </Text>
          <SimpleGrid cols={3} spacing="sm">
            <TargetInput
              label="First reply"
              length={first}
              onChange={setFirst}
              testId="sla-policy-first"
            />
            <TargetInput
              label="Next reply"
              length={next}
              onChange={setNext}
              testId="sla-policy-next"
            />
            <TargetInput
              label="Resolution"
              length={resolution}
              onChange={setResolution}
              testId="sla-policy-resolution"
            />
          </SimpleGrid>
          <Text size="xs" c="dimmed" mt={-4}>
            First reply counts from the customer&apos;s first message, next reply from each later
            one, resolution from opening or reopening. Empty: no target. Any agent message is a
            reply; resolving stops every target.
          </Text>
          <Group justify="space-between" align="flex-end">
            <div>
              <Text size="sm" fw={500} mb={4}>
                Time counts
              </Text>
              <SegmentedControl
                size="xs"
                value={hours}
                onChange={(value) => setHours(value as SlaPolicy['hours'])}
                data={[
                  { value: 'business', label: 'In business hours' },
                  { value: 'always', label: 'Around the clock' },
                ]}
              />
            </div>
            <Switch
              label="Enabled"
              checked={enabled}
              onChange={(event) => setEnabled(event.currentTarget.checked)}
              mb={4}
            />
          </Group>
          {error ? (
            <Alert
              color="red"
              variant="light"
              icon={<IconAlertCircle size={16} />}
              data-testid="sla-policy-error"
            >
              {error}
            </Alert>
          ) : null}
          <Group justify="flex-end" gap="xs">
            <Button variant="default" onClick={onClose}>
              Cancel
            </Button>
            <Button type="submit" loading={saving} data-testid="sla-policy-save">
              {policy ? 'Save policy' : 'Add policy'}
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}
