import { useCallback, useEffect, useState, useSyncExternalStore } from 'react';
import { useLiveQuery } from 'dexie-react-hooks';
import type { Attachment } from '../../../shared/domain/model';
import { useData } from './hooks';
import { MediaUnavailableError, type UploadProgress } from './media';
import type { MediaUsage } from './media-cache';

/**
 * What the screens read of message files: an object URL of a file's bytes (from the local media
 * cache, else the hub), the progress of a reply's upload, and the cache's size for Settings.
 */

export type MediaFile =
  /** The hub is still downloading it from the channel. */
  | { readonly state: 'pending'; readonly url: null; readonly error: null }
  /** The hub could not get it from the channel, with its reason. */
  | { readonly state: 'failed'; readonly url: null; readonly error: string }
  /** Reading it from the cache or the hub. */
  | { readonly state: 'loading'; readonly url: null; readonly error: null }
  | { readonly state: 'ready'; readonly url: string; readonly error: null }
  /** Offline and never seen here, or the hub refused it. */
  | { readonly state: 'unavailable'; readonly url: null; readonly error: string };

const PENDING: MediaFile = { state: 'pending', url: null, error: null };
const LOADING: MediaFile = { state: 'loading', url: null, error: null };

interface Loaded {
  readonly sha256: string;
  readonly file: MediaFile;
}

/**
 * A message's file as an object URL, revoked when no longer shown. `attachment` null (a message
 * of an older hub, or no file) reads as pending. `enabled` false defers the read (a thumbnail
 * scrolled far away). `thumbnail`: the hub's thumbnail of a photo when it made one (the
 * timeline), else the file itself.
 */
export function useMediaFile(
  attachment: Attachment | null,
  enabled = true,
  thumbnail = false,
): MediaFile {
  const { media } = useData();
  const sha256 = attachment?.state === 'ready' ? attachment.sha256 : null;
  const mimeType = attachment?.mimeType ?? null;
  const small = thumbnail ? (attachment?.thumbnail ?? null) : null;
  const smallSha = small?.sha256 ?? null;
  const smallType = small?.mimeType ?? null;
  const [loaded, setLoaded] = useState<Loaded | null>(null);
  // Asked again when the hub comes back: a file that was unavailable offline may load now.
  const [attempt, setAttempt] = useState(0);

  useEffect(() => {
    if (sha256 === null || !enabled) return undefined;
    let url: string | null = null;
    let live = true;
    (smallSha !== null
      ? media.loadThumbnail(sha256, { sha256: smallSha, mimeType: smallType ?? 'image/webp' })
      : media.load(sha256, mimeType)
    ).then(
      (blob) => {
        if (!live) return;
        url = URL.createObjectURL(blob);
        setLoaded({ sha256, file: { state: 'ready', url, error: null } });
      },
      (error: unknown) => {
        if (!live) return;
        const message =
          error instanceof MediaUnavailableError ? error.message : 'This file cannot be read.';
        setLoaded({ sha256, file: { state: 'unavailable', url: null, error: message } });
      },
    );
    return () => {
      live = false;
      if (url !== null) URL.revokeObjectURL(url);
    };
  }, [media, sha256, mimeType, smallSha, smallType, enabled, attempt]);

  const unavailable =
    loaded !== null && loaded.sha256 === sha256 && loaded.file.state === 'unavailable';
  useEffect(() => {
    if (!unavailable) return undefined;
    const retry = () => setAttempt((n) => n + 1);
    addEventListener('online', retry);
    return () => removeEventListener('online', retry);
  }, [unavailable]);

  if (attachment === null || attachment.state === 'pending') return PENDING;
  if (attachment.state === 'failed') {
    return {
      state: 'failed',
      url: null,
      error: attachment.error ?? 'The channel did not deliver this file.',
    };
  }
  if (sha256 === null) {
    return { state: 'unavailable', url: null, error: 'The hub gave no address for this file.' };
  }
  return loaded !== null && loaded.sha256 === sha256 ? loaded.file : LOADING;
}

/** The progress of a reply's upload while it runs; null before and after. */
export function useUploadProgress(clientId: string | null): UploadProgress | null {
  const { media } = useData();
  const read = useCallback(
    () => (clientId === null ? null : media.progress(clientId)),
    [media, clientId],
  );
  return useSyncExternalStore(media.subscribeProgress, read);
}

/** The media cache's size and budget, live; undefined while read. */
export function useMediaUsage(): MediaUsage | undefined {
  const { media } = useData();
  return useLiveQuery(() => media.cache.usage(), [media]);
}

/**
 * An object URL of a small picture of a photo the hub holds (`MediaService.loadPreview`: a quick
 * reply's image), revoked when no longer shown; null while it loads, for a file that is not a
 * photo the hub thumbnails, and when it cannot be had (offline, never seen): show its kind then.
 */
export function useFilePreview(sha256: string | null, mimeType: string | null): string | null {
  const { media } = useData();
  const photo = sha256 !== null && mimeType !== null && PREVIEWED.test(mimeType) ? sha256 : null;
  const [loaded, setLoaded] = useState<{ readonly sha256: string; readonly url: string } | null>(
    null,
  );
  useEffect(() => {
    if (photo === null) return undefined;
    let url: string | null = null;
    let live = true;
    media.loadPreview(photo).then(
      (blob) => {
        if (!live) return;
        url = URL.createObjectURL(blob);
        setLoaded({ sha256: photo, url });
      },
      () => undefined,
    );
    return () => {
      live = false;
      if (url !== null) URL.revokeObjectURL(url);
    };
  }, [media, photo]);
  return loaded !== null && loaded.sha256 === photo ? loaded.url : null;
}

/** The photos the hub makes thumbnails of (server `media/thumbnails.ts`). */
const PREVIEWED = /^image\/(jpeg|png|webp|gif)$/;
