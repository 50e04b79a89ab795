import { z } from 'zod';
import { Badge, Group, Loader, Paper, SimpleGrid, Stack, Text, Title } from '@mantine/core';
import { IconCircleCheck } from '@tabler/icons-react';
import {
  channelConnectionSchema,
  type ChannelConnection,
} from '../../../../../shared/protocol/admin';
import type { Me } from '../../../data/types';
import { Fact } from '../Fact';
import { LoadFailed } from '../LoadFailed';
import { useHubResource } from '../use-hub-resource';
import { formatDateTime } from '../../../format/dates';
import { DeadLetters } from './DeadLetters';
import { RateCardEditor } from './RateCardEditor';
import { ConnectorSettings } from './ConnectorSettings';
import { RegisterWebhook, TestConnection } from './RegisterWebhook';
import { CopyValueButton } from '../../../components/CopyValueButton';

const channelsAnswerSchema = z.object({ channels: z.array(channelConnectionSchema) });

function when(at: number | null): string {
  if (at === null) return 'Never';
  return formatDateTime(at);
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
        {channel.webhookUrl !== null && (
          <>
            <Fact label="Webhook URL">
              <Group gap={4} wrap="nowrap" component="span">
                <Text
                  size="sm"
                  ff="monospace"
                  span
                  data-testid="webhook-url"
                  style={{ overflowWrap: 'anywhere' }}
                >
                  {channel.webhookUrl}
                </Text>
                <CopyValueButton
                  value={channel.webhookUrl}
                  label="Copy the webhook URL"
                  size="sm"
                />
              </Group>
            </Fact>
            <RegisterWebhook channel={channel} onDone={onSaved} />
            <TestConnection channel={channel} onDone={onSaved} />
            {channel.webhookHandshake && (
              <Fact label="Webhook verified">
                {channel.webhookVerifiedAt === null ? (
                  <Text size="sm" c="dimmed" span>
                    Not yet: the platform’s verification request has not succeeded
                  </Text>
                ) : (
                  <Group gap={4} component="span">
                    <IconCircleCheck size={14} color="var(--mantine-color-teal-6)" />
                    {when(channel.webhookVerifiedAt)}
                  </Group>
                )}
              </Fact>
            )}
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
      {channel.settings !== null && channel.settings.length > 0 && (
        <ConnectorSettings channel={channel} settings={channel.settings} onSaved={onSaved} />
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
        <LoadFailed
          title="The channels could not be loaded"
          error={channels.error}
          onRetry={channels.reload}
        />
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
