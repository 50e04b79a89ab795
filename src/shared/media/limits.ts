import { CHANNEL_INFO, type ChannelKind } from '../domain/channels';

/**
 * What each channel accepts as an attachment, as data: the composer checks a file before it
 * uploads, the hub checks it again on `POST /api/media` and when it downloads an inbound file.
 * Sizes are the platforms' "MB" read as MiB (1024 × 1024 bytes), as their SDKs do.
 */

export type MediaKind = 'image' | 'video' | 'audio' | 'document' | 'sticker';

export interface MediaKindLimit {
  readonly kind: MediaKind;
  readonly maxBytes: number;
  /** The MIME types (without parameters) the channel takes for this kind. */
  readonly mimeTypes: readonly string[];
  /** Whether a caption may go with it (else the composer sends the text as its own message). */
  readonly caption: boolean;
  /** The agent may send it from the composer (stickers only arrive). */
  readonly sendable: boolean;
}

export interface ChannelMediaLimits {
  readonly channel: ChannelKind;
  /** In the order a file's type is matched: the first kind that lists the MIME type wins. */
  readonly kinds: readonly MediaKindLimit[];
  /** Where the figures come from. */
  readonly source: string;
}

const MiB = 1024 * 1024;
const KiB = 1024;

const OFFICE_DOCUMENTS = [
  'text/plain',
  'application/pdf',
  'application/msword',
  'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
  'application/vnd.ms-excel',
  'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
  'application/vnd.ms-powerpoint',
  'application/vnd.openxmlformats-officedocument.presentationml.presentation',
];

/** A kind on Messenger / Instagram: no caption (text and attachment are separate messages). */
function metaKind(kind: MediaKind, maxBytes: number, mimeTypes: readonly string[]): MediaKindLimit {
  return { kind, maxBytes, mimeTypes, caption: false, sendable: true };
}

/** Channels the hub sends files on; the others refuse attachments (415). */
export const MEDIA_LIMITS: Readonly<Partial<Record<ChannelKind, ChannelMediaLimits>>> = {
  // WhatsApp Cloud API, "Supported media types" (developers.facebook.com/docs/whatsapp/cloud-api/
  // reference/media#supported-media-types; mirrored by docs.aws.amazon.com/social-messaging/
  // latest/userguide/supported-media-types.html). Audio takes no caption (CHANNEL-API.md §3.4).
  whatsapp: {
    channel: 'whatsapp',
    source:
      'https://developers.facebook.com/docs/whatsapp/cloud-api/reference/media#supported-media-types',
    kinds: [
      {
        kind: 'image',
        maxBytes: 5 * MiB,
        mimeTypes: ['image/jpeg', 'image/png'],
        caption: true,
        sendable: true,
      },
      {
        kind: 'video',
        maxBytes: 16 * MiB,
        mimeTypes: ['video/mp4', 'video/3gpp'],
        caption: true,
        sendable: true,
      },
      metaKind('audio', 16 * MiB, [
        'audio/aac',
        'audio/amr',
        'audio/mpeg',
        'audio/mp4',
        'audio/ogg',
      ]),
      {
        kind: 'document',
        maxBytes: 100 * MiB,
        mimeTypes: OFFICE_DOCUMENTS,
        caption: true,
        sendable: true,
      },
      // Animated stickers may be 500 KB, static ones 100 KB; the larger bound checks downloads.
      {
        kind: 'sticker',
        maxBytes: 500 * KiB,
        mimeTypes: ['image/webp'],
        caption: false,
        sendable: false,
      },
    ],
  },
  // Messenger Platform, "Saving assets": attachments up to 25 MB, images by URL 8 MB
  // (developers.facebook.com/docs/messenger-platform/send-messages/saving-assets). Messenger has
  // no caption: text and attachment are separate messages.
  messenger: {
    channel: 'messenger',
    source: 'https://developers.facebook.com/docs/messenger-platform/send-messages/saving-assets',
    kinds: [
      metaKind('image', 8 * MiB, ['image/jpeg', 'image/png', 'image/gif']),
      metaKind('video', 25 * MiB, ['video/mp4', 'video/quicktime', 'video/webm']),
      metaKind('audio', 25 * MiB, [
        'audio/aac',
        'audio/mpeg',
        'audio/mp4',
        'audio/ogg',
        'audio/wav',
      ]),
      metaKind('document', 25 * MiB, [...OFFICE_DOCUMENTS, 'application/zip']),
    ],
  },
  // Instagram Messaging, "Upload Media" (developers.facebook.com/documentation/business-messaging/
  // instagram-messaging/features/attachment-upload, Apr 2026): audio aac/m4a/wav/mp4 25 MB,
  // image png/jpeg/gif 8 MB, video mp4/ogg/avi/mov/webm 25 MB, file pdf 25 MB. No caption.
  instagram: {
    channel: 'instagram',
    source:
      'https://developers.facebook.com/documentation/business-messaging/instagram-messaging/features/attachment-upload',
    kinds: [
      metaKind('image', 8 * MiB, ['image/jpeg', 'image/png', 'image/gif']),
      metaKind('video', 25 * MiB, [
        'video/mp4',
        'video/ogg',
        'video/x-msvideo',
        'video/quicktime',
        'video/webm',
      ]),
      metaKind('audio', 25 * MiB, ['audio/aac', 'audio/mp4', 'audio/wav', 'audio/x-wav']),
      metaKind('document', 25 * MiB, ['application/pdf']),
    ],
  },
  // Telegram Bot API, "Sending files" (core.telegram.org/bots/api#sending-files): multipart
  // uploads up to 10 MB for photos and 50 MB for other files; captions up to 1024 characters.
  // Bots download at most 20 MB (getFile), which the connector enforces on inbound files.
  telegram: {
    channel: 'telegram',
    source: 'https://core.telegram.org/bots/api#sending-files',
    kinds: [
      {
        kind: 'image',
        maxBytes: 10 * MiB,
        mimeTypes: ['image/jpeg', 'image/png', 'image/gif', 'image/webp'],
        caption: true,
        sendable: true,
      },
      {
        kind: 'video',
        maxBytes: 50 * MiB,
        mimeTypes: ['video/mp4', 'video/quicktime', 'video/webm'],
        caption: true,
        sendable: true,
      },
      {
        kind: 'audio',
        maxBytes: 50 * MiB,
        mimeTypes: [
          'audio/ogg',
          'audio/mpeg',
          'audio/mp4',
          'audio/aac',
          'audio/wav',
          'audio/x-wav',
        ],
        caption: true,
        sendable: true,
      },
      {
        kind: 'document',
        maxBytes: 50 * MiB,
        mimeTypes: [...OFFICE_DOCUMENTS, 'application/zip', 'text/csv'],
        caption: true,
        sendable: true,
      },
      {
        kind: 'sticker',
        maxBytes: 20 * MiB,
        mimeTypes: ['image/webp', 'application/x-tgsticker', 'video/webm'],
        caption: false,
        sendable: false,
      },
    ],
  },
  // LINE Messaging API (developers.line.biz/en/reference/messaging-api/#image-message): images
  // JPEG/PNG up to 10 MB, video MP4 and audio MP3/M4A up to 200 MB, all by HTTPS URL; bots cannot
  // send files (they only arrive) and messages have no caption.
  line: {
    channel: 'line',
    source: 'https://developers.line.biz/en/reference/messaging-api/#image-message',
    kinds: [
      {
        kind: 'image',
        maxBytes: 10 * MiB,
        mimeTypes: ['image/jpeg', 'image/png'],
        caption: false,
        sendable: true,
      },
      {
        kind: 'video',
        maxBytes: 200 * MiB,
        mimeTypes: ['video/mp4'],
        caption: false,
        sendable: true,
      },
      {
        kind: 'audio',
        maxBytes: 200 * MiB,
        mimeTypes: ['audio/mpeg', 'audio/mp4', 'audio/x-m4a'],
        caption: false,
        sendable: true,
      },
      {
        kind: 'document',
        maxBytes: 300 * MiB,
        mimeTypes: [...OFFICE_DOCUMENTS, 'application/zip'],
        caption: false,
        sendable: false,
      },
    ],
  },
  // WeChat temporary media (developers.weixin.qq.com/doc/offiaccount/Asset_Management/
  // New_temporary_materials.html, CHANNEL-API.md §7.5): image 10 MB PNG/JPEG/GIF, voice 2 MB
  // AMR/MP3, video 10 MB MP4, uploaded and then sent by media_id. Customer-service messages take
  // no caption.
  wechat: {
    channel: 'wechat',
    source:
      'https://developers.weixin.qq.com/doc/offiaccount/Asset_Management/New_temporary_materials.html',
    kinds: [
      {
        kind: 'image',
        maxBytes: 10 * MiB,
        mimeTypes: ['image/jpeg', 'image/png', 'image/gif'],
        caption: false,
        sendable: true,
      },
      {
        kind: 'video',
        maxBytes: 10 * MiB,
        mimeTypes: ['video/mp4'],
        caption: false,
        sendable: true,
      },
      {
        kind: 'audio',
        maxBytes: 2 * MiB,
        mimeTypes: ['audio/amr', 'audio/mpeg'],
        caption: false,
        sendable: true,
      },
    ],
  },
  // Viber REST Bot API (creators.viber.com/docs/bots-api; sizes as Infobip documents them, Viber's
  // own pages do not list them all): pictures up to 1 MB with a caption, video MP4 up to 26 MB,
  // files up to 50 MB, all by URL.
  viber: {
    channel: 'viber',
    source: 'https://www.infobip.com/docs/viber/bots/message-types',
    kinds: [
      {
        kind: 'image',
        maxBytes: 1 * MiB,
        mimeTypes: ['image/jpeg', 'image/png', 'image/gif'],
        caption: true,
        sendable: true,
      },
      {
        kind: 'video',
        maxBytes: 26 * MiB,
        mimeTypes: ['video/mp4'],
        caption: false,
        sendable: true,
      },
      {
        kind: 'document',
        maxBytes: 50 * MiB,
        mimeTypes: [...OFFICE_DOCUMENTS, 'application/zip', 'audio/mpeg', 'audio/mp4'],
        caption: false,
        sendable: true,
      },
    ],
  },
  // KakaoTalk consultation talk (kakaobusiness.gitbook.io/main/ad/bizmessage/consult, CHANNEL-API.md
  // §8.2): images up to 5 MB as JPEG, PNG or GIF, files up to 300 MB; videos (300 MB) and audio
  // (10 MB) are only received (the dealer API sends text, images, files and links).
  kakao: {
    channel: 'kakao',
    source: 'https://kakaobusiness.gitbook.io/main/ad/bizmessage/consult',
    kinds: [
      {
        kind: 'image',
        maxBytes: 5 * MiB,
        mimeTypes: ['image/jpeg', 'image/png', 'image/gif'],
        caption: false,
        sendable: true,
      },
      {
        kind: 'video',
        maxBytes: 300 * MiB,
        mimeTypes: ['video/mp4'],
        caption: false,
        sendable: false,
      },
      {
        kind: 'audio',
        maxBytes: 10 * MiB,
        mimeTypes: ['audio/mpeg', 'audio/mp4', 'audio/x-m4a'],
        caption: false,
        sendable: false,
      },
      {
        kind: 'document',
        maxBytes: 300 * MiB,
        mimeTypes: [...OFFICE_DOCUMENTS, 'application/zip'],
        caption: false,
        sendable: true,
      },
    ],
  },
};

/** The MIME type without parameters, lower case (`audio/ogg; codecs=opus` → `audio/ogg`). */
export function baseMimeType(mimeType: string): string {
  return (mimeType.split(';')[0] ?? '').trim().toLowerCase();
}

/** What a file is sent as on a channel: the first sendable kind listing its type, or null. */
export function sendableKindFor(channel: ChannelKind, mimeType: string): MediaKindLimit | null {
  const base = baseMimeType(mimeType);
  const limits = MEDIA_LIMITS[channel];
  return limits?.kinds.find((k) => k.sendable && k.mimeTypes.includes(base)) ?? null;
}

/** The limit for a kind on a channel (inbound downloads are checked against it), or null. */
export function kindLimit(channel: ChannelKind, kind: MediaKind): MediaKindLimit | null {
  return MEDIA_LIMITS[channel]?.kinds.find((k) => k.kind === kind) ?? null;
}

export type UploadCheck =
  | { readonly ok: true; readonly limit: MediaKindLimit }
  | {
      readonly ok: false;
      /** 415: the channel does not take this type; 413: too large for its kind. */
      readonly status: 413 | 415;
      readonly code: 'unsupported_media_type' | 'too_large';
      /** A sentence naming the limit, for the agent. */
      readonly reason: string;
      readonly limit: MediaKindLimit | null;
    };

/** Whether `channel` accepts a file of this type and size, with the limit named when not. */
export function checkUpload(channel: ChannelKind, mimeType: string, size: number): UploadCheck {
  const limits = MEDIA_LIMITS[channel];
  const name = CHANNEL_INFO[channel].label;
  if (!limits) {
    return {
      ok: false,
      status: 415,
      code: 'unsupported_media_type',
      reason: `${name} does not accept attachments from Replydesk.`,
      limit: null,
    };
  }
  const limit = sendableKindFor(channel, mimeType);
  if (!limit) {
    const accepted = limits.kinds
      .filter((k) => k.sendable)
      .map((k) => `${k.kind} (${k.mimeTypes.join(', ')})`)
      .join('; ');
    return {
      ok: false,
      status: 415,
      code: 'unsupported_media_type',
      reason: `${name} does not accept ${baseMimeType(mimeType) || 'this type'} files. It accepts ${accepted}.`,
      limit: null,
    };
  }
  if (size > limit.maxBytes) {
    return {
      ok: false,
      status: 413,
      code: 'too_large',
      reason: `${name} accepts ${limit.kind === 'document' ? 'documents' : `${limit.kind}s`} up to ${formatBytes(limit.maxBytes)}; this file is ${formatBytes(size)}.`,
      limit,
    };
  }
  return { ok: true, limit };
}

/** `5 MB`, `500 KB`, `1.2 MB`: binary units, the way the limits are written. */
export function formatBytes(bytes: number): string {
  if (bytes >= MiB) {
    const n = bytes / MiB;
    return `${Number.isInteger(n) ? n : n.toFixed(1)} MB`;
  }
  if (bytes >= KiB) return `${Math.round(bytes / KiB)} KB`;
  return `${bytes} B`;
}
