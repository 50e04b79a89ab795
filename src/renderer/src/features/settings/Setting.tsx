import type { ReactNode } from 'react';
import { Alert, Box, Button, Group, Stack, Text } from '@mantine/core';
import { IconAlertTriangle } from '@tabler/icons-react';

/** A titled group of settings. */
export function Section({ title, children }: { title: string; children: ReactNode }) {
  return (
    <Stack gap="sm">
      <Text size="xs" fw={600} c="dimmed" tt="uppercase" lts={0.4}>
        {title}
      </Text>
      {children}
    </Stack>
  );
}

/** A label and its explanation on the left, the control aligned on the right. */
export function Setting({
  label,
  description,
  htmlFor,
  children,
}: {
  label: string;
  description: ReactNode;
  htmlFor?: string;
  children: ReactNode;
}) {
  return (
    <Group justify="space-between" align="center" wrap="nowrap" gap="lg">
      <Box miw={0}>
        <Text size="sm" fw={500} component="label" htmlFor={htmlFor}>
          {label}
        </Text>
        <Text size="xs" c="dimmed">
          {description}
        </Text>
      </Box>
      <Box style={{ flexShrink: 0 }}>{children}</Box>
    </Group>
  );
}

/** A red "are you sure" box with Cancel and the dangerous action; `busy` while it runs. */
export function ConfirmAlert({
  title,
  children,
  confirmLabel,
  busy,
  onCancel,
  onConfirm,
  testId,
}: {
  title: string;
  children: ReactNode;
  confirmLabel: string;
  busy: boolean;
  onCancel: () => void;
  onConfirm: () => void;
  testId: string;
}) {
  return (
    <Alert
      variant="light"
      color="red"
      p="sm"
      icon={<IconAlertTriangle size={16} />}
      title={title}
      data-testid={testId}
    >
      <Stack gap="xs">
        <Text size="xs">{children}</Text>
        <Group gap="xs" justify="flex-end">
          <Button size="xs" variant="default" onClick={onCancel} disabled={busy}>
            Cancel
          </Button>
          <Button
            size="xs"
            color="red"
            onClick={onConfirm}
            loading={busy}
            data-testid={`${testId}-button`}
          >
            {confirmLabel}
          </Button>
        </Group>
      </Stack>
    </Alert>
  );
}
