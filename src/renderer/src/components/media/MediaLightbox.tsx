import { useEffect, useState, type CSSProperties } from 'react';
import { ActionIcon, Group, Loader, Modal, Text, Tooltip } from '@mantine/core';
import { useElementSize } from '@mantine/hooks';
import {
  IconChevronLeft,
  IconChevronRight,
  IconDownload,
  IconPhotoOff,
  IconX,
  IconZoomIn,
  IconZoomOut,
} from '@tabler/icons-react';
import type { Attachment } from '../../../../shared/domain/model';
import { useMediaFile } from '../../data/media-hooks';

/**
 * A photo at full size over the app, with zoom and the conversation's other photos one key
 * away: ← / → previous and next, + / − zoom, 0 fits, Esc closes. Nothing leaves the app: the
 * bytes are the media cache's, shown through an object URL.
 */

export interface LightboxItem {
  /** The message's id. */
  readonly key: string;
  readonly attachment: Attachment;
  readonly caption: string | null;
  /** Who sent it and when, under the photo. */
  readonly label: string;
}

export interface MediaLightboxProps {
  readonly items: readonly LightboxItem[];
  /** The photo shown; the lightbox is closed when no item has it. */
  readonly current: string | null;
  readonly onShow: (key: string) => void;
  readonly onClose: () => void;
}

export const ZOOM_STEPS = [1, 1.5, 2, 3, 4] as const;

const STAGE_STYLE: CSSProperties = {
  position: 'relative',
  display: 'flex',
  alignItems: 'center',
  justifyContent: 'center',
  // The modal keeps 5vw each side and pads 8px: wider, and the next arrow is cut off at 1280 px.
  width: 'min(calc(90vw - 16px), 1400px)',
  height: 'calc(100vh - 150px)',
  overflow: 'auto',
  background: 'rgba(0, 0, 0, 0.88)',
  borderRadius: 6,
};

const NAV_STYLE: CSSProperties = {
  position: 'absolute',
  top: '50%',
  transform: 'translateY(-50%)',
  zIndex: 2,
};

function step(items: readonly LightboxItem[], current: string, by: number): string | null {
  const at = items.findIndex((item) => item.key === current);
  if (at < 0) return null;
  return items[at + by]?.key ?? null;
}

export function MediaLightbox({ items, current, onShow, onClose }: MediaLightboxProps) {
  const index = items.findIndex((item) => item.key === current);
  const item = index >= 0 ? items[index] : undefined;
  const [zoom, setZoom] = useState<{ key: string | null; level: number }>({ key: null, level: 0 });
  // Each photo opens fitted; the zoom of the previous one does not carry over.
  const level = zoom.key === current ? zoom.level : 0;
  const setLevel = (next: number) =>
    setZoom({ key: current, level: Math.min(ZOOM_STEPS.length - 1, Math.max(0, next)) });
  const { ref: stageRef, width: stageWidth, height: stageHeight } = useElementSize();
  const stage = { width: stageWidth, height: stageHeight };
  const previous = current === null ? null : step(items, current, -1);
  const next = current === null ? null : step(items, current, 1);

  useEffect(() => {
    if (!item) return undefined;
    const onKey = (event: KeyboardEvent) => {
      if (event.ctrlKey || event.metaKey || event.altKey) return;
      let handled = true;
      if (event.key === 'ArrowLeft') {
        if (previous) onShow(previous);
      } else if (event.key === 'ArrowRight') {
        if (next) onShow(next);
      } else if (event.key === '+' || event.key === '=') setLevel(level + 1);
      else if (event.key === '-' || event.key === '_') setLevel(level - 1);
      else if (event.key === '0') setLevel(0);
      // Here too, not only the modal's: Esc closes wherever the focus went (a click outside).
      else if (event.key === 'Escape') onClose();
      else handled = false;
      if (handled) {
        event.preventDefault();
        event.stopPropagation();
      }
    };
    // Capture: the app's own shortcuts (j/k, the palette) must not see these while it is open.
    window.addEventListener('keydown', onKey, true);
    return () => window.removeEventListener('keydown', onKey, true);
  });

  return (
    <Modal
      opened={item !== undefined}
      onClose={onClose}
      withCloseButton={false}
      size="auto"
      padding={8}
      centered
      radius="md"
      overlayProps={{ backgroundOpacity: 0.7, blur: 2 }}
      transitionProps={{ duration: 0 }}
      aria-label="Photo"
      data-testid="lightbox"
    >
      {item ? (
        <>
          <Group justify="space-between" wrap="nowrap" mb={6} gap="xs">
            <Text size="sm" c="dimmed" truncate="end" data-testid="lightbox-position">
              {index + 1} / {items.length} · {item.label}
            </Text>
            <Group gap={4} wrap="nowrap">
              <Tooltip label="Zoom out ( − )" withArrow>
                <ActionIcon
                  variant="subtle"
                  color="gray"
                  aria-label="Zoom out"
                  disabled={level === 0}
                  onClick={() => setLevel(level - 1)}
                >
                  <IconZoomOut size={18} />
                </ActionIcon>
              </Tooltip>
              <Text
                size="xs"
                w={40}
                ta="center"
                style={{ fontVariantNumeric: 'tabular-nums' }}
                data-testid="lightbox-zoom"
              >
                {Math.round(ZOOM_STEPS[level] * 100)}%
              </Text>
              <Tooltip label="Zoom in ( + )" withArrow>
                <ActionIcon
                  variant="subtle"
                  color="gray"
                  aria-label="Zoom in"
                  disabled={level === ZOOM_STEPS.length - 1}
                  onClick={() => setLevel(level + 1)}
                >
                  <IconZoomIn size={18} />
                </ActionIcon>
              </Tooltip>
              <SaveButton attachment={item.attachment} />
              <Tooltip label="Close (Esc)" withArrow>
                <ActionIcon variant="subtle" color="gray" aria-label="Close" onClick={onClose}>
                  <IconX size={18} />
                </ActionIcon>
              </Tooltip>
            </Group>
          </Group>
          <div style={STAGE_STYLE} ref={stageRef} data-testid="lightbox-stage">
            {previous ? (
              <ActionIcon
                style={{ ...NAV_STYLE, left: 8 }}
                size="xl"
                radius="xl"
                variant="default"
                aria-label="Previous photo"
                onClick={() => onShow(previous)}
              >
                <IconChevronLeft size={22} />
              </ActionIcon>
            ) : null}
            <LightboxImage
              key={item.key}
              attachment={item.attachment}
              zoom={ZOOM_STEPS[level]}
              stage={stage}
            />
            {next ? (
              <ActionIcon
                style={{ ...NAV_STYLE, right: 8 }}
                size="xl"
                radius="xl"
                variant="default"
                aria-label="Next photo"
                onClick={() => onShow(next)}
              >
                <IconChevronRight size={22} />
              </ActionIcon>
            ) : null}
          </div>
          {item.caption ? (
            <Text size="sm" mt={6} style={{ whiteSpace: 'pre-wrap', overflowWrap: 'anywhere' }}>
              {item.caption}
            </Text>
          ) : null}
        </>
      ) : null}
    </Modal>
  );
}

function LightboxImage({
  attachment,
  zoom,
  stage,
}: {
  attachment: Attachment;
  zoom: number;
  stage: { width: number; height: number };
}) {
  const file = useMediaFile(attachment);
  const [natural, setNatural] = useState<{ width: number; height: number } | null>(null);
  if (file.state !== 'ready') {
    return file.state === 'loading' || file.state === 'pending' ? (
      <Loader color="gray" />
    ) : (
      <Group gap={8} c="gray.4">
        <IconPhotoOff size={20} />
        <Text size="sm">{file.error}</Text>
      </Group>
    );
  }
  // Fitted into the stage (never enlarged), then zoomed from there; the stage scrolls over a
  // zoomed photo, so every part of it can be reached.
  const fit =
    natural && stage.width > 0
      ? Math.min(1, stage.width / natural.width, stage.height / natural.height)
      : null;
  const width = natural && fit !== null ? Math.round(natural.width * fit * zoom) : undefined;
  return (
    <img
      src={file.url}
      alt={attachment.filename ?? 'Photo'}
      data-testid="lightbox-image"
      data-zoom={zoom}
      onLoad={(event) =>
        setNatural({
          width: event.currentTarget.naturalWidth,
          height: event.currentTarget.naturalHeight,
        })
      }
      style={{
        display: 'block',
        margin: 'auto',
        flex: 'none',
        ...(width === undefined
          ? { maxWidth: '100%', maxHeight: '100%' }
          : { width, height: 'auto', maxWidth: 'none' }),
      }}
    />
  );
}

/** Save the file under its name (the browser's download, which the desktop app saves too). */
export function SaveButton({ attachment }: { attachment: Attachment }) {
  const file = useMediaFile(attachment);
  return (
    <Tooltip label="Save" withArrow>
      <ActionIcon
        variant="subtle"
        color="gray"
        aria-label="Save"
        component="a"
        href={file.url ?? undefined}
        download={attachment.filename ?? 'photo'}
        data-disabled={file.url === null || undefined}
      >
        <IconDownload size={18} />
      </ActionIcon>
    </Tooltip>
  );
}
