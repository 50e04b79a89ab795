import type { Migration } from '../store/migrations';

/** Migrations of internal notes and their mentions (issue #20 item 1): versions 800–819. */
export const NOTE_MIGRATIONS: readonly Migration[] = [
  {
    version: 800,
    name: 'internal notes and the mentions they notify',
    // A note is a message of its own direction: every query that counts replies (`direction =
    // 'outbound'`: SLA, dashboard, the outbound queue, status webhooks) leaves it out by
    // construction. One mention row per mentioned user but the author holds what they saw, so
    // read state follows a user from machine to machine.
    sql: `
alter table messages drop constraint messages_direction_check;
alter table messages add constraint messages_direction_check
  check (direction in ('inbound', 'outbound', 'note'));

create table note_mentions (
  message_id text not null references messages (id),
  user_id text not null references users (id),
  conversation_id text not null,
  created_at bigint not null,
  read_at bigint,
  primary key (message_id, user_id)
);
create index note_mentions_user_idx on note_mentions (user_id, created_at desc, message_id desc);
`,
  },
];
