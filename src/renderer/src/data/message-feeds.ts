import { liveQuery, type Subscription } from 'dexie';
import {
  mediaSchema,
  quotePreviewOf,
  type Message,
  type Template,
} from '../../../shared/domain/model';
import { readMessages } from './cache-writes';
import type { ReplydeskDb } from './db';
import type { OutboxEntry } from './types';

/**
 * Live message lists of conversations, kept warm. Agents go back and forth between a few
 * conversations all day; reading a long conversation from IndexedDB again each time it is opened
 * costs a round trip and a second render before anything shows. A feed is a Dexie live query
 * that stays subscribed while a screen shows its conversation and for a while after (the most
 * recently used ones, up to `keep`), so its list is current when the conversation is opened
 * again, and the list renders in the same frame as the click. `warm` starts one early (a
 * pointer over an inbox row).
 */
export interface MessageFeeds {
  /**
   * A conversation's messages, oldest first, with its pending replies from the outbox at the end
   * (see `mergeWithOutbox`); `undefined` until the cache has been read once.
   */
  get(conversationId: string): Message[] | undefined;
  /** Listen to a conversation's list (which keeps it live); returns the unsubscribe function. */
  subscribe(conversationId: string, listener: () => void): () => void;
  /** Start reading a conversation that is likely to be opened next. */
  warm(conversationId: string): void;
  /** Stop every live query (the data layer closes). */
  close(): void;
}

/** Conversations kept live after no screen shows them any more. */
export const KEPT_FEEDS = 6;

interface Feed {
  value: Message[] | undefined;
  readonly listeners: Set<() => void>;
  readonly subscription: Subscription;
}

/** The query behind a feed: the cached messages and the conversation's pending replies. */
export async function queryMessages(
  db: ReplydeskDb,
  conversationId: string,
  authorId: string | null,
): Promise<Message[]> {
  const [messages, entries] = await Promise.all([
    readMessages(db, conversationId),
    db.outbox.where('conversationId').equals(conversationId).toArray(),
  ]);
  const templateIds = [
    ...new Set(
      entries.flatMap((e) =>
        e.command.type === 'send_message' && e.command.content.type === 'template'
          ? [e.command.content.templateId]
          : [],
      ),
    ),
  ];
  const templates = new Map<string, Template>();
  if (templateIds.length > 0) {
    const rows = await db.templates.bulkGet(templateIds);
    for (const row of rows) if (row) templates.set(row.id, row);
  }
  return mergeWithOutbox(messages, entries, templates, authorId);
}

export function createMessageFeeds(
  db: ReplydeskDb,
  authorId: string | null,
  keep: number = KEPT_FEEDS,
): MessageFeeds {
  // Insertion order is recency: a feed is moved to the end whenever it is used.
  const feeds = new Map<string, Feed>();
  let closed = false;

  function touch(conversationId: string): Feed {
    let feed = feeds.get(conversationId);
    if (feed) {
      feeds.delete(conversationId);
      feeds.set(conversationId, feed);
      return feed;
    }
    const listeners = new Set<() => void>();
    const created: Feed = {
      value: undefined,
      listeners,
      subscription: liveQuery(() => queryMessages(db, conversationId, authorId)).subscribe({
        next(value) {
          created.value = value;
          for (const listener of [...listeners]) listener();
        },
        error(error: unknown) {
          // The database closed or failed: the next subscriber starts a fresh query.
          console.warn('Replydesk: reading the messages of a conversation failed:', error);
          if (feeds.get(conversationId) === created) feeds.delete(conversationId);
          created.subscription.unsubscribe();
        },
      }),
    };
    feed = created;
    feeds.set(conversationId, feed);
    return feed;
  }

  /** Close the least recently used feeds nobody listens to, beyond `keep` of them. */
  function trim(): void {
    let idle = 0;
    for (const feed of feeds.values()) if (feed.listeners.size === 0) idle += 1;
    for (const [id, feed] of feeds) {
      if (idle <= keep) break;
      if (feed.listeners.size > 0) continue;
      feed.subscription.unsubscribe();
      feeds.delete(id);
      idle -= 1;
    }
  }

  return {
    get: (conversationId) => feeds.get(conversationId)?.value,
    subscribe(conversationId, listener) {
      if (closed) return () => undefined;
      const feed = touch(conversationId);
      feed.listeners.add(listener);
      trim();
      return () => {
        feed.listeners.delete(listener);
        trim();
      };
    },
    warm(conversationId) {
      if (closed) return;
      touch(conversationId);
      trim();
    },
    close() {
      closed = true;
      for (const feed of feeds.values()) feed.subscription.unsubscribe();
      feeds.clear();
    },
  };
}

/** `{{1}}`, `{{2}}`… of a WhatsApp template body filled with the parameters, in order. */
export function renderPositional(body: string, parameters: readonly string[]): string {
  return body.replace(
    /\{\{\s*(\d+)\s*\}\}/g,
    (match, n: string) => parameters[Number(n) - 1] ?? match,
  );
}

const FILE_TYPES: ReadonlySet<unknown> = new Set(['image', 'video', 'audio', 'document']);

/**
 * The file of an outgoing command's content (`{ type, media }`, issue #14 item 5), read without
 * relying on its type: the send command's media variant comes with the hub's upload endpoint.
 */
function outgoingFile(
  content: unknown,
): Extract<Message['content'], { type: 'image' | 'video' | 'audio' | 'document' }> | null {
  const candidate = content as { type?: unknown; media?: unknown };
  if (!FILE_TYPES.has(candidate.type)) return null;
  const parsed = mediaSchema.safeParse(candidate.media);
  if (!parsed.success) return null;
  return {
    type: candidate.type as 'image' | 'video' | 'audio' | 'document',
    media: parsed.data,
  };
}

/**
 * A conversation's messages as the screen shows them: the cached hub messages in time order,
 * then the outbox's pending sends of that conversation as Message-shaped items (`local:<clientId>`,
 * status `queued`, or `failed` with the hub's reason). An entry the hub has already stored (a
 * message with its client id) is not shown twice.
 */
export function mergeWithOutbox(
  messages: readonly Message[],
  entries: readonly OutboxEntry[],
  templates: ReadonlyMap<string, Template>,
  authorId: string | null,
): Message[] {
  const pending = entries.filter(
    (entry) => entry.command.type === 'send_message' || entry.command.type === 'add_note',
  );
  if (pending.length === 0) return messages as Message[];
  const stored = new Set<string>();
  for (const message of messages) if (message.clientId !== null) stored.add(message.clientId);
  const merged = [...messages];
  const ordered = [...pending].sort((a, b) => (a.order ?? 0) - (b.order ?? 0));
  const byId = new Map(messages.map((message) => [message.id, message]));
  for (const entry of ordered) {
    if (stored.has(entry.clientId)) continue;
    if (entry.command.type === 'add_note') {
      // A note written offline shows at once, as the hub will store it.
      merged.push({
        id: `local:${entry.clientId}`,
        conversationId: entry.conversationId,
        direction: 'note',
        content: { type: 'note', text: entry.command.text, mentions: entry.command.mentions },
        externalId: null,
        clientId: entry.clientId,
        authorId,
        status: entry.state === 'failed' ? 'failed' : 'queued',
        failureCode: entry.error?.code ?? null,
        failureReason: entry.error?.message ?? null,
        cost: null,
        tag: null,
        sentAt: entry.createdAt,
        updatedAt: entry.createdAt,
      });
      continue;
    }
    if (entry.command.type !== 'send_message') continue;
    const { content, tag, replyTo } = entry.command;
    // The quote as the hub will store it, from the quoted message when it is here.
    const quoted = replyTo === undefined ? undefined : byId.get(replyTo);
    const template = content.type === 'template' ? templates.get(content.templateId) : undefined;
    const upload = entry.upload;
    const file = outgoingFile(content);
    merged.push({
      id: `local:${entry.clientId}`,
      conversationId: entry.conversationId,
      direction: 'outbound',
      content: file
        ? file
        : content.type !== 'template'
          ? content.type === 'text' && content.replyButtons?.length
            ? { type: 'text', body: content.body, replyButtons: content.replyButtons }
            : { type: 'text', body: content.type === 'text' ? content.body : '' }
          : {
              type: 'template',
              templateId: content.templateId,
              name: template?.name ?? 'Template',
              language: template?.language ?? '',
              category: template?.category ?? 'utility',
              parameters: content.parameters,
              renderedBody: template ? renderPositional(template.body, content.parameters) : '',
            },
      // A reply's own file is in the media cache from the moment it was attached.
      attachment: file
        ? {
            state: 'ready',
            sha256: file.media.sha256 ?? upload?.sha256 ?? null,
            mimeType: file.media.mimeType ?? upload?.mimeType ?? null,
            size: upload?.size ?? null,
            filename: file.media.filename ?? upload?.filename ?? null,
            error: null,
          }
        : null,
      externalId: null,
      clientId: entry.clientId,
      authorId,
      status: entry.state === 'failed' ? 'failed' : 'queued',
      failureCode: entry.error?.code ?? null,
      failureReason: entry.error?.message ?? null,
      cost: null,
      tag: tag ?? null,
      ...(quoted
        ? { replyTo: { messageId: quoted.id, preview: quotePreviewOf(quoted.content) } }
        : {}),
      sentAt: entry.createdAt,
      updatedAt: entry.createdAt,
    });
  }
  return merged;
}
