import { Dexie } from 'dexie';
import {
  DELIVERY_RANK,
  type Conversation,
  type Message,
  type MessageContent,
  type Template,
} from '../../../shared/domain/model';
import type { Activity } from '../../../shared/protocol/activity';
import type { RateCard } from '../../../shared/pricing';
import type { SlaSettings } from '../../../shared/sla';
import type { CustomerProfile } from '../../../shared/protocol/customers';
import type { AppEvent } from './realtime';
import type { ConversationChunk, ReplydeskDb } from './db';
import type { Teammate } from './types';

/**
 * Every write of hub data into the cache. Events carry full snapshots, so each write is an
 * upsert; the rules below keep a late, older snapshot from undoing a newer one (the first sync
 * reads pages at later instants than the seq it resumes from, so replayed events may be older
 * than what a page brought).
 */

/** Per conversation, the searchable text of its cached messages is capped (oldest text goes). */
export const MAX_SEARCH_TEXT = 256 * 1024;

/**
 * Which snapshot of a message to keep: delivery status never goes back (`read` is not undone by
 * a late `delivered`, DELIVERY_RANK); at the same rank the newer snapshot wins.
 */
export function mergeMessage(cached: Message | undefined, incoming: Message): Message {
  if (!cached) return incoming;
  const rankCached = DELIVERY_RANK[cached.status];
  const rankIncoming = DELIVERY_RANK[incoming.status];
  if (rankIncoming < rankCached) return cached;
  if (rankIncoming === rankCached && incoming.updatedAt < cached.updatedAt) return cached;
  return incoming;
}

/** A conversation snapshot replaces the cached one unless it is older. */
export function newerConversation(
  cached: Conversation | undefined,
  incoming: Conversation,
): boolean {
  return !cached || incoming.updatedAt >= cached.updatedAt;
}

/**
 * The words of a message a search may find, as written: the search ignores case when it reads
 * them, and shows the matching one as the customer wrote it (issue 12, item 7). Rows written
 * before that are lower case; they still match.
 */
export function searchableText(content: MessageContent): string {
  const parts: (string | undefined)[] = [];
  switch (content.type) {
    case 'text':
      parts.push(content.body);
      break;
    case 'image':
    case 'video':
    case 'audio':
    case 'document':
    case 'sticker':
      parts.push(content.media.caption, content.media.filename);
      break;
    case 'location':
      parts.push(content.name, content.address);
      break;
    case 'contacts':
      for (const contact of content.contacts) parts.push(contact.name, ...contact.phones);
      break;
    case 'interactive_reply':
      parts.push(content.title, content.description);
      break;
    case 'button_reply':
      parts.push(content.text);
      break;
    case 'order':
      parts.push(content.note);
      break;
    case 'template':
      parts.push(content.renderedBody);
      break;
    case 'share':
      parts.push(content.title, content.url);
      break;
    case 'story':
      parts.push(content.text);
      break;
    case 'referral':
    case 'removed':
    case 'reaction':
    case 'unsupported':
      break;
  }
  return parts
    .filter((part): part is string => typeof part === 'string' && part.length > 0)
    .join('\n');
}

/**
 * The line of a search row's text (`searchableText` of messages, joined by "\n", newest first)
 * holding the first occurrence of `needle` (lower case), or null: a conversation's newest
 * matching message, in the case it was written in. Capped: a result shows one line of it.
 */
export function matchingLine(text: string, needle: string, max = 400): string | null {
  const lower = text.toLowerCase();
  const at = lower.indexOf(needle);
  if (at < 0) return null;
  let line: string | undefined;
  if (lower.length === text.length) {
    const start = text.lastIndexOf('\n', at) + 1;
    const end = text.indexOf('\n', at + needle.length);
    line = text.slice(start, end < 0 ? undefined : end);
  } else {
    // A few characters change length in lower case ("İ"): find the line the slow way.
    line = text.split('\n').find((candidate) => candidate.toLowerCase().includes(needle));
  }
  if (line === undefined) return null;
  if (line.length <= max) return line;
  // Keep the match inside the cap.
  const lineAt = line.toLowerCase().indexOf(needle);
  const from = Math.max(0, Math.min(lineAt - max / 4, line.length - max));
  return `${from > 0 ? '…' : ''}${line.slice(from, from + max)}${from + max < line.length ? '…' : ''}`;
}

/**
 * Add the text of messages new to the cache to their conversations' search rows. `newer`:
 * these messages are newer than what is cached (events), so their text goes first and the
 * oldest text is what the cap cuts.
 */
async function indexText(
  db: ReplydeskDb,
  added: readonly Message[],
  newer: boolean,
): Promise<void> {
  const byConversation = new Map<string, string[]>();
  for (const message of added) {
    const text = searchableText(message.content);
    if (text === '') continue;
    const list = byConversation.get(message.conversationId);
    if (list) list.push(text);
    else byConversation.set(message.conversationId, [text]);
  }
  if (byConversation.size === 0) return;
  const ids = [...byConversation.keys()];
  const rows = await db.messageText.bulkGet(ids);
  await db.messageText.bulkPut(
    ids.map((conversationId, i) => {
      const old = rows[i]?.text ?? '';
      const fresh = (byConversation.get(conversationId) ?? []).join('\n');
      const text = old === '' ? fresh : newer ? `${fresh}\n${old}` : `${old}\n${fresh}`;
      return { conversationId, text: text.slice(0, MAX_SEARCH_TEXT) };
    }),
  );
}

/**
 * Upsert messages (a history page, an acknowledged send) with the merge rule, indexing the text
 * of those new to the cache. Call inside a transaction that includes `messages` and
 * `messageText`, or alone (Dexie then makes one).
 */
export async function storeMessages(
  db: ReplydeskDb,
  messages: readonly Message[],
  options: { readonly newer: boolean } = { newer: false },
): Promise<void> {
  if (messages.length === 0) return;
  await db.transaction('rw', db.messages, db.messageText, async () => {
    const cached = await db.messages.bulkGet(messages.map((m) => m.id));
    const added: Message[] = [];
    const merged = messages.map((message, i) => {
      const before = cached[i];
      if (!before) added.push(message);
      return mergeMessage(before, message);
    });
    await db.messages.bulkPut(merged);
    await indexText(db, added, options.newer);
  });
}

/**
 * Store one page of the first sync (`GET /api/sync/messages`, grouped by conversation) as three
 * records, in one transaction, without reading anything back: the messages (JSON per
 * conversation, `MessagePage`), which conversations it holds, and its search text. `batch`
 * numbers the pages of a sync run: a first sync that starts again overwrites its earlier pages,
 * and a message that ends up in two pages (or in a page and `messages`) is merged by
 * `readMessages`.
 */
export async function storeSyncPage(
  db: ReplydeskDb,
  messages: readonly Message[],
  batch: number,
): Promise<void> {
  if (messages.length === 0) return;
  const byConversation = new Map<string, Message[]>();
  for (const message of messages) {
    const list = byConversation.get(message.conversationId);
    if (list) list.push(message);
    else byConversation.set(message.conversationId, [message]);
  }
  const conversationIds: string[] = [];
  const json: string[] = [];
  const searchIds: string[] = [];
  const texts: string[] = [];
  for (const [conversationId, list] of byConversation) {
    conversationIds.push(conversationId);
    json.push(JSON.stringify(list));
    let text = '';
    for (const message of list) {
      const words = searchableText(message.content);
      if (words !== '') text = text === '' ? words : `${text}\n${words}`;
    }
    if (text === '') continue;
    searchIds.push(conversationId);
    texts.push(text.slice(0, MAX_SEARCH_TEXT));
  }
  await db.transaction('rw', db.messagePages, db.messagePageIndex, db.pageText, async () => {
    await db.messagePages.put({ batch, conversationIds, messages: json });
    await db.messagePageIndex.put({ batch, conversationIds });
    await db.pageText.put({ batch, conversationIds: searchIds, texts });
  });
}

/** Sort key of the timeline: time, then id (as the `[conversationId+sentAt]` index ties). */
function byTime(a: Message, b: Message): number {
  return a.sentAt - b.sentAt || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
}

/**
 * A conversation's cached messages, oldest first: its share of the first sync's pages and its
 * per-message rows, each message once, its newest snapshot winning (`mergeMessage`). Call inside
 * a transaction or a live query that may read `messages`, `messagePages` and
 * `messagePageIndex`.
 */
export async function readMessages(db: ReplydeskDb, conversationId: string): Promise<Message[]> {
  const [index, rows] = await Promise.all([
    db.messagePageIndex.toArray(),
    db.messages
      .where('[conversationId+sentAt]')
      .between([conversationId, Dexie.minKey], [conversationId, Dexie.maxKey])
      .toArray(),
  ]);
  const batches = index
    .filter((p) => p.conversationIds.includes(conversationId))
    .map((p) => p.batch);
  if (batches.length === 0) return rows;
  const pages = await db.messagePages.bulkGet(batches);
  const byId = new Map<string, Message>();
  for (const page of pages) {
    const at = page ? page.conversationIds.indexOf(conversationId) : -1;
    const json = page?.messages[at];
    if (json === undefined) continue;
    // Our own JSON of hub messages the sync engine validated when it stored them.
    for (const message of JSON.parse(json) as Message[]) {
      byId.set(message.id, mergeMessage(byId.get(message.id), message));
    }
  }
  for (const message of rows) byId.set(message.id, mergeMessage(byId.get(message.id), message));
  return [...byId.values()].sort(byTime);
}

/**
 * Upsert conversations with the newer-snapshot rule; returns those stored. The ids go to the
 * `dirtyConversations` list in the same transaction, so `readConversations` knows these rows are
 * newer than the chunked copy.
 */
export async function storeConversations(
  db: ReplydeskDb,
  conversations: readonly Conversation[],
): Promise<Conversation[]> {
  if (conversations.length === 0) return [];
  return db.transaction('rw', db.conversations, db.meta, async () => {
    const cached = await db.conversations.bulkGet(conversations.map((c) => c.id));
    const kept = conversations.filter((c, i) => newerConversation(cached[i], c));
    if (kept.length === 0) return kept;
    await db.conversations.bulkPut(kept);
    const dirty = new Set(await dirtyConversations(db));
    const before = dirty.size;
    for (const conversation of kept) dirty.add(conversation.id);
    if (dirty.size !== before) await db.meta.put({ key: 'dirtyConversations', value: [...dirty] });
    return kept;
  });
}

async function dirtyConversations(db: ReplydeskDb): Promise<string[]> {
  const value = (await db.meta.get('dirtyConversations'))?.value;
  return Array.isArray(value) ? value.filter((id): id is string => typeof id === 'string') : [];
}

/** Conversations per `conversationChunks` record. */
export const CONVERSATION_CHUNK = 1000;

/** Read the chunks and the rows written since, in the caller's transaction. */
async function readChunkedConversations(
  db: ReplydeskDb,
): Promise<{ conversations: Conversation[]; dirty: number }> {
  const [chunks, dirty] = await Promise.all([
    db.conversationChunks.toArray(),
    dirtyConversations(db),
  ]);
  const byId = new Map<string, Conversation>();
  for (const chunk of chunks) for (const c of chunk.conversations) byId.set(c.id, c);
  const rows = await db.conversations.bulkGet(dirty);
  for (const row of rows) if (row) byId.set(row.id, row);
  return { conversations: [...byId.values()], dirty: dirty.length };
}

/**
 * Every cached conversation, for opening the inbox: the chunked copy with the rows written
 * since laid over it, read in one transaction. `dirty`: how many rows that was (past a few
 * hundred, `compactConversations` is worth its cost).
 */
export async function readConversations(
  db: ReplydeskDb,
): Promise<{ conversations: Conversation[]; dirty: number }> {
  return db.transaction('r', db.conversationChunks, db.conversations, db.meta, () =>
    readChunkedConversations(db),
  );
}

/**
 * Fold the rows written since into a fresh chunked copy and empty the dirty list, in one
 * transaction (a write that commits before it is in the copy; one after it is dirty again).
 * Returns how many conversations the copy holds.
 */
export async function compactConversations(db: ReplydeskDb): Promise<number> {
  return db.transaction('rw', db.conversationChunks, db.conversations, db.meta, async () => {
    const { conversations, dirty } = await readChunkedConversations(db);
    if (dirty === 0) return conversations.length;
    // Newest first, as the inbox lists them: read back in this order, they need no real sorting.
    conversations.sort(
      (a, b) => b.lastMessageAt - a.lastMessageAt || (a.id < b.id ? 1 : a.id > b.id ? -1 : 0),
    );
    const chunks: ConversationChunk[] = [];
    for (let i = 0; i < conversations.length; i += CONVERSATION_CHUNK) {
      chunks.push({
        chunk: chunks.length,
        conversations: conversations.slice(i, i + CONVERSATION_CHUNK),
      });
    }
    await db.conversationChunks.clear();
    await db.conversationChunks.bulkPut(chunks);
    await db.meta.put({ key: 'dirtyConversations', value: [] });
    return conversations.length;
  });
}

export interface AppliedBatch {
  /** The seq stored after the batch. */
  readonly lastSeq: number;
  /** Events applied (not skipped as already applied). */
  readonly applied: number;
  /** A hole in the seqs stopped the batch: resume from `lastSeq`. */
  readonly gap: boolean;
  /** Conversations whose cached snapshot changed, as stored. */
  readonly conversations: readonly Conversation[];
}

/**
 * Apply one `events` frame in ONE transaction that also stores `lastSeq` (DESIGN.md rule 2):
 * after a crash either the whole frame and its seq are stored or neither is. Events at or below
 * the stored seq were applied already and are skipped (a resumed socket may repeat the seam,
 * two windows may share a cache); a hole is never papered over: what comes before it is
 * applied and `gap` asks the caller to resume, where the hub's log fills it.
 */
export async function applyEventBatch(
  db: ReplydeskDb,
  events: readonly AppEvent[],
): Promise<AppliedBatch> {
  return db.transaction(
    'rw',
    [
      db.conversations,
      db.messages,
      db.messageText,
      db.templates,
      db.users,
      db.meta,
      db.customers,
      db.activity,
    ],
    async () => {
      const stored = (await db.meta.get('lastSeq'))?.value;
      const start = typeof stored === 'number' ? stored : 0;
      let lastSeq = start;
      let gap = false;
      const fresh: AppEvent[] = [];
      for (const event of events) {
        if (event.seq <= lastSeq) continue;
        if (event.seq !== lastSeq + 1) {
          gap = true;
          break;
        }
        fresh.push(event);
        lastSeq = event.seq;
      }
      if (fresh.length === 0) return { lastSeq, applied: 0, gap, conversations: [] };

      // Collapse the frame: the last snapshot of each conversation, every message snapshot in
      // order (merged below), template changes in order.
      const conversations = new Map<string, Conversation>();
      const messages: Message[] = [];
      // Only a new message brings new words: an update of one the first sync stored (in a
      // batch, not in `messages`) must not index its text a second time.
      const created = new Set<string>();
      const templateChanges: ({ put: Template } | { remove: string })[] = [];
      const teammates = new Map<string, Teammate>();
      let rateCard: RateCard | null = null;
      let sla: SlaSettings | null = null;
      const customers = new Map<string, CustomerProfile>();
      const activity: Activity[] = [];
      for (const { event } of fresh) {
        switch (event.type) {
          case 'conversation.updated':
            conversations.set(event.conversation.id, event.conversation);
            break;
          case 'message.created':
            created.add(event.message.id);
            messages.push(event.message);
            break;
          case 'message.updated':
            messages.push(event.message);
            break;
          case 'template.updated':
            templateChanges.push({ put: event.template });
            break;
          case 'template.deleted':
            templateChanges.push({ remove: event.templateId });
            break;
          case 'user.updated':
            teammates.set(event.user.id, event.user);
            break;
          case 'rate_card.updated':
            rateCard = event.rateCard;
            break;
          case 'sla.updated':
            sla = event.sla;
            break;
          case 'sla.breached':
            // The dashboard reads breaches from the hub; conversations show their own targets.
            break;
          case 'customer.updated':
            customers.set(event.customer.id, event.customer);
            break;
          case 'activity.created':
            activity.push(event.activity);
            break;
          case 'unknown':
            // A newer hub's event: only its seq counts (below).
            break;
        }
      }

      const changed = await storeConversations(db, [...conversations.values()]);

      if (messages.length > 0) {
        const ids = [...new Set(messages.map((m) => m.id))];
        const cached = await db.messages.bulkGet(ids);
        const current = new Map<string, Message | undefined>(ids.map((id, i) => [id, cached[i]]));
        const added = new Map<string, Message>();
        for (const message of messages) {
          const before = current.get(message.id);
          if (!before && created.has(message.id) && !added.has(message.id)) {
            added.set(message.id, message);
          }
          current.set(message.id, mergeMessage(before, message));
        }
        await db.messages.bulkPut([...current.values()].filter((m): m is Message => !!m));
        await indexText(db, [...added.values()], true);
      }

      for (const change of templateChanges) {
        if ('remove' in change) {
          await db.templates.delete(change.remove);
        } else {
          const cached = await db.templates.get(change.put.id);
          if (!cached || cached.version <= change.put.version) await db.templates.put(change.put);
        }
      }

      if (teammates.size > 0) await db.users.bulkPut([...teammates.values()]);
      if (rateCard !== null) await db.meta.put({ key: 'rateCard', value: rateCard });
      if (sla !== null) await db.meta.put({ key: 'sla', value: sla });
      if (customers.size > 0) await db.customers.bulkPut([...customers.values()]);
      if (activity.length > 0) await db.activity.bulkPut(activity);

      await db.meta.put({ key: 'lastSeq', value: lastSeq });
      return { lastSeq, applied: fresh.length, gap, conversations: changed };
    },
  );
}

/**
 * Store activity lines the hub sent (a page of a conversation's lines, or of the first sync's):
 * keyed by id, so a line that comes again (an event and a page) is written once.
 */
export async function storeActivity(db: ReplydeskDb, lines: readonly Activity[]): Promise<void> {
  if (lines.length > 0) await db.activity.bulkPut([...lines]);
}
