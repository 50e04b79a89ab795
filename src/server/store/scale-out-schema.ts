import type { Migration } from './migrations';

/** The channel every hub LISTENs on (`realtime/shared-bus.ts`). */
export const EVENTS_CHANNEL = 'replydesk_events';

/**
 * Scale-out (issue #18), versions 500–599. The same SQL on PGlite, where nobody listens and the
 * notification is dropped at commit.
 */
export const SCALE_OUT_MIGRATIONS: readonly Migration[] = [
  {
    version: 500,
    name: 'a notification per committed batch of events, with its workspace and last seq only',
    // One notification per statement, not per row: a webhook batch of 100 events notifies once.
    // The payload carries no bodies (PostgreSQL caps it at 8,000 bytes): hubs read the events.
    // It is delivered at commit, in commit order, which is seq order (the counter row's lock).
    sql: `
create function replydesk_notify_events() returns trigger language plpgsql as $$
begin
  perform pg_notify('${EVENTS_CHANNEL}',
    json_build_object('workspace', 1, 'seq', (select max(seq) from new_events))::text);
  return null;
end $$;
create trigger events_notify after insert on events
  referencing new table as new_events
  for each statement execute function replydesk_notify_events();
`,
  },
  {
    version: 501,
    name: 'which hub has a send in flight',
    // Another hub leaves a send alone while the hub that began it holds its instance lock, and
    // treats it as cut off once that hub is gone (core/outbound.ts).
    sql: `alter table outbound_queue add column sending_by text;`,
  },
  {
    version: 510,
    name: 'sign-in attempts, counted across hubs',
    // kind 'address': every attempt from a client address; 'failure': a failed sign-in to an
    // account (auth/login-limiter.ts). Rows older than the window are deleted as attempts come.
    sql: `
create table login_attempts (kind text not null, key text not null, at bigint not null);
create index login_attempts_key on login_attempts (kind, key, at);
create index login_attempts_at on login_attempts (at);
`,
  },
];
