import { useMemo, useState } from 'react';
import { z } from 'zod';
import {
  Alert,
  Badge,
  Button,
  Group,
  PasswordInput,
  Stack,
  Text,
  Textarea,
  TextInput,
} from '@mantine/core';
import { IconLock } from '@tabler/icons-react';
import {
  channelConnectionSchema,
  channelSettingsInputSchema,
  type ChannelConnection,
  type ChannelSetting,
} from '../../../../../shared/protocol/admin';
import { checkFields } from '../../../../../shared/protocol/field-errors';
import { useData } from '../../../data/hooks';
import { useFieldErrors } from '../field-errors';
import { useSubmit } from '../use-submit';

const channelAnswerSchema = z.object({ channel: channelConnectionSchema });

function StateBadge({ setting }: { setting: ChannelSetting }) {
  if (!setting.state.set)
    return (
      <Badge size="xs" variant="light" color="gray" data-testid={`setting-unset-${setting.name}`}>
        Not set
      </Badge>
    );
  return (
    <Badge
      size="xs"
      variant="light"
      color="teal"
      leftSection={setting.secret ? <IconLock size={10} /> : undefined}
      data-testid={setting.secret ? `secret-set-${setting.name}` : `setting-set-${setting.name}`}
    >
      Set{setting.state.source === 'environment' ? ' (environment)' : ''}
    </Badge>
  );
}

/**
 * A connector's settings form, drawn from the settings it declares (`SettingSpec`): secrets are
 * write-only (the hub answers whether each is set, never its value), other values show the one in
 * force. Only the fields typed in are sent; the hub checks them with the same shared schema.
 */
export function ConnectorSettings({
  channel,
  settings,
  onSaved,
}: {
  channel: ChannelConnection;
  settings: readonly ChannelSetting[];
  onSaved: () => void;
}) {
  const layer = useData();
  const [values, setValues] = useState<Record<string, string>>({});
  const { busy, error, setError, run } = useSubmit();
  const [saved, setSaved] = useState(false);
  const schema = useMemo(() => channelSettingsInputSchema(settings), [settings]);
  const filled = useMemo(
    () => Object.fromEntries(Object.entries(values).filter(([, value]) => value.trim() !== '')),
    [values],
  );
  const checked = useMemo(() => checkFields(schema, filled), [schema, filled]);
  // "Give at least one setting" is the disabled button's job, not a red line on a fresh form.
  const client = useMemo(
    () => (checked.ok ? [] : checked.fields.filter((field) => field.path !== '')),
    [checked],
  );
  const fields = useFieldErrors(filled, client);

  const put = (body: Record<string, string | null>) =>
    run(
      async () => {
        await layer.request('PUT', `/api/admin/channels/${channel.id}`, channelAnswerSchema, body);
        setValues({});
        fields.reset();
        setSaved(true);
        onSaved();
      },
      (failure) => fields.refused(failure),
    );

  const save = async () => {
    setError(null);
    if (!fields.submit() || !checked.ok) return;
    await put(checked.data as Record<string, string>);
  };

  return (
    <Stack gap={8} mt="xs" data-testid="connector-settings">
      {settings.map((setting) => {
        const placeholder = setting.secret
          ? setting.state.set
            ? 'Type a new value to replace it'
            : 'Paste it here'
          : (setting.value ?? '');
        // An optional value an admin saved can be removed (the environment's or none is then used).
        const removable = !setting.required && setting.state.source === 'settings';
        const common = {
          size: 'xs' as const,
          label: (
            <Group gap={6} component="span">
              <span>
                {setting.label}
                {setting.required && !setting.state.set && (
                  <Text span c="red" inherit aria-hidden>
                    {' *'}
                  </Text>
                )}
              </span>
              <StateBadge setting={setting} />
              {removable && (
                <Button
                  variant="subtle"
                  color="gray"
                  size="compact-xs"
                  disabled={busy}
                  onClick={() => void put({ [setting.name]: null })}
                  data-testid={`setting-remove-${setting.name}`}
                >
                  Remove
                </Button>
              )}
            </Group>
          ),
          description: setting.help,
          placeholder,
          value: values[setting.name] ?? '',
          error: fields.of(setting.name),
          required: setting.required && !setting.state.set,
          withAsterisk: false,
          onBlur: () => fields.touch(setting.name),
          autoComplete: 'off',
        };
        const change = (value: string) => {
          setSaved(false);
          setValues((before) => ({ ...before, [setting.name]: value }));
        };
        if (setting.multiline)
          return (
            <Textarea
              key={setting.name}
              {...common}
              autosize
              minRows={2}
              maxRows={8}
              styles={
                setting.secret
                  ? { input: { fontFamily: 'var(--mantine-font-family-monospace)' } }
                  : undefined
              }
              onChange={(e) => change(e.currentTarget.value)}
            />
          );
        const Input = setting.secret ? PasswordInput : TextInput;
        return (
          <Input key={setting.name} {...common} onChange={(e) => change(e.currentTarget.value)} />
        );
      })}
      {(error ?? fields.unplaced(settings.map((s) => s.name))[0]) && (
        <Alert color="red" variant="light" p="xs">
          {error ?? fields.unplaced(settings.map((s) => s.name))[0]}
        </Alert>
      )}
      <Group justify="space-between">
        <Text size="xs" c="dimmed">
          Secrets are stored by the hub, encrypted, and never shown again.
        </Text>
        <Group gap="xs">
          {saved && (
            <Text size="xs" c="teal">
              Saved
            </Text>
          )}
          <Button
            size="xs"
            loading={busy}
            disabled={Object.keys(filled).length === 0}
            onClick={() => void save()}
          >
            Save settings
          </Button>
        </Group>
      </Group>
    </Stack>
  );
}
