import { Button, Tooltip } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { IconRefresh } from '@tabler/icons-react';
import type { DesktopApi } from '../../../../shared/ipc/contract';
import { useUpdateStatus } from './useUpdateStatus';

/**
 * "Restart to update" in the header once main has downloaded an update (issue #21 item 5). Main
 * restarts only when no window has a reply typed or waiting in the outbox; else it says why.
 */
export function UpdateReadyButton({ desktop }: { desktop: DesktopApi | null }) {
  const [status] = useUpdateStatus(desktop);
  if (!desktop || status?.state !== 'ready') return null;
  const refused = (message: string): void => {
    notifications.show({
      id: 'update-restart-refused',
      color: 'orange',
      title: 'Not restarted yet',
      message,
    });
  };
  const restart = () => {
    desktop.restartToUpdate().then(
      ({ restarting, reason }) => {
        if (!restarting) refused(reason ?? 'Replydesk could not restart now.');
      },
      (error: unknown) => refused(error instanceof Error ? error.message : String(error)),
    );
  };
  return (
    <Tooltip
      label={status.version ? `Replydesk ${status.version} is ready` : 'An update is ready'}
      withArrow
    >
      <Button
        size="compact-sm"
        variant="light"
        color="teal"
        leftSection={<IconRefresh size={14} />}
        onClick={restart}
        data-testid="restart-to-update"
      >
        Restart to update
      </Button>
    </Tooltip>
  );
}
