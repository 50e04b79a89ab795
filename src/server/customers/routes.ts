import type { HubContext } from '../context';
import { notFound } from '../http/errors';
import { sendJson } from '../http/io';
import type { Router } from '../http/router';
import { customerView, mergeCandidates } from './service';

/**
 * `GET /api/customers/:id` (the profile beside a conversation) and
 * `GET /api/customers/:id/merge-candidates` (who looks like the same person on another channel):
 * every signed-in user, as they see every conversation. Edits and merges are commands
 * (`update_customer`, `merge_customers`, `unmerge_customer` through `POST /api/commands` or the
 * WebSocket), so they are idempotent and become events.
 */
export function registerCustomerApi(router: Router, context: HubContext): void {
  const { auth, db } = context;

  router.get('/api/customers/:id', async ({ req, res, params }) => {
    await auth.requireUser(req);
    const id = params['id'] ?? '';
    const view = await customerView(db, id);
    if (!view) throw notFound(`No customer ${id}.`);
    sendJson(res, 200, view);
  });

  router.get('/api/customers/:id/merge-candidates', async ({ req, res, params }) => {
    await auth.requireUser(req);
    const id = params['id'] ?? '';
    const view = await db.query('select 1 from customers where id = $1', [id]);
    if (view.rows.length === 0) throw notFound(`No customer ${id}.`);
    sendJson(res, 200, { candidates: await mergeCandidates(db, id) });
  });
}
