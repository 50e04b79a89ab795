import type { ChannelKind } from '../../shared/domain/channels';
import type { Conversation, ConversationStatus, Priority } from '../../shared/domain/model';
import type { EntryPoint } from '../../shared/reply-window/types';
import type { Queryable } from './db';

export interface ConversationRow {
  id: string;
  channel: ChannelKind;
  channel_account_id: string;
  customer_id: string;
  customer_external_id: string;
  status: ConversationStatus;
  assignee_id: string | null;
  priority: Priority;
  labels: string[];
  snoozed_until: number | null;
  last_inbound_at: number | null;
  entry_point: EntryPoint;
  entry_point_at: number | null;
  first_reply_after_entry_at: number | null;
  sent_since_inbound: number;
  sent_since_entry_point: number;
  last_payment_at: number | null;
  awaiting_reply_since: number | null;
  first_reply_at: number | null;
  opened_at: number | null;
  resolved_at: number | null;
  blocked_at: number | null;
  /** Migration 15. */
  blocked_reason?: string | null;
  reply_token: string | null;
  reply_token_expires_at: number | null;
  last_message_at: number;
  last_message_preview: string;
  unread_count: number;
  created_at: number;
  updated_at: number;
  c_name: string;
  c_phone: string | null;
  c_email: string | null;
  c_country: string | null;
  c_language: string | null;
}

export const CONVERSATION_SELECT = `
  select v.*, c.name as c_name, c.phone as c_phone, c.email as c_email,
         c.country as c_country, c.language as c_language
  from conversations v join customers c on c.id = v.customer_id`;

const num = (value: number | null): number | null => (value === null ? null : Number(value));

export function toConversation(row: ConversationRow): Conversation {
  return {
    id: row.id,
    channel: row.channel,
    channelAccountId: row.channel_account_id,
    customer: {
      id: row.customer_id,
      name: row.c_name,
      phone: row.c_phone,
      email: row.c_email,
      country: row.c_country,
      language: row.c_language,
    },
    status: row.status,
    assigneeId: row.assignee_id,
    priority: row.priority,
    labels: row.labels,
    snoozedUntil: num(row.snoozed_until),
    lastInboundAt: num(row.last_inbound_at),
    entryPoint: row.entry_point,
    entryPointAt: num(row.entry_point_at),
    firstReplyAfterEntryAt: num(row.first_reply_after_entry_at),
    sentSinceInbound: Number(row.sent_since_inbound),
    sentSinceEntryPoint: Number(row.sent_since_entry_point),
    lastPaymentAt: num(row.last_payment_at),
    awaitingReplySince: num(row.awaiting_reply_since),
    firstReplyAt: num(row.first_reply_at),
    openedAt: num(row.opened_at),
    resolvedAt: num(row.resolved_at),
    // Only while blocked: the field is absent otherwise (older apps and snapshots lack it too).
    ...(row.blocked_at !== null && row.blocked_at !== undefined
      ? { blockedAt: Number(row.blocked_at) }
      : {}),
    ...(row.blocked_at !== null && row.blocked_at !== undefined && row.blocked_reason
      ? { blockedReason: row.blocked_reason }
      : {}),
    lastMessageAt: Number(row.last_message_at),
    lastMessagePreview: row.last_message_preview,
    unreadCount: Number(row.unread_count),
    createdAt: Number(row.created_at),
    updatedAt: Number(row.updated_at),
  };
}

export async function getConversation(q: Queryable, id: string): Promise<Conversation | null> {
  const { rows } = await q.query<ConversationRow>(`${CONVERSATION_SELECT} where v.id = $1`, [id]);
  return rows[0] ? toConversation(rows[0]) : null;
}
