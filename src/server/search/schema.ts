import type { Migration } from '../store/migrations';

/**
 * The languages whose stemming the search knows (issue #20 item 4: our customers write English,
 * Dutch, German, French and Italian), plus `simple` (every word as written, lower-cased: names,
 * order numbers, words of any other language). PGlite 0.5.16 (PostgreSQL 18.6) has all the
 * snowball configurations a server has (`select cfgname from pg_ts_config`).
 */
export const SEARCH_CONFIGS = [
  'simple',
  'english',
  'dutch',
  'german',
  'french',
  'italian',
] as const;

const vectorOf = (text: string): string =>
  SEARCH_CONFIGS.map((config) => `to_tsvector('${config}', ${text})`).join(' || ');
const queryOf = (text: string): string =>
  SEARCH_CONFIGS.map((config) => `websearch_to_tsquery('${config}', ${text})`).join(' || ');

/**
 * Migrations of the search (issue #20 item 4): versions 860–879.
 *
 * Messages are indexed by an expression GIN index over every language's vector at once
 * (docs/benchmarks.md "Search"): a customer's language is unknown on most channels, so a
 * message is stemmed as each of the five languages and a query is matched as each; the index
 * holds the union of their lexemes. No stored column: `select *` of messages (sync pages,
 * history) carries no vector, nothing else writes it, and a copy to PostgreSQL
 * (`move-to-postgres.ts`) copies rows as they are; PostgreSQL maintains the index on every
 * insert and on every edit of `content`, and `create index` itself indexes the rows already
 * there. Ranking computes the vector again, for the matching rows only.
 */
export const SEARCH_MIGRATIONS: readonly Migration[] = [
  {
    version: 860,
    name: 'full-text search over messages and customers',
    sql: `
-- The searchable text of a message content: a text's body, a note's or a button's text, a file's
-- caption, a template as the customer read it.
create function replydesk_search_text(content jsonb) returns text
language sql immutable parallel safe
return coalesce(content->>'body', '') || ' ' || coalesce(content->>'text', '') || ' ' ||
  coalesce(content->>'renderedBody', '') || ' ' || coalesce(content->'media'->>'caption', '') || ' ' ||
  coalesce(content->>'caption', '');

create function replydesk_search_vector(body text) returns tsvector
language sql immutable parallel safe
return ${vectorOf('body')};

create function replydesk_search_query(typed text) returns tsquery
language sql immutable parallel safe
return ${queryOf('typed')};

create index messages_search_idx on messages
  using gin (replydesk_search_vector(replydesk_search_text(content)));

-- Customers by the words of their name and e-mail, as written (prefixes: "ann" finds Anna).
create function replydesk_customer_vector(name text, email text) returns tsvector
language sql immutable parallel safe
return to_tsvector('simple', coalesce(name, '') || ' ' || coalesce(email, '') || ' ' ||
  translate(coalesce(email, ''), '@.-_+', '     '));

create index customers_search_idx on customers
  using gin (replydesk_customer_vector(name, email));
`,
  },
];
