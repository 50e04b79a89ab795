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
];
