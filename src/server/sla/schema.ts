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
];
