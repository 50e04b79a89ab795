import type { AuditAction } from '../../shared/protocol/audit';
import type { Role } from '../../shared/domain/model';
import {
  acceptSetupInputSchema,
  availabilitySchema,
  createUserInputSchema,
  resetPasswordInputSchema,
  teamInputSchema,
  updateUserInputSchema,
  type AdminUser,
  type SetupToken,
  type Team,
} from '../../shared/protocol/admin';
import type { HubEvent } from '../../shared/protocol/events';
import type { HubContext } from '../context';
import { badRequest, HttpError, notFound, unauthorized } from '../http/errors';
import { readJson, sendJson } from '../http/io';
import type { Router } from '../http/router';
import { newId } from '../ids';
import type { Queryable } from '../store/db';
import { appendEvents } from '../store/events';
import { z } from 'zod';

/**
 * Users (create, invite, role, disable, password reset), availability and teams with their
 * assignment rule (issue 5, build item 4). Every change is the admin's; the hub checks the role
 * on each route. A disabled user's sessions end at once: their session rows go (the token
 * answers 401) and their sockets are closed.
 */

const conflict = (message: string): HttpError => new HttpError(409, 'conflict', message);

interface AdminUserRow {
  id: string;
  email: string;
  name: string;
  role: Role;
  disabled: boolean;
  availability: 'available' | 'away';
  created_at: number;
  team_ids: string[];
  invite_pending: boolean;
}

const USER_SELECT = `
  select u.id, u.email, u.name, u.role, u.disabled, u.availability, u.created_at,
    array(select m.team_id from team_members m where m.user_id = u.id order by m.team_id) as team_ids,
    exists(select 1 from user_setup_tokens t where t.user_id = u.id and t.purpose = 'invite') as invite_pending
  from users u`;

const toAdminUser = (row: AdminUserRow): AdminUser => ({
  id: row.id,
  email: row.email,
  name: row.name,
  role: row.role,
  disabled: row.disabled,
  availability: row.availability,
  teamIds: row.team_ids,
  invitePending: row.invite_pending,
  createdAt: Number(row.created_at),
});

interface TeamRow {
  id: string;
  name: string;
  assignment: Team['assignment'];
  channels: Team['channels'];
  created_at: number;
  updated_at: number;
  member_ids: string[];
}

const TEAM_SELECT = `
  select t.id, t.name, t.assignment, t.channels, t.created_at, t.updated_at,
    array(select m.user_id from team_members m where m.team_id = t.id order by m.user_id) as member_ids
  from teams t`;

const toTeam = (row: TeamRow): Team => ({
  id: row.id,
  name: row.name,
  assignment: row.assignment,
  channels: row.channels,
  memberIds: row.member_ids,
  createdAt: Number(row.created_at),
  updatedAt: Number(row.updated_at),
});

async function getAdminUser(q: Queryable, id: string): Promise<AdminUser | null> {
  const { rows } = await q.query<AdminUserRow>(`${USER_SELECT} where u.id = $1`, [id]);
  return rows[0] ? toAdminUser(rows[0]) : null;
}

const teammateEvent = (user: AdminUser): HubEvent => ({
  type: 'user.updated',
  user: { id: user.id, name: user.name, role: user.role, disabled: user.disabled },
});

/** PostgreSQL's unique_violation, as PGlite reports it. */
const isUniqueViolation = (error: unknown): boolean =>
  typeof error === 'object' && error !== null && (error as { code?: unknown }).code === '23505';

export function registerUserApi(router: Router, context: HubContext): void {
  const { db, now, users, auth, bus, audit } = context;
  const actorOf = (user: { id: string; name: string }) => ({ id: user.id, name: user.name });
  const userTarget = (user: AdminUser) => ({
    type: 'user',
    id: user.id,
    label: `${user.name} <${user.email}>`,
  });

  /** Commit `work` with its events, then publish them. */
  async function change<T>(
    work: (tx: Queryable) => Promise<{ result: T; events: HubEvent[] }>,
  ): Promise<T> {
    const at = now();
    const { result, sequenced } = await db.transaction(async (tx) => {
      const done = await work(tx);
      return { result: done.result, sequenced: await appendEvents(tx, done.events, at) };
    });
    bus.publish(sequenced);
    return result;
  }

  router.get('/api/admin/users', async ({ req, res }) => {
    await auth.requireRole(req, ['admin'], 'manage users');
    const { rows } = await db.query<AdminUserRow>(`${USER_SELECT} order by lower(u.name), u.id`);
    sendJson(res, 200, { users: rows.map(toAdminUser) });
  });

  router.post('/api/admin/users', async ({ req, res }) => {
    const admin = await auth.requireRole(req, ['admin'], 'change users');
    const input = await readJson(req, createUserInputSchema);
    const created = await change(async (tx) => {
      const { rows } = await tx.query('select 1 from users where lower(email) = lower($1)', [
        input.email,
      ]);
      if (rows.length > 0) throw conflict(`A user with the e-mail ${input.email} exists already.`);
      let setup: SetupToken | null = null;
      let id: string;
      if (input.password === undefined) {
        id = (await users.createInvited(tx, input)).id;
        setup = await users.issueSetupToken(tx, id, 'invite');
      } else {
        const user = await users.createInvited(tx, input);
        await users.setPassword(tx, user.id, input.password);
        id = user.id;
      }
      const user = (await getAdminUser(tx, id)) as AdminUser;
      await audit.record(
        {
          req,
          action: 'user.invited',
          actor: actorOf(admin),
          target: userTarget(user),
          detail: `as ${user.role}${setup ? ', invited to set a password' : ', with a password'}`,
        },
        tx,
      );
      return { result: { user, setup }, events: [teammateEvent(user)] };
    });
    sendJson(res, 201, created);
  });

  router.put('/api/admin/users/:id', async ({ req, res, params }) => {
    const admin = await auth.requireRole(req, ['admin'], 'change users');
    const id = params['id'] ?? '';
    const input = await readJson(req, updateUserInputSchema);
    const { user, sessionsEnd } = await change(async (tx) => {
      // Lock the enabled admins: two admins demoting each other at once cannot leave none.
      const { rows: admins } = await tx.query<{ id: string }>(
        `select id from users where role = 'admin' and not disabled order by id for update`,
      );
      const before = await getAdminUser(tx, id);
      if (!before) throw notFound(`No user ${id}.`);
      const losesAdmin =
        before.role === 'admin' &&
        !before.disabled &&
        (input.disabled === true || (input.role !== undefined && input.role !== 'admin'));
      if (losesAdmin && admins.length <= 1) {
        throw conflict(
          `${before.name} is the last enabled admin: make another user an admin first, or nobody could manage this hub.`,
        );
      }
      await tx.query(
        `update users set name = coalesce($2, name), role = coalesce($3, role),
           disabled = coalesce($4, disabled), updated_at = $5 where id = $1`,
        [id, input.name ?? null, input.role ?? null, input.disabled ?? null, now()],
      );
      // Disabling or a new role ends the sessions: the next sign-in carries the new rights.
      const ends =
        (input.disabled === true && !before.disabled) ||
        (input.role !== undefined && input.role !== before.role);
      if (ends) await users.deleteSessionsOf(tx, id);
      const user = (await getAdminUser(tx, id)) as AdminUser;
      const record = (action: AuditAction, detail: string) =>
        audit.record({ req, action, actor: actorOf(admin), target: userTarget(user), detail }, tx);
      if (user.role !== before.role)
        await record('user.role_changed', `${before.role} → ${user.role}`);
      if (user.disabled !== before.disabled)
        await record(user.disabled ? 'user.disabled' : 'user.enabled', '');
      return { result: { user, sessionsEnd: ends }, events: [teammateEvent(user)] };
    });
    if (sessionsEnd) context.endSessionsOf(id);
    sendJson(res, 200, { user });
  });

  router.post('/api/admin/users/:id/password', async ({ req, res, params }) => {
    const admin = await auth.requireRole(req, ['admin'], 'change users');
    const id = params['id'] ?? '';
    const input = await readJson(req, resetPasswordInputSchema);
    const setup = await db.transaction(async (tx) => {
      const user = await getAdminUser(tx, id);
      if (!user) throw notFound(`No user ${id}.`);
      await audit.record(
        {
          req,
          action: 'user.password_reset',
          actor: actorOf(admin),
          target: userTarget(user),
          detail: input.password === undefined ? 'a reset link was made' : 'a new password was set',
        },
        tx,
      );
      await users.deleteSessionsOf(tx, id);
      if (input.password !== undefined) {
        await users.setPassword(tx, id, input.password);
        return null;
      }
      return users.issueSetupToken(tx, id, 'reset');
    });
    context.endSessionsOf(id);
    sendJson(res, 200, { setup });
  });

  // Invite and reset links: the token is the credential, so no session is needed.
  router.post('/api/auth/accept-invite', async ({ req, res }) => {
    const input = await readJson(req, acceptSetupInputSchema);
    const session = await users.acceptSetupToken(input.token, input.password);
    if (!session)
      throw unauthorized('This link is unknown, used or expired: ask an admin for a new one.');
    // The user's older sessions were deleted with the reset: their sockets end too.
    context.endSessionsOf(session.user.id);
    sendJson(res, 200, session);
  });

  router.put('/api/me/availability', async ({ req, res }) => {
    const user = await auth.requireUser(req);
    const body = await readJson(req, z.object({ availability: availabilitySchema }));
    await db.query('update users set availability = $2, updated_at = $3 where id = $1', [
      user.id,
      body.availability,
      now(),
    ]);
    sendJson(res, 200, { availability: body.availability });
  });

  router.get('/api/me/availability', async ({ req, res }) => {
    const user = await auth.requireUser(req);
    const { rows } = await db.query<{ availability: string }>(
      'select availability from users where id = $1',
      [user.id],
    );
    sendJson(res, 200, { availability: rows[0]?.availability ?? 'available' });
  });

  // ---- teams --------------------------------------------------------------------------------

  router.get('/api/admin/teams', async ({ req, res }) => {
    await auth.requireRole(req, ['lead', 'admin'], 'see teams');
    const { rows } = await db.query<TeamRow>(`${TEAM_SELECT} order by lower(t.name), t.id`);
    sendJson(res, 200, { teams: rows.map(toTeam) });
  });

  /** Write a team's fields and members; checks members exist and channels are not taken. */
  async function saveTeam(tx: Queryable, id: string, input: z.infer<typeof teamInputSchema>) {
    const members = [...new Set(input.memberIds)];
    if (members.length > 0) {
      const { rows } = await tx.query<{ id: string }>(
        'select id from users where id = any($1::text[])',
        [members],
      );
      const known = new Set(rows.map((row) => row.id));
      const unknown = members.filter((member) => !known.has(member));
      if (unknown.length > 0) throw badRequest(`No user ${unknown.join(', ')}.`);
    }
    const channels = [...new Set(input.channels)];
    const { rows: taken } = await tx.query<{ name: string; channel: string }>(
      `select t.name, c.channel from teams t, unnest(t.channels) as c(channel)
       where t.id <> $1 and c.channel = any($2::text[])`,
      [id, channels],
    );
    if (taken[0]) {
      throw conflict(
        `The ${taken[0].channel} channel belongs to the team ${taken[0].name} already: a new conversation must map to one team.`,
      );
    }
    await tx.query(
      'update teams set name = $2, assignment = $3, channels = $4, updated_at = $5 where id = $1',
      [id, input.name, input.assignment, channels, now()],
    );
    await tx.query('delete from team_members where team_id = $1', [id]);
    if (members.length > 0) {
      await tx.query('insert into team_members (team_id, user_id) select $1, unnest($2::text[])', [
        id,
        members,
      ]);
    }
    const { rows } = await tx.query<TeamRow>(`${TEAM_SELECT} where t.id = $1`, [id]);
    return toTeam(rows[0] as TeamRow);
  }

  const duplicateName = (name: string): HttpError =>
    conflict(`A team named ${name} exists already.`);

  router.post('/api/admin/teams', async ({ req, res }) => {
    await auth.requireRole(req, ['admin'], 'change teams');
    const input = await readJson(req, teamInputSchema);
    try {
      const team = await db.transaction(async (tx) => {
        const id = newId('team', now());
        await tx.query(
          `insert into teams (id, name, assignment, created_at, updated_at) values ($1, $2, $3, $4, $4)`,
          [id, input.name, input.assignment, now()],
        );
        return saveTeam(tx, id, input);
      });
      sendJson(res, 201, { team });
    } catch (error) {
      if (isUniqueViolation(error)) throw duplicateName(input.name);
      throw error;
    }
  });

  router.put('/api/admin/teams/:id', async ({ req, res, params }) => {
    await auth.requireRole(req, ['admin'], 'change teams');
    const id = params['id'] ?? '';
    const input = await readJson(req, teamInputSchema);
    try {
      const team = await db.transaction(async (tx) => {
        const { rows } = await tx.query('select 1 from teams where id = $1 for update', [id]);
        if (rows.length === 0) throw notFound(`No team ${id}.`);
        return saveTeam(tx, id, input);
      });
      sendJson(res, 200, { team });
    } catch (error) {
      if (isUniqueViolation(error)) throw duplicateName(input.name);
      throw error;
    }
  });

  router.delete('/api/admin/teams/:id', async ({ req, res, params }) => {
    await auth.requireRole(req, ['admin'], 'change teams');
    const id = params['id'] ?? '';
    const { rows } = await db.query<{ id: string }>(
      'delete from teams where id = $1 returning id',
      [id],
    );
    if (rows.length === 0) throw notFound(`No team ${id}.`);
    sendJson(res, 200, { deleted: id });
  });
}
