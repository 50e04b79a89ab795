import { z } from 'zod';
import { csvCell } from '../../shared/dashboard/csv';
import { writeDrained } from '../audit/routes';
import type { HubContext } from '../context';
import { badRequest } from '../http/errors';
import { readQuery } from '../http/io';
import type { Router } from '../http/router';
import { listPolicies } from '../sla/store';
import type { SlaPolicy } from '../../shared/sla/policy';
import {
  CONVERSATION_COLUMNS,
  conversationPage,
  CUSTOMER_COLUMNS,
  customerPage,
  type Keyset,
  type Page,
} from './query';

/** Rows read per keyset page: the memory an export holds is one page, whatever its length. */
export const EXPORT_PAGE = 1_000;

const rangeSchema = z.object({
  from: z.coerce.number().int().min(0),
  to: z.coerce.number().int().min(0),
});

const line = (cells: readonly (string | number | null)[]): string =>
  `${cells.map(csvCell).join(',')}\r\n`;

/**
 * `GET /api/exports/conversations.csv?from=&to=` (conversations created in the range) and
 * `GET /api/exports/customers.csv?from=&to=` (customers first seen in it): leads and admins.
 * Streamed a keyset page at a time, each written only once the socket has drained the last, so
 * 100,000 rows never sit in the hub's memory. Each export is an audit-log entry.
 */
export function registerExportApi(router: Router, context: HubContext): void {
  const { auth, audit, db } = context;

  async function stream(
    kind: 'conversations' | 'customers',
    columns: readonly string[],
    page: (after: Keyset | null) => Promise<Page<Keyset>>,
    { req, res, url }: Parameters<Parameters<Router['get']>[1]>[0],
  ): Promise<void> {
    const user = await auth.requireRole(req, ['lead', 'admin'], `export ${kind}`);
    const range = readQuery(url, rangeSchema);
    if (range.from >= range.to) throw badRequest('from must be before to.');
    await audit.record({
      req,
      action: kind === 'conversations' ? 'export.conversations' : 'export.customers',
      actor: { id: user.id, name: user.name },
      detail: `from ${new Date(range.from).toISOString()} to ${new Date(range.to).toISOString()}`,
    });
    res.writeHead(200, {
      'content-type': 'text/csv; charset=utf-8',
      'content-disposition': `attachment; filename="replydesk-${kind}-${new Date(range.from).toISOString().slice(0, 10)}.csv"`,
      'cache-control': 'no-store',
    });
    // A byte-order mark, so spreadsheets read the names as UTF-8.
    await writeDrained(res, `\uFEFF${line(columns)}`);
    let after: Keyset | null = null;
    for (;;) {
      const { cells, next }: Page<Keyset> = await page(after);
      if (cells.length > 0) await writeDrained(res, cells.map(line).join(''));
      if (next === null) break;
      after = next;
    }
    res.end();
  }

  router.get('/api/exports/conversations.csv', async (request) => {
    const range = readQuery(request.url, rangeSchema);
    let policies: SlaPolicy[] | null = null;
    await stream(
      'conversations',
      CONVERSATION_COLUMNS,
      async (after) =>
        conversationPage(db, range, after, EXPORT_PAGE, (policies ??= await listPolicies(db))),
      request,
    );
  });

  router.get('/api/exports/customers.csv', async (request) => {
    const range = readQuery(request.url, rangeSchema);
    await stream(
      'customers',
      CUSTOMER_COLUMNS,
      (after) => customerPage(db, range, after, EXPORT_PAGE),
      request,
    );
  });
}
