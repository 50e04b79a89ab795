import { Button, EmptyState, Loader, Stack, Text } from '@mantine/core';
import { IconPlugConnectedX, IconServerOff } from '@tabler/icons-react';

/** The window was not opened by a hub (the desktop app with no hub configured yet). */
export function NoHubNotice() {
  return (
    <EmptyState
      mt="10vh"
      icon={<IconServerOff size={28} />}
      withIndicatorBackground
      title="No hub to connect to"
      description={
        <>
          Conversations come from a Replydesk hub. Start the app with its own hub (
          <Text span ff="monospace" size="sm">
            npm start
          </Text>
          ), or set{' '}
          <Text span ff="monospace" size="sm">
            REPLYDESK_HUB_URL
          </Text>{' '}
          to your team&apos;s hub. The Reply windows page works without one.
        </>
      }
      data-testid="no-hub"
    />
  );
}

export function HubUnreachableNotice({
  message,
  onRetry,
  onChangeHub,
}: {
  message: string;
  onRetry: () => void;
  /** Desktop: go back to the sign-in page to type another hub's address. */
  onChangeHub?: () => void;
}) {
  return (
    <EmptyState
      mt="10vh"
      icon={<IconPlugConnectedX size={28} />}
      withIndicatorBackground
      title="The hub cannot be reached"
      description={message}
      data-testid="hub-unreachable"
    >
      <EmptyState.Actions>
        <Button size="xs" variant="light" onClick={onRetry}>
          Try again
        </Button>
        {onChangeHub && (
          <Button size="xs" variant="subtle" onClick={onChangeHub}>
            Use another hub
          </Button>
        )}
      </EmptyState.Actions>
    </EmptyState>
  );
}

/** The `starting` state: the hub is being checked (`GET /healthz`) and asked for a session. */
export function SessionStarting({ hubUrl = null }: { hubUrl?: string | null }) {
  return (
    <Stack align="center" pt="15vh" gap="xs" aria-busy="true">
      <Loader size="sm" type="dots" />
      <Text size="sm" c="dimmed" aria-live="polite">
        {hubUrl ? `Checking the hub at ${new URL(hubUrl).host}…` : 'Checking the hub…'}
      </Text>
    </Stack>
  );
}
