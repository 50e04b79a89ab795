import { randomBytes, randomInt } from 'node:crypto';
import { signWebhookBody } from '../../src/server/channels/meta/signature';

/**
 * Builders for realistic WhatsApp Cloud API webhook bodies, shaped like the examples in Meta's
 * "messages webhook reference" (wamid ids, unix-second string timestamps, a `contacts` entry with
 * the sender's profile name). Used by connector tests, hub integration tests and the benchmark.
 *
 * Two steps:
 *   1. a message builder (`textMessage`, `imageMessage`, …) returns an InboundFixture: the
 *      `message` object plus the sender's `contact`;
 *   2. `messagesWebhook(fixtures)` wraps one or many into a full body (`statusesWebhook` for
 *      statuses built with `statusUpdate`), and `signedWebhook(body, appSecret)` gives the exact
 *      bytes and headers to POST.
 *
 * @example
 *   const hi = textMessage('Where is my order?', { timestamp: 1_749_416_383 });
 *   const { body, headers } = signedWebhook(messagesWebhook(hi), WHATSAPP.appSecret);
 *   await fetch(`${hub.url}/webhooks/whatsapp`, { method: 'POST', body, headers });
 *   // hi.message.id is the wamid the hub deduplicates on.
 */

// ---------------------------------------------------------------------------------------------
// Meta's JSON shapes (only what the builders produce)
// ---------------------------------------------------------------------------------------------

export interface WaContact {
  readonly profile: { readonly name: string };
  readonly wa_id: string;
}

export interface WaMessage {
  readonly from: string;
  readonly id: string;
  readonly timestamp: string;
  readonly type: string;
  readonly [payload: string]: unknown;
}

export interface WaError {
  readonly code: number;
  readonly title: string;
  readonly message: string;
  readonly error_data?: { readonly details: string };
  readonly href?: string;
}

export interface WaPricing {
  readonly billable: boolean;
  readonly pricing_model: string;
  readonly category: string;
  /** Per-message pricing (PMP) only; absent in legacy conversation-based (CBP) payloads. */
  readonly type?: string;
}

export interface WaStatus {
  readonly id: string;
  readonly status: string;
  readonly timestamp: string;
  readonly recipient_id: string;
  readonly conversation?: unknown;
  readonly pricing?: WaPricing;
  readonly errors?: readonly WaError[];
  readonly biz_opaque_callback_data?: string;
}

export interface WaChangeValue {
  readonly messaging_product: 'whatsapp';
  readonly metadata: { readonly display_phone_number: string; readonly phone_number_id: string };
  readonly contacts?: readonly WaContact[];
  readonly messages?: readonly WaMessage[];
  readonly statuses?: readonly WaStatus[];
}

export interface WhatsAppWebhookPayload {
  readonly object: 'whatsapp_business_account';
  readonly entry: ReadonlyArray<{
    readonly id: string;
    readonly changes: ReadonlyArray<{ readonly value: WaChangeValue; readonly field: 'messages' }>;
  }>;
}

// ---------------------------------------------------------------------------------------------
// Defaults: the ids from Meta's own examples (they match test/support/hub.ts WHATSAPP).
// ---------------------------------------------------------------------------------------------

export const TEST_BUSINESS = {
  wabaId: '102290129340398',
  displayPhoneNumber: '15550783881',
  phoneNumberId: '106540352242922',
} as const;

export const TEST_CUSTOMER = { waId: '16505551234', name: 'Sheena Nelson' } as const;

export interface BusinessOptions {
  readonly wabaId?: string;
  readonly displayPhoneNumber?: string;
  /** Becomes the InboundEvent's `channelAccountId`. */
  readonly phoneNumberId?: string;
}

export interface MessageOptions {
  /** The customer's wa_id (digits, no `+`). Default TEST_CUSTOMER.waId. */
  readonly from?: string;
  /** Profile name in `contacts`. Default TEST_CUSTOMER.name, or "Customer 1234" for other senders. */
  readonly name?: string;
  /** The wamid. Default: a fresh unique one. */
  readonly id?: string;
  /** Unix seconds or a Date. Default: now. */
  readonly timestamp?: number | Date;
  /** Makes it a reply to this wamid (`context.id`). */
  readonly replyTo?: string;
  /** Adds a click-to-WhatsApp ad `referral` (true = a realistic default ad). */
  readonly referral?: boolean | Partial<WaReferral>;
}

export interface WaReferral {
  readonly source_url: string;
  readonly source_id: string;
  readonly source_type: 'ad' | 'post';
  readonly headline: string;
  readonly body: string;
  readonly media_type: 'image' | 'video';
  readonly image_url: string;
  readonly ctwa_clid: string;
}

export interface InboundFixture {
  readonly contact: WaContact;
  readonly message: WaMessage;
}

// ---------------------------------------------------------------------------------------------
// Helpers
// ---------------------------------------------------------------------------------------------

let counter = 0;

/**
 * A fresh wamid: `wamid.` + base64 of an opaque binary id embedding the wa_id, like Meta's
 * (`wamid.HBgLMTY1MDM4Nzk0MzkVAgASGBQzQTRBNjU5OUFFRTAzODEwMTQ0RgA=`).
 */
export function nextWamid(waId: string = TEST_CUSTOMER.waId): string {
  counter += 1;
  const unique = `${counter.toString(16).padStart(4, '0')}${randomBytes(8).toString('hex')}`;
  const opaque = Buffer.concat([
    Buffer.from([0x1c, 0x18, waId.length & 0xff]),
    Buffer.from(waId),
    Buffer.from([0x15, 0x02, 0x00, 0x12, 0x18, 0x14]),
    Buffer.from(unique.toUpperCase()),
    Buffer.from([0x00]),
  ]);
  return `wamid.${opaque.toString('base64')}`;
}

/** Unix seconds as Meta sends them: a string of digits. */
export function unixSeconds(at: number | Date = new Date()): string {
  const seconds = at instanceof Date ? Math.floor(at.getTime() / 1000) : Math.floor(at);
  return String(seconds);
}

function mediaId(): string {
  // Graph media ids are long numeric strings (16 digits here).
  return `${randomInt(100_000_000, 1_000_000_000)}${randomInt(1_000_000, 10_000_000)}`;
}

function sha256(): string {
  return randomBytes(32).toString('base64');
}

function fixture(
  type: string,
  payload: Record<string, unknown>,
  options: MessageOptions,
): InboundFixture {
  const from = options.from ?? TEST_CUSTOMER.waId;
  const name =
    options.name ??
    (from === TEST_CUSTOMER.waId ? TEST_CUSTOMER.name : `Customer ${from.slice(-4)}`);
  const referral =
    options.referral === undefined || options.referral === false
      ? undefined
      : {
          source_url: 'https://fb.me/3cr4Wqqkv',
          source_id: '120226305854810726',
          source_type: 'ad' as const,
          headline: 'Summer sale: 20% off',
          body: 'Chat with us to find your size.',
          media_type: 'image' as const,
          image_url: 'https://scontent.xx.fbcdn.net/v/t45.1600-4/ad-image.png',
          ctwa_clid: `Afc${randomBytes(12).toString('base64url')}`,
          ...(options.referral === true ? {} : options.referral),
        };
  const message: WaMessage = {
    ...(options.replyTo !== undefined
      ? { context: { from: TEST_BUSINESS.displayPhoneNumber, id: options.replyTo } }
      : {}),
    from,
    id: options.id ?? nextWamid(from),
    timestamp: unixSeconds(options.timestamp),
    type,
    ...payload,
    ...(referral ? { referral } : {}),
  };
  return { contact: { profile: { name }, wa_id: from }, message };
}

// ---------------------------------------------------------------------------------------------
// Message builders, one per type Meta documents
// ---------------------------------------------------------------------------------------------

export function textMessage(body: string, options: MessageOptions = {}): InboundFixture {
  return fixture('text', { text: { body } }, options);
}

export interface MediaOptions extends MessageOptions {
  readonly mediaId?: string;
  readonly mimeType?: string;
  readonly sha256?: string;
}

export function imageMessage(
  options: MediaOptions & { readonly caption?: string } = {},
): InboundFixture {
  return fixture(
    'image',
    {
      image: {
        ...(options.caption !== undefined ? { caption: options.caption } : {}),
        mime_type: options.mimeType ?? 'image/jpeg',
        sha256: options.sha256 ?? sha256(),
        id: options.mediaId ?? mediaId(),
      },
    },
    options,
  );
}

export function videoMessage(
  options: MediaOptions & { readonly caption?: string } = {},
): InboundFixture {
  return fixture(
    'video',
    {
      video: {
        ...(options.caption !== undefined ? { caption: options.caption } : {}),
        mime_type: options.mimeType ?? 'video/mp4',
        sha256: options.sha256 ?? sha256(),
        id: options.mediaId ?? mediaId(),
      },
    },
    options,
  );
}

/** `voice: true` (the default) is a voice note recorded in WhatsApp; false an audio file. */
export function audioMessage(
  options: MediaOptions & { readonly voice?: boolean } = {},
): InboundFixture {
  const voice = options.voice ?? true;
  return fixture(
    'audio',
    {
      audio: {
        mime_type: options.mimeType ?? (voice ? 'audio/ogg; codecs=opus' : 'audio/mpeg'),
        sha256: options.sha256 ?? sha256(),
        id: options.mediaId ?? mediaId(),
        voice,
      },
    },
    options,
  );
}

export function documentMessage(
  options: MediaOptions & { readonly caption?: string; readonly filename?: string } = {},
): InboundFixture {
  return fixture(
    'document',
    {
      document: {
        ...(options.caption !== undefined ? { caption: options.caption } : {}),
        filename: options.filename ?? 'invoice-1001.pdf',
        mime_type: options.mimeType ?? 'application/pdf',
        sha256: options.sha256 ?? sha256(),
        id: options.mediaId ?? mediaId(),
      },
    },
    options,
  );
}

export function stickerMessage(
  options: MediaOptions & { readonly animated?: boolean } = {},
): InboundFixture {
  return fixture(
    'sticker',
    {
      sticker: {
        mime_type: options.mimeType ?? 'image/webp',
        sha256: options.sha256 ?? sha256(),
        id: options.mediaId ?? mediaId(),
        animated: options.animated ?? false,
      },
    },
    options,
  );
}

export function locationMessage(
  options: MessageOptions & {
    readonly latitude?: number;
    readonly longitude?: number;
    readonly name?: string;
    readonly address?: string;
    readonly url?: string;
    /** Profile name of the sender (`name` here is the place's name). */
    readonly senderName?: string;
  } = {},
): InboundFixture {
  const { name, senderName, ...rest } = options;
  return fixture(
    'location',
    {
      location: {
        ...(options.address !== undefined ? { address: options.address } : {}),
        latitude: options.latitude ?? 37.44216251868683,
        longitude: options.longitude ?? -122.16153582049394,
        ...(name !== undefined ? { name } : {}),
        ...(options.url !== undefined ? { url: options.url } : {}),
      },
    },
    { ...rest, ...(senderName !== undefined ? { name: senderName } : {}) },
  );
}

/** A shared contact card in Meta's shape; every property but the name is optional. */
export interface WaContactCard {
  readonly name: {
    readonly formatted_name: string;
    readonly first_name?: string;
    readonly last_name?: string;
  };
  readonly phones?: ReadonlyArray<{
    readonly phone: string;
    readonly type?: string;
    readonly wa_id?: string;
  }>;
  readonly emails?: ReadonlyArray<{ readonly email: string; readonly type?: string }>;
  readonly org?: {
    readonly company?: string;
    readonly department?: string;
    readonly title?: string;
  };
  readonly addresses?: readonly unknown[];
  readonly birthday?: string;
  readonly urls?: readonly unknown[];
}

export const EXAMPLE_CONTACT_CARD: WaContactCard = {
  name: { formatted_name: 'Barbara J. Johnson', first_name: 'Barbara', last_name: 'Johnson' },
  phones: [
    { phone: '+1 (415) 555-0123', type: 'CELL', wa_id: '14155550123' },
    { phone: '+1 (415) 555-0100', type: 'WORK' },
  ],
  emails: [{ email: 'bjohnson@example.com', type: 'WORK' }],
  org: { company: 'Lucky Shrub', department: 'Sales', title: 'Manager' },
  birthday: '1999-01-23',
};

export function contactsMessage(
  cards: readonly WaContactCard[] = [EXAMPLE_CONTACT_CARD],
  options: MessageOptions = {},
): InboundFixture {
  return fixture('contacts', { contacts: cards }, options);
}

/** A tap on an interactive reply button the business sent. */
export function buttonReplyMessage(
  reply: { readonly id: string; readonly title: string },
  options: MessageOptions = {},
): InboundFixture {
  return fixture(
    'interactive',
    { interactive: { type: 'button_reply', button_reply: { id: reply.id, title: reply.title } } },
    options,
  );
}

/** A row chosen in an interactive list message. */
export function listReplyMessage(
  row: { readonly id: string; readonly title: string; readonly description?: string },
  options: MessageOptions = {},
): InboundFixture {
  return fixture(
    'interactive',
    {
      interactive: {
        type: 'list_reply',
        list_reply: {
          id: row.id,
          title: row.title,
          ...(row.description !== undefined ? { description: row.description } : {}),
        },
      },
    },
    options,
  );
}

/** A tap on a template's quick-reply button (`type: "button"`); usually a reply to the template. */
export function buttonMessage(
  button: { readonly payload: string; readonly text: string },
  options: MessageOptions = {},
): InboundFixture {
  return fixture('button', { button: { payload: button.payload, text: button.text } }, options);
}

/** A reaction to `messageId`; omit `emoji` for "reaction removed". */
export function reactionMessage(
  reaction: { readonly messageId: string; readonly emoji?: string },
  options: MessageOptions = {},
): InboundFixture {
  return fixture(
    'reaction',
    {
      reaction: {
        message_id: reaction.messageId,
        ...(reaction.emoji !== undefined ? { emoji: reaction.emoji } : {}),
      },
    },
    options,
  );
}

export interface WaOrderItem {
  readonly product_retailer_id: string;
  readonly quantity: number;
  readonly item_price: number;
  readonly currency: string;
}

export function orderMessage(
  order: {
    readonly catalogId?: string;
    readonly items?: readonly WaOrderItem[];
    readonly text?: string;
  } = {},
  options: MessageOptions = {},
): InboundFixture {
  return fixture(
    'order',
    {
      order: {
        catalog_id: order.catalogId ?? '194836987003835',
        ...(order.text !== undefined ? { text: order.text } : {}),
        product_items: order.items ?? [
          { product_retailer_id: 'di9ozbzfi4', quantity: 2, item_price: 30, currency: 'USD' },
          { product_retailer_id: 'nqryix03ez', quantity: 1, item_price: 25, currency: 'USD' },
        ],
      },
    },
    options,
  );
}

/**
 * What Meta sends for content the Cloud API cannot deliver (polls, edits, view-once media…):
 * `type: "unsupported"` with error 131051 and, in newer payloads, `unsupported.type`.
 */
export function unsupportedMessage(
  options: MessageOptions & { readonly unsupportedType?: string } = {},
): InboundFixture {
  return fixture(
    'unsupported',
    {
      errors: [
        {
          code: 131051,
          title: 'Message type unknown',
          message: 'Message type unknown',
          error_data: { details: 'Message type is currently not supported.' },
        },
      ],
      ...(options.unsupportedType !== undefined
        ? { unsupported: { type: options.unsupportedType } }
        : {}),
    },
    options,
  );
}

/**
 * Any other message type, e.g. `rawMessage('system', { system: { body: '…', type:
 * 'customer_changed_number', wa_id: '…' } })` or `rawMessage('request_welcome')`.
 */
export function rawMessage(
  type: string,
  payload: Record<string, unknown> = {},
  options: MessageOptions = {},
): InboundFixture {
  return fixture(type, payload, options);
}

// ---------------------------------------------------------------------------------------------
// Statuses
// ---------------------------------------------------------------------------------------------

export interface StatusOptions {
  /** The wamid of our outbound message (e.g. FakeGraphApi.sentMessageIds[0]). */
  readonly id: string;
  readonly recipientId?: string;
  readonly timestamp?: number | Date;
  /** What the business attached to the send (`biz_opaque_callback_data`), echoed back. */
  readonly callbackData?: string;
  /**
   * Per-message pricing. Default for sent/delivered/read: a free service reply. `null` omits it
   * (Meta omits pricing on most failed statuses).
   */
  readonly pricing?: {
    readonly category?: string;
    readonly type?: 'regular' | 'free_customer_service' | 'free_entry_point';
    readonly billable?: boolean;
  } | null;
  /** For `failed`: the error. Default: 131047 re-engagement. */
  readonly error?: Partial<WaError> & { readonly details?: string };
  /** Adds Meta's `conversation` object (still sent for free entry-point conversations). */
  readonly conversation?: {
    readonly id?: string;
    readonly originType?: string;
    readonly expiresAt?: number;
  };
}

export const REENGAGEMENT_ERROR: WaError = {
  code: 131047,
  title: 'Re-engagement message',
  message: 'Re-engagement message',
  error_data: {
    details:
      'Message failed to send because more than 24 hours have passed since the customer last replied to this number.',
  },
  href: 'https://developers.facebook.com/docs/whatsapp/cloud-api/support/error-codes/',
};

export function statusUpdate(
  status: 'sent' | 'delivered' | 'read' | 'failed' | (string & {}),
  options: StatusOptions,
): WaStatus {
  let pricing: WaPricing | undefined;
  if (options.pricing !== null && (options.pricing !== undefined || status !== 'failed')) {
    const type = options.pricing?.type ?? 'free_customer_service';
    pricing = {
      billable: options.pricing?.billable ?? type === 'regular',
      pricing_model: 'PMP',
      category: options.pricing?.category ?? 'service',
      type,
    };
  }
  let errors: WaError[] | undefined;
  if (status === 'failed' || options.error !== undefined) {
    const e = options.error ?? {};
    // Without a code the default is the re-engagement failure, the one agents meet most.
    const base = e.code === undefined ? REENGAGEMENT_ERROR : undefined;
    const code = e.code ?? REENGAGEMENT_ERROR.code;
    const details = e.details ?? e.error_data?.details ?? base?.error_data?.details;
    errors = [
      {
        code,
        title: e.title ?? base?.title ?? e.message ?? `Error ${code}`,
        message: e.message ?? base?.message ?? e.title ?? `Error ${code}`,
        ...(details !== undefined ? { error_data: { details } } : {}),
        href: REENGAGEMENT_ERROR.href,
      },
    ];
  }
  const conversation = options.conversation
    ? {
        id: options.conversation.id ?? randomBytes(16).toString('hex'),
        ...(options.conversation.expiresAt !== undefined
          ? { expiration_timestamp: unixSeconds(options.conversation.expiresAt) }
          : {}),
        origin: { type: options.conversation.originType ?? 'referral_conversion' },
      }
    : undefined;
  return {
    id: options.id,
    status,
    timestamp: unixSeconds(options.timestamp),
    recipient_id: options.recipientId ?? TEST_CUSTOMER.waId,
    ...(options.callbackData !== undefined
      ? { biz_opaque_callback_data: options.callbackData }
      : {}),
    ...(conversation ? { conversation } : {}),
    ...(pricing ? { pricing } : {}),
    ...(errors ? { errors } : {}),
  };
}

// ---------------------------------------------------------------------------------------------
// Full bodies
// ---------------------------------------------------------------------------------------------

function metadata(business: BusinessOptions): WaChangeValue['metadata'] {
  return {
    display_phone_number: business.displayPhoneNumber ?? TEST_BUSINESS.displayPhoneNumber,
    phone_number_id: business.phoneNumberId ?? TEST_BUSINESS.phoneNumberId,
  };
}

function asArray<T>(value: T | readonly T[]): readonly T[] {
  return Array.isArray(value) ? (value as readonly T[]) : [value as T];
}

/** One webhook with one entry and one change holding these messages (senders in `contacts`). */
export function messagesWebhook(
  fixtures: InboundFixture | readonly InboundFixture[],
  business: BusinessOptions = {},
): WhatsAppWebhookPayload {
  const list = asArray(fixtures);
  const contacts = new Map<string, WaContact>();
  for (const f of list)
    if (!contacts.has(f.contact.wa_id)) contacts.set(f.contact.wa_id, f.contact);
  return {
    object: 'whatsapp_business_account',
    entry: [
      {
        id: business.wabaId ?? TEST_BUSINESS.wabaId,
        changes: [
          {
            value: {
              messaging_product: 'whatsapp',
              metadata: metadata(business),
              contacts: [...contacts.values()],
              messages: list.map((f) => f.message),
            },
            field: 'messages',
          },
        ],
      },
    ],
  };
}

/** One webhook with one entry and one change holding these statuses. */
export function statusesWebhook(
  statuses: WaStatus | readonly WaStatus[],
  business: BusinessOptions = {},
): WhatsAppWebhookPayload {
  return {
    object: 'whatsapp_business_account',
    entry: [
      {
        id: business.wabaId ?? TEST_BUSINESS.wabaId,
        changes: [
          {
            value: {
              messaging_product: 'whatsapp',
              metadata: metadata(business),
              statuses: asArray(statuses),
            },
            field: 'messages',
          },
        ],
      },
    ],
  };
}

/** Several webhooks batched as one delivery with several entries (Meta may batch). */
export function combineWebhooks(
  ...payloads: readonly WhatsAppWebhookPayload[]
): WhatsAppWebhookPayload {
  return { object: 'whatsapp_business_account', entry: payloads.flatMap((p) => p.entry) };
}

export interface SignedWebhook {
  /** The exact bytes to POST: the signature covers them, so send this string unchanged. */
  readonly body: string;
  readonly headers: { 'content-type': 'application/json'; 'x-hub-signature-256': string };
}

/** Serialises a body and signs it the way Meta does (`X-Hub-Signature-256: sha256=…`). */
export function signedWebhook(payload: unknown, appSecret: string): SignedWebhook {
  const body = typeof payload === 'string' ? payload : JSON.stringify(payload);
  return {
    body,
    headers: {
      'content-type': 'application/json',
      'x-hub-signature-256': signWebhookBody(Buffer.from(body, 'utf8'), appSecret),
    },
  };
}

/** POST a payload to a hub's `/webhooks/whatsapp`, signed with `appSecret`; the status answered. */
export async function postSignedWebhook(
  hubUrl: string,
  payload: unknown,
  appSecret: string,
): Promise<number> {
  const signed = signedWebhook(payload, appSecret);
  const res = await fetch(`${hubUrl}/webhooks/whatsapp`, {
    method: 'POST',
    headers: signed.headers,
    body: signed.body,
  });
  await res.arrayBuffer();
  return res.status;
}
