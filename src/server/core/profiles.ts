import type { ChannelKind } from '../../shared/domain/channels';
import { conversationUpdated, messageUpdated, type HubEvent } from '../../shared/protocol/events';
import { isConfigured, type ChannelConnector, type ChannelSettings } from '../channels/connector';
import type { HubService } from '../context';
import type { EventBus } from '../realtime/event-bus';
import { CONVERSATION_SELECT, toConversation, type ConversationRow } from '../store/conversations';
import type { Db } from '../store/db';
import { appendEvents } from '../store/events';
import { toMessage, type MessageRow } from '../store/messages';

/**
 * Customers' names from the channel's profile API (issue #15: LINE webhooks carry only a user
 * id, so a new LINE customer showed as `U4af49806…`). When a conversation of such a channel
 * changes and its customer is still known only by that id, the connector's `customerProfile` is
 * asked once (per hub run); the name it gives is stored and every conversation of the customer
 * is sent out again. Group chats (LINE groups and rooms) also name who wrote each message: the
 * member's display name from `memberName`, cached per member and chat. Lookups run one at a time; a refusal (not a friend, the API down) leaves
 * the id, and the customer is not asked again until the hub restarts. With several hubs on one
 * database only the leader asks.
 */
export function startProfileLookups(options: {
  readonly db: Db;
  readonly bus: EventBus;
  readonly now: () => number;
  readonly connectorOf: (channel: ChannelKind) => ChannelConnector | null;
  readonly settingsOf: (channel: ChannelKind) => ChannelSettings;
  /**
   * Whether this hub does the lookups now: the leader only, when several hubs share a database
   * (each sees every conversation change, and the platform's profile API would be asked by all).
   */
  readonly active?: () => boolean;
}): HubService {
  const { db, bus, now } = options;
  const tried = new Set<string>();
  let chain: Promise<void> = Promise.resolve();
  let closed = false;

  async function lookUp(conversationId: string, channel: ChannelKind): Promise<void> {
    const connector = options.connectorOf(channel);
    const settings = options.settingsOf(channel);
    if (closed || !connector?.customerProfile || !isConfigured(connector, settings)) return;
    const { rows } = await db.query<{ customer_id: string; name: string; external: string }>(
      `select c.id as customer_id, c.name, v.customer_external_id as external
       from conversations v join customers c on c.id = v.customer_id
       where v.id = $1 and v.channel_account_id not like 'demo-%'`,
      [conversationId],
    );
    const row = rows[0];
    if (!row || tried.has(row.customer_id)) return;
    // Asked, or named already: either way not looked at again (a hot path on a busy inbox).
    tried.add(row.customer_id);
    if (row.name !== row.external) return;
    if (tried.size > 100_000) tried.clear();
    let profile: { readonly name: string | null; readonly language?: string | null };
    try {
      profile = await connector.customerProfile(row.external, settings, { timeoutMs: 10_000 });
    } catch {
      return;
    }
    const name = profile.name?.trim().slice(0, 200);
    if (!name) return;
    const at = now();
    const events = await db.transaction(async (tx) => {
      const renamed = await tx.query(
        `update customers set name = $2, language = coalesce(language, $3), updated_at = $4
         where id = $1 and name = $5 returning id`,
        [row.customer_id, name, profile.language ?? null, at, row.external],
      );
      if (renamed.rows.length === 0) return [];
      const { rows: views } = await tx.query<ConversationRow>(
        `${CONVERSATION_SELECT} where v.customer_id = $1`,
        [row.customer_id],
      );
      return appendEvents(
        tx,
        views.map((view): HubEvent => conversationUpdated(toConversation(view))),
        at,
      );
    });
    bus.publish(events);
  }

  /** Group members' names by channel, chat and member; null: the platform had none. */
  const members = new Map<string, string | null>();

  /**
   * Who wrote a group chat's message (LINE groups and rooms store the member's id): their
   * display name, asked once per member and chat (then cached), written on every message of
   * theirs in the chat still showing the id.
   */
  async function nameSender(messageId: string): Promise<void> {
    if (closed) return;
    const { rows } = await db.query<{
      conversation_id: string;
      channel: ChannelKind;
      chat: string;
      member: string;
    }>(
      `select m.conversation_id, v.channel, v.customer_external_id as chat,
              m.sender_external_id as member
       from messages m join conversations v on v.id = m.conversation_id
       where m.id = $1 and m.sender_external_id is not null and m.sender_name is null
         and v.channel_account_id not like 'demo-%'`,
      [messageId],
    );
    const row = rows[0];
    if (!row) return;
    const connector = options.connectorOf(row.channel);
    const settings = options.settingsOf(row.channel);
    if (!connector?.memberName || !isConfigured(connector, settings)) return;
    const key = `${row.channel}\n${row.chat}\n${row.member}`;
    let name = members.get(key);
    if (name === undefined) {
      try {
        name =
          (await connector.memberName(row.chat, row.member, settings, { timeoutMs: 10_000 }))
            ?.trim()
            .slice(0, 200) || null;
      } catch {
        name = null;
      }
      if (members.size > 100_000) members.clear();
      members.set(key, name);
    }
    if (!name) return;
    const at = now();
    const events = await db.transaction(async (tx) => {
      const named = await tx.query<MessageRow>(
        `update messages set sender_name = $3, updated_at = $4
         where conversation_id = $1 and sender_external_id = $2 and sender_name is null
         returning *`,
        [row.conversation_id, row.member, name, at],
      );
      return appendEvents(
        tx,
        named.rows.map((message) => messageUpdated(toMessage(message))),
        at,
      );
    });
    bus.publish(events);
  }

  const queue = (work: () => Promise<void>): void => {
    chain = chain.then(work).catch((error: unknown) => {
      console.error(
        'hub: customer profile lookup failed:',
        error instanceof Error ? error.message : error,
      );
    });
  };

  const unsubscribe = bus.subscribe((events) => {
    for (const { event } of events) {
      if (options.active?.() === false) continue;
      if (
        event.type === 'message.created' &&
        event.message.direction === 'inbound' &&
        event.message.senderName !== undefined
      ) {
        const { id } = event.message;
        queue(() => nameSender(id));
        continue;
      }
      if (event.type !== 'conversation.updated') continue;
      const { id, channel, customer } = event.conversation;
      if (!options.connectorOf(channel)?.customerProfile || tried.has(customer.id)) continue;
      queue(() => lookUp(id, channel));
    }
  });

  return {
    async close() {
      closed = true;
      unsubscribe();
      await chain;
    },
  };
}
