import type { IncomingMessage } from 'node:http';
import { z } from 'zod';
import {
  draftOrderInputSchema,
  orderLinkInputSchema,
  shopInputSchema,
  shopPatchSchema,
} from '../../shared/protocol/shops';
import type { ChannelKind } from '../../shared/domain/channels';
import type { User } from '../../shared/domain/model';
import type { HubContext } from '../context';
import { badRequest, notFound } from '../http/errors';
import { readJson, readQuery, sendJson } from '../http/io';
import type { Router } from '../http/router';
import type { OrderCustomer, OrderService } from './shops/service';

/**
 * The order API (issue #17; docs/api.md "Orders"): agents look up a conversation's customer's
 * orders per source (the built-in store, each connected shop) or all at once, by number, link an
 * order to a customer, and resolve a catalog order's products; admins connect shops.
 */

const conversationQuery = z.object({
  conversation: z.string().min(1).max(100).optional(),
  customer: z.string().min(1).max(100).optional(),
  phone: z.string().max(50).optional(),
  email: z.string().max(320).optional(),
  number: z.string().max(50).optional(),
  source: z.string().min(1).max(100).optional(),
  refresh: z.enum(['1', 'true']).optional(),
});

export function registerOrderApi(router: Router, context: HubContext, orders: OrderService): void {
  const { db, auth } = context;
  const requireAdmin = (req: IncomingMessage): Promise<User> =>
    auth.requireRole(req, ['admin'], 'connect shops');

  async function customerOf(q: {
    conversation?: string | undefined;
    customer?: string | undefined;
  }): Promise<OrderCustomer> {
    const { rows } = await db.query<{
      id: string;
      name: string;
      phone: string | null;
      email: string | null;
      country: string | null;
      channel: ChannelKind | null;
    }>(
      q.conversation
        ? `select c.id, c.name, c.phone, c.email, c.country, v.channel from conversations v
           join customers c on c.id = v.customer_id where v.id = $1`
        : 'select id, name, phone, email, country, null as channel from customers where id = $1',
      [q.conversation ?? q.customer],
    );
    const row = rows[0];
    if (!row) throw notFound(q.conversation ? 'No such conversation.' : 'No such customer.');
    return row;
  }

  router.get('/api/orders/sources', async ({ req, res, url }) => {
    await auth.requireUser(req);
    const q = readQuery(url, z.object({ conversation: z.string().min(1).max(100).optional() }));
    const channel = q.conversation ? (await customerOf(q)).channel : null;
    sendJson(res, 200, { sources: await orders.sourcesFor(channel) });
  });

  router.get('/api/orders', async ({ req, res, url }) => {
    await auth.requireUser(req);
    const q = readQuery(url, conversationQuery);
    if (q.number) {
      const found = await orders.byNumber(q.number, q.source);
      sendJson(res, 200, found);
      return;
    }
    let customer: OrderCustomer;
    if (q.conversation || q.customer) customer = await customerOf(q);
    else if (q.phone || q.email)
      customer = {
        id: null,
        phone: q.phone ?? null,
        email: q.email ?? null,
        country: null,
        channel: null,
      };
    else throw badRequest('Give number, phone, email, customer or conversation.');
    if (q.source) {
      sendJson(
        res,
        200,
        await orders.lookup(q.source, customer, { refresh: q.refresh !== undefined }),
      );
      return;
    }
    sendJson(res, 200, await orders.lookupAll(customer));
  });

  router.post('/api/orders/links', async ({ req, res }) => {
    const user = await auth.requireUser(req);
    const input = await readJson(req, orderLinkInputSchema);
    const customer = await customerOf({ conversation: input.conversation });
    const order = await orders.link(customer, input.source, input.number, user.id);
    if (!order) throw notFound(`No order ${input.number.replace(/^#?/, '#')} in this shop.`);
    sendJson(res, 201, { order });
  });

  router.delete('/api/orders/links', async ({ req, res, url }) => {
    await auth.requireUser(req);
    const input = readQuery(url, orderLinkInputSchema);
    const customer = await customerOf({ conversation: input.conversation });
    if (!(await orders.unlink(customer, input.source, input.number)))
      throw notFound('This order is not linked to this customer.');
    sendJson(res, 200, { unlinked: true });
  });

  router.get('/api/orders/products', async ({ req, res, url }) => {
    await auth.requireUser(req);
    const q = readQuery(
      url,
      z.object({
        conversation: z.string().min(1).max(100).optional(),
        ids: z.string().min(1).max(4000),
      }),
    );
    const channel = q.conversation ? (await customerOf(q)).channel : null;
    const ids = q.ids.split(',').slice(0, 100);
    sendJson(res, 200, await orders.products(channel, ids));
  });

  router.post('/api/orders/drafts', async ({ req, res }) => {
    await auth.requireUser(req);
    const input = await readJson(req, draftOrderInputSchema);
    const customer = await customerOf({ conversation: input.conversation });
    sendJson(res, 201, { draft: await orders.createDraft(customer, input.source, input.lines) });
  });

  router.get('/api/orders/image', async ({ req, res, url }) => {
    await auth.requireUser(req);
    const q = readQuery(url, z.object({ src: z.string().min(1).max(2000) }));
    const image = await orders.image(q.src);
    res.writeHead(200, {
      'Content-Type': image.contentType,
      'Content-Length': image.bytes.length,
      'Cache-Control': 'private, max-age=86400',
      'X-Content-Type-Options': 'nosniff',
      'Content-Security-Policy': "default-src 'none'",
    });
    res.end(image.bytes);
  });

  router.get('/api/admin/shops', async ({ req, res }) => {
    await requireAdmin(req);
    sendJson(res, 200, { shops: await orders.listShops(), kinds: orders.kindViews() });
  });

  /** Shops are changed by the order service on its own: their entries follow the change. */
  const recordShop = (
    req: IncomingMessage,
    admin: User,
    action: 'shop.connected' | 'shop.changed' | 'shop.removed',
    shop: { id: string; name: string; url: string },
    detail: string,
  ) =>
    context.audit.record({
      req,
      action,
      actor: { id: admin.id, name: admin.name },
      target: { type: 'shop', id: shop.id, label: shop.name || shop.url },
      detail,
    });

  router.post('/api/admin/shops', async ({ req, res }) => {
    const admin = await requireAdmin(req);
    const input = await readJson(req, shopInputSchema);
    const shop = await orders.createShop(input);
    await recordShop(req, admin, 'shop.connected', shop, `${shop.kind} at ${shop.url}`);
    sendJson(res, 201, { shop });
  });

  router.patch('/api/admin/shops/:id', async ({ req, res, params }) => {
    const admin = await requireAdmin(req);
    const patch = await readJson(req, shopPatchSchema);
    const shop = await orders.updateShop(params['id'] ?? '', patch);
    // What changed, by name; credentials never by value.
    const changed = [
      ...Object.keys(patch).filter((key) => key !== 'credentials'),
      ...Object.keys(patch.credentials ?? {}).map((name) => `${name} set`),
    ];
    await recordShop(req, admin, 'shop.changed', shop, changed.join(', '));
    sendJson(res, 200, { shop });
  });

  router.delete('/api/admin/shops/:id', async ({ req, res, params }) => {
    const admin = await requireAdmin(req);
    const id = params['id'] ?? '';
    const shop = await orders.deleteShop(id);
    await recordShop(req, admin, 'shop.removed', shop, `${shop.kind} at ${shop.url}`);
    sendJson(res, 200, { deleted: id });
  });

  router.post('/api/admin/shops/:id/test', async ({ req, res, params }) => {
    await requireAdmin(req);
    sendJson(res, 200, await orders.testShop(params['id'] ?? ''));
  });
}
