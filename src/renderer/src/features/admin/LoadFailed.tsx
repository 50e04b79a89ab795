import { Alert, Button, Group, Text } from '@mantine/core';
import { IconAlertTriangle } from '@tabler/icons-react';

/** An admin page's list could not be read: the hub's reason and a way to ask again. */
export function LoadFailed({
  title,
  error,
  onRetry,
}: {
  /** "The shops could not be loaded". */
  readonly title: string;
  readonly error: string;
  readonly onRetry: () => void;
}) {
  return (
    <Alert color="red" variant="light" icon={<IconAlertTriangle size={18} />} title={title}>
      <Group justify="space-between">
        <Text size="sm">{error}</Text>
        <Button size="compact-sm" variant="light" color="red" onClick={onRetry}>
          Try again
        </Button>
      </Group>
    </Alert>
  );
}
