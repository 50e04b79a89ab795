import { templateSchema, type Template } from '../../shared/domain/model';
import {
  changedFields,
  inputOf,
  templateInputSchema,
  type TemplateInput,
  type TemplateInputDraft,
  type TemplateVersion,
} from '../../shared/protocol/templates';
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
  folder: string | null;
  tags: string[] | null;
  header: string | null;
  footer: string | null;
  buttons: unknown;
  examples: unknown;
  rejection_reason: string | null;
  /** Migration 532. */
  attachment?: unknown;
}

const toTemplate = (row: TemplateRow): Template =>
  // Parsed, so the JSON columns (buttons, examples) are typed by the schema, not by a cast.
  templateSchema.parse({
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
    folder: row.folder,
    tags: row.tags ?? [],
    header: row.header,
    footer: row.footer,
    buttons: row.buttons ?? [],
    examples: row.examples ?? [],
    rejectionReason: row.rejection_reason,
    attachment: row.attachment ?? null,
  });

/** The editable columns, in the order the statements below use them ($2 … $17). */
const editable = (input: TemplateInput): unknown[] => [
  input.kind,
  input.name,
  input.shortcut,
  input.body,
  input.language,
  input.category,
  input.channels,
  input.status,
  input.folder,
  input.tags,
  input.header,
  input.footer,
  JSON.stringify(input.buttons),
  JSON.stringify(input.examples),
  input.rejectionReason,
  input.attachment === null ? null : JSON.stringify(input.attachment),
];

export type VersionAction = TemplateVersion['action'];

/** Every save leaves a version row with the whole template, so history and restore need nothing else. */
async function recordVersion(
  q: Queryable,
  template: Template,
  action: VersionAction,
  restoredFrom: number | null = null,
): Promise<void> {
  await q.query(
    `insert into template_versions (template_id, version, action, restored_from, snapshot,
       changed_by, changed_at)
     values ($1, $2, $3, $4, $5, $6, $7)`,
    [
      template.id,
      template.version,
      action,
      restoredFrom,
      JSON.stringify(template),
      template.updatedBy,
      template.updatedAt,
    ],
  );
}

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

/** Create a template (version 1). Takes a draft so callers such as the seed need not spell defaults. */
export async function insertTemplate(
  q: Queryable,
  id: string,
  draft: TemplateInputDraft,
  userId: string | null,
  at: number,
  action: VersionAction = 'created',
): Promise<Template> {
  const input = templateInputSchema.parse(draft);
  const { rows } = await q.query<TemplateRow>(
    `insert into templates (id, kind, name, shortcut, body, language, category, channels, status,
       folder, tags, header, footer, buttons, examples, rejection_reason, attachment,
       version, updated_at, updated_by)
     values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17::jsonb, 1,
       $18, $19)
     returning *`,
    [id, ...editable(input), at, userId],
  );
  const template = toTemplate(rows[0] as TemplateRow);
  await recordVersion(q, template, action);
  return template;
}

export async function updateTemplate(
  q: Queryable,
  id: string,
  input: TemplateInput,
  userId: string,
  at: number,
  action: VersionAction = 'updated',
  restoredFrom: number | null = null,
): Promise<Template | null> {
  const { rows } = await q.query<TemplateRow>(
    `update templates set kind = $2, name = $3, shortcut = $4, body = $5, language = $6,
       category = $7, channels = $8, status = $9, folder = $10, tags = $11, header = $12,
       footer = $13, buttons = $14, examples = $15, rejection_reason = $16, attachment = $17::jsonb,
       version = version + 1, updated_at = $18, updated_by = $19
     where id = $1 and not deleted returning *`,
    [id, ...editable(input), at, userId],
  );
  if (!rows[0]) return null;
  const template = toTemplate(rows[0]);
  await recordVersion(q, template, action, restoredFrom);
  return template;
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

interface VersionRow {
  version: number;
  action: VersionAction;
  restored_from: number | null;
  snapshot: unknown;
  changed_at: number;
  changed_by: string | null;
  changed_by_name: string | null;
}

/** A template's versions, newest first, each with the fields it changed and who saved it. */
export async function listTemplateVersions(q: Queryable, id: string): Promise<TemplateVersion[]> {
  const { rows } = await q.query<VersionRow>(
    `select v.version, v.action, v.restored_from, v.snapshot, v.changed_at, v.changed_by,
       u.name as changed_by_name
     from template_versions v left join users u on u.id = v.changed_by
     where v.template_id = $1 order by v.version`,
    [id],
  );
  let previous: TemplateInput | null = null;
  const versions: TemplateVersion[] = [];
  for (const row of rows) {
    const template = templateSchema.parse(
      typeof row.snapshot === 'string' ? JSON.parse(row.snapshot) : row.snapshot,
    );
    const input = inputOf(template);
    versions.push({
      version: Number(row.version),
      action: row.action,
      restoredFrom: row.restored_from === null ? null : Number(row.restored_from),
      at: Number(row.changed_at),
      by:
        row.changed_by === null
          ? null
          : { id: row.changed_by, name: row.changed_by_name ?? row.changed_by },
      template,
      changed: changedFields(previous, input),
    });
    previous = input;
  }
  return versions.reverse();
}

/** The live quick reply using `shortcut`, other than `exceptId`, if any. */
export async function quickReplyWithShortcut(
  q: Queryable,
  shortcut: string,
  exceptId: string | null,
): Promise<Template | null> {
  const { rows } = await q.query<TemplateRow>(
    `select * from templates where kind = 'quick_reply' and not deleted and shortcut = $1
       and id is distinct from $2 limit 1`,
    [shortcut, exceptId],
  );
  return rows[0] ? toTemplate(rows[0]) : null;
}
