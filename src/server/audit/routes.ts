import type { ServerResponse } from 'node:http';
import {
  AUDIT_ACTION_LABELS,
  auditQuerySchema,
  type AuditEntry,
} from '../../shared/protocol/audit';
import type { HubContext } from '../context';
import { badRequest } from '../http/errors';
import { readQuery, sendJson } from '../http/io';
import type { Router } from '../http/router';
import { BadAuditCursor, type AuditFilter } from './log';

const CSV_COLUMNS = [
  'time (UTC)',
  'action',
  'who',
  'who (id)',
  'target',
  'target (id)',
  'detail',
  'address',
  'user agent',
];

/**
 * A CSV field: quoted, quotes doubled, and a leading `= + - @` (or tab/CR) made inert with an
 * apostrophe, so a spreadsheet never runs what a customer or an attacker typed as a formula.
 */
export function csvField(value: string): string {
  const inert = /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
  return `"${inert.replaceAll('"', '""')}"`;
}

export function auditCsvRow(entry: AuditEntry): string {
  return [
    new Date(entry.at).toISOString(),
    AUDIT_ACTION_LABELS[entry.action],
    entry.actor?.name ?? '',
    entry.actor?.id ?? '',
    entry.target?.label ?? '',
    entry.target ? `${entry.target.type}:${entry.target.id}` : '',
    entry.detail,
    entry.address ?? '',
    entry.userAgent ?? '',
  ]
    .map(csvField)
    .join(',');
}

/** Write, waiting for the socket to drain when its buffer is full (bounded memory). */
export function writeDrained(res: ServerResponse, chunk: string): Promise<void> {
  if (res.write(chunk)) return Promise.resolve();
  return new Promise((resolve, reject) => {
    const done = (error?: Error) => {
      res.off('drain', onDrain);
      res.off('close', onClose);
      if (error) reject(error);
      else resolve();
    };
    const onDrain = () => done();
    const onClose = () => done(new Error('The client went away during the export.'));
    res.on('drain', onDrain);
    res.on('close', onClose);
  });
}

/** `GET /api/admin/audit` (a page) and `GET /api/admin/audit/export` (CSV): admins only. */
export function registerAuditApi(router: Router, context: HubContext): void {
  const { auth, audit } = context;

  function filterOf(url: URL) {
    const query = readQuery(url, auditQuerySchema);
    if (query.from !== undefined && query.to !== undefined && query.from >= query.to)
      throw badRequest('from must be before to.');
    const filter: AuditFilter = {
      actions: query.action,
      actor: query.actor,
      from: query.from,
      to: query.to,
    };
    return { query, filter };
  }

  router.get('/api/admin/audit', async ({ req, res, url }) => {
    await auth.requireRole(req, ['admin'], 'read the audit log');
    const { query, filter } = filterOf(url);
    try {
      sendJson(res, 200, await audit.page(filter, query.limit, query.before));
    } catch (error) {
      if (error instanceof BadAuditCursor) throw badRequest(error.message);
      throw error;
    }
  });

  router.get('/api/admin/audit/export', async ({ req, res, url }) => {
    const admin = await auth.requireRole(req, ['admin'], 'export the audit log');
    const { filter } = filterOf(url);
    // The export is itself an entry, before the file is read: it shows in the file it writes.
    await audit.record({
      req,
      action: 'export.audit_log',
      actor: { id: admin.id, name: admin.name },
      detail: describeFilter(filter),
    });
    res.writeHead(200, {
      'content-type': 'text/csv; charset=utf-8',
      'content-disposition': `attachment; filename="replydesk-audit-${new Date(context.now()).toISOString().slice(0, 10)}.csv"`,
      'cache-control': 'no-store',
    });
    // A byte-order mark, so spreadsheets read the names as UTF-8.
    await writeDrained(res, `\uFEFF${CSV_COLUMNS.map(csvField).join(',')}\r\n`);
    await audit.each(filter, async (entries) => {
      await writeDrained(res, entries.map((entry) => `${auditCsvRow(entry)}\r\n`).join(''));
    });
    res.end();
  });
}

function describeFilter(filter: AuditFilter): string {
  const parts: string[] = [];
  if (filter.actions?.length)
    parts.push(`actions: ${filter.actions.map((a) => AUDIT_ACTION_LABELS[a]).join(', ')}`);
  if (filter.actor) parts.push(`who: ${filter.actor}`);
  if (filter.from !== undefined) parts.push(`from ${new Date(filter.from).toISOString()}`);
  if (filter.to !== undefined) parts.push(`to ${new Date(filter.to).toISOString()}`);
  return parts.length > 0 ? parts.join('; ') : 'everything';
}
