import type { Migration } from '../store/migrations';

/** Migrations of this feature (teams, assignment rules, channel connections, settings): versions 300–399. */
export const ADMIN_MIGRATIONS: readonly Migration[] = [
  {
    version: 300,
    name: 'teams',
    sql: `
create table teams (
  id text primary key,
  name text not null,
  assignment text not null default 'manual' check (assignment in ('manual', 'round_robin')),
  created_at bigint not null,
  updated_at bigint not null
);
create unique index teams_name_key on teams (lower(name));
create table team_members (
  team_id text not null references teams (id) on delete cascade,
  user_id text not null references users (id),
  primary key (team_id, user_id)
);
create index team_members_user_idx on team_members (user_id);
`,
  },
  {
    version: 301,
    name: 'assignment rules, availability, invites, channel secrets and health, the rate card',
    // Teams map to conversations by channel: a new conversation on a channel listed by a
    // round-robin team goes to that team's next available member (a channel belongs to at most
    // one team, checked by the API). `rr_last_user_id` is the rotation's cursor, in the database
    // so the rotation survives a restart. Secrets are kept here rather than in config files or
    // logs, and never answered back. The rate card row, once an admin saves one, replaces the
    // file the hub starts with.
    sql: `
alter table teams add column channels text[] not null default '{}';
alter table teams add column rr_last_user_id text;
alter table users add column availability text not null default 'available'
  check (availability in ('available', 'away'));
create table user_setup_tokens (
  token_hash text primary key,
  user_id text not null references users (id),
  purpose text not null check (purpose in ('invite', 'reset')),
  created_at bigint not null,
  expires_at bigint not null
);
create index user_setup_tokens_user_idx on user_setup_tokens (user_id);
create table channel_secrets (
  channel text not null,
  name text not null,
  value text not null,
  updated_at bigint not null,
  updated_by text references users (id),
  primary key (channel, name)
);
create table channel_health (
  channel text primary key,
  verified_at bigint,
  last_error text,
  last_error_at bigint
);
create table rate_card (
  id integer primary key check (id = 1),
  card jsonb not null,
  updated_at bigint not null,
  updated_by text references users (id)
);
`,
  },
  {
    version: 302,
    name: 'workspace settings: assign on reply',
    // One row of workspace-wide switches (issue 12, item 13). No row means the defaults, so a
    // hub that never saved settings behaves as documented. `assign_on_reply`: a reply to an
    // unassigned conversation assigns it to the replying agent, so two agents do not both answer.
    sql: `
create table workspace_settings (
  id integer primary key check (id = 1),
  assign_on_reply boolean not null default true,
  updated_at bigint not null,
  updated_by text references users (id)
);
`,
  },
];
