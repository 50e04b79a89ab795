import type { ChannelKind } from '../../shared/domain/channels';
import type {
  Attachment,
  DeliveryStatus,
  Message,
  MessageContent,
  ReplyQuote,
} from '../../shared/domain/model';
import type { Queryable } from './db';

export interface MessageRow {
  id: string;
  conversation_id: string;
  channel: ChannelKind;
  direction: Message['direction'];
  content: MessageContent;
  external_id: string | null;
  client_id: string | null;
  author_id: string | null;
  status: DeliveryStatus;
  failure_code: string | null;
  failure_reason: string | null;
  cost: Message['cost'];
  tag: string | null;
  /** The hub's copy of the file (migration 530); absent in rows selected without it. */
  attachment?: Attachment | null;
  /** Migration 6; absent in rows selected without it. */
  edited_at?: number | null;
  /** Migration 15: a group chat's member who wrote it; absent in rows selected without it. */
  sender_external_id?: string | null;
  sender_name?: string | null;
  /** Migration 7; absent in rows selected without it. */
  reply_to?: ReplyQuote | null;
  sent_at: number;
  updated_at: number;
}

export function toMessage(row: MessageRow): Message {
  return {
    id: row.id,
    conversationId: row.conversation_id,
    direction: row.direction,
    content: row.content,
    externalId: row.external_id,
    clientId: row.client_id,
    authorId: row.author_id,
    status: row.status,
    failureCode: row.failure_code,
    failureReason: row.failure_reason,
    cost: row.cost,
    tag: row.tag,
    attachment: row.attachment ?? null,
    ...(row.edited_at !== null && row.edited_at !== undefined
      ? { editedAt: Number(row.edited_at) }
      : {}),
    ...(row.sender_external_id ? { senderName: row.sender_name ?? row.sender_external_id } : {}),
    ...(row.reply_to ? { replyTo: row.reply_to } : {}),
    sentAt: Number(row.sent_at),
    updatedAt: Number(row.updated_at),
  };
}

export async function getMessage(q: Queryable, id: string): Promise<Message | null> {
  const { rows } = await q.query<MessageRow>('select * from messages where id = $1', [id]);
  return rows[0] ? toMessage(rows[0]) : null;
}
