import { useState, type ChangeEvent, type ReactNode } from 'react';
import {
  Alert,
  Anchor,
  Badge,
  Button,
  Group,
  Modal,
  Radio,
  Stack,
  Text,
  Textarea,
  TextInput,
  Title,
  Tooltip,
  UnstyledButton,
  ActionIcon,
} from '@mantine/core';
import { IconAlertTriangle, IconArrowsSplit, IconGitMerge, IconPencil } from '@tabler/icons-react';
import { CHANNEL_INFO, type ChannelKind } from '../../../../shared/domain/channels';
import type { Conversation } from '../../../../shared/domain/model';
import type {
  CustomerChanges,
  CustomerProfile,
  MergeCandidate,
} from '../../../../shared/protocol/customers';
import { computeReplyWindow } from '../../../../shared/reply-window';
import { readClock, useClockDerived } from '../../app/clock';
import { formatShortDate } from '../../format/dates';
import { ChannelIcon } from '../../components/ChannelIcon';
import { WindowStateBadge } from '../../components/WindowStateBadge';
import { useCustomerProfile } from './useCustomerProfile';

export interface CustomerPanelProps {
  /** The open conversation: its customer is the one shown. */
  readonly conversation: Conversation;
  /** Open another conversation with the customer. */
  readonly onOpenConversation: (id: string) => void;
  /** How many orders the order panel found for the customer; null while unknown. */
  readonly ordersCount: number | null;
  /** Show the order panel. */
  readonly onShowOrders: () => void;
}

const STATUS_COLORS = { open: 'blue', pending: 'yellow.8', snoozed: 'grape', resolved: 'dimmed' };
const REASONS: Record<MergeCandidate['reason'], string> = {
  phone: 'Same phone as',
  email: 'Same e-mail as',
};
const FIELDS = [
  ['phone', 'Phone'],
  ['email', 'E-mail'],
  ['language', 'Language'],
  ['country', 'Country'],
] as const;

const channelsText = (channels: readonly ChannelKind[]): string =>
  channels.map((c) => CHANNEL_INFO[c].label).join(', ');

/**
 * The customer beside the conversation (issue #20 item 2): who they are on every channel, what
 * the team noted about them, their conversations everywhere, and the hub's merge proposals.
 */
export function CustomerPanel({
  conversation,
  onOpenConversation,
  ordersCount,
  onShowOrders,
}: CustomerPanelProps) {
  const state = useCustomerProfile(conversation);
  const { customer, view, conversations, pending } = state;
  const [editing, setEditing] = useState(false);
  const [merging, setMerging] = useState<MergeCandidate | null>(null);
  const refused = pending.find((entry) => entry.state === 'failed');
  const waiting = pending.filter((entry) => entry.state !== 'failed').length;
  const labels = [...new Set(conversations.flatMap((c) => c.labels))].sort();

  return (
    <Stack gap="md" p="md" data-testid="customer-panel" data-customer-id={customer.id}>
      <Group justify="space-between" align="flex-start" wrap="nowrap">
        <div style={{ minWidth: 0 }}>
          <Title order={4} style={{ overflowWrap: 'anywhere' }} data-testid="customer-name">
            {customer.name}
          </Title>
          <Text size="xs" c="dimmed">
            Customer since {formatShortDate(customer.createdAt, readClock())}
            {waiting > 0 ? ' · saving…' : ''}
          </Text>
        </div>
        {!editing && (
          <Tooltip label="Edit the customer">
            <ActionIcon
              variant="subtle"
              aria-label="Edit the customer"
              onClick={() => setEditing(true)}
              data-testid="customer-edit"
            >
              <IconPencil size={16} />
            </ActionIcon>
          </Tooltip>
        )}
      </Group>

      {refused?.error && (
        <Alert color="red" icon={<IconAlertTriangle size={16} />} data-testid="customer-refused">
          {refused.error.message}
        </Alert>
      )}

      {(view?.candidates ?? []).map((candidate) => (
        <Alert
          key={candidate.customer.id}
          color="yellow"
          variant="light"
          icon={<IconGitMerge size={16} />}
          data-testid="merge-candidate"
          data-candidate-id={candidate.customer.id}
        >
          <Text size="sm">
            {REASONS[candidate.reason]} <b>{candidate.customer.name}</b> on{' '}
            {channelsText(candidate.channels)}
          </Text>
          <Button size="compact-xs" mt={6} onClick={() => setMerging(candidate)}>
            Merge
          </Button>
        </Alert>
      ))}

      {editing ? (
        <CustomerForm
          customer={customer}
          onCancel={() => setEditing(false)}
          onSave={async (changes) => {
            await state.update(changes);
            setEditing(false);
          }}
        />
      ) : (
        <Stack gap={4} data-testid="customer-details">
          {FIELDS.map(([field, label]) => (
            <Group key={field} gap="xs" wrap="nowrap" align="baseline">
              <Text size="xs" c="dimmed" w={64} style={{ flexShrink: 0 }}>
                {label}
              </Text>
              <Text
                size="sm"
                data-testid={`customer-${field}`}
                style={{ overflowWrap: 'anywhere' }}
              >
                {customer[field] ?? '—'}
              </Text>
            </Group>
          ))}
          <Group gap="xs" wrap="nowrap" align="baseline">
            <Text size="xs" c="dimmed" w={64} style={{ flexShrink: 0 }}>
              Orders
            </Text>
            <Anchor
              component="button"
              size="sm"
              onClick={onShowOrders}
              data-testid="customer-orders"
            >
              {ordersCount === null
                ? 'Look up'
                : `${ordersCount} ${ordersCount === 1 ? 'order' : 'orders'}`}
            </Anchor>
          </Group>
        </Stack>
      )}

      <NoteField customer={customer} onSave={(note) => state.update({ note })} />

      <Section title="Channels">
        {view === null ? (
          <Text size="xs" c="dimmed">
            {state.error ?? 'Loading…'}
          </Text>
        ) : (
          view.identities.map((identity) => (
            <Group
              key={`${identity.channel}:${identity.externalId}`}
              gap={6}
              wrap="nowrap"
              data-testid="customer-identity"
              data-channel={identity.channel}
            >
              <ChannelIcon channel={identity.channel} size={14} />
              <Text size="sm">{CHANNEL_INFO[identity.channel].label}</Text>
              <Text size="xs" c="dimmed" ff="monospace" truncate title={identity.externalId}>
                {identity.externalId}
              </Text>
            </Group>
          ))
        )}
      </Section>

      {labels.length > 0 && (
        <Section title="Labels">
          <Group gap={4}>
            {labels.map((label) => (
              <Badge key={label} variant="outline" size="sm" tt="none">
                {label}
              </Badge>
            ))}
          </Group>
        </Section>
      )}

      <Section title={`Conversations (${conversations.length})`}>
        {conversations.map((c) => (
          <ConversationLine
            key={c.id}
            conversation={c}
            current={c.id === conversation.id}
            onOpen={() => onOpenConversation(c.id)}
          />
        ))}
      </Section>

      {(view?.merged.length ?? 0) > 0 && (
        <Section title="Merged into this profile">
          {view?.merged.map((merged) => (
            <Group
              key={merged.id}
              justify="space-between"
              wrap="nowrap"
              data-testid="merged-customer"
            >
              <Text size="sm" truncate>
                {merged.name}
                <Text span size="xs" c="dimmed">
                  {' '}
                  ·{' '}
                  {channelsText([
                    ...new Set(
                      view.identities.filter((i) => i.ownerId === merged.id).map((i) => i.channel),
                    ),
                  ])}
                </Text>
              </Text>
              <Button
                size="compact-xs"
                variant="default"
                leftSection={<IconArrowsSplit size={12} />}
                onClick={() => void state.unmerge(merged.id)}
                data-testid="unmerge"
                aria-label={`Unmerge ${merged.name}`}
              >
                Unmerge
              </Button>
            </Group>
          ))}
        </Section>
      )}

      {merging && (
        <MergeModal
          current={customer}
          candidate={merging}
          onClose={() => setMerging(null)}
          onMerge={async (keptId, mergedId) => {
            await state.merge(keptId, mergedId);
            setMerging(null);
          }}
        />
      )}
    </Stack>
  );
}

function Section({ title, children }: { title: string; children: ReactNode }) {
  return (
    <Stack gap={6}>
      <Text size="xs" fw={600} c="dimmed" tt="uppercase">
        {title}
      </Text>
      {children}
    </Stack>
  );
}

function ConversationLine({
  conversation,
  current,
  onOpen,
}: {
  conversation: Conversation;
  current: boolean;
  onOpen: () => void;
}) {
  const windowState = useClockDerived(
    (now) => computeReplyWindow(conversation.channel, conversation, now).state,
  );
  return (
    <UnstyledButton
      onClick={onOpen}
      data-testid="customer-conversation"
      data-conversation-id={conversation.id}
      aria-current={current ? 'true' : undefined}
      style={{
        padding: '6px 8px',
        borderRadius: 'var(--mantine-radius-sm)',
        border: '1px solid var(--mantine-color-default-border)',
        background: current ? 'var(--mantine-color-default-hover)' : undefined,
      }}
    >
      <Group gap={6} wrap="nowrap">
        <ChannelIcon channel={conversation.channel} size={14} />
        <Text size="sm" fw={500}>
          {CHANNEL_INFO[conversation.channel].label}
        </Text>
        <Text size="xs" c={STATUS_COLORS[conversation.status]} tt="capitalize" data-testid="status">
          · {conversation.status}
        </Text>
        <span style={{ marginLeft: 'auto' }} title="Reply window" />
        <WindowStateBadge state={windowState} />
      </Group>
      <Text size="xs" c="dimmed" truncate mt={2}>
        {conversation.lastMessagePreview || '—'}
      </Text>
    </UnstyledButton>
  );
}

function NoteField({
  customer,
  onSave,
}: {
  customer: CustomerProfile;
  onSave: (note: string) => Promise<void>;
}) {
  // The agent's words while editing; otherwise the saved note (another agent's edit shows).
  const [draft, setDraft] = useState<string | null>(null);
  const note = draft ?? customer.note;
  const setNote = (value: string) => setDraft(value);
  const dirty = draft !== null;
  const setDirty = (value: boolean) => {
    if (!value) setDraft(null);
  };
  return (
    <Stack gap={4}>
      <Textarea
        label="Note about the customer"
        description="Seen by your team only"
        placeholder="Preferences, context, anything a colleague should know"
        autosize
        minRows={2}
        maxRows={8}
        value={note}
        onChange={(event) => setNote(event.currentTarget.value)}
        data-testid="customer-note"
      />
      {dirty && note !== customer.note && (
        <Group gap="xs">
          <Button
            size="compact-xs"
            onClick={() => void onSave(note).then(() => setDirty(false))}
            data-testid="customer-note-save"
          >
            Save note
          </Button>
          <Button size="compact-xs" variant="subtle" onClick={() => setDirty(false)}>
            Cancel
          </Button>
        </Group>
      )}
    </Stack>
  );
}

function CustomerForm({
  customer,
  onSave,
  onCancel,
}: {
  customer: CustomerProfile;
  onSave: (changes: CustomerChanges) => Promise<void>;
  onCancel: () => void;
}) {
  const [values, setValues] = useState({
    name: customer.name,
    phone: customer.phone ?? '',
    email: customer.email ?? '',
    language: customer.language ?? '',
    country: customer.country ?? '',
  });
  const [error, setError] = useState<string | null>(null);
  const set = (field: keyof typeof values) => (event: ChangeEvent<HTMLInputElement>) =>
    setValues({ ...values, [field]: event.currentTarget.value });
  const save = async () => {
    const changes: Record<string, string | null> = {};
    if (values.name.trim() !== customer.name) changes['name'] = values.name.trim();
    for (const [field] of FIELDS) {
      const value = values[field].trim();
      if (value !== (customer[field] ?? '')) changes[field] = value === '' ? null : value;
    }
    if (Object.keys(changes).length === 0) return onCancel();
    try {
      await onSave(changes as CustomerChanges);
    } catch (reason) {
      setError(reason instanceof Error ? reason.message : String(reason));
    }
  };
  return (
    <Stack gap="xs" data-testid="customer-form">
      <TextInput label="Name" value={values.name} onChange={set('name')} required />
      <TextInput
        label="Phone"
        value={values.phone}
        onChange={set('phone')}
        placeholder="+31 6 1234 5678"
      />
      <TextInput label="E-mail" value={values.email} onChange={set('email')} />
      <Group grow gap="xs">
        <TextInput
          label="Language"
          value={values.language}
          onChange={set('language')}
          placeholder="nl"
        />
        <TextInput
          label="Country"
          value={values.country}
          onChange={set('country')}
          placeholder="NL"
        />
      </Group>
      {error && (
        <Text size="xs" c="red">
          {error}
        </Text>
      )}
      <Group gap="xs">
        <Button size="xs" onClick={() => void save()} data-testid="customer-save">
          Save
        </Button>
        <Button size="xs" variant="subtle" onClick={onCancel}>
          Cancel
        </Button>
      </Group>
    </Stack>
  );
}

function MergeModal({
  current,
  candidate,
  onClose,
  onMerge,
}: {
  current: CustomerProfile;
  candidate: MergeCandidate;
  onClose: () => void;
  onMerge: (keptId: string, mergedId: string) => Promise<void>;
}) {
  const other = candidate.customer;
  // The older customer is kept by default: the one the team has known longest.
  const older = other.createdAt < current.createdAt ? other : current;
  const [keptId, setKeptId] = useState(older.id);
  const kept = keptId === current.id ? current : other;
  const merged = keptId === current.id ? other : current;
  return (
    <Modal opened onClose={onClose} title="Merge two customers" centered>
      <Stack gap="sm">
        <Text size="sm">
          {REASONS[candidate.reason]} {other.name}: {candidate.value}. Their conversations will show
          together; each keeps its own channel, messages and reply window. You can unmerge later.
        </Text>
        <Radio.Group label="Keep the profile of" value={keptId} onChange={setKeptId}>
          <Stack gap={6} mt={6}>
            {[current, other].map((c) => (
              <Radio
                key={c.id}
                value={c.id}
                label={`${c.name}${c.id === older.id ? ' (older)' : ''}`}
                data-testid={`keep-${c.id}`}
              />
            ))}
          </Stack>
        </Radio.Group>
        <Group justify="flex-end" gap="xs">
          <Button variant="subtle" onClick={onClose}>
            Cancel
          </Button>
          <Button
            leftSection={<IconGitMerge size={14} />}
            onClick={() => void onMerge(kept.id, merged.id)}
            data-testid="merge-confirm"
          >
            Merge {merged.name} into {kept.name}
          </Button>
        </Group>
      </Stack>
    </Modal>
  );
}
