import { z } from 'zod';
import { WebhookPayloadError, type ChannelSettings, type ParsedDelivery } from '../../connector';
import type { ChannelError, InboundEvent, InboundStatus } from '../../types';
import { customerOf, instantOf, issueText, textContent, unreadContent } from '../mapping';
import { e164 } from '../phone';
import { smsAccountId } from '../settings';

/**
 * Bird's webhook notifications for the Channels API (CHANNEL-API.md §9.2):
 * `{"service":"channels","event":"sms.inbound"|"sms.outbound",…,"payload":<message object>}`,
 * one message object each. The event names are unconfirmed, so the message object's own
 * `direction` decides: `incoming` is the customer's message (`sender.contact.identifierValue` is
 * their number; deduplicated by `id`), `outgoing` a status of one of ours (`id` as the send
 * answered it, `reference` our message id): sent, delivered, and sending_failed /
 * delivery_failed / rejected as failed with Bird's `reason` and `failure.code`. The steps before
 * `sent` (accepted, processing, scheduled, sending) change nothing.
 */

const contactSchema = z
  .object({
    id: z.string().max(100).optional(),
    identifierKey: z.string().max(50).optional(),
    identifierValue: z.string().min(1).max(100),
  })
  .passthrough();

const messageSchema = z
  .object({
    id: z.string().min(1).max(100),
    channelId: z.string().max(100).optional(),
    direction: z.string().max(30).optional(),
    status: z.string().max(40).optional(),
    reference: z.string().max(200).optional(),
    reason: z.string().max(2000).optional(),
    details: z.string().max(2000).optional(),
    failure: z
      .object({
        code: z.union([z.number().int(), z.string().max(40)]).optional(),
        source: z
          .object({ name: z.string().max(100).optional(), code: z.string().max(40).optional() })
          .passthrough()
          .optional(),
      })
      .passthrough()
      .optional(),
    sender: z.object({ contact: contactSchema.optional() }).passthrough().optional(),
    receiver: z
      .object({ contacts: z.array(contactSchema).max(100).optional() })
      .passthrough()
      .optional(),
    body: z
      .object({
        type: z.string().min(1).max(50),
        text: z
          .object({ text: z.string().max(65_536) })
          .passthrough()
          .optional(),
      })
      .passthrough()
      .optional(),
    createdAt: z.string().max(64).optional(),
    updatedAt: z.string().max(64).optional(),
    lastStatusAt: z.string().max(64).optional(),
  })
  .passthrough();

const envelopeSchema = z
  .object({
    service: z.string().max(50).optional(),
    event: z.string().min(1).max(100),
    payload: z.object({}).passthrough(),
  })
  .passthrough();

const STATUS_OF: Readonly<Record<string, InboundStatus['status']>> = {
  sent: 'sent',
  delivered: 'delivered',
  sending_failed: 'failed',
  delivery_failed: 'failed',
  rejected: 'failed',
};
/** Steps of an accepted message before Bird hands it to the carrier: nothing to record. */
const IN_PROGRESS = new Set(['accepted', 'processing', 'scheduled', 'sending']);

function errorOf(message: z.infer<typeof messageSchema>, status: string): ChannelError {
  const code = message.failure?.code ?? status;
  const title =
    message.details?.trim() || message.reason?.trim() || 'Bird could not deliver the SMS';
  const detail = message.reason?.trim();
  return {
    code: `bird_${String(code)
      .replace(/[^\w.-]/g, '')
      .slice(0, 40)}`,
    title: title.replace(/_/g, ' '),
    ...(detail && detail !== title ? { detail } : {}),
  };
}

export function parseBirdWebhook(body: unknown, settings: ChannelSettings): ParsedDelivery {
  const envelope = envelopeSchema.safeParse(body);
  if (!envelope.success)
    throw new WebhookPayloadError(
      `Not a Bird webhook: ${issueText(envelope.error)}`,
      envelope.error.issues[0]?.path.join('.') || '(body)',
    );
  const { event } = envelope.data;
  const base = { channel: 'sms', channelAccountId: smsAccountId(settings) } as const;
  const events: InboundEvent[] = [];
  const problems: string[] = [];
  const lost: string[] = [];
  const parsed = messageSchema.safeParse(envelope.data.payload);
  if (!parsed.success) {
    const problem = `payload: ${issueText(parsed.error)}`;
    (event.endsWith('.inbound') ? lost : problems).push(problem);
    return { events, problems, lost };
  }
  const m = parsed.data;
  const direction = m.direction ?? (event.endsWith('.inbound') ? 'incoming' : 'outgoing');

  if (direction === 'incoming') {
    const from = m.sender?.contact?.identifierValue;
    if (from === undefined) {
      lost.push(`payload.sender.contact.identifierValue: missing on message ${m.id}`);
      return { events, problems, lost };
    }
    const content =
      m.body?.type === 'text' && m.body.text !== undefined
        ? textContent(m.body.text.text, 'payload.body.text.text', problems)
        : unreadContent(m.body?.type ?? 'unknown', 'payload.body.type', problems);
    events.push({
      ...base,
      kind: 'message',
      externalId: m.id,
      customer: customerOf(from, problems, 'payload.sender.contact.identifierValue'),
      sentAt: instantOf(m.createdAt, 'payload.createdAt', problems),
      content,
    });
    return { events, problems, lost };
  }

  const status = m.status ?? '';
  if (IN_PROGRESS.has(status)) return { events, problems, lost };
  const mapped = STATUS_OF[status];
  if (mapped === undefined) {
    problems.push(
      `payload.status: "${status.slice(0, 40)}" is not one Replydesk reads; nothing changed.`,
    );
    return { events, problems, lost };
  }
  const to = m.receiver?.contacts?.[0]?.identifierValue ?? '';
  events.push({
    ...base,
    kind: 'status',
    externalId: m.id,
    status: mapped,
    at: instantOf(m.lastStatusAt ?? m.updatedAt ?? m.createdAt, 'payload.lastStatusAt', problems),
    recipientId: e164(to) ?? to,
    ...(m.reference ? { ourMessageId: m.reference } : {}),
    ...(mapped === 'failed' ? { error: errorOf(m, status) } : {}),
  });
  return { events, problems, lost };
}
