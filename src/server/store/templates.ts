import type { Template } from '../../shared/domain/model';
import type { TemplateInput } from '../../shared/protocol/templates';
import type { Queryable } from './db';

interface TemplateRow {
  id: string;
  kind: Template['kind'];
  name: string;
  shortcut: string | null;
  body: string;
  language: string;
  category: Template['category'];
  channels: Template['channels'];
  status: Template['status'];
  version: number;
  updated_at: number;
  updated_by: string | null;
}

const toTemplate = (row: TemplateRow): Template => ({
  id: row.id,
  kind: row.kind,
  name: row.name,
  shortcut: row.shortcut,
  body: row.body,
  language: row.language,
  category: row.category,
  channels: row.channels,
  status: row.status,
  version: Number(row.version),
  updatedAt: Number(row.updated_at),
  updatedBy: row.updated_by,
});

/** The editable columns, in the order both statements below use them ($2 … $9). */
const editable = (input: TemplateInput): unknown[] => [
  input.kind,
  input.name,
  input.shortcut,
  input.body,
  input.language,
  input.category,
  input.channels,
  input.status,
];

export async function getTemplate(q: Queryable, id: string): Promise<Template | null> {
  const { rows } = await q.query<TemplateRow>(
    'select * from templates where id = $1 and not deleted',
    [id],
  );
  return rows[0] ? toTemplate(rows[0]) : null;
}

export async function listTemplates(q: Queryable): Promise<Template[]> {
  const { rows } = await q.query<TemplateRow>(
    'select * from templates where not deleted order by kind, name',
  );
  return rows.map(toTemplate);
}

export async function insertTemplate(
  q: Queryable,
  id: string,
  input: TemplateInput,
  userId: string | null,
  at: number,
): Promise<Template> {
  const { rows } = await q.query<TemplateRow>(
    `insert into templates (id, kind, name, shortcut, body, language, category, channels, status,
       version, updated_at, updated_by)
     values ($1, $2, $3, $4, $5, $6, $7, $8, $9, 1, $10, $11) returning *`,
    [id, ...editable(input), at, userId],
  );
  return toTemplate(rows[0] as TemplateRow);
}

export async function updateTemplate(
  q: Queryable,
  id: string,
  input: TemplateInput,
  userId: string,
  at: number,
): Promise<Template | null> {
  const { rows } = await q.query<TemplateRow>(
    `update templates set kind = $2, name = $3, shortcut = $4, body = $5, language = $6, category = $7,
       channels = $8, status = $9, version = version + 1, updated_at = $10, updated_by = $11
     where id = $1 and not deleted returning *`,
    [id, ...editable(input), at, userId],
  );
  return rows[0] ? toTemplate(rows[0]) : null;
}

export async function deleteTemplate(
  q: Queryable,
  id: string,
  userId: string,
  at: number,
): Promise<boolean> {
  const { rows } = await q.query<{ id: string }>(
    'update templates set deleted = true, updated_at = $2, updated_by = $3 where id = $1 and not deleted returning id',
    [id, at, userId],
  );
  return rows.length > 0;
}
