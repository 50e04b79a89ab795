import type { Thumbnail } from '../../../shared/domain/model';
import type { ErrorCode } from '../../../shared/protocol/commands';
import type { MediaCache } from './media-cache';
import { UploadRefusedError } from './outbox';
import type { OutboxEntry } from './types';

/**
 * Files of messages between the app and the hub (issue #14 items 4 and 5). Downloads go to the
 * hub's `GET /api/media/<sha256>` with the session token in the Authorization header (never in a
 * URL, where history, logs and a copied link would keep it) and land in the media cache; what
 * the screens show is an object URL of those bytes. Uploads go to `POST /api/media?channel=` as
 * raw bytes, reporting their progress, before the send command that names the file.
 */

/** A file cannot be shown: the hub is away and it was never seen here, or the hub refused it. */
export class MediaUnavailableError extends Error {
  constructor(
    message: string,
    /** 0: the hub could not be reached. */
    readonly status: number,
  ) {
    super(message);
    this.name = 'MediaUnavailableError';
  }
}

export interface UploadProgress {
  readonly loaded: number;
  readonly total: number;
}

export interface UploadRequest {
  readonly url: string;
  readonly token: string;
  readonly blob: Blob;
  readonly mimeType: string;
  readonly filename: string;
  readonly onProgress: (progress: UploadProgress) => void;
  readonly signal: AbortSignal;
}

export interface UploadAnswer {
  readonly status: number;
  /** The body, parsed as JSON when it is. */
  readonly body: unknown;
}

/** Sends one upload; rejects only when no answer came (network down, aborted). */
export type Uploader = (request: UploadRequest) => Promise<UploadAnswer>;

/** XMLHttpRequest, the one browser API that reports the progress of a request's body. */
export const xhrUploader: Uploader = (request) =>
  new Promise<UploadAnswer>((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    xhr.open('POST', request.url);
    xhr.setRequestHeader('authorization', `Bearer ${request.token}`);
    xhr.setRequestHeader('content-type', request.mimeType);
    xhr.setRequestHeader('x-filename', encodeURIComponent(request.filename));
    xhr.upload.onprogress = (event) =>
      request.onProgress({
        loaded: event.loaded,
        total: event.lengthComputable ? event.total : request.blob.size,
      });
    xhr.onload = () => {
      let body: unknown = null;
      try {
        body = JSON.parse(xhr.responseText);
      } catch {
        // not JSON: the status says enough
      }
      resolve({ status: xhr.status, body });
    };
    xhr.onerror = () => reject(new Error('The hub cannot be reached.'));
    xhr.onabort = () => reject(new DOMException('Upload cancelled', 'AbortError'));
    request.signal.addEventListener('abort', () => xhr.abort(), { once: true });
    if (request.signal.aborted) {
      xhr.abort();
      return;
    }
    xhr.send(request.blob);
  });

/** Lower-case hex SHA-256 of the bytes: the file's address at the hub. */
export async function sha256Hex(blob: Blob): Promise<string> {
  const digest = await crypto.subtle.digest('SHA-256', await blob.arrayBuffer());
  return [...new Uint8Array(digest)].map((byte) => byte.toString(16).padStart(2, '0')).join('');
}

export interface MediaService {
  readonly cache: MediaCache;
  /** The bytes of a file the hub holds: the cache's copy, else downloaded (and then cached). */
  load(sha256: string, mimeType: string | null): Promise<Blob>;
  /**
   * A photo's thumbnail for the timeline (`GET /api/media/<photo>?size=thumb`), cached by its
   * own hash; the photo itself when only that is here (sent from this computer, or offline).
   */
  loadThumbnail(photo: string, thumbnail: Pick<Thumbnail, 'sha256' | 'mimeType'>): Promise<Blob>;
  /**
   * A small picture of a photo the hub holds whose thumbnail's hash is not known (a quick
   * reply's file): the hub's thumbnail (`?size=thumb`), cached beside the photo's own key
   * (`previewKey`), else the photo itself when it is here (uploaded from this computer).
   */
  loadPreview(photo: string): Promise<Blob>;
  /** The upload of an outbox entry, for the outbox sender (OutboxSenderOptions.upload). */
  uploadEntry(entry: OutboxEntry, signal: AbortSignal): Promise<void>;
  /**
   * Give the hub a file now, outside any message (a quick reply's file, admin editor): checked
   * against `channel`'s limits by the hub; resolves with what it stored, rejects with its words.
   */
  upload(
    blob: Blob,
    file: { readonly channel: string; readonly filename: string; readonly mimeType: string },
  ): Promise<StoredFile>;
  /** Uploads running now, by client id. */
  progress(clientId: string): UploadProgress | null;
  subscribeProgress(listener: () => void): () => void;
}

/** `201` of `POST /api/media`. */
export interface StoredFile {
  readonly sha256: string;
  readonly size: number;
  readonly mimeType: string;
  readonly filename: string;
}

export interface MediaServiceOptions {
  readonly hubUrl: string;
  readonly token: string;
  readonly cache: MediaCache;
  readonly fetch: (input: string, init?: RequestInit) => Promise<Response>;
  readonly uploader?: Uploader;
  readonly onSessionEnded?: () => void;
}

const SHA256 = /^[0-9a-f]{64}$/;

/** The media cache's key of the hub's thumbnail of `photo`, when its own hash is not known. */
export const previewKey = (photo: string): string => `thumb-of:${photo}`;

/** The hub's words for a refusal (`{ message }`), else the status. */
function hubMessage(body: unknown, status: number): string {
  if (typeof body === 'object' && body !== null && 'message' in body) {
    const message = (body as { message: unknown }).message;
    if (typeof message === 'string' && message.trim() !== '') return message;
  }
  return `The hub answered HTTP ${status}.`;
}

const REFUSAL_CODES: Readonly<Record<number, ErrorCode>> = {
  400: 'bad_request',
  403: 'forbidden',
  404: 'not_found',
  413: 'payload_too_large',
  415: 'bad_request',
};

export function createMediaService(options: MediaServiceOptions): MediaService {
  const { cache } = options;
  const uploader = options.uploader ?? xhrUploader;
  /** One download per file at a time, whoever asks (the thumbnail and the lightbox). */
  const loading = new Map<string, Promise<Blob>>();
  const running = new Map<string, UploadProgress>();
  const listeners = new Set<() => void>();
  const notify = () => {
    for (const listener of [...listeners]) listener();
  };
  const once = (key: string, start: () => Promise<Blob>): Promise<Blob> => {
    let pending = loading.get(key);
    if (!pending) {
      pending = start().finally(() => loading.delete(key));
      loading.set(key, pending);
    }
    return pending;
  };

  const cached = (sha256: string): Promise<Blob | null> => cache.get(sha256).catch(() => null);

  /** `sha256`: the file's key in the cache; `path`: where the hub serves it. */
  async function download(sha256: string, path: string, mimeType: string | null): Promise<Blob> {
    let response: Response;
    try {
      response = await options.fetch(`${options.hubUrl}${path}`, {
        headers: { authorization: `Bearer ${options.token}` },
      });
    } catch {
      throw new MediaUnavailableError(
        'Not available offline: this file was not opened on this computer before.',
        0,
      );
    }
    if (response.status === 401) options.onSessionEnded?.();
    if (!response.ok) {
      let body: unknown = null;
      try {
        body = await response.json();
      } catch {
        // keep the status
      }
      throw new MediaUnavailableError(
        response.status === 404
          ? 'The hub does not have this file.'
          : hubMessage(body, response.status),
        response.status,
      );
    }
    const blob = await response.blob();
    const type = response.headers.get('content-type') ?? mimeType ?? blob.type;
    const typed = blob.type === type ? blob : new Blob([blob], { type });
    // A full disk or a closed database must not hide a file that did arrive.
    await cache.put(sha256, typed, type).catch((error: unknown) => {
      console.warn('Replydesk: a file could not be kept in the media cache:', error);
    });
    return typed;
  }

  return {
    cache,
    load(sha256, mimeType) {
      if (!SHA256.test(sha256)) {
        return Promise.reject(new MediaUnavailableError('This file has no valid address.', 400));
      }
      return once(
        sha256,
        async () => (await cached(sha256)) ?? download(sha256, `/api/media/${sha256}`, mimeType),
      );
    },

    loadThumbnail(photo, thumbnail) {
      if (!SHA256.test(photo) || !SHA256.test(thumbnail.sha256)) {
        return Promise.reject(new MediaUnavailableError('This file has no valid address.', 400));
      }
      return once(
        thumbnail.sha256,
        async () =>
          (await cached(thumbnail.sha256)) ??
          (await cached(photo)) ??
          download(thumbnail.sha256, `/api/media/${photo}?size=thumb`, thumbnail.mimeType),
      );
    },

    loadPreview(photo) {
      if (!SHA256.test(photo)) {
        return Promise.reject(new MediaUnavailableError('This file has no valid address.', 400));
      }
      const key = previewKey(photo);
      return once(
        key,
        async () =>
          (await cached(key)) ??
          (await cached(photo)) ??
          download(key, `/api/media/${photo}?size=thumb`, null),
      );
    },

    async uploadEntry(entry, signal) {
      const upload = entry.upload;
      if (!upload) return;
      const file = await cache.outgoing(entry.clientId);
      if (!file) {
        throw new UploadRefusedError(
          'The file of this reply is no longer on this computer; attach it again.',
          'bad_request',
        );
      }
      running.set(entry.clientId, { loaded: 0, total: file.blob.size });
      notify();
      try {
        const answer = await uploader({
          url: `${options.hubUrl}/api/media?channel=${encodeURIComponent(upload.channel)}`,
          token: options.token,
          blob: file.blob,
          mimeType: file.mimeType,
          filename: file.filename,
          signal,
          onProgress(progress) {
            running.set(entry.clientId, progress);
            notify();
          },
        });
        if (answer.status === 401) options.onSessionEnded?.();
        if (answer.status >= 500 || answer.status === 401 || answer.status === 429) {
          throw new Error(hubMessage(answer.body, answer.status));
        }
        if (answer.status < 200 || answer.status >= 300) {
          throw new UploadRefusedError(
            hubMessage(answer.body, answer.status),
            REFUSAL_CODES[answer.status] ?? 'bad_request',
          );
        }
        const stored = (answer.body as { sha256?: unknown } | null)?.sha256;
        if (stored !== upload.sha256) {
          throw new UploadRefusedError(
            'The hub stored different bytes than this app sent; attach the file again.',
            'bad_request',
          );
        }
        // The sent message shows its file from here on, offline too, without downloading it.
        await cache.put(upload.sha256, file.blob, file.mimeType).catch(() => undefined);
        await cache.dropOutgoing(entry.clientId);
      } finally {
        running.delete(entry.clientId);
        notify();
      }
    },

    async upload(blob, file) {
      let answer: UploadAnswer;
      try {
        answer = await uploader({
          url: `${options.hubUrl}/api/media?channel=${encodeURIComponent(file.channel)}`,
          token: options.token,
          blob,
          mimeType: file.mimeType,
          filename: file.filename,
          signal: new AbortController().signal,
          onProgress: () => undefined,
        });
      } catch {
        throw new MediaUnavailableError('The hub cannot be reached: the file was not uploaded.', 0);
      }
      if (answer.status === 401) options.onSessionEnded?.();
      if (answer.status !== 201 && answer.status !== 200) {
        throw new MediaUnavailableError(hubMessage(answer.body, answer.status), answer.status);
      }
      const stored = answer.body as Partial<StoredFile> | null;
      if (
        typeof stored?.sha256 !== 'string' ||
        typeof stored.size !== 'number' ||
        typeof stored.mimeType !== 'string' ||
        typeof stored.filename !== 'string'
      ) {
        throw new MediaUnavailableError('The hub answered the upload with something else.', 502);
      }
      await cache.put(stored.sha256, blob, stored.mimeType).catch(() => undefined);
      return {
        sha256: stored.sha256,
        size: stored.size,
        mimeType: stored.mimeType,
        filename: stored.filename,
      };
    },

    progress: (clientId) => running.get(clientId) ?? null,
    subscribeProgress(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };
}
