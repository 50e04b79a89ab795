import type { Migration } from '../store/migrations';

/** Migrations of the audit log (issue #20 item 3): versions 700–799. */
export const AUDIT_MIGRATIONS: readonly Migration[] = [
  {
    version: 700,
    name: 'the audit log of security-relevant actions',
    // Names are kept as they were at the time (a user renamed later still reads as then); rows
    // are only ever added. Pages are read newest first by (at, id).
    sql: `
create table audit_log (
  id text primary key,
  at bigint not null,
  action text not null,
  actor_id text,
  actor_name text,
  target_type text,
  target_id text,
  target_label text,
  detail text not null default '',
  address text,
  user_agent text
);
create index audit_log_at_idx on audit_log (at desc, id desc);
create index audit_log_action_idx on audit_log (action, at desc);
`,
  },
];
