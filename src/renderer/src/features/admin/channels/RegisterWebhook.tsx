import { useState } from 'react';
import { Button, Group, Text } from '@mantine/core';
import { IconCircleCheck, IconPlugConnected } from '@tabler/icons-react';
import {
  webhookRegistrationAnswerSchema,
  type ChannelConnection,
  type WebhookRegistrationAnswer,
} from '../../../../../shared/protocol/admin';
import { useData } from '../../../data/hooks';
import { useSubmit } from '../use-submit';

/**
 * "Register webhook" for platforms the hub can tell where to deliver (Telegram, Viber, LINE):
 * the URL shown above goes to the platform, and its answer shows here — what it said when it
 * took it, or its reason when not (also kept as the channel's last error).
 */
export function RegisterWebhook({
  channel,
  onDone,
}: {
  readonly channel: ChannelConnection;
  readonly onDone: () => void;
}) {
  const layer = useData();
  const { busy, error, run } = useSubmit();
  const [answer, setAnswer] = useState<WebhookRegistrationAnswer | null>(null);
  if (!channel.webhookRegistration || channel.webhookUrl === null) return null;
  const url = channel.webhookUrl;
  const register = () =>
    run(async () => {
      setAnswer(null);
      setAnswer(
        await layer.request(
          'POST',
          `/api/admin/channels/${channel.id}/webhook`,
          webhookRegistrationAnswerSchema,
          { url },
        ),
      );
      onDone();
    });
  return (
    <Group gap="xs" wrap="nowrap" align="flex-start" data-testid="register-webhook">
      <Button
        size="compact-sm"
        variant="light"
        leftSection={<IconPlugConnected size={14} />}
        loading={busy}
        disabled={!channel.configured}
        title={channel.configured ? undefined : 'Save the settings first'}
        onClick={() => void register()}
        style={{ flexShrink: 0 }}
      >
        Register webhook
      </Button>
      {answer?.ok ? (
        <Text size="xs" c="teal" data-testid="register-webhook-result" style={{ minWidth: 0 }}>
          <IconCircleCheck size={12} style={{ verticalAlign: -2 }} /> {answer.detail}
        </Text>
      ) : answer ? (
        <Text size="xs" c="orange" data-testid="register-webhook-result" style={{ minWidth: 0 }}>
          {answer.reason}
        </Text>
      ) : error ? (
        <Text size="xs" c="red" data-testid="register-webhook-result" style={{ minWidth: 0 }}>
          {error}
        </Text>
      ) : null}
    </Group>
  );
}
