import { createContext, useContext, useState, type CSSProperties } from 'react';
import { Box, Button, Group, Loader, Stack, Text, ThemeIcon } from '@mantine/core';
import {
  IconAlertTriangle,
  IconCloudDownload,
  IconDownload,
  IconExternalLink,
  IconFileText,
  IconWifiOff,
} from '@tabler/icons-react';
import type { Attachment } from '../../../../shared/domain/model';
import { CHANNEL_INFO, type ChannelKind } from '../../../../shared/domain/channels';
import { AudioPlayer } from '../../components/media/AudioPlayer';
import { useMediaFile, type MediaFile } from '../../data/media-hooks';
import { SaveFileContext } from '../../platform/save-file';
import { fileTypeLabel, formatBytes } from '../../format/files';
import { mediaKindLabel, type MediaContent } from './message-format';

/**
 * The file of a media message (issue #14 item 4): a photo's thumbnail that opens the lightbox,
 * a voice note or audio played inline with its length, a video played inline, a document with
 * its name, type and size to open or save. While the hub is still downloading the file from the
 * channel the bubble says so; a download that failed shows the hub's reason.
 */

/** Opens the lightbox at a message's photo (provided by the message list). */
export const OpenPhotoContext = createContext<((messageId: string) => void) | null>(null);

const CARD_STYLE: CSSProperties = {
  border: '1px solid var(--mantine-color-default-border)',
  borderRadius: 'var(--mantine-radius-sm)',
  background: 'var(--mantine-color-body)',
  padding: '6px 8px',
  minWidth: 240,
  maxWidth: 360,
};

const THUMB_BUTTON_STYLE: CSSProperties = {
  display: 'block',
  padding: 0,
  border: 0,
  background: 'none',
  cursor: 'zoom-in',
  borderRadius: 6,
  overflow: 'hidden',
  lineHeight: 0,
};

/**
 * A fixed frame, the photo cropped to fill it: the row's height is known before the file loads,
 * so the list does not jump as thumbnails arrive (the lightbox shows the whole photo).
 */
const THUMB_STYLE: CSSProperties = {
  display: 'block',
  width: 260,
  maxWidth: '100%',
  height: 195,
  objectFit: 'cover',
  borderRadius: 6,
};

const PLACEHOLDER_STYLE: CSSProperties = {
  width: 260,
  maxWidth: '100%',
  height: 195,
  borderRadius: 6,
  display: 'flex',
  flexDirection: 'column',
  alignItems: 'center',
  justifyContent: 'center',
  gap: 6,
  padding: 12,
  textAlign: 'center',
  background: 'light-dark(var(--mantine-color-gray-1), var(--mantine-color-dark-5))',
  color: 'var(--mantine-color-dimmed)',
};

/** What to say while a file is not shown: downloading, failed (the hub's reason), offline. */
function stateNote(file: MediaFile, channel: ChannelKind): string | null {
  switch (file.state) {
    case 'pending':
      return `Downloading from ${CHANNEL_INFO[channel].label}…`;
    case 'failed':
      return `Could not be downloaded: ${file.error}`;
    case 'unavailable':
      return file.error;
    default:
      return null;
  }
}

function StateIcon({ file }: { file: MediaFile }) {
  if (file.state === 'failed')
    return <IconAlertTriangle size={18} color="var(--mantine-color-red-text)" />;
  if (file.state === 'unavailable') return <IconWifiOff size={18} />;
  if (file.state === 'pending') return <IconCloudDownload size={18} />;
  return <Loader size={16} color="gray" />;
}

function Placeholder({
  file,
  channel,
  kind,
}: {
  file: MediaFile;
  channel: ChannelKind;
  kind: string;
}) {
  const note = stateNote(file, channel);
  return (
    <div
      style={PLACEHOLDER_STYLE}
      data-testid="media-placeholder"
      data-state={file.state}
      role={file.state === 'failed' ? 'alert' : undefined}
    >
      <StateIcon file={file} />
      <Text size="xs" c={file.state === 'failed' ? 'red' : 'dimmed'} lineClamp={3}>
        {note ?? `Loading ${kind.toLowerCase()}…`}
      </Text>
    </div>
  );
}

function Caption({ text }: { text: string | undefined }) {
  if (!text) return null;
  return (
    <Text size="sm" style={{ whiteSpace: 'pre-wrap', overflowWrap: 'anywhere', lineHeight: 1.45 }}>
      {text}
    </Text>
  );
}

function PhotoMessage({
  content,
  attachment,
  messageId,
  channel,
}: {
  content: Extract<MediaContent, { type: 'image' | 'sticker' }>;
  attachment: Attachment | null;
  messageId: string;
  channel: ChannelKind;
}) {
  const sticker = content.type === 'sticker';
  // The hub's small copy of a photo; a sticker is small already (and may be animated).
  const file = useMediaFile(attachment, true, !sticker);
  const open = useContext(OpenPhotoContext);
  const kind = mediaKindLabel(content);
  return (
    <Stack gap={6}>
      {file.state === 'ready' ? (
        sticker || !open ? (
          <img
            src={file.url}
            alt={kind}
            style={sticker ? { width: 120, height: 120, objectFit: 'contain' } : THUMB_STYLE}
            data-testid="media-thumbnail"
          />
        ) : (
          <button
            type="button"
            style={THUMB_BUTTON_STYLE}
            onClick={() => open(messageId)}
            aria-label={`Open photo${content.media.caption ? `: ${content.media.caption}` : ''}`}
            data-testid="media-thumbnail-button"
          >
            <img src={file.url} alt={kind} style={THUMB_STYLE} data-testid="media-thumbnail" />
          </button>
        )
      ) : (
        <Placeholder file={file} channel={channel} kind={kind} />
      )}
      <Caption text={content.media.caption} />
    </Stack>
  );
}

function VideoMessage({
  content,
  attachment,
  channel,
}: {
  content: Extract<MediaContent, { type: 'video' }>;
  attachment: Attachment | null;
  channel: ChannelKind;
}) {
  const file = useMediaFile(attachment);
  return (
    <Stack gap={6}>
      {file.state === 'ready' ? (
        <video
          src={file.url}
          controls
          preload="metadata"
          style={{
            display: 'block',
            width: 320,
            maxWidth: '100%',
            maxHeight: 320,
            borderRadius: 6,
            background: '#000',
          }}
          data-testid="media-video"
        />
      ) : (
        <Placeholder file={file} channel={channel} kind="Video" />
      )}
      <Caption text={content.media.caption} />
    </Stack>
  );
}

function AudioMessage({
  content,
  attachment,
  channel,
}: {
  content: Extract<MediaContent, { type: 'audio' }>;
  attachment: Attachment | null;
  channel: ChannelKind;
}) {
  const file = useMediaFile(attachment);
  const note = file.state === 'ready' || file.state === 'loading' ? null : stateNote(file, channel);
  return (
    <Box data-testid="media-audio" data-state={file.state}>
      <AudioPlayer url={file.url} voice={content.media.voice === true} note={note} />
    </Box>
  );
}

/** Types a browser shows itself: "Open" offers them in a new tab; others are only saved. */
const OPENABLE = /^(application\/pdf|text\/plain|image\/(png|jpeg|gif|webp))$/;

function DocumentMessage({
  content,
  attachment,
  channel,
}: {
  content: Extract<MediaContent, { type: 'document' }>;
  attachment: Attachment | null;
  channel: ChannelKind;
}) {
  const file = useMediaFile(attachment);
  const filename = attachment?.filename ?? content.media.filename ?? 'Document';
  const mimeType = attachment?.mimeType ?? content.media.mimeType ?? null;
  const size = attachment?.size ?? null;
  const details = [fileTypeLabel(mimeType, filename), size === null ? null : formatBytes(size)]
    .filter(Boolean)
    .join(' · ');
  const note = stateNote(file, channel);
  // The desktop app saves through the system's dialog; a browser through the download link.
  const saveFile = useContext(SaveFileContext);
  const [saving, setSaving] = useState(false);
  const [saveError, setSaveError] = useState<string | null>(null);
  async function saveWithDialog(): Promise<void> {
    if (!saveFile || file.url === null) return;
    setSaving(true);
    setSaveError(null);
    try {
      const blob = await (await fetch(file.url)).blob();
      const result = await saveFile({ filename, blob });
      if (!result.saved && result.reason !== 'cancelled') setSaveError(result.reason);
    } catch (error) {
      setSaveError(error instanceof Error ? error.message : 'The file could not be saved.');
    } finally {
      setSaving(false);
    }
  }
  return (
    <Stack gap={6}>
      <Box style={CARD_STYLE} data-testid="media-document" data-state={file.state}>
        <Group gap={8} wrap="nowrap" align="flex-start">
          <ThemeIcon
            variant="light"
            color={file.state === 'failed' ? 'red' : 'blue'}
            size={36}
            radius="sm"
          >
            <IconFileText size={20} stroke={1.6} />
          </ThemeIcon>
          <Box miw={0} style={{ flex: 1 }}>
            <Text
              size="sm"
              fw={500}
              lineClamp={2}
              title={filename}
              style={{ overflowWrap: 'anywhere' }}
              data-testid="document-name"
            >
              {filename}
            </Text>
            <Text size="xs" c="dimmed" data-testid="document-details">
              {details}
            </Text>
          </Box>
        </Group>
        {note ? (
          <Text
            size="xs"
            c={file.state === 'failed' ? 'red' : 'dimmed'}
            mt={6}
            style={{ overflowWrap: 'anywhere' }}
          >
            {note}
          </Text>
        ) : (
          <Group gap={6} mt={6} justify="flex-end">
            {mimeType && OPENABLE.test(mimeType) ? (
              <Button
                size="compact-xs"
                variant="subtle"
                component="a"
                href={file.url ?? undefined}
                target="_blank"
                rel="noopener noreferrer"
                leftSection={<IconExternalLink size={12} />}
                disabled={file.url === null}
              >
                Open
              </Button>
            ) : null}
            {saveFile ? (
              <Button
                size="compact-xs"
                variant="light"
                onClick={() => void saveWithDialog()}
                leftSection={
                  file.url === null || saving ? <Loader size={10} /> : <IconDownload size={12} />
                }
                disabled={file.url === null || saving}
                data-testid="document-save"
              >
                Save…
              </Button>
            ) : (
              <Button
                size="compact-xs"
                variant="light"
                component="a"
                href={file.url ?? undefined}
                download={filename}
                leftSection={file.url === null ? <Loader size={10} /> : <IconDownload size={12} />}
                disabled={file.url === null}
                data-testid="document-save"
              >
                Save
              </Button>
            )}
          </Group>
        )}
        {saveError ? (
          <Text size="xs" c="red" mt={4} role="alert" data-testid="document-save-error">
            {saveError}
          </Text>
        ) : null}
      </Box>
      <Caption text={content.media.caption} />
    </Stack>
  );
}

/** The body of a media message with its file. */
export function MessageMedia({
  content,
  attachment,
  messageId,
  channel,
}: {
  readonly content: MediaContent;
  readonly attachment: Attachment | null;
  readonly messageId: string;
  readonly channel: ChannelKind;
}) {
  switch (content.type) {
    case 'image':
    case 'sticker':
      return (
        <PhotoMessage
          content={content}
          attachment={attachment}
          messageId={messageId}
          channel={channel}
        />
      );
    case 'video':
      return <VideoMessage content={content} attachment={attachment} channel={channel} />;
    case 'audio':
      return <AudioMessage content={content} attachment={attachment} channel={channel} />;
    case 'document':
      return <DocumentMessage content={content} attachment={attachment} channel={channel} />;
  }
}
