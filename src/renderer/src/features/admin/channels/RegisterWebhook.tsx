import { useState, type ReactNode } from 'react';
import { Button, Group, Text } from '@mantine/core';
import { IconCircleCheck, IconPlugConnected, IconStethoscope } from '@tabler/icons-react';
import {
  connectionTestAnswerSchema,
  webhookRegistrationAnswerSchema,
  type ChannelConnection,
} from '../../../../../shared/protocol/admin';
import { useData } from '../../../data/hooks';
import { useSubmit } from '../use-submit';

type ActionAnswer = { ok: true; detail: string } | { ok: false; reason: string };

/**
 * A button that asks the platform something with the saved settings, and its answer beside it:
 * what the platform said when it agreed, or its reason when not (also kept as the channel's last
 * error by the hub).
 */
function ChannelAction({
  label,
  icon,
  configured,
  testId,
  ask,
  onDone,
}: {
  readonly label: string;
  readonly icon: ReactNode;
  readonly configured: boolean;
  readonly testId: string;
  readonly ask: () => Promise<ActionAnswer>;
  readonly onDone: () => void;
}) {
  const { busy, error, run } = useSubmit();
  const [answer, setAnswer] = useState<ActionAnswer | null>(null);
  const act = () =>
    run(async () => {
      setAnswer(null);
      setAnswer(await ask());
      onDone();
    });
  return (
    <Group gap="xs" wrap="nowrap" align="flex-start" data-testid={testId}>
      <Button
        size="compact-sm"
        variant="light"
        leftSection={icon}
        loading={busy}
        disabled={!configured}
        title={configured ? undefined : 'Save the settings first'}
        onClick={() => void act()}
        style={{ flexShrink: 0 }}
      >
        {label}
      </Button>
      {answer?.ok ? (
        <Text size="xs" c="teal" data-testid={`${testId}-result`} style={{ minWidth: 0 }}>
          <IconCircleCheck size={12} style={{ verticalAlign: -2 }} /> {answer.detail}
        </Text>
      ) : answer ? (
        <Text size="xs" c="orange" data-testid={`${testId}-result`} style={{ minWidth: 0 }}>
          {answer.reason}
        </Text>
      ) : error ? (
        <Text size="xs" c="red" data-testid={`${testId}-result`} style={{ minWidth: 0 }}>
          {error}
        </Text>
      ) : null}
    </Group>
  );
}

/**
 * "Register webhook" for platforms the hub can tell where to deliver (Telegram, Viber, LINE):
 * the URL shown above goes to the platform.
 */
export function RegisterWebhook({
  channel,
  onDone,
}: {
  readonly channel: ChannelConnection;
  readonly onDone: () => void;
}) {
  const layer = useData();
  if (!channel.webhookRegistration || channel.webhookUrl === null) return null;
  const url = channel.webhookUrl;
  return (
    <ChannelAction
      label="Register webhook"
      icon={<IconPlugConnected size={14} />}
      configured={channel.configured}
      testId="register-webhook"
      ask={() =>
        layer.request(
          'POST',
          `/api/admin/channels/${channel.id}/webhook`,
          webhookRegistrationAnswerSchema,
          { url },
        )
      }
      onDone={onDone}
    />
  );
}

/** "Test connection": whose account the saved credentials open (Viber, WeChat, …), or why not. */
export function TestConnection({
  channel,
  onDone,
}: {
  readonly channel: ChannelConnection;
  readonly onDone: () => void;
}) {
  const layer = useData();
  if (!channel.connectionTest) return null;
  return (
    <ChannelAction
      label="Test connection"
      icon={<IconStethoscope size={14} />}
      configured={channel.configured}
      testId="test-connection"
      ask={() =>
        layer.request(
          'POST',
          `/api/admin/channels/${channel.id}/test`,
          connectionTestAnswerSchema,
          {},
        )
      }
      onDone={onDone}
    />
  );
}
