import { z } from 'zod';
import { checkFields, describeFields } from '../../shared/protocol/field-errors';
import { searchQuerySchema } from '../../shared/protocol/search';
import type { HubContext } from '../context';
import { badRequest, HttpError } from '../http/errors';
import { sendJson, storableInput } from '../http/io';
import type { Router } from '../http/router';
import { search, type SearchCursor } from './service';

/** Searches one user may have running at once; more are answered 429 (the app waits for one). */
export const SEARCHES_IN_FLIGHT_PER_USER = 2;

const cursorSchema = z.object({ r: z.number(), t: z.number(), id: z.string().max(100) });

function decodeCursor(raw: string | undefined): SearchCursor | null {
  if (raw === undefined) return null;
  try {
    const parsed = cursorSchema.safeParse(
      JSON.parse(Buffer.from(raw, 'base64url').toString('utf8')),
    );
    if (parsed.success) return parsed.data;
  } catch {
    // fall through
  }
  throw badRequest('before: not a cursor of this search; start again without it.', {
    fields: [{ path: 'before', message: 'Not a cursor of this search' }],
  });
}

/**
 * `GET /api/search` (issue #20 item 4): full-text search over every message and customer the
 * signed-in user may see, with filters; docs/api.md "Search".
 */
export function registerSearchApi(router: Router, context: HubContext): void {
  const running = new Map<string, number>();
  router.get('/api/search', async ({ req, res, url }) => {
    const user = await context.auth.requireUser(req);
    const raw: Record<string, string> = {};
    for (const [key, value] of url.searchParams) raw[key] = value;
    const checked = checkFields(searchQuerySchema, storableInput(raw));
    if (!checked.ok) throw badRequest(describeFields(checked.fields), { fields: checked.fields });
    const query = checked.data;
    if (query.from !== undefined && query.to !== undefined && query.from >= query.to)
      throw badRequest('to: must be after from.', {
        fields: [{ path: 'to', message: 'Must be after from' }],
      });
    const cursor = decodeCursor(query.before);
    const inFlight = running.get(user.id) ?? 0;
    if (inFlight >= SEARCHES_IN_FLIGHT_PER_USER) {
      res.setHeader('Retry-After', '1');
      throw new HttpError(
        429,
        'rate_limited',
        `At most ${SEARCHES_IN_FLIGHT_PER_USER} searches at a time; wait for one to answer.`,
      );
    }
    running.set(user.id, inFlight + 1);
    try {
      const { answer, next } = await search(context.db, user, query, cursor);
      sendJson(res, 200, {
        ...answer,
        nextCursor: next ? Buffer.from(JSON.stringify(next)).toString('base64url') : null,
      });
    } finally {
      const left = (running.get(user.id) ?? 1) - 1;
      if (left <= 0) running.delete(user.id);
      else running.set(user.id, left);
    }
  });
}
