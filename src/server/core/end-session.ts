import type { ChannelKind } from '../../shared/domain/channels';
import { conversationUpdated } from '../../shared/protocol/events';
import { isConfigured, type ChannelConnector, type ChannelSettings } from '../channels/connector';
import { HttpError, notFound } from '../http/errors';
import type { EventBus } from '../realtime/event-bus';
import { CONVERSATION_SELECT, toConversation, type ConversationRow } from '../store/conversations';
import type { Db } from '../store/db';
import { appendEvents } from '../store/events';
import type { Conversation } from '../../shared/domain/model';

/**
 * The agent's "End chat session" (issue #16; CHANNEL-API.md §8.2: a KakaoTalk consultation
 * session ends when the agent or the customer ends it). The channel is asked first (the dealer's
 * end-session call); only once it agrees is the conversation marked blocked, as the customer's
 * `session_end` marks it, so the composer closes with the channel's label ("Session ended") and
 * replies are refused until the customer writes again. Ending a session already ended changes
 * nothing and asks no one.
 */
export function createSessionEnder(options: {
  readonly db: Db;
  readonly bus: EventBus;
  readonly now: () => number;
  readonly connectorOf: (channel: ChannelKind) => ChannelConnector | null;
  readonly settingsOf: (channel: ChannelKind) => ChannelSettings;
}): { end(conversationId: string): Promise<Conversation> } {
  const { db, bus, now } = options;

  async function load(id: string): Promise<ConversationRow | null> {
    const { rows } = await db.query<ConversationRow>(`${CONVERSATION_SELECT} where v.id = $1`, [
      id,
    ]);
    return rows[0] ?? null;
  }

  return {
    async end(conversationId) {
      const row = await load(conversationId);
      if (!row) throw notFound(`No conversation ${conversationId}.`);
      const conversation = toConversation(row);
      if (conversation.blockedAt !== undefined && conversation.blockedAt !== null)
        return conversation;
      const connector = options.connectorOf(conversation.channel);
      if (!connector?.endSession)
        throw new HttpError(
          409,
          'conflict',
          `${connector?.name ?? conversation.channel} conversations have no session an agent can end.`,
        );
      const settings = options.settingsOf(conversation.channel);
      // Demo accounts have no dealer: their session ends in the hub only.
      const demo = conversation.channelAccountId.startsWith('demo-');
      if (!demo) {
        if (!isConfigured(connector, settings))
          throw new HttpError(
            409,
            'conflict',
            `${connector.name} is not configured: its session cannot be ended.`,
          );
        const ended = await connector.endSession(row.customer_external_id, settings, {
          timeoutMs: 15_000,
        });
        if (!ended.ok)
          throw new HttpError(
            ended.retryable ? 502 : 409,
            ended.retryable ? 'bad_gateway' : 'conflict',
            ended.reason,
          );
      }
      const at = now();
      const events = await db.transaction(async (tx) => {
        const changed = await tx.query<{ id: string }>(
          `update conversations set blocked_at = $2, updated_at = $2
           where id = $1 and blocked_at is null returning id`,
          [conversationId, at],
        );
        if (changed.rows.length === 0) return [];
        const { rows } = await tx.query<ConversationRow>(`${CONVERSATION_SELECT} where v.id = $1`, [
          conversationId,
        ]);
        return rows[0] ? appendEvents(tx, [conversationUpdated(toConversation(rows[0]))], at) : [];
      });
      bus.publish(events);
      const after = await load(conversationId);
      return after ? toConversation(after) : conversation;
    },
  };
}
