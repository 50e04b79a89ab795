import {
  Alert,
  Badge,
  Button,
  Group,
  Loader,
  MultiSelect,
  Select,
  Stack,
  Table,
  Text,
  TextInput,
  Title,
  Tooltip,
} from '@mantine/core';
import { IconDownload, IconRefresh, IconSearch } from '@tabler/icons-react';
import { AUDIT_ACTION_LABELS, type AuditEntry } from '../../../../../shared/protocol/audit';
import { useClockDerived } from '../../../app/clock';
import type { Me } from '../../../data/types';
import { formatFullDateTime, formatWhen } from '../../../format/dates';
import { LoadFailed } from '../LoadFailed';
import { actionTone, AUDIT_ACTION_GROUPS, AUDIT_PERIODS, type AuditPeriod } from './audit-filters';
import { useAuditLog, type AuditLogState } from './use-audit-log';

const ACTION_OPTIONS = AUDIT_ACTION_GROUPS.map(({ group, actions }) => ({
  group,
  items: actions.map((action) => ({ value: action, label: AUDIT_ACTION_LABELS[action] })),
}));

function Filters({ audit }: { readonly audit: AuditLogState }) {
  const { filters, setFilters } = audit;
  return (
    <Group gap="sm" align="flex-end" wrap="wrap">
      <MultiSelect
        label="Actions"
        placeholder={filters.actions.length === 0 ? 'All actions' : undefined}
        data={ACTION_OPTIONS}
        value={[...filters.actions]}
        onChange={(actions) =>
          setFilters({ actions: actions as AuditLogState['filters']['actions'] })
        }
        clearable
        searchable
        w={320}
        size="sm"
        data-testid="audit-actions"
      />
      <TextInput
        label="Person"
        placeholder="Name or e-mail"
        leftSection={<IconSearch size={14} />}
        value={filters.person}
        onChange={(event) => setFilters({ person: event.currentTarget.value })}
        w={260}
        size="sm"
        data-testid="audit-person"
      />
      <Select
        label="Period"
        data={AUDIT_PERIODS.map((p) => ({ value: p.value, label: p.label }))}
        value={filters.period}
        onChange={(period) => period && setFilters({ period: period as AuditPeriod })}
        allowDeselect={false}
        w={170}
        size="sm"
        data-testid="audit-period"
      />
    </Group>
  );
}

function EntryRow({ entry, now }: { readonly entry: AuditEntry; readonly now: number }) {
  return (
    <Table.Tr data-testid="audit-entry" data-action={entry.action}>
      <Table.Td style={{ whiteSpace: 'nowrap' }}>
        <Tooltip label={formatFullDateTime(entry.at)} openDelay={400}>
          <Text size="sm" style={{ fontVariantNumeric: 'tabular-nums' }}>
            {formatWhen(entry.at, now)}
          </Text>
        </Tooltip>
      </Table.Td>
      <Table.Td>
        <Badge variant="light" color={actionTone(entry.action)} radius="sm" tt="none">
          {AUDIT_ACTION_LABELS[entry.action]}
        </Badge>
      </Table.Td>
      <Table.Td>
        <Text size="sm" c={entry.actor ? undefined : 'dimmed'}>
          {entry.actor?.name ?? 'Nobody signed in'}
        </Text>
      </Table.Td>
      <Table.Td maw={260}>
        <Text size="sm" truncate="end" title={entry.target?.label}>
          {entry.target?.label ?? '—'}
        </Text>
      </Table.Td>
      <Table.Td maw={280}>
        <Text size="sm" c="dimmed" truncate="end" title={entry.detail}>
          {entry.detail || '—'}
        </Text>
      </Table.Td>
      <Table.Td style={{ whiteSpace: 'nowrap' }}>
        <Tooltip label={entry.userAgent ?? 'No browser named'} multiline maw={360} openDelay={400}>
          <Text size="sm" c="dimmed" ff="monospace">
            {entry.address ?? '—'}
          </Text>
        </Tooltip>
      </Table.Td>
    </Table.Tr>
  );
}

function Entries({ audit, now }: { readonly audit: AuditLogState; readonly now: number }) {
  const { entries } = audit;
  if (entries === null)
    return audit.loading ? (
      <Group justify="center" p="xl">
        <Loader size="sm" />
      </Group>
    ) : null;
  if (entries.length === 0)
    return (
      <Text size="sm" c="dimmed" p="lg" ta="center" data-testid="audit-empty">
        Nothing was recorded for these filters.
      </Text>
    );
  return (
    <Stack gap="xs">
      <Table.ScrollContainer minWidth={900}>
        <Table striped highlightOnHover verticalSpacing={6} data-testid="audit-table">
          <Table.Thead>
            <Table.Tr>
              <Table.Th>When</Table.Th>
              <Table.Th>Action</Table.Th>
              <Table.Th>Who</Table.Th>
              <Table.Th>What</Table.Th>
              <Table.Th>Detail</Table.Th>
              <Table.Th>From</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody style={{ opacity: audit.loading ? 0.6 : 1 }}>
            {entries.map((entry) => (
              <EntryRow key={entry.id} entry={entry} now={now} />
            ))}
          </Table.Tbody>
        </Table>
      </Table.ScrollContainer>
      {audit.hasMore && (
        <Group justify="center">
          <Button
            variant="default"
            size="compact-sm"
            loading={audit.loadingMore}
            onClick={audit.loadMore}
            data-testid="audit-more"
          >
            Show older entries
          </Button>
        </Group>
      )}
    </Stack>
  );
}

/** The audit log (admins): who signed in, changed users, credentials and templates, and exported. */
export function AuditLogPage({ me: _me }: { me: Me }) {
  const audit = useAuditLog();
  // Times read "14:32" today and "Tue 14:32" this week: the minute is precise enough.
  const now = useClockDerived((at) => Math.floor(at / 60_000) * 60_000);
  return (
    <Stack gap="md" maw={1200}>
      <Group justify="space-between" align="flex-start" wrap="nowrap">
        <div>
          <Title order={3}>Audit log</Title>
          <Text size="sm" c="dimmed">
            Sign-ins, changes to users, channel and shop credentials and templates, and exports: who
            did what, when and from where.
          </Text>
        </div>
        <Group gap="xs" wrap="nowrap" style={{ flexShrink: 0 }}>
          <Button
            variant="default"
            leftSection={<IconRefresh size={16} />}
            onClick={audit.reload}
            data-testid="audit-refresh"
          >
            Refresh
          </Button>
          <Button
            leftSection={<IconDownload size={16} />}
            loading={audit.exporting}
            onClick={audit.exportCsv}
            data-testid="audit-export"
          >
            Export CSV
          </Button>
        </Group>
      </Group>
      <Filters audit={audit} />
      {audit.error && (
        <LoadFailed
          title="The audit log could not be read"
          error={audit.error}
          onRetry={audit.reload}
        />
      )}
      {audit.exportError && (
        <Alert color="red" variant="light" data-testid="audit-export-error">
          The export failed: {audit.exportError}
        </Alert>
      )}
      <Entries audit={audit} now={now} />
    </Stack>
  );
}
