import type { Migration } from '../store/migrations';

/** Migrations of CSAT (issue 20, item 5): versions 880–899. */
export const CSAT_MIGRATIONS: readonly Migration[] = [
  {
    version: 880,
    name: 'CSAT settings and requests',
    // One settings row (id = 1; no row means the defaults: off). One request per resolution that
    // asks: scheduled at the resolve, then cancelled (re-opened first), asked (the question was
    // queued), not asked (why: the window had closed…) or answered. The agent is who resolved it.
    sql: `
create table csat_settings (
  id integer primary key check (id = 1),
  settings jsonb not null,
  updated_at bigint not null,
  updated_by text references users (id)
);

create table csat_requests (
  id text primary key,
  conversation_id text not null references conversations (id),
  channel text not null,
  agent_id text references users (id),
  state text not null check (state in ('scheduled', 'cancelled', 'asked', 'not_asked', 'answered')),
  scale text not null check (scale in ('three', 'five')),
  resolved_at bigint not null,
  due_at bigint not null,
  asked_at bigint,
  message_id text references messages (id),
  not_asked_reason text,
  wants_comment boolean not null default false,
  rating integer check (rating between 1 and 5),
  satisfied boolean,
  answered_at bigint,
  answer_message_id text references messages (id),
  comment text,
  comment_message_id text references messages (id),
  created_at bigint not null
);
-- At most one waiting request per conversation: resolving twice asks once.
create unique index csat_requests_scheduled_key on csat_requests (conversation_id)
  where state = 'scheduled';
create index csat_requests_due_idx on csat_requests (due_at) where state = 'scheduled';
create index csat_requests_conversation_idx on csat_requests (conversation_id, created_at desc);
create index csat_requests_asked_idx on csat_requests (asked_at) where asked_at is not null;
`,
  },
];
