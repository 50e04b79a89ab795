import type { Migration } from '../store/migrations';

/** Migrations of activity lines (issue #20 item 3): versions 840–859. */
export const ACTIVITY_MIGRATIONS: readonly Migration[] = [
  {
    version: 840,
    name: 'activity lines of conversations',
    // One row per change, only ever added, written in the change's own transaction. Read by
    // conversation newest first (history), and all of it by (conversation_id, at, id) for an
    // app's first sync.
    sql: `
create table activity (
  id text primary key,
  conversation_id text not null references conversations (id),
  at bigint not null,
  kind text not null,
  via text not null,
  actor_id text,
  from_value text,
  to_value text,
  until bigint
);
create index activity_conversation_idx on activity (conversation_id, at, id);
`,
  },
  {
    version: 841,
    name: 'conversations and customers by creation, for exports',
    // Exports (issue #20 item 6, `../exports/`) read a date range keyset-paged on
    // (created_at, id); without these each page would scan the table.
    sql: `
create index conversations_created_idx on conversations (created_at, id);
create index customers_created_idx on customers (created_at, id);
`,
  },
];
