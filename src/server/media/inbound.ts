import {
  MEDIA_CONTENT_TYPES,
  type Attachment,
  type MessageContent,
} from '../../shared/domain/model';

type MediaContent = Extract<MessageContent, { media: unknown }>;

/** The content's file, when it has one the hub can fetch (a channel id or a URL). */
export function fetchableMedia(content: MessageContent): MediaContent | null {
  if (!(MEDIA_CONTENT_TYPES as readonly string[]).includes(content.type)) return null;
  const { media } = content as MediaContent;
  return media.mediaId !== '' || (media.url ?? '') !== '' ? (content as MediaContent) : null;
}

/** What an inbound media message carries until the download worker has stored its file. */
export function pendingAttachment(content: MessageContent): Attachment | null {
  const file = fetchableMedia(content);
  if (!file) return null;
  return {
    state: 'pending',
    sha256: null,
    mimeType: file.media.mimeType ?? null,
    size: null,
    filename: file.media.filename ?? null,
    error: null,
  };
}
