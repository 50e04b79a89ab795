import { z } from 'zod';
import type { HubContext } from '../context';
import { badRequest, notFound } from '../http/errors';
import { readQuery, sendJson } from '../http/io';
import type { Router } from '../http/router';
import { headSeq } from '../store/events';
import { toActivity, type ActivityRow } from './record';

/** Largest page of either read: activity lines are small, a page of them is cheap. */
const MAX_PAGE = 2_000;

const cursorSchema = z.tuple([z.string(), z.number(), z.string()]);

const encode = (value: z.infer<typeof cursorSchema>): string =>
  Buffer.from(JSON.stringify(value)).toString('base64url');

function decode(raw: string | undefined): z.infer<typeof cursorSchema> | null {
  if (raw === undefined || raw === '') return null;
  try {
    const parsed = cursorSchema.safeParse(JSON.parse(Buffer.from(raw, 'base64url').toString()));
    if (parsed.success) return parsed.data;
  } catch {
    // not a cursor
  }
  throw badRequest('The cursor is not valid; start again without it.');
}

const pageQuery = z.object({
  limit: z.coerce.number().int().min(1).max(MAX_PAGE).default(500),
  cursor: z.string().max(500).optional(),
});

/**
 * Activity lines for apps: `GET /api/conversations/:id/activity` (one conversation's, newest
 * first, as an app opening or paging back through a conversation loads them) and
 * `GET /api/sync/activity` (everyone's, for a first sync, with the head seq to resume events
 * from). Both keyset-paged on (conversation_id, at, id), which never changes.
 */
export function registerActivityApi(router: Router, context: HubContext): void {
  const { db, auth } = context;

  router.get('/api/conversations/:id/activity', async ({ req, res, params, url }) => {
    await auth.requireUser(req);
    const id = params['id'] ?? '';
    const q = readQuery(url, pageQuery);
    const cursor = decode(q.cursor);
    const exists = await db.query('select 1 from conversations where id = $1', [id]);
    if (exists.rows.length === 0) throw notFound(`No conversation ${id}.`);
    const { rows } = await db.query<ActivityRow>(
      `select * from activity where conversation_id = $1
         ${cursor ? 'and (at, id) < ($3, $4)' : ''}
       order by at desc, id desc limit $2`,
      cursor ? [id, q.limit + 1, cursor[1], cursor[2]] : [id, q.limit + 1],
    );
    const page = rows.slice(0, q.limit).map(toActivity);
    const last = page[page.length - 1];
    sendJson(res, 200, {
      activity: page,
      nextCursor: rows.length > q.limit && last ? encode([id, last.at, last.id]) : null,
    });
  });

  router.get('/api/sync/activity', async ({ req, res, url }) => {
    await auth.requireUser(req);
    const q = readQuery(url, pageQuery);
    const cursor = decode(q.cursor);
    const result = await db.transaction(async (tx) => ({
      rows: (
        await tx.query<ActivityRow>(
          `select * from activity
           ${cursor ? 'where (conversation_id, at, id) < ($2, $3, $4)' : ''}
           order by conversation_id desc, at desc, id desc limit $1`,
          cursor ? [q.limit + 1, ...cursor] : [q.limit + 1],
        )
      ).rows,
      head: await headSeq(tx),
    }));
    const page = result.rows.slice(0, q.limit).map(toActivity);
    const last = page[page.length - 1];
    sendJson(res, 200, {
      activity: page,
      nextCursor:
        result.rows.length > q.limit && last
          ? encode([last.conversationId, last.at, last.id])
          : null,
      headSeq: result.head,
    });
  });
}
