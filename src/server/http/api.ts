import type { IncomingMessage } from 'node:http';
import { z } from 'zod';
import { channelKindSchema } from '../../shared/domain/channels';
import { conversationStatusSchema, type Conversation } from '../../shared/domain/model';
import {
  clientIdSchema,
  commandSchema,
  outgoingContentSchema,
  type Command,
} from '../../shared/protocol/commands';
import type { ReplyWindow } from '../../shared/reply-window';
import type { HubContext } from '../context';
import { windowOf } from '../core/commands';
import { newId } from '../ids';
import {
  CONVERSATION_SELECT,
  getConversation,
  toConversation,
  type ConversationRow,
} from '../store/conversations';
import { headSeq } from '../store/events';
import { toMessage, type MessageRow } from '../store/messages';
import type { EmbeddedSignIn } from '../auth/embedded-sign-in';
import { createLoginLimiter } from '../auth/login-limiter';
import { bearer } from './auth';
import { badRequest, forbidden, HttpError, notFound, unauthorized } from './errors';
import { readJson, readQuery as query, sendJson } from './io';
import type { Router } from './router';

export interface ApiOptions extends HubContext {
  /**
   * Embedded mode: the local app may get a token for the local admin by presenting the launch
   * secret or a one-time sign-in token (src/server/auth/embedded-sign-in.ts).
   */
  readonly embedded: {
    readonly adminId: () => Promise<string>;
    readonly signIn: EmbeddedSignIn;
  } | null;
}

const embeddedSignInSchema = z.object({ secret: z.string().max(200).optional() });

/** A conversation as the API answers it: with its reply window computed at the hub's now. */
export type ConversationView = Conversation & { window: ReplyWindow };

const view = (conversation: Conversation, now: number): ConversationView => ({
  ...conversation,
  window: windowOf(conversation, now),
});

const encodeCursor = (value: unknown): string =>
  Buffer.from(JSON.stringify(value)).toString('base64url');
function decodeCursor<S extends z.ZodType>(raw: string | null, schema: S): z.infer<S> | null {
  if (raw === null || raw === '') return null;
  try {
    const parsed = schema.safeParse(JSON.parse(Buffer.from(raw, 'base64url').toString('utf8')));
    if (parsed.success) return parsed.data;
  } catch {
    // fall through
  }
  throw badRequest('The cursor is not valid; start again without it.');
}

const listQuerySchema = z.object({
  limit: z.coerce.number().int().min(1).max(500).default(50),
  status: conversationStatusSchema.optional(),
  channel: channelKindSchema.optional(),
  assignee: z.string().max(100).optional(),
  label: z.string().max(50).optional(),
  window: z.enum(['open', 'closing', 'closed', 'unlimited']).optional(),
  q: z.string().trim().max(200).optional(),
  cursor: z.string().max(500).optional(),
});
const conversationCursorSchema = z.object({ t: z.number(), id: z.string() });
const messageCursorSchema = z.object({ t: z.number(), id: z.string() });
const syncCursorSchema = z.object({ c: z.string(), t: z.number(), id: z.string() });
/** Largest page of `GET /api/sync/messages`: big pages keep an app's first sync fast. */
export const MAX_SYNC_PAGE = 2000;

const sendBodySchema = z.object({
  clientId: clientIdSchema.optional(),
  content: outgoingContentSchema,
  tag: z.literal('HUMAN_AGENT').optional(),
  replyTo: z.string().min(1).max(100).optional(),
});
const commandBodySchema = z.object({ clientId: clientIdSchema, command: commandSchema });
const loginSchema = z.object({ email: z.string().max(320), password: z.string().max(200) });

/** The `Idempotency-Key` header, validated like a client id: 400 naming it otherwise. */
function idempotencyKeyOf(req: IncomingMessage): string | null {
  const header = req.headers['idempotency-key'];
  if (header === undefined) return null;
  const parsed = clientIdSchema.safeParse(header);
  if (!parsed.success)
    throw badRequest(
      'Idempotency-Key must be 8 to 100 letters, digits or . _ : - (a client id), sent once.',
    );
  return parsed.data;
}

export function registerApi(router: Router, options: ApiOptions): void {
  const { db, now, users } = options;
  const limiter = createLoginLimiter(db, now);
  const { clientAddress, audit } = options;

  const { requireUser } = options.auth;

  router.post('/api/auth/login', async ({ req, res }) => {
    const body = await readJson(req, loginSchema);
    const refusal = await limiter.admit(body.email, clientAddress(req));
    if (refusal === 'address')
      throw new HttpError(429, 'rate_limited', 'Too many sign-in attempts; wait a minute.');
    if (refusal === 'account')
      throw new HttpError(
        429,
        'rate_limited',
        'Too many failed sign-ins to this account; wait a minute.',
      );
    const session = await users.login(body.email, body.password);
    await limiter.settle(body.email, session !== null);
    if (!session) {
      await audit.record({
        req,
        action: 'auth.sign_in_failed',
        actor: null,
        detail: body.email.trim().toLowerCase(),
      });
      throw unauthorized('The e-mail or password is wrong, or the account is disabled.');
    }
    await audit.record({
      req,
      action: 'auth.signed_in',
      actor: { id: session.user.id, name: session.user.name },
    });
    sendJson(res, 200, session);
  });

  router.post('/api/auth/logout', async ({ req, res }) => {
    const token = bearer(req);
    if (token) {
      const user = await users.authenticate(token);
      await users.logout(token);
      if (user)
        await audit.record({
          req,
          action: 'auth.signed_out',
          actor: { id: user.id, name: user.name },
        });
      options.endSession(token);
    }
    sendJson(res, 200, { ok: true });
  });

  router.post('/api/auth/embedded', async ({ req, res }) => {
    // Only the embedded hub hands out a token without a password, and only for its launch secret
    // or a one-time sign-in token: loopback is shared by every process and user on the computer.
    const { embedded } = options;
    if (!embedded) throw forbidden('This hub requires signing in.');
    const { secret } = await readJson(req, embeddedSignInSchema);
    if (secret === undefined || !embedded.signIn.admit(secret)) {
      throw unauthorized(
        'This sign-in link is used or wrong. Open the link the hub printed when it started.',
      );
    }
    const adminId = await embedded.adminId();
    const user = await users.get(adminId);
    if (!user) throw notFound('The local admin does not exist.');
    sendJson(res, 200, { token: await users.issueToken(adminId), user });
  });

  router.get('/api/me', async ({ req, res }) => {
    sendJson(res, 200, { user: await requireUser(req), hubTime: now() });
  });

  router.get('/api/users', async ({ req, res }) => {
    await requireUser(req);
    const list = await users.list();
    sendJson(res, 200, {
      users: list.map(({ id, name, role, disabled }) => ({ id, name, role, disabled })),
    });
  });

  router.get('/api/conversations', async ({ req, res, url }) => {
    const user = await requireUser(req);
    const q = query(url, listQuerySchema);
    const where: string[] = [];
    const params: unknown[] = [];
    const param = (value: unknown): string => {
      params.push(value);
      return `$${params.length}`;
    };
    if (q.status) where.push(`v.status = ${param(q.status)}`);
    if (q.channel) where.push(`v.channel = ${param(q.channel)}`);
    if (q.assignee === 'me') where.push(`v.assignee_id = ${param(user.id)}`);
    else if (q.assignee === 'unassigned') where.push('v.assignee_id is null');
    else if (q.assignee) where.push(`v.assignee_id = ${param(q.assignee)}`);
    if (q.label) where.push(`${param(q.label)} = any(v.labels)`);
    if (q.q) {
      const like = param(`%${q.q.replace(/[\\%_]/g, (c) => `\\${c}`)}%`);
      where.push(
        `(c.name ilike ${like} or c.phone ilike ${like} or c.email ilike ${like} or exists (
           select 1 from messages m where m.conversation_id = v.id and m.content->>'body' ilike ${like}))`,
      );
    }
    // The first page of an unfiltered-by-text list says how many there are (an app's first-sync
    // progress); text and window filters cannot be counted cheaply.
    const countSql =
      q.cursor === undefined && q.window === undefined && q.q === undefined
        ? `select count(*) as n from conversations v join customers c on c.id = v.customer_id
           ${where.length ? `where ${where.join(' and ')}` : ''}`
        : null;
    const countParams = [...params];
    const cursor = decodeCursor(q.cursor ?? null, conversationCursorSchema);
    if (cursor) where.push(`(v.last_message_at, v.id) < (${param(cursor.t)}, ${param(cursor.id)})`);
    const at = now();
    // The window filter needs the shared engine, so it runs on rows; scan at most 20 pages.
    const pageSql = `${CONVERSATION_SELECT} ${where.length ? `where ${where.join(' and ')}` : ''}
      order by v.last_message_at desc, v.id desc limit ${param(q.window ? q.limit * 20 : q.limit + 1)}`;
    const result = await db.transaction(async (tx) => ({
      rows: (await tx.query<ConversationRow>(pageSql, params)).rows,
      head: await headSeq(tx),
      total:
        countSql === null
          ? null
          : Number((await tx.query<{ n: number }>(countSql, countParams)).rows[0]?.n ?? 0),
    }));
    let views = result.rows.map((row) => view(toConversation(row), at));
    if (q.window) views = views.filter((v) => v.window.state === q.window);
    const page = views.slice(0, q.limit);
    const last = page[page.length - 1];
    const more =
      views.length > q.limit || (q.window !== undefined && result.rows.length === q.limit * 20);
    sendJson(res, 200, {
      conversations: page,
      nextCursor: more && last ? encodeCursor({ t: last.lastMessageAt, id: last.id }) : null,
      headSeq: result.head,
      hubTime: at,
      ...(result.total === null ? {} : { total: result.total }),
    });
  });

  router.get('/api/conversations/:id', async ({ req, res, params }) => {
    await requireUser(req);
    const conversation = await getConversation(db, params['id'] ?? '');
    if (!conversation) throw notFound(`No conversation ${params['id']}.`);
    sendJson(res, 200, { conversation: view(conversation, now()) });
  });

  router.get('/api/conversations/:id/messages', async ({ req, res, params, url }) => {
    await requireUser(req);
    const id = params['id'] ?? '';
    const q = query(
      url,
      z.object({
        limit: z.coerce.number().int().min(1).max(1000).default(100),
        before: z.string().max(500).optional(),
        /** A message id: the page before it (an app loading history older than its cache). */
        olderThan: z.string().min(1).max(100).optional(),
      }),
    );
    if (!(await getConversation(db, id))) throw notFound(`No conversation ${id}.`);
    let before = decodeCursor(q.before ?? null, messageCursorSchema);
    if (q.olderThan !== undefined && before === null) {
      const anchor = await db.query<{ sent_at: number; id: string }>(
        'select sent_at, id from messages where id = $1 and conversation_id = $2',
        [q.olderThan, id],
      );
      const row = anchor.rows[0];
      if (!row) throw notFound(`No message ${q.olderThan} in conversation ${id}.`);
      before = { t: Number(row.sent_at), id: row.id };
    }
    const { rows } = await db.query<MessageRow>(
      `select * from messages where conversation_id = $1
         ${before ? 'and (sent_at, id) < ($3, $4)' : ''}
       order by sent_at desc, id desc limit $2`,
      before ? [id, q.limit + 1, before.t, before.id] : [id, q.limit + 1],
    );
    const page = rows.slice(0, q.limit).map(toMessage).reverse();
    const oldest = page[0];
    sendJson(res, 200, {
      messages: page,
      nextCursor:
        rows.length > q.limit && oldest ? encodeCursor({ t: oldest.sentAt, id: oldest.id }) : null,
    });
  });

  router.post('/api/conversations/:id/messages', async ({ req, res, params }) => {
    const user = await requireUser(req);
    const body = await readJson(req, sendBodySchema);
    const clientId = body.clientId ?? idempotencyKeyOf(req) ?? newId('http', now());
    const command: Command = {
      type: 'send_message',
      conversationId: params['id'] ?? '',
      content: body.content,
      ...(body.tag ? { tag: body.tag } : {}),
      ...(body.replyTo ? { replyTo: body.replyTo } : {}),
    };
    const result = await options.commands.execute(command, { clientId, user });
    sendJson(res, 202, result);
  });

  router.post('/api/commands', async ({ req, res }) => {
    const user = await requireUser(req);
    const body = await readJson(req, commandBodySchema);
    sendJson(res, 200, {
      clientId: body.clientId,
      result: await options.commands.execute(body.command, { clientId: body.clientId, user }),
    });
  });

  // Every message of the workspace for an app filling its cache in bulk (its first sync), big
  // pages grouped by conversation: newest conversation first (ids sort by creation), each one's
  // messages newest first. Grouped, a page is a few hundred conversations' histories rather than
  // one message each of two thousand, and the app writes each conversation's part of a page as
  // one IndexedDB record (its per-record cost is what bounds a first sync). Keyset-paged on
  // (conversation_id, sent_at, id), which never changes, so concurrent inserts never shift a
  // page; what arrives meanwhile reaches the app as events from the first page's `headSeq`.
  router.get('/api/sync/messages', async ({ req, res, url }) => {
    await requireUser(req);
    const q = query(
      url,
      z.object({
        limit: z.coerce.number().int().min(1).max(MAX_SYNC_PAGE).default(1000),
        cursor: z.string().max(500).optional(),
      }),
    );
    const cursor = decodeCursor(q.cursor ?? null, syncCursorSchema);
    const result = await db.transaction(async (tx) => ({
      rows: (
        await tx.query<MessageRow>(
          `select * from messages
           ${cursor ? 'where (conversation_id, sent_at, id) < ($2, $3, $4)' : ''}
           order by conversation_id desc, sent_at desc, id desc limit $1`,
          cursor ? [q.limit + 1, cursor.c, cursor.t, cursor.id] : [q.limit + 1],
        )
      ).rows,
      head: await headSeq(tx),
      total: cursor
        ? null
        : Number(
            (await tx.query<{ n: number }>('select count(*) as n from messages')).rows[0]?.n ?? 0,
          ),
    }));
    const page = result.rows.slice(0, q.limit).map(toMessage);
    const last = page[page.length - 1];
    sendJson(res, 200, {
      messages: page,
      nextCursor:
        result.rows.length > q.limit && last
          ? encodeCursor({ c: last.conversationId, t: last.sentAt, id: last.id })
          : null,
      headSeq: result.head,
      hubTime: now(),
      ...(result.total === null ? {} : { total: result.total }),
    });
  });

  router.get('/api/rate-card', async ({ req, res }) => {
    await requireUser(req);
    sendJson(res, 200, { rateCard: options.rateCard() });
  });

  // Template routes (list, create, change, delete, versions, import, export): src/server/templates.

  // Orders (by conversation, by source, by number; links; catalog products): src/server/orders.
}
