import { useMemo, useState } from 'react';
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
import { checkFields } from '../../../../../shared/protocol/field-errors';
import {
  slaPolicyInputSchema,
  type SlaPolicy,
  type SlaPolicyInput,
} from '../../../../../shared/sla';
import { joinDuration, splitDuration, type DurationUnit } from '../../sla/sla-format';
import { useFieldErrors } from '../field-errors';

/** The fields this form draws: an error elsewhere is said below them. */
const PLACED = ['name', 'channel', 'priority', 'firstResponseMs', 'nextResponseMs', 'resolutionMs'];

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
  onBlur,
  error,
  testId,
}: {
  readonly label: string;
  readonly length: Length;
  readonly onChange: (length: Length) => void;
  readonly onBlur: () => void;
  readonly error: string | undefined;
  readonly testId: string;
}) {
  return (
    <div>
      <Group gap={4} align="flex-end" wrap="nowrap">
        <NumberInput
          label={label}
          placeholder="None"
          min={1}
          max={9999}
          allowDecimal={false}
          value={length.value}
          onChange={(value) => onChange({ ...length, value })}
          onBlur={onBlur}
          error={Boolean(error)}
          style={{ flex: 1 }}
          data-testid={testId}
        />
        <Select
          aria-label={`${label} unit`}
          data={UNIT_OPTIONS}
          value={length.unit}
          onChange={(unit) => onChange({ ...length, unit: (unit ?? 'm') as DurationUnit })}
          onBlur={onBlur}
          error={Boolean(error)}
          allowDeselect={false}
          w={92}
        />
      </Group>
      {/* Under both inputs: the number and its unit make one length. */}
      {error ? (
        <Text size="xs" c="red" mt={4} data-testid="field-error" data-field={testId}>
          {error}
        </Text>
      ) : null}
    </div>
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
  const [general, setGeneral] = useState<string | null>(null);
  const [saving, setSaving] = useState(false);

  const input: SlaPolicyInput = useMemo(
    () => ({
      name: name.trim(),
      channel: channel === ANY ? null : (channel as SlaPolicyInput['channel']),
      priority: priority === ANY ? null : (priority as SlaPolicyInput['priority']),
      firstResponseMs: joinDuration(first.value, first.unit),
      nextResponseMs: joinDuration(next.value, next.unit),
      resolutionMs: joinDuration(resolution.value, resolution.unit),
      hours,
      enabled,
    }),
    [name, channel, priority, first, next, resolution, hours, enabled],
  );
  const client = useMemo(() => {
    const checked = checkFields(slaPolicyInputSchema, input);
    return checked.ok ? [] : checked.fields;
  }, [input]);
  const errors = useFieldErrors(input, client);
  const unplaced = errors.unplaced(PLACED);

  const submit = async (): Promise<void> => {
    setGeneral(null);
    if (!errors.submit()) return;
    setSaving(true);
    try {
      await onSave(input, policy?.id ?? null);
      onClose();
    } catch (caught) {
      setGeneral(errors.refused(caught));
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
            onBlur={() => errors.touch('name')}
            error={errors.of('name')}
            data-autofocus
            data-testid="sla-policy-name"
          />
          <Group grow gap="sm" align="flex-start">
            <Select
              label="Channel"
              data={CHANNEL_OPTIONS}
              value={channel}
              onChange={(value) => setChannel(value ?? ANY)}
              onBlur={() => errors.touch('channel')}
              error={errors.of('channel')}
              allowDeselect={false}
              data-testid="sla-policy-channel"
            />
            <Select
              label="Priority"
              data={PRIORITY_OPTIONS}
              value={priority}
              onChange={(value) => setPriority(value ?? ANY)}
              onBlur={() => errors.touch('priority')}
              error={errors.of('priority')}
              allowDeselect={false}
              data-testid="sla-policy-priority"
            />
          </Group>
          <Text size="xs" c="dimmed" mt={-4}>
            The most specific enabled policy applies: channel and priority, then channel, then
            priority, then a policy for any.
          </Text>
          <SimpleGrid cols={3} spacing="sm" style={{ alignItems: 'start' }}>
            <TargetInput
              label="First reply"
              length={first}
              onChange={setFirst}
              onBlur={() => errors.touch('firstResponseMs')}
              error={errors.of('firstResponseMs')}
              testId="sla-policy-first"
            />
            <TargetInput
              label="Next reply"
              length={next}
              onChange={setNext}
              onBlur={() => errors.touch('nextResponseMs')}
              error={errors.of('nextResponseMs')}
              testId="sla-policy-next"
            />
            <TargetInput
              label="Resolution"
              length={resolution}
              onChange={setResolution}
              onBlur={() => errors.touch('resolutionMs')}
              error={errors.of('resolutionMs')}
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
          {general !== null || unplaced.length > 0 ? (
            <Alert
              color="red"
              variant="light"
              icon={<IconAlertCircle size={16} />}
              data-testid="sla-policy-error"
            >
              {[general, ...unplaced].filter(Boolean).join(' ')}
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
