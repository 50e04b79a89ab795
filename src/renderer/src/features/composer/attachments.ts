import type { ChannelKind } from '../../../../shared/domain/channels';
import type { QuickReplyFile } from '../../../../shared/domain/model';
import { baseMimeType, checkUpload } from '../../../../shared/media/limits';

/** The longest caption the hub takes (`outgoingMediaSchema`; WhatsApp's limit). */
export const MAX_CAPTION_LENGTH = 1024;
/** The longest file name the hub takes (`outgoingMediaSchema`). */
export const MAX_FILENAME_LENGTH = 255;

/**
 * Files the agent attaches in the composer (issue #14 item 5): each is checked against the
 * conversation's channel limits before anything is uploaded (`checkUpload`, the same data the
 * hub checks again), and what is sent is planned here — one media message with the text as its
 * caption where the channel takes captions, else the file and the text as two messages.
 */

/** What the composer knows of a picked, dropped or pasted file (a `File` has all three). */
export interface PickedFile {
  readonly name: string;
  readonly type: string;
  readonly size: number;
}

export type SendableKind = 'image' | 'video' | 'audio' | 'document';

/** A file checked against the channel's limits, waiting for Send. */
export interface StagedFile {
  /** The bytes picked on this computer; null for a file the hub holds (a quick reply's). */
  readonly blob: Blob | null;
  /** The hub's address of a file it holds (set when `blob` is null). */
  readonly sha256: string | null;
  /** Bytes. */
  readonly size: number;
  readonly filename: string;
  readonly mimeType: string;
  readonly kind: SendableKind;
  /** The channel takes the box's text as the file's caption. */
  readonly caption: boolean;
}

export type StagedCheck =
  | {
      readonly ok: true;
      readonly kind: SendableKind;
      readonly mimeType: string;
      readonly filename: string;
      /** The text in the box goes with the file as its caption. */
      readonly caption: boolean;
    }
  | { readonly ok: false; readonly reason: string };

/**
 * Types by extension, for files the system gives no type (a `.pdf` dragged from some file
 * managers, `.ogg` voice notes on Windows): only what the channels' limits list.
 */
const TYPES_BY_EXTENSION: Readonly<Record<string, string>> = {
  jpg: 'image/jpeg',
  jpeg: 'image/jpeg',
  png: 'image/png',
  gif: 'image/gif',
  mp4: 'video/mp4',
  '3gp': 'video/3gpp',
  mov: 'video/quicktime',
  webm: 'video/webm',
  mp3: 'audio/mpeg',
  m4a: 'audio/mp4',
  aac: 'audio/aac',
  ogg: 'audio/ogg',
  opus: 'audio/ogg',
  amr: 'audio/amr',
  wav: 'audio/wav',
  pdf: 'application/pdf',
  txt: 'text/plain',
  doc: 'application/msword',
  docx: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
  xls: 'application/vnd.ms-excel',
  xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
  ppt: 'application/vnd.ms-powerpoint',
  pptx: 'application/vnd.openxmlformats-officedocument.presentationml.presentation',
  zip: 'application/zip',
};

/** The file's type: the one the system gave, else the one its extension names, else ''. */
export function fileMimeType(file: PickedFile): string {
  const given = baseMimeType(file.type);
  if (given !== '' && given !== 'application/octet-stream') return given;
  const extension = /\.([a-z0-9]{1,5})$/i.exec(file.name)?.[1]?.toLowerCase();
  return (extension && TYPES_BY_EXTENSION[extension]) || given;
}

/** Whether the channel takes this file, as what, and with a caption; else the limit named. */
export function checkAttachment(channel: ChannelKind, file: PickedFile): StagedCheck {
  const mimeType = fileMimeType(file);
  if (file.size === 0) return { ok: false, reason: `${file.name || 'This file'} is empty.` };
  const check = checkUpload(channel, mimeType, file.size);
  if (!check.ok) return { ok: false, reason: check.reason };
  return {
    ok: true,
    // Stickers are never sendable, so a sendable kind is one of the four.
    kind: check.limit.kind as SendableKind,
    mimeType,
    filename: shortenFilename(file.name.trim() || defaultFilename(mimeType, 0)),
    caption: check.limit.caption,
  };
}

/** A name the hub takes: at most 255 characters, the extension kept. */
export function shortenFilename(name: string): string {
  if (name.length <= MAX_FILENAME_LENGTH) return name;
  const extension = /\.[a-z0-9]{1,8}$/i.exec(name)?.[0] ?? '';
  return name.slice(0, MAX_FILENAME_LENGTH - extension.length - 1) + '…' + extension;
}

/** `pasted-image-20261203-104512.png`: the name of a pasted image, which has none of its own. */
export function defaultFilename(mimeType: string, at: number): string {
  const extension =
    Object.entries(TYPES_BY_EXTENSION).find(([, type]) => type === mimeType)?.[0] ?? 'bin';
  const stamp = new Date(at)
    .toISOString()
    .replace(/[-:]/g, '')
    .replace('T', '-')
    .replace(/\..*$/, '');
  return `${mimeType.startsWith('image/') ? 'pasted-image' : 'file'}-${stamp}.${extension}`;
}

/** The first file of a paste or drop (the composer sends one file per message). */
export function firstFile(items: ArrayLike<File> | null | undefined): File | null {
  return items && items.length > 0 ? (items[0] ?? null) : null;
}

export type PlannedSend =
  | { readonly type: 'file'; readonly caption: string | null }
  | { readonly type: 'text'; readonly body: string };

/**
 * What Send does with a staged file and the text in the box: the file with the text as its
 * caption where the channel takes one (WhatsApp images, videos, documents), else the file and
 * then the text as a message of its own (Messenger, Instagram, WhatsApp audio) — in that order,
 * which the outbox keeps. A text longer than a caption may be also follows as its own message.
 */
export function planSend(text: string, captionAllowed: boolean): readonly PlannedSend[] {
  const body = text.trim();
  if (body === '') return [{ type: 'file', caption: null }];
  if (captionAllowed && body.length <= MAX_CAPTION_LENGTH) return [{ type: 'file', caption: body }];
  return [
    { type: 'file', caption: null },
    { type: 'text', body },
  ];
}

/**
 * A quick reply's file, checked against this conversation's channel when the agent uses the
 * reply (the admin's check named the reply's channels; limits and channels change): staged like
 * a picked file, or the channel's refusal in words naming the reply and its file.
 */
export function stageQuickReplyFile(
  channel: ChannelKind,
  replyName: string,
  file: QuickReplyFile,
):
  | { readonly ok: true; readonly staged: StagedFile }
  | { readonly ok: false; readonly reason: string } {
  // Replies saved before the hub kept the size: the hub checks it again on send.
  const size = file.size ?? 1;
  const checked = checkAttachment(channel, { name: file.filename, type: file.mimeType, size });
  if (!checked.ok) {
    return {
      ok: false,
      reason: `The file of “${replyName}” (${file.filename}) cannot be sent here: ${checked.reason} The reply's text was inserted without it.`,
    };
  }
  return {
    ok: true,
    staged: {
      blob: null,
      sha256: file.sha256,
      size: file.size ?? 0,
      filename: checked.filename,
      mimeType: checked.mimeType,
      kind: checked.kind,
      caption: checked.caption,
    },
  };
}
