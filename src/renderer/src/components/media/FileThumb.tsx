import { useEffect, useMemo, type ComponentType, type CSSProperties } from 'react';
import { ThemeIcon } from '@mantine/core';
import { useFilePreview } from '../../data/media-hooks';

/**
 * A file's small square: a photo's picture (the bytes picked on this computer, else the hub's
 * thumbnail of the file it holds), else its kind's icon. Quick replies' files (the composer's
 * tray and the admin editor) use it.
 */

const STYLE: CSSProperties = {
  display: 'block',
  objectFit: 'cover',
  borderRadius: 4,
  flexShrink: 0,
};

/** An object URL of a picked image while it is shown, revoked after. */
function useBlobUrl(blob: Blob | null): string | null {
  const url = useMemo(
    () => (blob !== null && blob.type.startsWith('image/') ? URL.createObjectURL(blob) : null),
    [blob],
  );
  useEffect(
    () => () => {
      if (url !== null) URL.revokeObjectURL(url);
    },
    [url],
  );
  return url;
}

export function FileThumb({
  blob = null,
  sha256 = null,
  mimeType,
  size,
  icon: Icon,
  testId,
}: {
  /** The bytes on this computer, when they are (a file just picked). */
  readonly blob?: Blob | null;
  /** The hub's address of the file, when it holds it. */
  readonly sha256?: string | null;
  readonly mimeType: string;
  /** Pixels, square. */
  readonly size: number;
  readonly icon: ComponentType<{ size?: number; stroke?: number }>;
  /** On the picture (the icon has none). */
  readonly testId: string;
}) {
  const local = useBlobUrl(blob);
  const remote = useFilePreview(blob === null ? sha256 : null, mimeType);
  const url = local ?? remote;
  return url !== null ? (
    <img
      src={url}
      alt=""
      width={size}
      height={size}
      style={{ ...STYLE, width: size, height: size }}
      data-testid={testId}
    />
  ) : (
    <ThemeIcon variant="light" size={size} radius="sm">
      <Icon size={Math.round(size / 2)} stroke={1.6} />
    </ThemeIcon>
  );
}
