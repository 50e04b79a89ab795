import { z } from 'zod';
import { WebhookPayloadError, type ChannelSettings, type ParsedDelivery } from '../../connector';
import { checkedContent } from '../../content';
import type { ChannelError, InboundEvent, InboundStatus } from '../../types';
import { customerOf, instantOf, issueText, priceOf, textContent, unreadContent } from '../mapping';
import { e164 } from '../phone';
import { smsAccountId } from '../settings';

/**
 * Vonage Messages API callbacks (CHANNEL-API.md §9.1). Inbound and status callbacks both arrive
 * at /webhooks/sms (the application's Inbound and Status URLs may be the same), one JSON object
 * each, told apart by their body: an inbound message has `message_type`, a status has `status`.
 *
 * - inbound `{channel:"sms", message_uuid, to, from, timestamp, message_type:"text", text, sms}`
 *   → a message from the customer at `from` (digits without `+`, made E.164), deduplicated by
 *   `message_uuid`; an MMS picture (`message_type: "image"`, `image.url`) → an image the media
 *   part downloads (media.ts).
 * - status `{message_uuid, to, from, timestamp, status, usage?{price, currency}, client_ref?,
 *   error?}`: submitted → sent, delivered, read, rejected / undeliverable → failed with the
 *   error's title and detail; `usage` is what the message cost (SMS is charged at `submitted`),
 *   `client_ref` our message id (the sender sets it).
 */

const numberText = z.string().min(1).max(50);
const timestamp = z.string().max(64).optional();

const inboundSchema = z
  .object({
    message_uuid: z.string().min(1).max(100),
    from: numberText,
    to: numberText.optional(),
    timestamp,
    channel: z.string().max(30).optional(),
    message_type: z.string().min(1).max(30),
    text: z.string().max(65_536).optional(),
    sms: z
      .object({ num_messages: z.string().max(10).optional() })
      .passthrough()
      .optional(),
    image: z
      .object({ url: z.string().url().max(2048), caption: z.string().max(4096).optional() })
      .passthrough()
      .optional(),
  })
  .passthrough();

export const VONAGE_STATUSES = [
  'submitted',
  'delivered',
  'read',
  'rejected',
  'undeliverable',
] as const;

const statusSchema = z
  .object({
    message_uuid: z.string().min(1).max(100),
    to: numberText,
    from: numberText.optional(),
    timestamp,
    status: z.string().min(1).max(30),
    channel: z.string().max(30).optional(),
    client_ref: z.string().max(100).optional(),
    usage: z
      .object({
        price: z.union([z.string().max(40), z.number()]).optional(),
        currency: z.string().max(10).optional(),
      })
      .passthrough()
      .optional(),
    error: z
      .object({
        type: z.string().max(500).optional(),
        title: z.union([z.string().max(500), z.number()]).optional(),
        detail: z.string().max(2000).optional(),
        instance: z.string().max(200).optional(),
      })
      .passthrough()
      .optional(),
  })
  .passthrough();

const STATUS_OF: Readonly<Record<(typeof VONAGE_STATUSES)[number], InboundStatus['status']>> = {
  submitted: 'sent',
  delivered: 'delivered',
  read: 'read',
  rejected: 'failed',
  undeliverable: 'failed',
};

/**
 * Vonage's error on a failed message: RFC 7807-like `{type, title, detail}` whose `type` ends in
 * the error's code (`…/messages-olympus#1320`); the agent reads the title and detail.
 */
function errorOf(
  status: 'rejected' | 'undeliverable',
  error: z.infer<typeof statusSchema>['error'],
): ChannelError {
  const fragment = error?.type?.split('#')[1]?.trim();
  const title = error?.title === undefined ? '' : String(error.title).trim();
  const code = fragment || (/^\d{1,10}$/.test(title) ? title : '') || status;
  const readable =
    title && !/^\d+$/.test(title)
      ? title
      : status === 'rejected'
        ? 'Vonage rejected the message'
        : 'The SMS could not be delivered';
  return {
    code: `vonage_${code.replace(/[^\w.-]/g, '').slice(0, 40)}`,
    title: readable,
    ...(error?.detail?.trim() ? { detail: error.detail.trim() } : {}),
  };
}

export function parseVonageCallback(body: unknown, settings: ChannelSettings): ParsedDelivery {
  if (typeof body !== 'object' || body === null || Array.isArray(body))
    throw new WebhookPayloadError(
      'Not a Vonage callback: the body is not a JSON object.',
      '(body)',
    );
  const fields = body as Record<string, unknown>;
  const channelAccountId = smsAccountId(settings);
  const base = { channel: 'sms', channelAccountId } as const;
  const events: InboundEvent[] = [];
  const problems: string[] = [];
  const lost: string[] = [];

  if (typeof fields['status'] === 'string') {
    const parsed = statusSchema.safeParse(body);
    if (!parsed.success) {
      problems.push(`status: ${issueText(parsed.error)}`);
      return { events, problems, lost };
    }
    const e = parsed.data;
    if (!(VONAGE_STATUSES as readonly string[]).includes(e.status)) {
      problems.push(`status: "${e.status}" is not one Replydesk reads; nothing changed.`);
      return { events, problems, lost };
    }
    const vonageStatus = e.status as (typeof VONAGE_STATUSES)[number];
    const price = priceOf(e.usage?.price, e.usage?.currency, 'usage', problems);
    events.push({
      ...base,
      kind: 'status',
      externalId: e.message_uuid,
      status: STATUS_OF[vonageStatus],
      at: instantOf(e.timestamp, 'timestamp', problems),
      recipientId: e164(e.to) ?? e.to,
      ...(e.client_ref ? { ourMessageId: e.client_ref } : {}),
      ...(vonageStatus === 'rejected' || vonageStatus === 'undeliverable'
        ? { error: errorOf(vonageStatus, e.error) }
        : {}),
      ...(price ? { price } : {}),
    });
    return { events, problems, lost };
  }

  if (typeof fields['message_type'] === 'string') {
    const parsed = inboundSchema.safeParse(body);
    if (!parsed.success) {
      lost.push(`message: ${issueText(parsed.error)}`);
      return { events, problems, lost };
    }
    const e = parsed.data;
    if (e.channel !== undefined && e.channel !== 'sms' && e.channel !== 'mms')
      problems.push(`channel: "${e.channel}" is not SMS; stored as an SMS all the same.`);
    const content =
      e.message_type === 'text' && e.text !== undefined
        ? textContent(e.text, 'text', problems)
        : e.message_type === 'image' && e.image !== undefined
          ? // An MMS picture: downloaded by the media part (media.ts), named by the message.
            checkedContent(
              {
                type: 'image',
                media: {
                  mediaId: e.message_uuid,
                  url: e.image.url,
                  ...(e.image.caption ? { caption: e.image.caption } : {}),
                },
              },
              'image',
              problems,
            )
          : unreadContent(e.message_type, 'message_type', problems);
    events.push({
      ...base,
      kind: 'message',
      externalId: e.message_uuid,
      customer: customerOf(e.from, problems, 'from'),
      sentAt: instantOf(e.timestamp, 'timestamp', problems),
      content,
    });
    return { events, problems, lost };
  }

  throw new WebhookPayloadError(
    'Not a Vonage Messages callback: it has neither message_type (inbound) nor status.',
    '(body)',
  );
}
