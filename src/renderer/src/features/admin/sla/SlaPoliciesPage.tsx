import { useState } from 'react';
import {
  ActionIcon,
  Alert,
  Badge,
  Button,
  Group,
  Loader,
  Modal,
  Paper,
  Stack,
  Switch,
  Table,
  Text,
  Title,
  Tooltip,
} from '@mantine/core';
import { IconAlertCircle, IconPencil, IconPlus, IconTrash } from '@tabler/icons-react';
import { z } from 'zod';
import {
  slaPolicySchema,
  slaSettingsSchema,
  specificity,
  type BusinessCalendar,
  type SlaPolicy,
  type SlaPolicyInput,
} from '../../../../../shared/sla';
import { useData } from '../../../data/hooks';
import type { Me } from '../../../data/types';
import { describeScope, formatTargetLength, HOURS_LABELS } from '../../sla/sla-format';
import { useSla, useSlaStore } from '../../sla/sla-store';
import { CalendarEditor } from './CalendarEditor';
import { PolicyModal } from './PolicyModal';
import { useSubmit } from '../use-submit';

const policyAnswerSchema = z.object({ policy: slaPolicySchema });
const deletedAnswerSchema = z.object({ deleted: z.string() });

/** Most specific first (the order the hub chooses in), then by name. */
const byChoiceOrder = (a: SlaPolicy, b: SlaPolicy): number =>
  specificity(b) - specificity(a) || a.name.localeCompare(b.name);

const inputOf = (policy: SlaPolicy): SlaPolicyInput => ({
  name: policy.name,
  channel: policy.channel,
  priority: policy.priority,
  firstResponseMs: policy.firstResponseMs,
  nextResponseMs: policy.nextResponseMs,
  resolutionMs: policy.resolutionMs,
  hours: policy.hours,
  enabled: policy.enabled,
});

const NUMBER_CELL = { fontVariantNumeric: 'tabular-nums', whiteSpace: 'nowrap' } as const;

/**
 * SLA policies (admins): the targets per channel and priority, and the business calendar they
 * count in. Reads the same live settings the inbox shows targets from; every change goes to the
 * hub, which validates it and tells every app (`sla.updated`).
 */
export function SlaPoliciesPage({ me }: { me: Me }) {
  const layer = useData();
  const store = useSlaStore();
  const sla = useSla();
  const [editing, setEditing] = useState<SlaPolicy | 'new' | null>(null);
  const [deleting, setDeleting] = useState<SlaPolicy | null>(null);
  const { busy, error, setError, run } = useSubmit();
  const admin = me.role === 'admin';

  const savePolicy = async (input: SlaPolicyInput, id: string | null): Promise<void> => {
    if (id === null) await layer.request('POST', '/api/sla/policies', policyAnswerSchema, input);
    else
      await layer.request(
        'PUT',
        `/api/sla/policies/${encodeURIComponent(id)}`,
        policyAnswerSchema,
        input,
      );
    await store.refresh();
  };
  const saveCalendar = async (calendar: BusinessCalendar): Promise<void> => {
    await layer.request('PUT', '/api/sla/calendar', slaSettingsSchema, calendar);
    await store.refresh();
  };

  const policies = sla ? [...sla.settings.policies].sort(byChoiceOrder) : [];

  return (
    <Stack gap="md" maw={1100} data-testid="sla-page">
      <div>
        <Title order={3}>SLA policies</Title>
        <Text size="sm" c="dimmed">
          How soon the team answers and resolves, per channel and priority. Agents see each
          conversation&apos;s next target in the inbox; missed targets are recorded for the
          dashboard.
        </Text>
      </div>

      <Paper withBorder p="md">
        <Group justify="space-between" mb="xs">
          <div>
            <Text fw={600} size="sm">
              Policies
            </Text>
            <Text size="xs" c="dimmed">
              The most specific enabled policy applies: channel and priority, then channel, then
              priority, then one for any.
            </Text>
          </div>
          {admin ? (
            <Button
              size="compact-sm"
              leftSection={<IconPlus size={14} />}
              onClick={() => setEditing('new')}
              data-testid="sla-add-policy"
            >
              Add policy
            </Button>
          ) : null}
        </Group>
        {error ? (
          <Alert
            color="red"
            variant="light"
            icon={<IconAlertCircle size={16} />}
            mb="xs"
            withCloseButton
            onClose={() => setError(null)}
            data-testid="sla-page-error"
          >
            {error}
          </Alert>
        ) : null}
        {sla === null ? (
          <Group gap="xs" py="md">
            <Loader size="xs" />
            <Text size="sm" c="dimmed">
              Loading the policies…
            </Text>
          </Group>
        ) : policies.length === 0 ? (
          <Text size="sm" c="dimmed" py="md" ta="center" data-testid="sla-empty">
            No policies yet: conversations have no SLA targets. Add one to start measuring.
          </Text>
        ) : (
          <Table
            verticalSpacing={6}
            horizontalSpacing="sm"
            highlightOnHover
            data-testid="sla-policies"
          >
            <Table.Thead>
              <Table.Tr>
                <Table.Th>Name</Table.Th>
                <Table.Th>Applies to</Table.Th>
                <Table.Th ta="right">First reply</Table.Th>
                <Table.Th ta="right">Next reply</Table.Th>
                <Table.Th ta="right">Resolution</Table.Th>
                <Table.Th>Counted</Table.Th>
                <Table.Th w={80}>Enabled</Table.Th>
                <Table.Th w={72} />
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {policies.map((policy) => (
                <Table.Tr
                  key={policy.id}
                  data-testid="sla-policy-row"
                  data-policy-id={policy.id}
                  c={policy.enabled ? undefined : 'dimmed'}
                >
                  {/* A long compound name (German) wraps instead of running into the scope. */}
                  <Table.Td fw={500} style={{ overflowWrap: 'anywhere' }}>
                    {policy.name}
                  </Table.Td>
                  <Table.Td>
                    <Text size="sm" span>
                      {describeScope(policy)}
                    </Text>
                  </Table.Td>
                  <Table.Td ta="right" style={NUMBER_CELL}>
                    {formatTargetLength(policy.firstResponseMs)}
                  </Table.Td>
                  <Table.Td ta="right" style={NUMBER_CELL}>
                    {formatTargetLength(policy.nextResponseMs)}
                  </Table.Td>
                  <Table.Td ta="right" style={NUMBER_CELL}>
                    {formatTargetLength(policy.resolutionMs)}
                  </Table.Td>
                  <Table.Td>
                    <Badge
                      size="sm"
                      variant="light"
                      color={policy.hours === 'business' ? 'blue' : 'grape'}
                      tt="none"
                    >
                      {HOURS_LABELS[policy.hours]}
                    </Badge>
                  </Table.Td>
                  <Table.Td>
                    <Switch
                      size="xs"
                      checked={policy.enabled}
                      disabled={!admin || busy}
                      aria-label={`${policy.enabled ? 'Disable' : 'Enable'} ${policy.name}`}
                      onChange={(event) => {
                        const enabled = event.currentTarget.checked;
                        void run(() => savePolicy({ ...inputOf(policy), enabled }, policy.id));
                      }}
                    />
                  </Table.Td>
                  <Table.Td>
                    {admin ? (
                      <Group gap={2} wrap="nowrap" justify="flex-end">
                        <Tooltip label="Edit" openDelay={300}>
                          <ActionIcon
                            variant="subtle"
                            color="gray"
                            aria-label={`Edit ${policy.name}`}
                            onClick={() => setEditing(policy)}
                          >
                            <IconPencil size={15} />
                          </ActionIcon>
                        </Tooltip>
                        <Tooltip label="Delete" openDelay={300}>
                          <ActionIcon
                            variant="subtle"
                            color="red"
                            aria-label={`Delete ${policy.name}`}
                            onClick={() => setDeleting(policy)}
                          >
                            <IconTrash size={15} />
                          </ActionIcon>
                        </Tooltip>
                      </Group>
                    ) : null}
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        )}
      </Paper>

      <Paper withBorder p="md">
        <Text fw={600} size="sm">
          Business hours
        </Text>
        <Text size="xs" c="dimmed" mb="sm">
          Policies counted in business hours pause outside these hours and on holidays (a message at
          Friday 16:50 with a 30 min target is due Monday 09:20).
        </Text>
        {sla === null ? (
          <Loader size="xs" />
        ) : (
          <CalendarEditor calendar={sla.settings.calendar} onSave={saveCalendar} />
        )}
      </Paper>

      {editing !== null ? (
        <PolicyModal
          policy={editing === 'new' ? null : editing}
          onClose={() => setEditing(null)}
          onSave={savePolicy}
        />
      ) : null}
      <Modal
        opened={deleting !== null}
        onClose={() => setDeleting(null)}
        title="Delete this policy?"
        size="sm"
      >
        <Text size="sm" mb="md">
          Conversations it covers fall back to the next most specific policy. Breaches already
          recorded stay.
        </Text>
        <Group justify="flex-end" gap="xs">
          <Button variant="default" onClick={() => setDeleting(null)}>
            Keep
          </Button>
          <Button
            color="red"
            loading={busy}
            data-testid="sla-delete-confirm"
            onClick={() => {
              const policy = deleting;
              if (!policy) return;
              void run(async () => {
                await layer.request(
                  'DELETE',
                  `/api/sla/policies/${encodeURIComponent(policy.id)}`,
                  deletedAnswerSchema,
                );
                await store.refresh();
              }).then(() => setDeleting(null));
            }}
          >
            Delete {deleting?.name}
          </Button>
        </Group>
      </Modal>
    </Stack>
  );
}
