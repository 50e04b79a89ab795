import { useState } from 'react';
import { z } from 'zod';
import {
  Alert,
  Button,
  Code,
  CopyButton,
  Group,
  Modal,
  PasswordInput,
  SegmentedControl,
  Stack,
  Text,
  TextInput,
} from '@mantine/core';
import { roleSchema, type Role } from '../../../../../shared/domain/model';
import {
  adminUserSchema,
  createUserInputSchema,
  newPasswordSchema,
  setupTokenSchema,
  type AdminUser,
  type SetupToken,
} from '../../../../../shared/protocol/admin';
import { useData } from '../../../data/hooks';
import { formatDateTime } from '../../../format/dates';
import { useSubmit } from '../use-submit';

const createAnswerSchema = z.object({
  user: adminUserSchema,
  setup: setupTokenSchema.nullable(),
});
const userAnswerSchema = z.object({ user: adminUserSchema });
const resetAnswerSchema = z.object({ setup: setupTokenSchema.nullable() });

const ROLE_DATA = [
  { value: 'agent', label: 'Agent' },
  { value: 'lead', label: 'Lead' },
  { value: 'admin', label: 'Admin' },
];

/** The one-time code, shown once: the hub keeps only its hash. */
function SetupCode({ setup, name }: { setup: SetupToken; name: string }) {
  const expires = formatDateTime(setup.expiresAt);
  return (
    <Stack gap="xs" data-testid="setup-code">
      <Text size="sm">
        Give {name} this one-time {setup.purpose === 'invite' ? 'invite' : 'reset'} code. They
        choose their password with it; it works once and expires {expires}. It is shown only now.
      </Text>
      <Group gap="xs" wrap="nowrap">
        <Code block style={{ flex: 1, wordBreak: 'break-all' }}>
          {setup.token}
        </Code>
        <CopyButton value={setup.token}>
          {({ copied, copy }) => (
            <Button size="xs" variant="light" color={copied ? 'teal' : 'blue'} onClick={copy}>
              {copied ? 'Copied' : 'Copy'}
            </Button>
          )}
        </CopyButton>
      </Group>
    </Stack>
  );
}

/** Mounted when opened (a fresh form each time), unmounted when closed. */
export function CreateUserModal({
  onClose,
  onCreated,
}: {
  onClose: () => void;
  onCreated: () => void;
}) {
  const layer = useData();
  const [email, setEmail] = useState('');
  const [name, setName] = useState('');
  const [role, setRole] = useState<Role>('agent');
  const [method, setMethod] = useState<'invite' | 'password'>('invite');
  const [password, setPassword] = useState('');
  const { busy, error, setError, run } = useSubmit();
  const [created, setCreated] = useState<{ name: string; setup: SetupToken | null } | null>(null);

  const submit = async () => {
    const input = createUserInputSchema.safeParse({
      email,
      name,
      role,
      ...(method === 'password' ? { password } : {}),
    });
    if (!input.success) {
      setError(
        input.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`)[0] ??
          'Check the fields.',
      );
      return;
    }
    await run(async () => {
      const answer = await layer.request(
        'POST',
        '/api/admin/users',
        createAnswerSchema,
        input.data,
      );
      setCreated({ name: answer.user.name, setup: answer.setup });
      onCreated();
    });
  };

  return (
    <Modal opened onClose={onClose} title="Add a user" size="md">
      {created ? (
        <Stack gap="md">
          {created.setup ? (
            <SetupCode setup={created.setup} name={created.name} />
          ) : (
            <Text size="sm" data-testid="user-created">
              {created.name} can sign in now with the password you set.
            </Text>
          )}
          <Group justify="flex-end">
            <Button onClick={onClose}>Done</Button>
          </Group>
        </Stack>
      ) : (
        <form
          onSubmit={(event) => {
            event.preventDefault();
            void submit();
          }}
        >
          <Stack gap="sm">
            <TextInput
              label="E-mail"
              type="email"
              required
              value={email}
              onChange={(e) => setEmail(e.currentTarget.value)}
              data-autofocus
            />
            <TextInput
              label="Name"
              required
              value={name}
              onChange={(e) => setName(e.currentTarget.value)}
            />
            <div>
              <Text size="sm" fw={500} mb={4}>
                Role
              </Text>
              <SegmentedControl
                fullWidth
                data={ROLE_DATA}
                value={role}
                onChange={(value) => setRole(roleSchema.parse(value))}
                aria-label="Role"
              />
            </div>
            <div>
              <Text size="sm" fw={500} mb={4}>
                How they sign in
              </Text>
              <SegmentedControl
                fullWidth
                data={[
                  { value: 'invite', label: 'One-time invite code' },
                  { value: 'password', label: 'Set a password' },
                ]}
                value={method}
                onChange={(value) => setMethod(value === 'password' ? 'password' : 'invite')}
                aria-label="How they sign in"
              />
            </div>
            {method === 'password' && (
              <PasswordInput
                label="Password"
                description="At least 10 characters. Tell them to change it."
                value={password}
                onChange={(e) => setPassword(e.currentTarget.value)}
                autoComplete="new-password"
              />
            )}
            {error && (
              <Alert color="red" variant="light" data-testid="create-user-error">
                {error}
              </Alert>
            )}
            <Group justify="flex-end" mt="xs">
              <Button variant="default" onClick={onClose}>
                Cancel
              </Button>
              <Button type="submit" loading={busy} data-testid="create-user-submit">
                {method === 'invite' ? 'Create and invite' : 'Create user'}
              </Button>
            </Group>
          </Stack>
        </form>
      )}
    </Modal>
  );
}

export function DisableUserModal({
  user,
  onClose,
  onDone,
}: {
  user: AdminUser;
  onClose: () => void;
  onDone: () => void;
}) {
  const layer = useData();
  const { busy, error, run } = useSubmit();
  const disabling = !user.disabled;

  const confirm = async () => {
    await run(async () => {
      await layer.request('PUT', `/api/admin/users/${user.id}`, userAnswerSchema, {
        disabled: disabling,
      });
      onDone();
      onClose();
    });
  };

  return (
    <Modal opened onClose={onClose} title={`${disabling ? 'Disable' : 'Enable'} ${user.name}?`}>
      <Stack gap="md">
        <Text size="sm">
          {disabling
            ? `${user.name} is signed out everywhere at once and cannot sign in until enabled again. Their conversations stay assigned.`
            : `${user.name} can sign in again with their password.`}
        </Text>
        {error && (
          <Alert color="red" variant="light" data-testid="disable-error">
            {error}
          </Alert>
        )}
        <Group justify="flex-end">
          <Button variant="default" onClick={onClose}>
            Cancel
          </Button>
          <Button
            color={disabling ? 'red' : 'teal'}
            loading={busy}
            onClick={() => void confirm()}
            data-testid="confirm-disable"
          >
            {disabling ? 'Disable' : 'Enable'}
          </Button>
        </Group>
      </Stack>
    </Modal>
  );
}

export function ResetPasswordModal({ user, onClose }: { user: AdminUser; onClose: () => void }) {
  const layer = useData();
  const [method, setMethod] = useState<'link' | 'password'>('link');
  const [password, setPassword] = useState('');
  const { busy, error, setError, run } = useSubmit();
  const [result, setResult] = useState<{ setup: SetupToken | null } | null>(null);
  const submit = async () => {
    if (method === 'password') {
      const checked = newPasswordSchema.safeParse(password);
      if (!checked.success) {
        setError(`Password: ${checked.error.issues[0]?.message ?? 'not valid'}`);
        return;
      }
    }
    await run(async () => {
      const answer = await layer.request(
        'POST',
        `/api/admin/users/${user.id}/password`,
        resetAnswerSchema,
        method === 'password' ? { password } : {},
      );
      setResult(answer);
    });
  };

  return (
    <Modal opened onClose={onClose} title={`Reset the password of ${user.name}`}>
      {result ? (
        <Stack gap="md">
          {result.setup ? (
            <SetupCode setup={result.setup} name={user.name} />
          ) : (
            <Text size="sm">
              Done: {user.name} was signed out everywhere and signs in with the temporary password.
            </Text>
          )}
          <Group justify="flex-end">
            <Button onClick={onClose}>Done</Button>
          </Group>
        </Stack>
      ) : (
        <Stack gap="sm">
          <Text size="sm" c="dimmed">
            {user.name} is signed out everywhere as soon as you confirm.
          </Text>
          <SegmentedControl
            fullWidth
            data={[
              { value: 'link', label: 'One-time reset code' },
              { value: 'password', label: 'Temporary password' },
            ]}
            value={method}
            onChange={(value) => setMethod(value === 'password' ? 'password' : 'link')}
          />
          {method === 'password' && (
            <PasswordInput
              label="Temporary password"
              description="At least 10 characters."
              value={password}
              onChange={(e) => setPassword(e.currentTarget.value)}
              autoComplete="new-password"
            />
          )}
          {error && (
            <Alert color="red" variant="light">
              {error}
            </Alert>
          )}
          <Group justify="flex-end" mt="xs">
            <Button variant="default" onClick={onClose}>
              Cancel
            </Button>
            <Button color="red" loading={busy} onClick={() => void submit()}>
              Reset password
            </Button>
          </Group>
        </Stack>
      )}
    </Modal>
  );
}
