import type { Migration } from '../store/migrations';

/** Migrations of this feature (SLA policies, the business calendar, breaches): versions 100–199. */
export const SLA_MIGRATIONS: readonly Migration[] = [
  {
    version: 100,
    name: 'SLA breaches',
    // One row per missed target, written at the instant it was missed; the dashboard counts
    // these, so its figures are the same after a restart. A target missed again later (a new
    // customer message, a new due time) is a new row.
    sql: `
create table sla_breaches (
  id text primary key,
  conversation_id text not null references conversations (id),
  policy_id text not null,
  target text not null check (target in ('first_response', 'next_response', 'resolution')),
  due_at bigint not null,
  breached_at bigint not null,
  channel text not null,
  priority text not null,
  assignee_id text references users (id),
  unique (conversation_id, target, due_at)
);
create index sla_breaches_time_idx on sla_breaches (breached_at);
`,
  },
  {
    version: 101,
    name: 'SLA policies, the business calendar and the conversations SLA facts',
    // The facts are filled from the stored messages so conversations already waiting get their
    // targets (and, when a policy says so, their breaches) after the upgrade.
    sql: `
create table sla_policies (
  id text primary key,
  name text not null,
  channel text,
  priority text check (priority in ('low', 'normal', 'high', 'urgent')),
  first_response_ms bigint,
  next_response_ms bigint,
  resolution_ms bigint,
  hours text not null check (hours in ('business', 'always')),
  enabled boolean not null,
  updated_at bigint not null,
  updated_by text references users (id)
);

-- One calendar per hub (id = 1); weekly_hours is {mon: [{start, end}], …} in its time zone.
create table sla_calendar (
  id integer primary key check (id = 1),
  time_zone text not null,
  weekly_hours jsonb not null,
  holidays jsonb not null,
  updated_at bigint not null
);
insert into sla_calendar (id, time_zone, weekly_hours, holidays, updated_at) values (
  1, 'UTC',
  '{"mon":[{"start":"09:00","end":"17:00"}],"tue":[{"start":"09:00","end":"17:00"}],"wed":[{"start":"09:00","end":"17:00"}],"thu":[{"start":"09:00","end":"17:00"}],"fri":[{"start":"09:00","end":"17:00"}],"sat":[],"sun":[]}',
  '[]', 0);

alter table conversations
  add column awaiting_reply_since bigint,
  add column first_reply_at bigint,
  add column opened_at bigint,
  add column resolved_at bigint;

update conversations set opened_at = created_at;
update conversations set resolved_at = updated_at where status = 'resolved';
update conversations v set first_reply_at = m.first_at
  from (select conversation_id, min(sent_at) as first_at from messages
        where direction = 'outbound' group by conversation_id) m
  where v.id = m.conversation_id;
update conversations v set awaiting_reply_since = m.since
  from (select i.conversation_id, min(i.sent_at) as since from messages i
        where i.direction = 'inbound' and not exists (
          select 1 from messages o where o.conversation_id = i.conversation_id
            and o.direction = 'outbound' and o.sent_at >= i.sent_at)
        group by i.conversation_id) m
  where v.id = m.conversation_id and v.status <> 'resolved';

-- The evaluator reads the conversations that may have a running target.
create index conversations_sla_idx on conversations (status) where status <> 'resolved';
`,
  },
  {
    version: 102,
    name: 'SLA policies apply from when they were created',
    // A policy counts a waiting conversation's targets from when it began to apply (issue 12,
    // item 10). Policies of older hubs are taken to apply since their last change: the best
    // record of when they began that those hubs kept.
    sql: `
alter table sla_policies add column applies_from bigint;
update sla_policies set applies_from = updated_at;
alter table sla_policies alter column applies_from set not null;
`,
  },
];
