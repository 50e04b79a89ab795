import type { Migration } from '../store/migrations';

/** Migrations of this feature (template versions and WhatsApp template parts): versions 200–299. */
export const TEMPLATE_MIGRATIONS: readonly Migration[] = [
  {
    version: 200,
    name: 'template folders, tags, WhatsApp parts and version history',
    sql: `
alter table templates
  add column folder text,
  add column tags text[] not null default '{}',
  add column header text,
  add column footer text,
  add column buttons jsonb not null default '[]',
  add column examples jsonb not null default '[]',
  add column rejection_reason text;

-- Every save of a template: who, when, and the whole template as saved, so the history can show
-- what changed and any version can be restored.
create table template_versions (
  template_id text not null references templates (id),
  version integer not null,
  action text not null check (action in ('created', 'updated', 'restored', 'imported')),
  restored_from integer,
  snapshot jsonb not null,
  changed_by text references users (id),
  changed_at bigint not null,
  primary key (template_id, version)
);

-- Templates saved before history existed start it with their current state.
insert into template_versions (template_id, version, action, snapshot, changed_by, changed_at)
select id, version, case when version = 1 then 'created' else 'updated' end,
  jsonb_build_object(
    'id', id, 'kind', kind, 'name', name, 'shortcut', shortcut, 'body', body,
    'language', language, 'category', category, 'channels', to_jsonb(channels),
    'status', status, 'version', version, 'updatedAt', updated_at, 'updatedBy', updated_by,
    'folder', null, 'tags', '[]'::jsonb, 'header', null, 'footer', null,
    'buttons', '[]'::jsonb, 'examples', '[]'::jsonb, 'rejectionReason', null),
  updated_by, updated_at
from templates;
`,
  },
];
