import { z } from 'zod';
import type { HubContext } from '../context';
import { readQuery, sendJson } from '../http/io';
import type { Router } from '../http/router';
import { listMentions } from './service';

const mentionsQuerySchema = z.object({
  limit: z.coerce.number().int().min(1).max(500).default(100),
});

/** `GET /api/mentions`: the signed-in user's notes that mention them (docs/api.md, "Notes"). */
export function registerNoteApi(router: Router, context: HubContext): void {
  router.get('/api/mentions', async ({ req, res, url }) => {
    const user = await context.auth.requireUser(req);
    const { limit } = readQuery(url, mentionsQuerySchema);
    sendJson(res, 200, await listMentions(context.db, user.id, limit));
  });
}
