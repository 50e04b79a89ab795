import type { ChannelKind } from '../../shared/domain/channels';
import type {
  ChannelContent,
  DeliveryStatus,
  MessageContent,
  MessageMedia,
} from '../../shared/domain/model';
import type { EntryPoint } from '../../shared/reply-window/types';

/**
 * What channel connectors hand to the hub's ingestion, and what the hub asks them to send. Every
 * connector (WhatsApp Cloud API, the demo simulator, later Messenger, Telegram…) normalises its
 * payloads into these shapes; ingestion is the same path for all of them.
 */

export interface InboundCustomer {
  /** The channel's id for the customer (WhatsApp `wa_id`). */
  readonly externalId: string;
  readonly name: string | null;
  readonly phone: string | null;
  readonly email?: string | null;
  readonly country?: string | null;
  readonly language?: string | null;
}

export interface InboundMessage {
  readonly kind: 'message';
  readonly channel: ChannelKind;
  /** The business account it arrived on (WhatsApp `phone_number_id`). */
  readonly channelAccountId: string;
  /** The channel's message id (WhatsApp `wamid`): the deduplication key (DESIGN.md rule 4). */
  readonly externalId: string;
  readonly customer: InboundCustomer;
  /** When the customer sent it, epoch ms. */
  readonly sentAt: number;
  /**
   * Set by ingestion when the channel's timestamp was too far in the future to believe: the time
   * the channel claimed (`sentAt` is then the hub's receipt time).
   */
  readonly claimedSentAt?: number;
  readonly content: MessageContent;
  /** The message this one replies to (WhatsApp `context.id`). */
  readonly replyToExternalId?: string | null;
  /** Set when the message came from an ad or Page button (WhatsApp `referral`). */
  readonly entryPoint?: EntryPoint;
  /** A payment event (WeChat) that opens its 48 h window. */
  readonly payment?: boolean;
  /**
   * A token that makes one reply to this message free (LINE `replyToken`): single use, valid
   * until `expiresAt` (epoch ms). The hub keeps the newest on the conversation and hands it to
   * the sender in `OutboundRequest.replyToken` while it is valid and unused.
   */
  readonly replyToken?: { readonly token: string; readonly expiresAt: number };
  /**
   * In a group chat (LINE group or room, whose conversation is the group's): the member who
   * wrote it, by channel id; the hub looks their name up (`ChannelConnector.memberName`).
   */
  readonly sender?: { readonly externalId: string };
}

export interface ChannelError {
  readonly code: string;
  readonly title: string;
  readonly detail?: string;
}

export interface InboundStatus {
  readonly kind: 'status';
  readonly channel: ChannelKind;
  readonly channelAccountId: string;
  /** The id of our outbound message the status is about. */
  readonly externalId: string;
  readonly status: Extract<DeliveryStatus, 'sent' | 'delivered' | 'read' | 'failed'>;
  readonly at: number;
  readonly recipientId: string;
  /**
   * Our message id, when the channel echoes what we attached to the send (WhatsApp
   * `biz_opaque_callback_data`): it identifies a message whose send answer never reached us.
   */
  readonly ourMessageId?: string;
  readonly error?: ChannelError;
  /** WhatsApp `pricing`: billable, category (`service`, `utility`, …), model. */
  readonly pricing?: {
    readonly billable: boolean;
    readonly category: string;
    readonly model: string;
  };
  /**
   * What the channel charged for the message, when its status says (Vonage SMS `usage`: a decimal
   * `price` and its currency): recorded as the message's cost, in place of the rate card's quote.
   */
  readonly price?: { readonly amount: string; readonly currency: string };
}

/**
 * A message the business sent on the channel but not through this hub (Messenger / Instagram
 * `is_echo`: a reply typed in Meta Business Suite or another app): stored as an agent's message
 * (outbound, `sent`, no author), never queued, so never sent again. Echoes of the hub's own sends
 * are mapped to an `InboundStatus` naming our message instead, and are not stored twice.
 */
export interface InboundEcho extends Omit<InboundMessage, 'kind' | 'entryPoint' | 'payment'> {
  readonly kind: 'echo';
  /** The customer it went to. */
  readonly customer: InboundCustomer;
}

/**
 * A receipt that covers several of our messages at once (Messenger `delivery` / `read`: every
 * message sent before the `watermark`; Instagram `read.mid`: up to that message).
 */
export interface InboundReceipt {
  readonly kind: 'receipt';
  readonly channel: ChannelKind;
  readonly channelAccountId: string;
  /** A name for the receipt in logs and dead letters (`read:<watermark>`). */
  readonly externalId: string;
  readonly customerExternalId: string;
  readonly status: 'delivered' | 'read';
  readonly at: number;
  /** Every outbound message sent at or before this instant (epoch ms). */
  readonly watermark?: number;
  /** Every outbound message up to and including this one (channel id). */
  readonly upToExternalId?: string;
}

/** The customer unsent a message (Instagram `is_deleted`): it shows as removed. */
export interface InboundRemoval {
  readonly kind: 'removal';
  readonly channel: ChannelKind;
  readonly channelAccountId: string;
  /** The removed message's channel id. */
  readonly externalId: string;
  readonly at: number;
}

/** The customer edited a message (Telegram `edited_message`): its content is replaced, marked edited. */
export interface InboundEdit {
  readonly kind: 'edit';
  readonly channel: ChannelKind;
  readonly channelAccountId: string;
  /** The edited message's channel id (as its `InboundMessage.externalId`). */
  readonly externalId: string;
  readonly content: MessageContent;
  /** When it was edited (Telegram `edit_date`), epoch ms. */
  readonly at: number;
}

/**
 * The customer blocked or unblocked the business (Telegram `my_chat_member` kicked/member, LINE
 * `unfollow`/`follow`, Viber `unsubscribed`/`subscribed`): while blocked, the conversation says so
 * and the hub refuses replies with that reason.
 */
export interface InboundBlock {
  readonly kind: 'block';
  readonly channel: ChannelKind;
  readonly channelAccountId: string;
  /** A name for the event in logs and dead letters (`update:<update_id>`, `webhookEventId`). */
  readonly externalId: string;
  readonly customer: InboundCustomer;
  readonly blocked: boolean;
  readonly at: number;
  /**
   * Why nothing can be sent, when it is not the customer blocking the business (LINE `leave`:
   * the account was removed from the group): shown and answered in its place.
   */
  readonly reason?: string;
}

export type InboundEvent =
  | InboundMessage
  | InboundStatus
  | InboundEcho
  | InboundReceipt
  | InboundRemoval
  | InboundEdit
  | InboundBlock;

/** One message the hub asks a connector to deliver. */
export interface OutboundRequest {
  readonly messageId: string;
  readonly channel: ChannelKind;
  readonly channelAccountId: string;
  /** The customer's id on the channel (WhatsApp `wa_id`). */
  readonly to: string;
  /** Never a note: the outbound queue refuses one before any connector is asked. */
  readonly content: ChannelContent;
  /** Messenger / Instagram message tag (HUMAN_AGENT) when sending outside the window. */
  readonly tag?: string | null;
  /**
   * The conversation's reply token (LINE), when one is still valid and unused: the hub marks it
   * used before the send, so it is offered to one send only. Null or absent: push.
   */
  readonly replyToken?: string | null;
  /**
   * The channel's id of the message this one answers (the agent quoted it): a connector that
   * can (`ChannelInfo.quotesReplies`) sends it as a reply to that message (Telegram
   * `reply_parameters`, WhatsApp `context.message_id`); others ignore it.
   */
  readonly replyToExternalId?: string;
  /**
   * The file's bytes, for a channel whose media part is `inline` (Telegram: multipart in the
   * send request itself, no upload step). Absent when the content names a channel media id.
   */
  readonly file?: {
    readonly bytes: Buffer;
    readonly mimeType: string;
    readonly filename: string;
  };
}

/** What a send cost, when the channel's way of sending decides it (LINE reply vs push). */
export interface SendBilling {
  readonly billable: boolean;
  /** The rate-card basis, e.g. `line.reply_free`, `line.push_quota`. */
  readonly basis: string;
  /** What the agent sees beside the message: "Reply (free)", "Push (counts against quota)". */
  readonly label: string;
  /**
   * Messages the account's plan had counted this month before this one (LINE's quota
   * consumption), when the channel said: the hub prices a push beyond the plan's free quota
   * from the rate card with it.
   */
  readonly countedBefore?: number;
}

export type SendResult =
  | {
      readonly ok: true;
      readonly externalId: string;
      readonly billing?: SendBilling;
      /** The channel's id for a file sent inline (`ChannelMedia.inline`), to reuse. */
      readonly channelMediaId?: string;
    }
  | {
      readonly ok: false;
      /** 429 and 5xx: try again later from the durable queue. */
      readonly retryable: boolean;
      /**
       * The channel may have accepted the message (a timeout or a dropped connection after the
       * request went out, a success without an id). Never retried: the queue waits for a status
       * webhook naming our message (issue #13 item 2), then tells the agent it may not have been
       * delivered.
       */
      readonly uncertain?: boolean;
      /** Server-suggested wait (Retry-After / retry_after), if any. */
      readonly retryAfterMs?: number;
      readonly code: string;
      /** What the agent sees on the failed message. */
      readonly reason: string;
    };

export interface ChannelSender {
  readonly channel: ChannelKind;
  send(request: OutboundRequest): Promise<SendResult>;
}

/** What a connector knows of an inbound file: the content's `media` (channel id, type, URL…). */
export type MessageMediaRef = MessageMedia;

/** The bytes of a file a connector fetched, with what the channel said about them. */
export interface DownloadedMedia {
  readonly bytes: Buffer;
  /** The channel's MIME type for the bytes (response `Content-Type` or the media's metadata). */
  readonly mimeType: string;
  readonly filename?: string;
  /** The channel's SHA-256 of the file, when it gives one (WhatsApp: hex from GET /{media-id}). */
  readonly sha256?: string;
}

/**
 * A media failure a connector reports: `retryable` for what may pass on another try (5xx, 429,
 * a dropped connection), not for what will not (404, an expired id, a refused token).
 */
export class ChannelMediaError extends Error {
  constructor(
    message: string,
    readonly retryable: boolean,
    readonly code: string,
  ) {
    super(message);
    this.name = 'ChannelMediaError';
  }
}

/**
 * A connector's media part (issue #14 items 4 and 5). The hub's download worker and outbound
 * queue call it. Like the sender it is made from the connector's deps (settings getter, Graph
 * URL, fetch), so a connector offers `createMedia?(deps): ChannelMedia` beside `createSender`.
 * Errors are `ChannelMediaError`s (anything else counts as retryable).
 */
export interface ChannelMedia {
  /**
   * The channel takes files in the send request (Telegram multipart `sendPhoto` etc.): the queue
   * skips `upload` and hands the bytes to the sender (`OutboundRequest.file`). A sender may
   * answer the channel's id for the file (`SendResult` ok `channelMediaId`, Telegram `file_id`),
   * which later sends of the same file on that account reuse instead of the bytes.
   */
  readonly inline?: boolean;
  /**
   * Fetch an inbound attachment (WhatsApp: GET /{media-id}, then its url with the token).
   * `maxBytes` is the channel's limit for the kind: a connector that knows the size first (a
   * declared size, a Content-Length) or reads past it stops and throws a non-retryable
   * `ChannelMediaError` (code `too_large`) instead of fetching the rest; the hub checks again.
   */
  download(
    media: MessageMediaRef,
    channelAccountId: string,
    signal: AbortSignal,
    options?: { readonly maxBytes?: number },
  ): Promise<DownloadedMedia>;
  /** Upload a file for sending; the channel's id for it (WhatsApp POST /{phone-number-id}/media). */
  upload(
    file: { readonly bytes: Buffer; readonly mimeType: string; readonly filename: string },
    channelAccountId: string,
    signal: AbortSignal,
  ): Promise<{ readonly channelMediaId: string }>;
}
