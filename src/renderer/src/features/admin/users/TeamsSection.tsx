import { useState } from 'react';
import { z } from 'zod';
import {
  ActionIcon,
  Alert,
  Badge,
  Button,
  Group,
  Modal,
  MultiSelect,
  Paper,
  SegmentedControl,
  Stack,
  Table,
  Text,
  TextInput,
  Tooltip,
} from '@mantine/core';
import { IconPencil, IconPlus, IconTrash } from '@tabler/icons-react';
import { CHANNEL_INFO, channelKindSchema } from '../../../../../shared/domain/channels';
import {
  teamInputSchema,
  teamSchema,
  type AdminUser,
  type Team,
  type TeamInput,
} from '../../../../../shared/protocol/admin';
import { useData } from '../../../data/hooks';
import { messageOf, type HubResource } from '../use-hub-resource';
import { useSubmit } from '../use-submit';

const teamAnswerSchema = z.object({ team: teamSchema });
const deletedSchema = z.object({ deleted: z.string() });
const CHANNEL_OPTIONS = Object.values(CHANNEL_INFO).map((info) => ({
  value: info.kind,
  label: info.label,
}));

type Editing = { kind: 'new' } | { kind: 'edit'; team: Team } | { kind: 'delete'; team: Team };

/** Teams, their members and assignment rule; a round-robin team takes its channels' new chats. */
export function TeamsSection({
  teams,
  users,
  onChanged,
}: {
  teams: HubResource<{ teams: Team[] }>;
  users: readonly AdminUser[];
  /** A team was saved or deleted: teams and the users' team lists are read again. */
  onChanged: () => void;
}) {
  const [editing, setEditing] = useState<Editing | null>(null);
  const names = new Map(users.map((user) => [user.id, user]));
  const list = teams.data?.teams ?? [];
  return (
    <Paper withBorder>
      <Group justify="space-between" px="md" py="sm">
        <div>
          <Text fw={600} size="sm">
            Teams and assignment
          </Text>
          <Text size="xs" c="dimmed">
            A new conversation belongs to the team of its channel. Round-robin gives it to the next
            available, enabled member in turn; manual leaves it unassigned.
          </Text>
        </div>
        <Button
          size="xs"
          variant="light"
          leftSection={<IconPlus size={14} />}
          onClick={() => setEditing({ kind: 'new' })}
          data-testid="add-team"
        >
          New team
        </Button>
      </Group>
      {teams.error && (
        <Alert color="red" variant="light" mx="md" mb="sm">
          {teams.error}
        </Alert>
      )}
      {list.length === 0 ? (
        <Text size="sm" c="dimmed" px="md" pb="md" data-testid="no-teams">
          No teams yet. Create one to route a channel&apos;s new conversations to its members.
        </Text>
      ) : (
        <Table verticalSpacing={6} horizontalSpacing="md" fz="sm" data-testid="teams-table">
          <Table.Thead>
            <Table.Tr>
              <Table.Th w={180}>Team</Table.Th>
              <Table.Th w={150}>Rule</Table.Th>
              <Table.Th w={220}>Channels</Table.Th>
              <Table.Th>Members</Table.Th>
              <Table.Th w={76} />
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {list.map((team) => (
              <Table.Tr key={team.id}>
                <Table.Td fw={500}>{team.name}</Table.Td>
                <Table.Td>
                  <Badge
                    size="sm"
                    variant="light"
                    color={team.assignment === 'round_robin' ? 'teal' : 'gray'}
                  >
                    {team.assignment === 'round_robin' ? 'Round-robin' : 'Manual'}
                  </Badge>
                </Table.Td>
                <Table.Td>
                  {team.channels.length === 0 ? (
                    <Text size="xs" c="dimmed">
                      None
                    </Text>
                  ) : (
                    <Group gap={4}>
                      {team.channels.map((channel) => (
                        <Badge key={channel} size="sm" variant="default" radius="sm">
                          {CHANNEL_INFO[channel].label}
                        </Badge>
                      ))}
                    </Group>
                  )}
                </Table.Td>
                <Table.Td>
                  {team.memberIds.length === 0 ? (
                    <Text size="xs" c="dimmed">
                      No members
                    </Text>
                  ) : (
                    <Text size="sm">
                      {team.memberIds
                        .map((id) => {
                          const user = names.get(id);
                          if (!user) return '…';
                          if (user.disabled) return `${user.name} (disabled)`;
                          return user.availability === 'away' ? `${user.name} (away)` : user.name;
                        })
                        .join(', ')}
                    </Text>
                  )}
                </Table.Td>
                <Table.Td>
                  <Group gap={2} wrap="nowrap">
                    <Tooltip label="Edit">
                      <ActionIcon
                        variant="subtle"
                        color="gray"
                        aria-label={`Edit ${team.name}`}
                        onClick={() => setEditing({ kind: 'edit', team })}
                      >
                        <IconPencil size={16} />
                      </ActionIcon>
                    </Tooltip>
                    <Tooltip label="Delete">
                      <ActionIcon
                        variant="subtle"
                        color="red"
                        aria-label={`Delete ${team.name}`}
                        onClick={() => setEditing({ kind: 'delete', team })}
                      >
                        <IconTrash size={16} />
                      </ActionIcon>
                    </Tooltip>
                  </Group>
                </Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      )}
      {editing !== null && editing.kind !== 'delete' && (
        <TeamModal
          key={editing.kind === 'edit' ? editing.team.id : 'new'}
          editing={editing}
          users={users}
          onClose={() => setEditing(null)}
          onSaved={onChanged}
        />
      )}
      {editing?.kind === 'delete' && (
        <DeleteTeamModal
          key={editing.team.id}
          team={editing.team}
          onClose={() => setEditing(null)}
          onDeleted={onChanged}
        />
      )}
    </Paper>
  );
}

function TeamModal({
  editing,
  users,
  onClose,
  onSaved,
}: {
  editing: { kind: 'new' } | { kind: 'edit'; team: Team };
  users: readonly AdminUser[];
  onClose: () => void;
  onSaved: () => void;
}) {
  const layer = useData();
  const [draft, setDraft] = useState<TeamInput>(() => {
    if (editing.kind === 'new')
      return { name: '', assignment: 'manual', channels: [], memberIds: [] };
    const { name, assignment, channels, memberIds } = editing.team;
    return { name, assignment, channels, memberIds };
  });
  const { busy, error, setError, run } = useSubmit();

  const save = async () => {
    const input = teamInputSchema.safeParse(draft);
    if (!input.success) {
      setError(input.error.issues[0]?.message ?? 'Check the fields.');
      return;
    }
    await run(async () => {
      if (editing.kind === 'edit')
        await layer.request(
          'PUT',
          `/api/admin/teams/${editing.team.id}`,
          teamAnswerSchema,
          input.data,
        );
      else await layer.request('POST', '/api/admin/teams', teamAnswerSchema, input.data);
      onSaved();
      onClose();
    });
  };

  return (
    <Modal
      opened
      onClose={onClose}
      title={editing.kind === 'edit' ? `Edit ${editing.team.name}` : 'New team'}
    >
      <Stack gap="sm">
        <TextInput
          label="Name"
          value={draft.name}
          onChange={(e) => setDraft({ ...draft, name: e.currentTarget.value })}
          data-autofocus
        />
        <div>
          <Text size="sm" fw={500} mb={4}>
            Assignment rule
          </Text>
          <SegmentedControl
            fullWidth
            data={[
              { value: 'manual', label: 'Manual' },
              { value: 'round_robin', label: 'Round-robin' },
            ]}
            value={draft.assignment}
            onChange={(value) =>
              setDraft({ ...draft, assignment: value === 'round_robin' ? 'round_robin' : 'manual' })
            }
          />
        </div>
        <MultiSelect
          label="Channels"
          description="New conversations on these channels belong to this team (one team per channel)."
          data={CHANNEL_OPTIONS}
          value={draft.channels}
          onChange={(values) =>
            setDraft({ ...draft, channels: values.map((v) => channelKindSchema.parse(v)) })
          }
        />
        <MultiSelect
          label="Members"
          searchable
          data={users.map((user) => ({
            value: user.id,
            label: user.disabled ? `${user.name} (disabled)` : user.name,
          }))}
          value={draft.memberIds}
          onChange={(values) => setDraft({ ...draft, memberIds: values })}
        />
        {error && (
          <Alert color="red" variant="light">
            {error}
          </Alert>
        )}
        <Group justify="flex-end" mt="xs">
          <Button variant="default" onClick={onClose}>
            Cancel
          </Button>
          <Button loading={busy} onClick={() => void save()}>
            Save team
          </Button>
        </Group>
      </Stack>
    </Modal>
  );
}

function DeleteTeamModal({
  team,
  onClose,
  onDeleted,
}: {
  team: Team;
  onClose: () => void;
  onDeleted: () => void;
}) {
  const layer = useData();
  const [error, setError] = useState<string | null>(null);
  return (
    <Modal opened onClose={onClose} title={`Delete ${team.name}?`}>
      <Stack gap="md">
        <Text size="sm">
          Its members keep their conversations; new conversations on its channels stay unassigned.
        </Text>
        {error && (
          <Alert color="red" variant="light">
            {error}
          </Alert>
        )}
        <Group justify="flex-end">
          <Button variant="default" onClick={onClose}>
            Cancel
          </Button>
          <Button
            color="red"
            onClick={() => {
              layer.request('DELETE', `/api/admin/teams/${team.id}`, deletedSchema).then(
                () => {
                  onDeleted();
                  onClose();
                },
                (failure: unknown) => setError(messageOf(failure)),
              );
            }}
          >
            Delete team
          </Button>
        </Group>
      </Stack>
    </Modal>
  );
}
