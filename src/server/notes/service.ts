import type { Message, User } from '../../shared/domain/model';
import type { Command } from '../../shared/protocol/commands';
import { conversationUpdated, messageCreated, type HubEvent } from '../../shared/protocol/events';
import type { Mention, MentionsPage } from '../../shared/notes/mentions';
import { sanitizeValue } from '../../shared/templates';
import { badRequest, notFound } from '../http/errors';
import { newId } from '../ids';
import { getConversation } from '../store/conversations';
import type { Queryable } from '../store/db';
import { toMessage, type MessageRow } from '../store/messages';

type AddNote = Extract<Command, { type: 'add_note' }>;
type ReadMentions = Extract<Command, { type: 'read_mentions' }>;

/**
 * `add_note`: a message with direction `note`, in the caller's transaction. It is never queued
 * for a channel and changes none of the conversation's reply-window or SLA facts, nor its
 * preview or unread count (the inbox row keeps showing the customer conversation); only
 * `updated_at`, so every app hears of it. Mentions must be the workspace's active users.
 */
export async function addNote(
  tx: Queryable,
  command: AddNote,
  user: User,
  clientId: string,
  at: number,
  events: HubEvent[],
): Promise<{ message: Message }> {
  const conversation = await getConversation(tx, command.conversationId);
  if (!conversation) throw notFound(`No conversation ${command.conversationId}.`);
  const mentions = [...new Set(command.mentions)];
  if (mentions.length > 0) {
    const { rows } = await tx.query<{ id: string }>(
      'select id from users where id = any($1::text[]) and not disabled',
      [mentions],
    );
    const known = new Set(rows.map((row) => row.id));
    const unknown = mentions.filter((id) => !known.has(id));
    if (unknown.length > 0) {
      const message = `mentions: no active teammate ${unknown.join(', ')}.`;
      throw badRequest(message, { fields: [{ path: 'mentions', message }] });
    }
  }
  const content = { type: 'note' as const, text: sanitizeValue(command.text).trim(), mentions };
  const id = newId('msg', at);
  const inserted = await tx.query<MessageRow>(
    `insert into messages (id, conversation_id, channel, direction, content, client_id, author_id,
       status, sent_at, updated_at)
     values ($1, $2, $3, 'note', $4::jsonb, $5, $6, 'sent', $7, $7)
     returning *`,
    [id, conversation.id, conversation.channel, JSON.stringify(content), clientId, user.id, at],
  );
  const notified = mentions.filter((userId) => userId !== user.id);
  if (notified.length > 0)
    await tx.query(
      `insert into note_mentions (message_id, user_id, conversation_id, created_at)
       select $1, unnest($2::text[]), $3, $4`,
      [id, notified, conversation.id, at],
    );
  await tx.query('update conversations set updated_at = $2 where id = $1', [conversation.id, at]);
  events.push(messageCreated(toMessage(inserted.rows[0] as MessageRow)));
  const updated = await getConversation(tx, conversation.id);
  if (updated) events.push(conversationUpdated(updated));
  return { message: toMessage(inserted.rows[0] as MessageRow) };
}

/** `read_mentions`: the user's unread mentions among these notes become read, once. */
export async function readMentions(
  tx: Queryable,
  command: ReadMentions,
  user: User,
  at: number,
  events: HubEvent[],
): Promise<{ messageIds: string[]; readAt: number }> {
  const { rows } = await tx.query<{ message_id: string }>(
    `update note_mentions set read_at = $3
     where user_id = $1 and message_id = any($2::text[]) and conversation_id = $4
       and read_at is null
     returning message_id`,
    [user.id, command.messageIds, at, command.conversationId],
  );
  const messageIds = rows.map((row) => row.message_id).sort();
  if (messageIds.length > 0)
    events.push({ type: 'mention.read', userId: user.id, messageIds, readAt: at });
  return { messageIds, readAt: at };
}

/** The notes that mention `userId`, newest first, and how many of all of them are unread. */
export async function listMentions(
  q: Queryable,
  userId: string,
  limit: number,
): Promise<MentionsPage> {
  const { rows } = await q.query<{
    message_id: string;
    conversation_id: string;
    author_id: string | null;
    content: MessageRow['content'];
    created_at: number | string;
    read_at: number | string | null;
  }>(
    `select n.message_id, n.conversation_id, m.author_id, m.content, n.created_at, n.read_at
     from note_mentions n join messages m on m.id = n.message_id
     where n.user_id = $1
     order by n.created_at desc, n.message_id desc
     limit $2`,
    [userId, limit],
  );
  const unread = await q.query<{ n: number | string }>(
    'select count(*) as n from note_mentions where user_id = $1 and read_at is null',
    [userId],
  );
  const mentions: Mention[] = rows.map((row) => ({
    messageId: row.message_id,
    conversationId: row.conversation_id,
    authorId: row.author_id,
    text: row.content.type === 'note' ? row.content.text : '',
    at: Number(row.created_at),
    readAt: row.read_at === null ? null : Number(row.read_at),
  }));
  return { mentions, unread: Number(unread.rows[0]?.n ?? 0) };
}
