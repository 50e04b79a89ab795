import { createHash, randomBytes } from 'node:crypto';
import { z } from 'zod';
import type { Role, User } from '../../shared/domain/model';
import { newId } from '../ids';
import type { Db, Queryable } from '../store/db';
import { dummyPasswordHash, hashPassword, verifyPassword } from './passwords';

export const SESSION_TTL_MS = 30 * 24 * 3_600_000;
/** Invite and reset links are valid for 3 days: long enough to reach someone, short if leaked. */
export const SETUP_TOKEN_TTL_MS = 3 * 24 * 3_600_000;

interface UserRow {
  id: string;
  email: string;
  name: string;
  role: Role;
  disabled: boolean;
  password_hash: string;
}

const toUser = (row: UserRow): User => ({
  id: row.id,
  email: row.email,
  name: row.name,
  role: row.role,
  disabled: row.disabled,
});

export const emailSchema = z.string().trim().toLowerCase().email().max(320);
export const passwordSchema = z.string().min(10, 'at least 10 characters').max(200);

const tokenHash = (token: string): string => createHash('sha256').update(token).digest('hex');

/** Users and their sessions. Tokens are random; only their SHA-256 is stored. */
export function createUserService(db: Db, now: () => number) {
  async function findByEmail(q: Queryable, email: string): Promise<UserRow | null> {
    const { rows } = await q.query<UserRow>(
      'select id, email, name, role, disabled, password_hash from users where lower(email) = lower($1)',
      [email],
    );
    return rows[0] ?? null;
  }

  return {
    async create(input: {
      email: string;
      name: string;
      role: Role;
      password: string;
    }): Promise<User> {
      const email = emailSchema.parse(input.email);
      passwordSchema.parse(input.password);
      const id = newId('usr', now());
      const hash = await hashPassword(input.password);
      const { rows } = await db.query<UserRow>(
        `insert into users (id, email, name, role, password_hash, created_at, updated_at)
         values ($1, $2, $3, $4, $5, $6, $6)
         returning id, email, name, role, disabled, password_hash`,
        [id, email, input.name, input.role, hash, now()],
      );
      return toUser(rows[0] as UserRow);
    },

    /** Create the first admin from configuration when no user with that e-mail exists. */
    async ensureAdmin(email: string, password: string, name = 'Administrator'): Promise<User> {
      const existing = await findByEmail(db, email);
      if (existing) return toUser(existing);
      try {
        return await this.create({ email, name, role: 'admin', password });
      } catch (error) {
        // Another hub on the same database created it meanwhile (several hubs starting at once).
        const created =
          (error as { code?: unknown }).code === '23505' && (await findByEmail(db, email));
        if (created) return toUser(created);
        throw error;
      }
    },

    async get(id: string): Promise<User | null> {
      const { rows } = await db.query<UserRow>(
        'select id, email, name, role, disabled, password_hash from users where id = $1',
        [id],
      );
      return rows[0] ? toUser(rows[0]) : null;
    },

    async list(): Promise<User[]> {
      const { rows } = await db.query<UserRow>(
        'select id, email, name, role, disabled, password_hash from users order by name',
      );
      return rows.map(toUser);
    },

    /** Check credentials; the same work is done whether or not the user exists. */
    async login(email: string, password: string): Promise<{ token: string; user: User } | null> {
      const row = await findByEmail(db, email);
      const ok = await verifyPassword(password, row?.password_hash ?? (await dummyPasswordHash()));
      if (!row || !ok || row.disabled) return null;
      return { token: await this.issueToken(row.id), user: toUser(row) };
    },

    async issueToken(userId: string): Promise<string> {
      const token = randomBytes(32).toString('base64url');
      await db.query(
        'insert into sessions (token_hash, user_id, created_at, expires_at) values ($1, $2, $3, $4)',
        [tokenHash(token), userId, now(), now() + SESSION_TTL_MS],
      );
      return token;
    },

    /** The user behind a bearer token, or null when unknown, expired or disabled. */
    async authenticate(token: string | null | undefined): Promise<User | null> {
      if (!token || token.length > 200) return null;
      const { rows } = await db.query<UserRow & { expires_at: number }>(
        `select u.id, u.email, u.name, u.role, u.disabled, u.password_hash, s.expires_at
         from sessions s join users u on u.id = s.user_id where s.token_hash = $1`,
        [tokenHash(token)],
      );
      const row = rows[0];
      if (!row || row.disabled || Number(row.expires_at) <= now()) return null;
      return toUser(row);
    },

    async logout(token: string): Promise<void> {
      await db.query('delete from sessions where token_hash = $1', [tokenHash(token)]);
    },

    /**
     * Create a user who sets their own password through an invite token. Until then their hash
     * is of a random password: signing in fails, with the same work as any wrong password.
     */
    async createInvited(
      q: Queryable,
      input: { email: string; name: string; role: Role },
    ): Promise<User> {
      const email = emailSchema.parse(input.email);
      const id = newId('usr', now());
      const hash = await hashPassword(randomBytes(32).toString('base64url'));
      const { rows } = await q.query<UserRow>(
        `insert into users (id, email, name, role, password_hash, created_at, updated_at)
         values ($1, $2, $3, $4, $5, $6, $6)
         returning id, email, name, role, disabled, password_hash`,
        [id, email, input.name, input.role, hash, now()],
      );
      return toUser(rows[0] as UserRow);
    },

    /** Replace a user's password (validated here too). Sessions are ended by the caller. */
    async setPassword(q: Queryable, userId: string, password: string): Promise<void> {
      passwordSchema.parse(password);
      await q.query('update users set password_hash = $2, updated_at = $3 where id = $1', [
        userId,
        await hashPassword(password),
        now(),
      ]);
    },

    /** Delete every session of a user: their tokens answer 401 from now on. */
    async deleteSessionsOf(q: Queryable, userId: string): Promise<void> {
      await q.query('delete from sessions where user_id = $1', [userId]);
    },

    /**
     * A one-time token that lets a user set their password (an invite, or a reset). Only its
     * SHA-256 is stored; issuing one replaces any earlier token of the user.
     */
    async issueSetupToken(
      q: Queryable,
      userId: string,
      purpose: 'invite' | 'reset',
    ): Promise<{ token: string; purpose: 'invite' | 'reset'; expiresAt: number }> {
      const token = randomBytes(32).toString('base64url');
      const expiresAt = now() + SETUP_TOKEN_TTL_MS;
      await q.query('delete from user_setup_tokens where user_id = $1', [userId]);
      await q.query(
        `insert into user_setup_tokens (token_hash, user_id, purpose, created_at, expires_at)
         values ($1, $2, $3, $4, $5)`,
        [tokenHash(token), userId, purpose, now(), expiresAt],
      );
      return { token, purpose, expiresAt };
    },

    /**
     * Use a setup token: set the password, consume the token (once), end older sessions and sign
     * the user in. Null when the token is unknown, used, expired, or the user is disabled.
     */
    async acceptSetupToken(
      token: string,
      password: string,
    ): Promise<{ token: string; user: User } | null> {
      passwordSchema.parse(password);
      const hash = await hashPassword(password);
      const user = await db.transaction(async (tx) => {
        const { rows } = await tx.query<UserRow & { expires_at: number }>(
          `delete from user_setup_tokens t using users u
           where t.token_hash = $1 and u.id = t.user_id
           returning u.id, u.email, u.name, u.role, u.disabled, u.password_hash, t.expires_at`,
          [tokenHash(token)],
        );
        const row = rows[0];
        if (!row || row.disabled || Number(row.expires_at) <= now()) return null;
        await tx.query('update users set password_hash = $2, updated_at = $3 where id = $1', [
          row.id,
          hash,
          now(),
        ]);
        await tx.query('delete from sessions where user_id = $1', [row.id]);
        return toUser(row);
      });
      if (!user) return null;
      return { token: await this.issueToken(user.id), user };
    },
  };
}

export type UserService = ReturnType<typeof createUserService>;
