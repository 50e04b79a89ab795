import type { ChannelKind } from '../../shared/domain/channels';
import type {
  CustomerHit,
  MarkedText,
  MessageHit,
  SearchAnswer,
  SearchQuery,
} from '../../shared/protocol/search';
import type { User } from '../../shared/domain/model';
import type { Queryable } from '../store/db';
import { SEARCH_CONFIGS } from './schema';

/** Characters of a message shown around its first match. */
export const SNIPPET_LENGTH = 160;
/** Characters of the snippet before the first match, when the message is cut there. */
const SNIPPET_LEAD = 40;
/** Conversations named per customer found. */
const CONVERSATIONS_PER_CUSTOMER = 5;
/**
 * The newest matches ranked (and paged through). Ranking computes each match's vector again
 * (6 stemmers): for a word in 1 of 8 of 100,000 messages that took 2.3 s when every match was
 * ranked (docs/benchmarks.md "Hub search"); the newest 500 are what an agent pages through.
 */
export const RANKED_MATCHES = 500;
/** Customers in one answer. */
const MAX_CUSTOMERS = 10;

/** The index expression of `messages_search_idx` (schema.ts): written the same to be used. */
const MESSAGE_VECTOR = 'replydesk_search_vector(replydesk_search_text(m.content))';
const CUSTOMER_VECTOR = 'replydesk_customer_vector(c.name, c.email)';

/** Marks ts_headline puts around a match; the same characters in a message are replaced first. */
const START = '\u0002';
const STOP = '\u0003';

export interface SearchCursor {
  readonly r: number;
  readonly t: number;
  readonly id: string;
}

/**
 * SQL: which conversations (alias `v`) `user` may see. Today every signed-in user of a hub sees
 * every conversation of its workspace, as `GET /api/conversations` does (no role narrows the
 * list; roles narrow what may be changed: test/server/roles.test.ts). Search goes through this
 * one clause so that a narrower rule, when there is one, applies to it too.
 */
export function visibleConversations(_user: User): string {
  return 'true';
}

interface MessageRow {
  id: string;
  conversation_id: string;
  channel: ChannelKind;
  direction: 'inbound' | 'outbound';
  content_type: string;
  customer_id: string;
  customer_name: string;
  sent_at: number;
  rank: number;
  headlines: string[];
}

/**
 * Messages matching `query.q` in any of the search languages (stems: "Lieferung" finds "Die
 * Lieferungen kamen nicht an"), narrowed by the filters, best first (`ts_rank`), ties newest
 * first; keyset-paged after `cursor`. One more row than `limit` is read to know whether there is
 * a next page.
 */
export async function searchMessages(
  q: Queryable,
  user: User,
  query: SearchQuery,
  cursor: SearchCursor | null,
): Promise<{ hits: MessageHit[]; next: SearchCursor | null }> {
  const params: unknown[] = [];
  const param = (value: unknown): string => {
    params.push(value);
    return `$${params.length}`;
  };
  const typed = param(query.q);
  const where = [
    `${MESSAGE_VECTOR} @@ replydesk_search_query(${typed})`,
    visibleConversations(user),
    ...conversationFilters(query, user, param),
  ];
  if (query.from !== undefined) where.push(`m.sent_at >= ${param(query.from)}`);
  if (query.to !== undefined) where.push(`m.sent_at < ${param(query.to)}`);
  const after = cursor
    ? `where (h.rank, h.sent_at, h.id) < (${param(cursor.r)}::real, ${param(cursor.t)}, ${param(cursor.id)})`
    : '';
  const limit = param(query.limit + 1);
  // The headline of each language marks the words it stems alike; their marks are merged.
  const headlines = SEARCH_CONFIGS.map(
    (config) =>
      `ts_headline('${config}', h.body, websearch_to_tsquery('${config}', ${typed}),
         'HighlightAll=true, StartSel=${START}, StopSel=${STOP}')`,
  ).join(', ');
  const { rows } = await q.query<MessageRow>(
    `with matched as (
       select m.id, m.conversation_id, m.sent_at, m.direction, m.content, v.channel, v.customer_id
       from messages m join conversations v on v.id = m.conversation_id
       where ${where.join(' and ')}
       order by m.sent_at desc, m.id desc limit ${RANKED_MATCHES}
     ), hits as (
       select h.*,
              ts_rank(replydesk_search_vector(replydesk_search_text(h.content)), replydesk_search_query(${typed})) as rank
       from matched h
     ), page as (
       select h.*, translate(btrim(replydesk_search_text(h.content)), '${START}${STOP}', '\uFFFD\uFFFD') as body
       from hits h ${after}
       order by h.rank desc, h.sent_at desc, h.id desc
       limit ${limit}
     )
     select h.id, h.conversation_id, h.sent_at, h.direction, h.rank, h.channel,
            h.content->>'type' as content_type, c.id as customer_id, c.name as customer_name,
            array[${headlines}] as headlines
     from page h join customers c on c.id = h.customer_id
     order by h.rank desc, h.sent_at desc, h.id desc`,
    params,
  );
  const page = rows.slice(0, query.limit);
  const hits = page.map((row) => ({
    messageId: row.id,
    conversationId: row.conversation_id,
    channel: row.channel,
    direction: row.direction,
    contentType: row.content_type,
    customer: { id: row.customer_id, name: row.customer_name },
    sentAt: Number(row.sent_at),
    rank: Number(row.rank),
    snippet: snippetOf(mergeHeadlines(row.headlines)),
  }));
  const last = page[page.length - 1];
  return {
    hits,
    next:
      rows.length > query.limit && last
        ? { r: Number(last.rank), t: Number(last.sent_at), id: last.id }
        : null,
  };
}

/** SQL conditions on the conversation (alias `v`) for the channel, status, assignee and label. */
function conversationFilters(
  query: SearchQuery,
  user: User,
  param: (value: unknown) => string,
): string[] {
  const where: string[] = [];
  if (query.channel) where.push(`v.channel = ${param(query.channel)}`);
  if (query.status) where.push(`v.status = ${param(query.status)}`);
  if (query.assignee === 'me') where.push(`v.assignee_id = ${param(user.id)}`);
  else if (query.assignee === 'unassigned') where.push('v.assignee_id is null');
  else if (query.assignee) where.push(`v.assignee_id = ${param(query.assignee)}`);
  if (query.label) where.push(`${param(query.label)} = any(v.labels)`);
  return where;
}

/** The words of a search as `simple` prefixes: "anna schm" → `'anna':* & 'schm':*`. */
export function prefixQuery(typed: string): string | null {
  const words = typed
    .toLowerCase()
    .split(/[^\p{L}\p{N}]+/u)
    .filter((word) => word !== '');
  return words.length === 0 ? null : words.map((word) => `'${word}':*`).join(' & ');
}

/** Customers whose name or e-mail has words starting with the search's, or whose phone has its digits. */
export async function searchCustomers(
  q: Queryable,
  user: User,
  query: SearchQuery,
): Promise<CustomerHit[]> {
  const params: unknown[] = [];
  const param = (value: unknown): string => {
    params.push(value);
    return `$${params.length}`;
  };
  const prefixes = prefixQuery(query.q);
  // Without leading zeros: "0151 …" (national) finds "+49 151 …".
  const digits = /^\+?[\d\s().-]+$/.test(query.q)
    ? query.q.replace(/\D/g, '').replace(/^0+/, '')
    : '';
  const match: string[] = [];
  if (prefixes !== null)
    match.push(`${CUSTOMER_VECTOR} @@ to_tsquery('simple', ${param(prefixes)})`);
  if (digits.length >= 3)
    match.push(
      `regexp_replace(coalesce(c.phone, ''), '\\D', '', 'g') like ${param(`%${digits}%`)}`,
    );
  if (match.length === 0) return [];
  const conversations = [visibleConversations(user), ...conversationFilters(query, user, param)];
  const { rows } = await q.query<{
    id: string;
    name: string;
    phone: string | null;
    email: string | null;
    conversation_ids: string[];
  }>(
    `select c.id, c.name, c.phone, c.email, array(
       select v.id from conversations v
       where v.customer_id = c.id and ${conversations.join(' and ')}
       order by v.last_message_at desc, v.id desc limit ${CONVERSATIONS_PER_CUSTOMER}
     ) as conversation_ids
     from customers c
     where (${match.join(' or ')})
       and exists (select 1 from conversations v where v.customer_id = c.id and ${conversations.join(' and ')})
     order by c.name, c.id
     limit ${MAX_CUSTOMERS}`,
    params,
  );
  const words = prefixes === null ? [] : query.q.toLowerCase().split(/[^\p{L}\p{N}]+/u);
  return rows.map((row) => ({
    id: row.id,
    name: { text: row.name, ranges: prefixRanges(row.name, words) },
    phone: row.phone,
    email: row.email,
    conversationIds: row.conversation_ids,
  }));
}

/** The ranges of the words of `text` that start with one of `prefixes` (lower case). */
export function prefixRanges(text: string, prefixes: readonly string[]): [number, number][] {
  const wanted = prefixes.filter((prefix) => prefix !== '');
  const ranges: [number, number][] = [];
  for (const word of text.matchAll(/[\p{L}\p{N}]+/gu)) {
    const lower = word[0].toLowerCase();
    const prefix = wanted
      .filter((p) => lower.startsWith(p))
      .reduce((longest, p) => (p.length > longest.length ? p : longest), '');
    if (prefix !== '') ranges.push([word.index, word.index + prefix.length]);
  }
  return ranges;
}

/**
 * The text of a message with the union of what each language's headline marked: each headline
 * is the whole text (`HighlightAll`) with `START`/`STOP` around matches, the text otherwise the
 * same in all of them.
 */
export function mergeHeadlines(headlines: readonly string[]): MarkedText {
  let text = '';
  const marked = new Set<number>();
  headlines.forEach((headline, index) => {
    let plain = '';
    let inMark = false;
    for (const char of headline) {
      if (char === START) inMark = true;
      else if (char === STOP) inMark = false;
      else {
        if (inMark) for (let i = 0; i < char.length; i++) marked.add(plain.length + i);
        plain += char;
      }
    }
    if (index === 0) text = plain;
  });
  return { text, ranges: rangesOf(marked, text.length) };
}

function rangesOf(marked: ReadonlySet<number>, length: number): [number, number][] {
  const ranges: [number, number][] = [];
  let start = -1;
  for (let i = 0; i <= length; i++) {
    if (marked.has(i) && i < length) {
      if (start < 0) start = i;
    } else if (start >= 0) {
      ranges.push([start, i]);
      start = -1;
    }
  }
  return ranges;
}

/**
 * At most `SNIPPET_LENGTH` characters of a marked text around its first mark, cut at spaces,
 * with `…` where it was cut; the ranges follow the cut text.
 */
export function snippetOf(marked: MarkedText, length = SNIPPET_LENGTH): MarkedText {
  const { text, ranges } = marked;
  if (text.length <= length) return marked;
  const first = ranges[0]?.[0] ?? 0;
  let start = Math.max(0, Math.min(first - SNIPPET_LEAD, text.length - length));
  if (start > 0) {
    const space = text.indexOf(' ', start);
    if (space >= 0 && space < first) start = space + 1;
  }
  let end = Math.min(text.length, start + length);
  if (end < text.length) {
    const space = text.lastIndexOf(' ', end);
    if (space > start && space > (ranges[0]?.[1] ?? 0)) end = space;
  }
  const lead = start > 0 ? '…' : '';
  const tail = end < text.length ? '…' : '';
  return {
    text: `${lead}${text.slice(start, end)}${tail}`,
    ranges: ranges
      .filter(([from, to]) => to > start && from < end)
      .map(([from, to]): [number, number] => [
        Math.max(from, start) - start + lead.length,
        Math.min(to, end) - start + lead.length,
      ]),
  };
}

/** The whole search: a page of messages, and the customers on the first page. */
export async function search(
  q: Queryable,
  user: User,
  query: SearchQuery,
  cursor: SearchCursor | null,
): Promise<{ answer: Omit<SearchAnswer, 'nextCursor'>; next: SearchCursor | null }> {
  const messages = await searchMessages(q, user, query, cursor);
  const customers = cursor === null ? await searchCustomers(q, user, query) : [];
  return { answer: { messages: messages.hits, customers }, next: messages.next };
}
