import { z } from 'zod';
import { channelKindSchema } from './channels';

/**
 * The domain model every part shares: what the hub stores and streams, and what the app caches.
 * Instants are epoch milliseconds; ids are strings minted by the hub.
 */

export const roleSchema = z.enum(['agent', 'lead', 'admin']);
export type Role = z.infer<typeof roleSchema>;

export const conversationStatusSchema = z.enum(['open', 'pending', 'snoozed', 'resolved']);
export type ConversationStatus = z.infer<typeof conversationStatusSchema>;

export const prioritySchema = z.enum(['low', 'normal', 'high', 'urgent']);
export type Priority = z.infer<typeof prioritySchema>;

export const entryPointSchema = z.enum([
  'organic',
  'ad_referral',
  'menu_click',
  'follow',
  'qr_scan',
]);

export const mediaSchema = z.object({
  /** The channel's media id (WhatsApp: fetched through the Graph API). */
  mediaId: z.string().max(200),
  mimeType: z.string().max(200).optional(),
  sha256: z.string().max(200).optional(),
  caption: z.string().max(4096).optional(),
  filename: z.string().max(500).optional(),
  url: z.string().max(2048).optional(),
  /** Voice notes (WhatsApp `audio.voice`). */
  voice: z.boolean().optional(),
  animated: z.boolean().optional(),
});

export type MessageMedia = z.infer<typeof mediaSchema>;

/** The content types that carry a file (`content.media`). */
export const MEDIA_CONTENT_TYPES = ['image', 'video', 'audio', 'document', 'sticker'] as const;
export type MediaContentType = (typeof MEDIA_CONTENT_TYPES)[number];

/**
 * The hub's copy of a message's file (issue #14 item 4). Inbound files are downloaded by a
 * background worker: `pending` until the bytes are stored, then `ready` (served at
 * `GET /api/media/<sha256>`) or `failed` with the reason. Outbound files are `ready` from the
 * upload on. Each change reaches the apps as `message.updated`.
 */
/**
 * A photo's thumbnail made by the hub (at most 480 px on the long side, WebP, orientation
 * applied): fetched at `GET /api/media/<the photo's sha256>?size=thumb`; `sha256` is the
 * thumbnail's own hash (its ETag, and its key in the app's media cache).
 */
export const thumbnailSchema = z.object({
  sha256: z.string(),
  mimeType: z.string(),
  width: z.number().int(),
  height: z.number().int(),
});
export type Thumbnail = z.infer<typeof thumbnailSchema>;

export const attachmentSchema = z.object({
  state: z.enum(['pending', 'ready', 'failed']),
  /** Lower-case hex SHA-256 of the bytes: the file's address at the hub. */
  sha256: z.string().nullable(),
  mimeType: z.string().nullable(),
  /** Bytes. */
  size: z.number().int().nullable(),
  filename: z.string().nullable(),
  /** Why the download failed (`failed`), for the agent. */
  error: z.string().nullable(),
  /**
   * The photo's thumbnail once `ready`: null when the hub made none (not a photo, or one it
   * could not decode: the original is still served); absent from hubs that make none.
   */
  thumbnail: thumbnailSchema.nullable().optional(),
});
export type Attachment = z.infer<typeof attachmentSchema>;

export const contactCardSchema = z.object({
  name: z.string().max(500),
  phones: z.array(z.string().max(100)).max(20).default([]),
  emails: z.array(z.string().max(320)).max(20).default([]),
  organization: z.string().max(500).optional(),
});

export const orderItemSchema = z.object({
  productRetailerId: z.string().max(200),
  quantity: z.number().int().min(0).max(100_000),
  itemPrice: z.number().min(0),
  currency: z.string().max(3),
});

/** A message's content, one variant per kind the channels deliver (CHANNELS.md). */
/**
 * A reply button under an agent's text (Messenger / Instagram quick replies): the customer's tap
 * comes back as an `interactive_reply` whose `replyId` is the button's `id` (its payload).
 */
export const replyButtonSchema = z.object({
  id: z.string().regex(/^[A-Za-z0-9_-]{1,64}$/),
  title: z.string().max(100),
});
export type ReplyButton = z.infer<typeof replyButtonSchema>;

export const messageContentSchema = z.discriminatedUnion('type', [
  z.object({
    type: z.literal('text'),
    body: z.string().max(65_536),
    /** Buttons offered under the text (outbound, channels with `replyButtons`). */
    replyButtons: z.array(replyButtonSchema).max(50).optional(),
  }),
  z.object({ type: z.literal('image'), media: mediaSchema }),
  z.object({ type: z.literal('video'), media: mediaSchema }),
  z.object({ type: z.literal('audio'), media: mediaSchema }),
  z.object({ type: z.literal('document'), media: mediaSchema }),
  z.object({ type: z.literal('sticker'), media: mediaSchema }),
  z.object({
    type: z.literal('location'),
    latitude: z.number().min(-90).max(90),
    longitude: z.number().min(-180).max(180),
    name: z.string().max(1000).optional(),
    address: z.string().max(1000).optional(),
    url: z.string().max(2048).optional(),
  }),
  z.object({ type: z.literal('contacts'), contacts: z.array(contactCardSchema).max(50) }),
  /** A tap on an interactive list row or reply button. */
  z.object({
    type: z.literal('interactive_reply'),
    replyId: z.string().max(256),
    title: z.string().max(1000),
    description: z.string().max(1000).optional(),
  }),
  /** A tap on a template's quick-reply button. */
  z.object({
    type: z.literal('button_reply'),
    payload: z.string().max(1000),
    text: z.string().max(1000),
  }),
  /** An emoji reaction to another message (`emoji` empty = reaction removed). */
  z.object({
    type: z.literal('reaction'),
    emoji: z.string().max(32),
    targetExternalId: z.string().max(200),
  }),
  /** A catalog order (WhatsApp `order`): a cart of products. */
  z.object({
    type: z.literal('order'),
    catalogId: z.string().max(200),
    items: z.array(orderItemSchema).max(200),
    note: z.string().max(4096).optional(),
  }),
  /** An outgoing template message, stored with the text the customer sees. */
  z.object({
    type: z.literal('template'),
    templateId: z.string().max(100).optional(),
    name: z.string().max(512),
    language: z.string().max(20),
    category: z.enum(['marketing', 'utility', 'authentication']),
    parameters: z.array(z.string().max(4096)).max(100),
    renderedBody: z.string().max(65_536),
    /** The payloads of its quick-reply buttons, by button index (a CSAT question's ratings). */
    buttonPayloads: z.array(z.string().max(1000)).max(10).optional(),
  }),
  /** A shared link, post or reel (Messenger `fallback`/`share`, Instagram `share`/`ig_reel`). */
  z.object({
    type: z.literal('share'),
    url: z.string().max(2048),
    title: z.string().max(1000).optional(),
    /** What the channel called it (`fallback`, `share`, `ig_reel`…). */
    originalType: z.string().max(100),
  }),
  /**
   * Instagram: a reply to the business's story, or the customer's story mentioning it. The story's
   * link is kept (never its media: Meta forbids storing it) and stops working after 24 h.
   */
  z.object({
    type: z.literal('story'),
    mention: z.boolean(),
    url: z.string().max(2048).optional(),
    storyId: z.string().max(200).optional(),
    /** The customer's words with a story reply. */
    text: z.string().max(65_536).optional(),
  }),
  /**
   * How the customer reached the conversation without writing (Messenger `messaging_referrals`):
   * a click-to-Messenger ad, an m.me link… `source` is Meta's (`ADS`, `SHORTLINK`…).
   */
  z.object({
    type: z.literal('referral'),
    source: z.string().max(100),
    ref: z.string().max(1000).optional(),
    adId: z.string().max(200).optional(),
    adTitle: z.string().max(1000).optional(),
  }),
  /** A message the customer unsent (Instagram `is_deleted`): its content is gone. */
  z.object({ type: z.literal('removed'), originalType: z.string().max(100) }),
  /** Something the channel sent that we do not model yet; shown as such, never dropped. */
  z.object({ type: z.literal('unsupported'), originalType: z.string().max(100) }),
  /**
   * An internal note between teammates (issue #20 item 1, command `add_note`): stored with
   * direction `note`, never sent to a channel, never a reply. `mentions` are user ids.
   */
  z.object({
    type: z.literal('note'),
    text: z.string().max(8192),
    mentions: z.array(z.string().max(100)).max(50),
  }),
]);
export type MessageContent = z.infer<typeof messageContentSchema>;
export type MessageContentType = MessageContent['type'];
export type NoteContent = Extract<MessageContent, { type: 'note' }>;
/** What a channel can carry: every content but a note (connectors never see one). */
export type ChannelContent = Exclude<MessageContent, NoteContent>;

/** `note`: an internal note (content `note`), neither from nor to the customer. */
export const messageDirectionSchema = z.enum(['inbound', 'outbound', 'note']);
export const deliveryStatusSchema = z.enum([
  'received',
  'queued',
  'sending',
  'sent',
  'delivered',
  'read',
  'failed',
]);
export type DeliveryStatus = z.infer<typeof deliveryStatusSchema>;

/**
 * The failure code of a message whose send may or may not have reached the customer: the channel
 * did not answer (or the hub stopped mid-call) and no status webhook named it in time. Never
 * resent by the hub; the agent may resend it (issue #13 item 2).
 */
export const DELIVERY_UNKNOWN = 'delivery_unknown';

/** Order of delivery states: a late `delivered` never overwrites `read`. */
export const DELIVERY_RANK: Readonly<Record<DeliveryStatus, number>> = {
  received: 0,
  queued: 1,
  sending: 2,
  sent: 3,
  delivered: 4,
  read: 5,
  failed: 6,
};

/**
 * The message another one answers, as shown above it: the customer replied to one of ours
 * (Telegram `reply_to_message`, WhatsApp `context`), or the agent quoted one of theirs
 * (`send_message` `replyTo`). `preview` is its text when it was quoted (`quotePreviewOf`), kept
 * for when the quoted message is not loaded.
 */
export const replyQuoteSchema = z.object({
  messageId: z.string(),
  preview: z.string(),
});
export type ReplyQuote = z.infer<typeof replyQuoteSchema>;

export const messageSchema = z.object({
  id: z.string(),
  conversationId: z.string(),
  direction: messageDirectionSchema,
  content: messageContentSchema,
  /** The channel's own id (WhatsApp `wamid`); unique per channel. */
  externalId: z.string().nullable(),
  /** The app's command id for outbound messages (idempotency). */
  clientId: z.string().nullable(),
  authorId: z.string().nullable(),
  status: deliveryStatusSchema,
  failureCode: z.string().nullable(),
  failureReason: z.string().nullable(),
  /** What the channel charges for it, when known. */
  cost: z
    .object({
      amount: z.number(),
      currency: z.string(),
      category: z.string(),
      /** How the channel sent it, when that decided the cost (LINE "Reply (free)"). */
      label: z.string().optional(),
    })
    .nullable(),
  /** Messenger / Instagram message tag used to send it (HUMAN_AGENT). */
  tag: z.string().nullable(),
  /** The hub's copy of the file of a media message; null for other content (and older hubs). */
  attachment: attachmentSchema.nullable().optional(),
  /** When the customer last edited it (Telegram); absent or null if never. */
  editedAt: z.number().nullable().optional(),
  /**
   * Who wrote an inbound message in a group chat (LINE groups and rooms): the member's display
   * name, or their channel id until it is known. Absent in one-to-one chats.
   */
  senderName: z.string().optional(),
  /** The message this one replies to; absent or null when it replies to none we hold. */
  replyTo: replyQuoteSchema.nullable().optional(),
  sentAt: z.number(),
  updatedAt: z.number(),
});
export type Message = z.infer<typeof messageSchema>;

export const customerSchema = z.object({
  id: z.string(),
  name: z.string(),
  phone: z.string().nullable(),
  email: z.string().nullable(),
  country: z.string().nullable(),
  language: z.string().nullable(),
});
export type Customer = z.infer<typeof customerSchema>;

export const conversationSchema = z.object({
  id: z.string(),
  channel: channelKindSchema,
  channelAccountId: z.string(),
  customer: customerSchema,
  status: conversationStatusSchema,
  assigneeId: z.string().nullable(),
  priority: prioritySchema,
  labels: z.array(z.string()),
  snoozedUntil: z.number().nullable(),
  // The reply-window facts (src/shared/reply-window/types.ts).
  lastInboundAt: z.number().nullable(),
  entryPoint: entryPointSchema,
  entryPointAt: z.number().nullable(),
  firstReplyAfterEntryAt: z.number().nullable(),
  sentSinceInbound: z.number().int(),
  sentSinceEntryPoint: z.number().int(),
  lastPaymentAt: z.number().nullable(),
  // The SLA facts (src/shared/sla/policy.ts, SlaFacts). Defaults let snapshots of older hubs
  // and caches parse.
  awaitingReplySince: z.number().nullable().default(null),
  firstReplyAt: z.number().nullable().default(null),
  openedAt: z.number().nullable().default(null),
  resolvedAt: z.number().nullable().default(null),
  /** When the customer blocked the business on the channel (Telegram, LINE, Viber); null if not. */
  blockedAt: z.number().nullable().optional(),
  /**
   * Why nothing can be sent, when it is not the customer blocking the business (a LINE group
   * the account was removed from); absent otherwise.
   */
  blockedReason: z.string().optional(),
  lastMessageAt: z.number(),
  lastMessagePreview: z.string(),
  unreadCount: z.number().int(),
  createdAt: z.number(),
  updatedAt: z.number(),
});
export type Conversation = z.infer<typeof conversationSchema>;

export const userSchema = z.object({
  id: z.string(),
  email: z.string(),
  name: z.string(),
  role: roleSchema,
  disabled: z.boolean(),
});
export type User = z.infer<typeof userSchema>;

/** A WhatsApp template button: a quick reply, a link or a phone number to call. */
export const templateButtonSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('quick_reply'), text: z.string() }),
  z.object({ type: z.literal('url'), text: z.string(), url: z.string() }),
  z.object({ type: z.literal('phone'), text: z.string(), phone: z.string() }),
]);
export type TemplateButton = z.infer<typeof templateButtonSchema>;

/** A quick reply's file at the hub: its address, type, name and size. */
export const quickReplyFileSchema = z.object({
  sha256: z.string(),
  mimeType: z.string(),
  filename: z.string(),
  /** Bytes (the hub fills it from its store; absent in replies saved before it did). */
  size: z.number().int().nonnegative().optional(),
});
export type QuickReplyFile = z.infer<typeof quickReplyFileSchema>;

export const templateSchema = z.object({
  id: z.string(),
  kind: z.enum(['quick_reply', 'whatsapp']),
  name: z.string(),
  shortcut: z.string().nullable(),
  body: z.string(),
  language: z.string(),
  category: z.enum(['marketing', 'utility', 'authentication']).nullable(),
  channels: z.array(channelKindSchema),
  status: z.enum(['draft', 'pending', 'approved', 'rejected', 'paused']),
  version: z.number().int(),
  updatedAt: z.number(),
  updatedBy: z.string().nullable(),
  // Added by the template editor (issue 5). Defaults let older hubs' and caches' templates parse.
  folder: z.string().nullable().default(null),
  tags: z.array(z.string()).default([]),
  /** WhatsApp: a text header (≤ 60 characters), or null for none. */
  header: z.string().nullable().default(null),
  /** WhatsApp: a footer (≤ 60 characters), or null for none. */
  footer: z.string().nullable().default(null),
  buttons: z.array(templateButtonSchema).default([]),
  /** WhatsApp: `examples[i]` is the sample value Meta's reviewers see for `{{i + 1}}`. */
  examples: z.array(z.string()).default([]),
  /** Why Meta rejected the template (status `rejected`). */
  rejectionReason: z.string().nullable().default(null),
  /** A quick reply's file (a returns-label PDF), uploaded with `POST /api/media`; sent with it. */
  attachment: quickReplyFileSchema.nullable().optional(),
});
export type Template = z.infer<typeof templateSchema>;

export const orderSchema = z.object({
  id: z.string(),
  provider: z.string(),
  number: z.string(),
  status: z.string(),
  customerName: z.string().nullable(),
  email: z.string().nullable(),
  phone: z.string().nullable(),
  items: z.array(
    z.object({
      title: z.string(),
      quantity: z.number(),
      sku: z.string().nullable(),
      /** Unit price. */
      price: z.number(),
      // Issue #17 (real shops). Defaults let the demo store's and older caches' orders parse.
      /** The variant as the shop names it (`Blue / M`), null when the product has one. */
      variant: z.string().nullable().default(null),
      /** An http(s) image of the product or variant. */
      imageUrl: z.string().nullable().default(null),
    }),
  ),
  total: z.number(),
  currency: z.string(),
  /** The first shipment's tracking (every shipment is in `fulfillments`). */
  carrier: z.string().nullable(),
  trackingNumber: z.string().nullable(),
  trackingUrl: z.string().nullable(),
  createdAt: z.number(),
  // Issue #17: what Shopify and WooCommerce tell beyond the demo store. All optional.
  /** The shop's name for the panel ("Acme EU"); null for the built-in store. */
  shopName: z.string().nullable().default(null),
  /** The shop's payment status as it words it (`Paid`, `Partially refunded`). */
  financialStatus: z.string().nullable().default(null),
  /** The shop's shipping status as it words it (`Fulfilled`, `Unfulfilled`). */
  fulfillmentStatus: z.string().nullable().default(null),
  /** Shipping address, one line per element (name, street, city, country). */
  shippingAddress: z.array(z.string()).nullable().default(null),
  /** Shipping lines (method and price). */
  shipping: z.array(z.object({ title: z.string(), price: z.number() })).default([]),
  /** Every shipment with its tracking (Shopify fulfillments, WooCommerce Shipment Tracking). */
  fulfillments: z
    .array(
      z.object({
        status: z.string().nullable(),
        carrier: z.string().nullable(),
        trackingNumber: z.string().nullable(),
        trackingUrl: z.string().nullable(),
        shippedAt: z.number().nullable(),
      }),
    )
    .default([]),
  /** Refunds, newest last. */
  refunds: z
    .array(
      z.object({
        amount: z.number(),
        note: z.string().nullable(),
        createdAt: z.number().nullable(),
      }),
    )
    .default([]),
  /** Returns (Shopify), with the shop's status wording. */
  returns: z.array(z.object({ name: z.string(), status: z.string() })).default([]),
  /** Notes shown to the customer (WooCommerce customer notes; the customer's own order note). */
  notes: z.array(z.string()).default([]),
  /** The order in the shop's admin, for the agent (never sent to a customer). */
  adminUrl: z.string().nullable().default(null),
});
export type Order = z.infer<typeof orderSchema>;

/** What a shop may tell beyond the basics, as an order that tells none of it has it. */
export const NO_ORDER_DETAILS = {
  shopName: null,
  financialStatus: null,
  fulfillmentStatus: null,
  shippingAddress: null,
  shipping: [],
  fulfillments: [],
  refunds: [],
  returns: [],
  notes: [],
  adminUrl: null,
} as const satisfies Partial<Order>;

/** A short one-line preview of a message for the inbox list. */
export function previewOf(content: MessageContent): string {
  switch (content.type) {
    case 'text':
      return content.body.slice(0, 200);
    case 'image':
      return content.media.caption ? `📷 ${content.media.caption}` : '📷 Photo';
    case 'video':
      return content.media.caption ? `🎥 ${content.media.caption}` : '🎥 Video';
    case 'audio':
      return content.media.voice ? '🎤 Voice message' : '🎵 Audio';
    case 'document':
      return `📄 ${content.media.filename ?? 'Document'}`;
    case 'sticker':
      return 'Sticker';
    case 'location':
      return `📍 ${content.name ?? content.address ?? 'Location'}`;
    case 'contacts':
      return `👤 ${content.contacts.map((c) => c.name).join(', ') || 'Contact'}`;
    case 'interactive_reply':
      return content.title;
    case 'button_reply':
      return content.text;
    case 'reaction':
      return content.emoji ? `Reacted ${content.emoji}` : 'Removed a reaction';
    case 'order': {
      const count = content.items.reduce((n, item) => n + item.quantity, 0);
      return `🛒 Order: ${count} ${count === 1 ? 'item' : 'items'}`;
    }
    case 'template':
      return content.renderedBody.slice(0, 200);
    case 'share':
      return `🔗 ${content.title ?? content.url}`.slice(0, 200);
    case 'story':
      return content.mention
        ? 'Mentioned you in their story'
        : `Replied to your story${content.text ? `: ${content.text}` : ''}`.slice(0, 200);
    case 'referral':
      return content.source === 'ADS' ? 'Came from an ad' : 'Opened the conversation from a link';
    case 'removed':
      return 'Message removed';
    case 'unsupported':
      return `Unsupported message (${content.originalType})`;
    case 'note':
      return `Note: ${content.text}`.slice(0, 200);
  }
}

/** Longest quote preview kept with a reply. */
export const QUOTE_PREVIEW_LENGTH = 200;

/**
 * A message as a quote shows it: its text, a file's caption or name ("invoice.pdf"), else the
 * inbox preview ("📷 Photo"); on one line, 200 characters at most.
 */
export function quotePreviewOf(content: MessageContent): string {
  const media = 'media' in content ? content.media : null;
  const text =
    content.type === 'text'
      ? content.body
      : media?.caption || media?.filename || previewOf(content);
  const line = text.replace(/\s+/g, ' ').trim();
  return line.length > QUOTE_PREVIEW_LENGTH ? `${line.slice(0, QUOTE_PREVIEW_LENGTH - 1)}…` : line;
}
