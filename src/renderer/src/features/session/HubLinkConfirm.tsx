import { useState } from 'react';
import { Button, Code, Group, Modal, Stack, Text } from '@mantine/core';

/**
 * A `replydesk://hub?url=…` link asks to sign in to a team hub (issue #21 item 2). A link can come
 * from anyone, so nothing changes until the agent confirms; then the sign-in page opens with
 * that hub's address filled in, and the agent still types their own password.
 */
export function HubLinkConfirm({
  hubUrl,
  currentHubUrl,
  signedIn,
  onConfirm,
  onCancel,
}: {
  hubUrl: string;
  currentHubUrl: string | null;
  signedIn: boolean;
  /** Resolves to null when done, else the sentence to show. */
  onConfirm: () => Promise<string | null>;
  onCancel: () => void;
}) {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const confirm = () => {
    setBusy(true);
    onConfirm().then(
      (message) => {
        setBusy(false);
        setError(message);
      },
      (failure: unknown) => {
        setBusy(false);
        setError(failure instanceof Error ? failure.message : String(failure));
      },
    );
  };
  return (
    <Modal
      opened
      onClose={onCancel}
      title={<Text fw={600}>Sign in to another team hub?</Text>}
      size={480}
      data-testid="hub-link-confirm"
    >
      <Stack gap="sm">
        <Text size="sm">
          A link asks Replydesk to use the hub at <Code>{hubUrl}</Code>. Continue only if your team
          gave you this link.
        </Text>
        {signedIn && currentHubUrl === hubUrl && (
          <Text size="sm" c="dimmed">
            You are already signed in to this hub.
          </Text>
        )}
        {signedIn && currentHubUrl !== null && currentHubUrl !== hubUrl && (
          <Text size="sm" c="dimmed">
            You will be signed out of <Code>{currentHubUrl}</Code>; replies not sent yet stay on
            this computer for when you sign in there again.
          </Text>
        )}
        {error && (
          <Text size="sm" c="red" role="alert">
            {error}
          </Text>
        )}
        <Group justify="flex-end" gap="xs">
          <Button variant="default" onClick={onCancel} disabled={busy}>
            Cancel
          </Button>
          <Button onClick={confirm} loading={busy} data-testid="hub-link-continue">
            Continue to sign-in
          </Button>
        </Group>
      </Stack>
    </Modal>
  );
}
