import { useState, type ReactNode } from 'react';
import { z } from 'zod';
import {
  Alert,
  Badge,
  Button,
  Group,
  Loader,
  Paper,
  PasswordInput,
  SimpleGrid,
  Stack,
  Text,
  TextInput,
  Title,
} from '@mantine/core';
import { IconAlertTriangle, IconCircleCheck, IconLock } from '@tabler/icons-react';
import {
  channelConnectionSchema,
  WHATSAPP_SECRET_NAMES,
  whatsappSettingsInputSchema,
  type ChannelConnection,
  type WhatsAppSecretName,
} from '../../../../../shared/protocol/admin';
import { useData } from '../../../data/hooks';
import type { Me } from '../../../data/types';
import { useHubResource } from '../use-hub-resource';
import { formatDateTime } from '../../../format/dates';
import { DeadLetters } from './DeadLetters';
import { RateCardEditor } from './RateCardEditor';
import { useSubmit } from '../use-submit';

const channelsAnswerSchema = z.object({ channels: z.array(channelConnectionSchema) });
const channelAnswerSchema = z.object({ channel: channelConnectionSchema });

const SECRET_LABELS: Record<WhatsAppSecretName, string> = {
  appSecret: 'App secret',
  verifyToken: 'Verify token',
  accessToken: 'Access token',
};

function when(at: number | null): string {
  if (at === null) return 'Never';
  return formatDateTime(at);
}

function Fact({ label, children }: { label: string; children: ReactNode }) {
  return (
    <Group gap="xs" wrap="nowrap" align="baseline">
      <Text size="xs" c="dimmed" w={120} style={{ flexShrink: 0 }}>
        {label}
      </Text>
      <Text size="sm" component="div" style={{ minWidth: 0 }}>
        {children}
      </Text>
    </Group>
  );
}

function StatusBadge({ channel }: { channel: ChannelConnection }) {
  if (!channel.configured)
    return (
      <Badge color="gray" variant="light" size="sm">
        Not configured
      </Badge>
    );
  if (channel.lastError && (channel.lastEventAt ?? 0) < channel.lastError.at)
    return (
      <Badge color="orange" variant="light" size="sm">
        Needs attention
      </Badge>
    );
  return (
    <Badge color="teal" variant="light" size="sm">
      Connected
    </Badge>
  );
}

/** Write-only secret fields: the hub answers whether each is set, never its value. */
function WhatsAppSettings({
  channel,
  onSaved,
}: {
  channel: ChannelConnection;
  onSaved: () => void;
}) {
  const layer = useData();
  const [values, setValues] = useState<Record<string, string>>({});
  const { busy, error, setError, run } = useSubmit();
  const [saved, setSaved] = useState(false);
  const filled = Object.fromEntries(
    Object.entries(values).filter(([, value]) => value.trim() !== ''),
  );

  const save = async () => {
    const input = whatsappSettingsInputSchema.safeParse(filled);
    if (!input.success) {
      const issue = input.error.issues[0];
      setError(
        issue ? `${issue.path.join('.') || 'Settings'}: ${issue.message}` : 'Check the fields.',
      );
      return;
    }
    await run(async () => {
      await layer.request(
        'PUT',
        `/api/admin/channels/${channel.id}`,
        channelAnswerSchema,
        input.data,
      );
      setValues({});
      setSaved(true);
      onSaved();
    });
  };

  return (
    <Stack gap={8} mt="xs">
      {WHATSAPP_SECRET_NAMES.map((name) => {
        const state = channel.secrets?.[name];
        return (
          <PasswordInput
            key={name}
            size="xs"
            label={
              <Group gap={6} component="span">
                <span>{SECRET_LABELS[name]}</span>
                {state?.set ? (
                  <Badge
                    size="xs"
                    variant="light"
                    color="teal"
                    leftSection={<IconLock size={10} />}
                    data-testid={`secret-set-${name}`}
                  >
                    Set{state.source === 'environment' ? ' (environment)' : ''}
                  </Badge>
                ) : (
                  <Badge size="xs" variant="light" color="gray">
                    Not set
                  </Badge>
                )}
              </Group>
            }
            placeholder={state?.set ? 'Type a new value to replace it' : 'Paste it from Meta'}
            value={values[name] ?? ''}
            onChange={(e) => {
              const value = e.currentTarget.value;
              setSaved(false);
              setValues((before) => ({ ...before, [name]: value }));
            }}
            autoComplete="off"
          />
        );
      })}
      <TextInput
        size="xs"
        label="Phone number id"
        placeholder={channel.phoneNumberId ?? 'From Meta’s WhatsApp Manager'}
        value={values['phoneNumberId'] ?? ''}
        onChange={(e) => {
          const value = e.currentTarget.value;
          setSaved(false);
          setValues((before) => ({ ...before, phoneNumberId: value }));
        }}
      />
      {error && (
        <Alert color="red" variant="light" p="xs">
          {error}
        </Alert>
      )}
      <Group justify="space-between">
        <Text size="xs" c="dimmed">
          Secrets are stored by the hub and never shown again.
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

function ChannelCard({ channel, onSaved }: { channel: ChannelConnection; onSaved: () => void }) {
  return (
    <Paper
      withBorder
      p="md"
      data-testid="channel-card"
      data-channel={channel.id}
      style={{ alignSelf: 'start' }}
    >
      <Group justify="space-between" mb="xs" wrap="nowrap">
        <Text fw={600} size="sm">
          {channel.name}
        </Text>
        <StatusBadge channel={channel} />
      </Group>
      <Stack gap={4}>
        {channel.provider === 'whatsapp_cloud' && (
          <>
            <Fact label="Webhook">
              <Text size="sm" ff="monospace" span>
                {channel.webhookPath}
              </Text>
            </Fact>
            <Fact label="Webhook verified">
              {channel.webhookVerifiedAt === null ? (
                <Text size="sm" c="dimmed" span>
                  Not yet: Meta’s verification request has not succeeded
                </Text>
              ) : (
                <Group gap={4} component="span">
                  <IconCircleCheck size={14} color="var(--mantine-color-teal-6)" />
                  {when(channel.webhookVerifiedAt)}
                </Group>
              )}
            </Fact>
          </>
        )}
        <Fact label="Last event">{when(channel.lastEventAt)}</Fact>
        <Fact label="Last error">
          {channel.lastError === null ? (
            <Text size="sm" c="dimmed" span>
              None
            </Text>
          ) : (
            <Text size="sm" c="orange" span>
              {channel.lastError.message} ({when(channel.lastError.at)})
            </Text>
          )}
        </Fact>
        <DeadLetters channel={channel} />
        {channel.provider === 'demo' && (
          <Text size="xs" c="dimmed">
            Simulated traffic from the demo: nothing to configure.
          </Text>
        )}
      </Stack>
      {channel.provider === 'whatsapp_cloud' && (
        <WhatsAppSettings channel={channel} onSaved={onSaved} />
      )}
    </Paper>
  );
}

/** Channel connections and the rate card (admin). */
export function ChannelsPage({ me: _me }: { me: Me }) {
  const channels = useHubResource('/api/admin/channels', channelsAnswerSchema);
  return (
    <Stack gap="md" maw={1200}>
      <div>
        <Title order={3}>Channels and rates</Title>
        <Text size="sm" c="dimmed">
          The hub’s channel connections, and the prices every conversation’s cost is computed from.
        </Text>
      </div>
      {channels.error && (
        <Alert
          color="red"
          variant="light"
          icon={<IconAlertTriangle size={18} />}
          title="The channels could not be loaded"
        >
          <Group justify="space-between">
            <Text size="sm">{channels.error}</Text>
            <Button size="compact-sm" variant="light" color="red" onClick={channels.reload}>
              Try again
            </Button>
          </Group>
        </Alert>
      )}
      {channels.data === null && channels.loading ? (
        <Group justify="center" p="xl">
          <Loader size="sm" />
        </Group>
      ) : (
        <SimpleGrid cols={{ base: 1, md: 2, xl: 3 }} spacing="sm">
          {(channels.data?.channels ?? []).map((channel) => (
            <ChannelCard key={channel.id} channel={channel} onSaved={channels.reload} />
          ))}
        </SimpleGrid>
      )}
      <RateCardEditor />
    </Stack>
  );
}
