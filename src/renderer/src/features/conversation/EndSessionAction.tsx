import { useState } from 'react';
import { ActionIcon, Button, Group, Popover, Text } from '@mantine/core';
import { IconPlugConnectedX } from '@tabler/icons-react';
import { z } from 'zod';
import { useOptionalData } from '../../data/hooks';

const endedSchema = z.object({ conversation: z.object({ id: z.string() }).passthrough() });

/**
 * "End chat session" for a KakaoTalk conversation (header-actions.ts `canEndSession`), asked to
 * confirm first: the hub asks the dealer to end the consultation session, then the conversation's
 * update closes the composer with "Session ended". The dealer's reason is shown when it refuses.
 */
export function EndSessionAction({
  conversationId,
  customerName,
}: {
  readonly conversationId: string;
  readonly customerName: string;
}) {
  const layer = useOptionalData();
  const [opened, setOpened] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  if (!layer) return null;
  const end = (): void => {
    setBusy(true);
    setError(null);
    layer
      .request(
        'POST',
        `/api/conversations/${encodeURIComponent(conversationId)}/end-session`,
        endedSchema,
        {},
      )
      .then(
        () => {
          setBusy(false);
          setOpened(false);
        },
        (failure: unknown) => {
          setBusy(false);
          setError(failure instanceof Error ? failure.message : 'The session could not be ended.');
        },
      );
  };
  return (
    <Popover
      opened={opened}
      onChange={setOpened}
      position="bottom-end"
      width={280}
      shadow="md"
      withinPortal
    >
      <Popover.Target>
        <ActionIcon
          variant="default"
          size={26}
          aria-label="End chat session"
          title="End chat session"
          onClick={() => setOpened((open) => !open)}
          data-testid="end-session"
        >
          <IconPlugConnectedX size={15} />
        </ActionIcon>
      </Popover.Target>
      <Popover.Dropdown data-testid="end-session-confirm">
        <Text size="sm">
          End the KakaoTalk chat session with {customerName}? Nothing can reach them until they
          write to the channel again.
        </Text>
        {error ? (
          <Text size="xs" c="red" mt={6} data-testid="end-session-error">
            {error}
          </Text>
        ) : null}
        <Group justify="flex-end" gap={6} mt="sm">
          <Button size="compact-sm" variant="subtle" onClick={() => setOpened(false)}>
            Cancel
          </Button>
          <Button size="compact-sm" color="red" loading={busy} onClick={end}>
            End session
          </Button>
        </Group>
      </Popover.Dropdown>
    </Popover>
  );
}
