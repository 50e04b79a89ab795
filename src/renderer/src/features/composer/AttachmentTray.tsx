import { useEffect, useMemo } from 'react';
import { ActionIcon, Text, ThemeIcon, Tooltip } from '@mantine/core';
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
import type { StagedFile } from './attachments';

const KIND_ICONS = {
  image: IconPhoto,
  video: IconMovie,
  audio: IconMusic,
  document: IconFileText,
} as const;

/** An object URL of an image while it is shown, revoked after. */
function useImageUrl(file: StagedFile): string | null {
  const url = useMemo(
    () => (file.kind === 'image' && file.blob !== null ? URL.createObjectURL(file.blob) : null),
    [file.blob, file.kind],
  );
  useEffect(
    () => () => {
      if (url !== null) URL.revokeObjectURL(url);
    },
    [url],
  );
  return url;
}

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
  const url = useImageUrl(file);
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
      {url !== null ? (
        <img
          src={url}
          alt=""
          className="rd-composer-attachment-thumb"
          data-testid="composer-attachment-thumb"
        />
      ) : (
        <ThemeIcon variant="light" size={40} radius="sm">
          <Icon size={20} stroke={1.6} />
        </ThemeIcon>
      )}
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
