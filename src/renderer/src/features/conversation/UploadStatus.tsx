import { useState } from 'react';
import { Button, Group, Progress, Text } from '@mantine/core';
import { IconCloudUpload, IconX } from '@tabler/icons-react';
import { useData } from '../../data/hooks';
import { useUploadProgress } from '../../data/media-hooks';
import { formatBytes } from '../../format/files';

/**
 * Under a reply's file that has not reached the hub yet (issue #14 item 5): the upload's
 * progress while it runs, "waiting" while the hub is away (the bytes are kept on this computer),
 * and Cancel — nothing reaches the customer once cancelled. A reply whose command is already on
 * its way can no longer be taken back; the button then does nothing and the reply is sent.
 */
export function UploadStatus({ clientId, size }: { clientId: string; size: number | null }) {
  const layer = useData();
  const progress = useUploadProgress(clientId);
  const [cancelling, setCancelling] = useState(false);
  const total = progress?.total ?? size ?? 0;
  const percent = progress && total > 0 ? Math.min(100, (progress.loaded / total) * 100) : 0;
  return (
    <div
      style={{ minWidth: 220, marginTop: 6 }}
      data-testid="upload-status"
      data-state={progress ? 'uploading' : 'waiting'}
    >
      {progress ? (
        <Progress
          value={percent}
          size="sm"
          radius="xl"
          animated={percent < 100}
          aria-label="Upload progress"
          data-testid="upload-progress"
        />
      ) : null}
      <Group gap={6} mt={4} justify="space-between" wrap="nowrap">
        <Text size="xs" c="dimmed" style={{ display: 'flex', alignItems: 'center', gap: 4 }}>
          <IconCloudUpload size={13} stroke={1.75} />
          {progress
            ? `Uploading ${Math.round(percent)}% · ${formatBytes(progress.loaded)} of ${formatBytes(total)}`
            : 'Waiting to upload — kept on this computer'}
        </Text>
        <Button
          size="compact-xs"
          variant="subtle"
          color="gray"
          leftSection={<IconX size={12} />}
          loading={cancelling}
          onClick={() => {
            setCancelling(true);
            layer.cancelUpload(clientId).finally(() => setCancelling(false));
          }}
          data-testid="upload-cancel"
        >
          Cancel
        </Button>
      </Group>
    </div>
  );
}
