import { ActionIcon, Text, Tooltip } from '@mantine/core';
import {
  IconAlertTriangle,
  IconFileText,
  IconMovie,
  IconMusic,
  IconPhoto,
  IconX,
} from '@tabler/icons-react';
import { CHANNEL_INFO, type ChannelKind } from '../../../../shared/domain/channels';
import { fileTypeLabel, formatBytes } from '../../format/files';
import { FileThumb } from '../../components/media/FileThumb';
import type { StagedFile } from './attachments';

const KIND_ICONS = {
  image: IconPhoto,
  video: IconMovie,
  audio: IconMusic,
  document: IconFileText,
} as const;

/** The staged file above the text: its thumbnail or kind, name, size and type, and × to drop it. */
export function AttachmentTray({
  file,
  channel,
  hasText,
  onRemove,
}: {
  readonly file: StagedFile;
  readonly channel: ChannelKind;
  readonly hasText: boolean;
  readonly onRemove: () => void;
}) {
  const Icon = KIND_ICONS[file.kind];
  const note = !hasText
    ? null
    : file.caption
      ? 'Your text is sent as its caption.'
      : `${CHANNEL_INFO[channel].label} takes no caption here: your text follows as its own message.`;
  return (
    <div
      className="rd-composer-attachment"
      data-testid="composer-attachment"
      data-kind={file.kind}
      data-source={file.blob === null ? 'quick-reply' : 'picked'}
    >
      <FileThumb
        blob={file.kind === 'image' ? file.blob : null}
        sha256={file.kind === 'image' ? file.sha256 : null}
        mimeType={file.mimeType}
        size={40}
        icon={Icon}
        testId="composer-attachment-thumb"
      />
      <div className="rd-composer-attachment-text">
        <Text size="sm" fw={500} truncate="end" title={file.filename} data-testid="attachment-name">
          {file.filename}
        </Text>
        <Text size="xs" c="dimmed" truncate="end" data-testid="attachment-details">
          {fileTypeLabel(file.mimeType, file.filename)} · {formatBytes(file.size)}
          {note ? ` · ${note}` : ''}
        </Text>
      </div>
      <Tooltip label="Remove the file" withArrow openDelay={300}>
        <ActionIcon
          variant="subtle"
          color="gray"
          size="sm"
          aria-label="Remove the file"
          onMouseDown={(event) => event.preventDefault()}
          onClick={onRemove}
          data-testid="composer-attachment-remove"
        >
          <IconX size={14} />
        </ActionIcon>
      </Tooltip>
    </div>
  );
}

/** A file the channel refused before any byte went out, with the limit named. */
export function AttachmentRefused({
  reason,
  onDismiss,
}: {
  readonly reason: string;
  readonly onDismiss: () => void;
}) {
  return (
    <div className="rd-composer-attachment-refused" role="alert" data-testid="attachment-refused">
      <IconAlertTriangle size={14} stroke={1.75} />
      <span>
        <strong>Not attached.</strong> {reason}
      </span>
      <ActionIcon
        variant="subtle"
        color="gray"
        size="xs"
        aria-label="Dismiss"
        onClick={onDismiss}
        ml="auto"
      >
        <IconX size={12} />
      </ActionIcon>
    </div>
  );
}
