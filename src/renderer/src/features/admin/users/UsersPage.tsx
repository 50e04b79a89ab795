import { useMemo, useState } from 'react';
import { z } from 'zod';
import {
  ActionIcon,
  Alert,
  Badge,
  Button,
  Group,
  Loader,
  Menu,
  Paper,
  Select,
  Stack,
  Table,
  Text,
  Title,
  Tooltip,
} from '@mantine/core';
import { IconDots, IconKey, IconUserOff, IconUserCheck, IconUserPlus } from '@tabler/icons-react';
import type { Role } from '../../../../../shared/domain/model';
import { adminUserSchema, teamSchema, type AdminUser } from '../../../../../shared/protocol/admin';
import { useData } from '../../../data/hooks';
import type { Me } from '../../../data/types';
import { LoadFailed } from '../LoadFailed';
import { messageOf, useHubResource } from '../use-hub-resource';
import { AssignOnReplySetting } from './AssignOnReplySetting';
import { TeamsSection } from './TeamsSection';
import { CreateUserModal, DisableUserModal, ResetPasswordModal } from './UserDialogs';

const usersAnswerSchema = z.object({ users: z.array(adminUserSchema) });
const teamsAnswerSchema = z.object({ teams: z.array(teamSchema) });
const userAnswerSchema = z.object({ user: adminUserSchema });

export const ROLE_COLORS: Record<Role, string> = { agent: 'blue', lead: 'grape', admin: 'orange' };
const ROLE_OPTIONS = [
  { value: 'agent', label: 'Agent' },
  { value: 'lead', label: 'Lead' },
  { value: 'admin', label: 'Admin' },
];

function RoleDot({ role }: { role: Role }) {
  return (
    <span
      aria-hidden
      style={{
        width: 8,
        height: 8,
        borderRadius: 4,
        background: `var(--mantine-color-${ROLE_COLORS[role]}-6)`,
      }}
    />
  );
}

function StatusBadge({ user }: { user: AdminUser }) {
  if (user.disabled)
    return (
      <Badge color="gray" variant="light" size="sm">
        Disabled
      </Badge>
    );
  if (user.invitePending)
    return (
      <Badge color="yellow" variant="light" size="sm">
        Invited
      </Badge>
    );
  return (
    <Group gap={6} wrap="nowrap">
      <Badge color="teal" variant="light" size="sm">
        Active
      </Badge>
      <Text size="xs" c={user.availability === 'available' ? 'teal' : 'dimmed'}>
        {user.availability === 'available' ? 'Available' : 'Away'}
      </Text>
    </Group>
  );
}

type Dialog =
  | { kind: 'create' }
  | { kind: 'disable'; user: AdminUser }
  | { kind: 'reset'; user: AdminUser }
  | null;

/** Users, teams and assignment rules (admin): every change is checked again by the hub. */
export function UsersPage({ me }: { me: Me }) {
  const layer = useData();
  const users = useHubResource('/api/admin/users', usersAnswerSchema, ['user.updated']);
  const teams = useHubResource('/api/admin/teams', teamsAnswerSchema);
  const [dialog, setDialog] = useState<Dialog>(null);
  const [rowError, setRowError] = useState<string | null>(null);
  const [saving, setSaving] = useState<string | null>(null);
  const teamNames = useMemo(
    () => new Map((teams.data?.teams ?? []).map((team) => [team.id, team.name])),
    [teams.data],
  );

  const changeRole = async (user: AdminUser, role: Role) => {
    setRowError(null);
    setSaving(user.id);
    try {
      await layer.request('PUT', `/api/admin/users/${user.id}`, userAnswerSchema, { role });
    } catch (error) {
      setRowError(messageOf(error));
    } finally {
      setSaving(null);
      users.reload();
    }
  };

  const list = users.data?.users ?? [];
  return (
    <Stack gap="md" maw={1200}>
      <Group justify="space-between" align="flex-end">
        <div>
          <Title order={3}>Users and teams</Title>
          <Text size="sm" c="dimmed">
            Who may sign in, with which role, and how new conversations reach a team.
          </Text>
        </div>
        <Button
          leftSection={<IconUserPlus size={16} />}
          size="sm"
          onClick={() => setDialog({ kind: 'create' })}
          data-testid="add-user"
        >
          Add user
        </Button>
      </Group>

      {users.error && (
        <LoadFailed
          title="The users could not be loaded"
          error={users.error}
          onRetry={users.reload}
        />
      )}
      {rowError && (
        <Alert
          color="red"
          variant="light"
          withCloseButton
          onClose={() => setRowError(null)}
          data-testid="users-error"
        >
          {rowError}
        </Alert>
      )}

      <Paper withBorder>
        {users.data === null && users.loading ? (
          <Group justify="center" p="xl">
            <Loader size="sm" />
          </Group>
        ) : list.length === 0 ? (
          <Text c="dimmed" size="sm" p="md">
            No users yet.
          </Text>
        ) : (
          <Table verticalSpacing={6} horizontalSpacing="md" fz="sm" highlightOnHover>
            <Table.Thead>
              <Table.Tr>
                <Table.Th>Name</Table.Th>
                <Table.Th w={130}>Role</Table.Th>
                <Table.Th w={190}>Status</Table.Th>
                <Table.Th>Teams</Table.Th>
                <Table.Th w={48} />
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody data-testid="users-table">
              {list.map((user) => (
                <Table.Tr
                  key={user.id}
                  data-testid="user-row"
                  data-email={user.email}
                  opacity={user.disabled ? 0.6 : 1}
                >
                  <Table.Td>
                    <Group gap={6} wrap="nowrap">
                      <Text size="sm" fw={500}>
                        {user.name}
                      </Text>
                      {user.id === me.id && (
                        <Badge size="xs" variant="outline" color="gray">
                          You
                        </Badge>
                      )}
                    </Group>
                    <Text size="xs" c="dimmed">
                      {user.email}
                    </Text>
                  </Table.Td>
                  <Table.Td>
                    <Select
                      size="xs"
                      w={110}
                      data={ROLE_OPTIONS}
                      value={user.role}
                      allowDeselect={false}
                      // Your own role and access are changed by another admin: no self-lockout.
                      disabled={saving === user.id || user.id === me.id}
                      aria-label={`Role of ${user.name}`}
                      leftSection={<RoleDot role={user.role} />}
                      onChange={(value) => {
                        const role = ROLE_OPTIONS.find((o) => o.value === value)?.value;
                        if (role && role !== user.role) void changeRole(user, role as Role);
                      }}
                    />
                  </Table.Td>
                  <Table.Td>
                    <StatusBadge user={user} />
                  </Table.Td>
                  <Table.Td>
                    {user.teamIds.length === 0 ? (
                      <Text size="xs" c="dimmed">
                        No team
                      </Text>
                    ) : (
                      <Group gap={4}>
                        {user.teamIds.map((id) => (
                          <Badge key={id} size="sm" variant="default" radius="sm">
                            {teamNames.get(id) ?? '…'}
                          </Badge>
                        ))}
                      </Group>
                    )}
                  </Table.Td>
                  <Table.Td>
                    <Menu position="bottom-end" withinPortal>
                      <Menu.Target>
                        <Tooltip label="More" openDelay={400}>
                          <ActionIcon
                            variant="subtle"
                            color="gray"
                            aria-label={`Actions for ${user.name}`}
                          >
                            <IconDots size={16} />
                          </ActionIcon>
                        </Tooltip>
                      </Menu.Target>
                      <Menu.Dropdown>
                        <Menu.Item
                          leftSection={<IconKey size={14} />}
                          onClick={() => setDialog({ kind: 'reset', user })}
                        >
                          Reset password…
                        </Menu.Item>
                        <Menu.Item
                          disabled={user.id === me.id}
                          color={user.disabled ? undefined : 'red'}
                          leftSection={
                            user.disabled ? <IconUserCheck size={14} /> : <IconUserOff size={14} />
                          }
                          onClick={() => setDialog({ kind: 'disable', user })}
                        >
                          {user.disabled ? 'Enable…' : 'Disable…'}
                        </Menu.Item>
                      </Menu.Dropdown>
                    </Menu>
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        )}
      </Paper>

      <TeamsSection
        teams={teams}
        users={list}
        onChanged={() => {
          teams.reload();
          users.reload();
        }}
      />

      <AssignOnReplySetting />

      {dialog?.kind === 'create' && (
        <CreateUserModal onClose={() => setDialog(null)} onCreated={users.reload} />
      )}
      {dialog?.kind === 'disable' && (
        <DisableUserModal
          key={dialog.user.id}
          user={dialog.user}
          onClose={() => setDialog(null)}
          onDone={users.reload}
        />
      )}
      {dialog?.kind === 'reset' && (
        <ResetPasswordModal
          key={dialog.user.id}
          user={dialog.user}
          onClose={() => setDialog(null)}
        />
      )}
    </Stack>
  );
}
