import type { Queryable } from '../store/db';

/**
 * Sign-in attempt limits (issue #13, item 6). Two independent limits:
 *
 * - **per account**: failed sign-ins for one e-mail, whatever address they come from, so a
 *   password cannot be guessed from many addresses at once;
 * - **per client address**: every attempt from one address (the real client's, behind a trusted
 *   proxy: see `client-address.ts`), so one client cannot spray many accounts.
 *
 * The attempts are rows of `login_attempts` (issue #18: several hubs share one count, whichever
 * of them a sign-in lands on), older than the window deleted as new ones come. Nothing in memory
 * to fill up: a flood of new addresses cannot reset an active one's count.
 */

export interface LoginLimits {
  /** Failed sign-ins per account within the window before 429 (default 10). */
  readonly perAccount: number;
  /** Attempts per client address within the window before 429 (default 20). */
  readonly perAddress: number;
  readonly windowMs: number;
}

export const DEFAULT_LOGIN_LIMITS: LoginLimits = {
  perAccount: 10,
  perAddress: 20,
  windowMs: 60_000,
};

export type LoginRefusal = 'address' | 'account';

export interface LoginLimiter {
  /** Call before checking the password; a refusal means answer 429 without checking it. */
  admit(account: string, address: string): Promise<LoginRefusal | null>;
  /** Record the attempt's outcome for the account. */
  settle(account: string, succeeded: boolean): Promise<void>;
}

/** E-mails are compared as the user store compares them: trimmed, case-insensitive. */
const accountKey = (email: string): string => email.trim().toLowerCase();

export function createLoginLimiter(
  db: Queryable,
  now: () => number,
  limits: LoginLimits = DEFAULT_LOGIN_LIMITS,
): LoginLimiter {
  const countSince = async (kind: string, key: string, after: number): Promise<number> => {
    const { rows } = await db.query<{ n: number | string }>(
      'select count(*) as n from login_attempts where kind = $1 and key = $2 and at > $3',
      [kind, key, after],
    );
    return Number(rows[0]?.n);
  };
  const record = async (kind: string, key: string, at: number): Promise<void> => {
    await db.query('insert into login_attempts (kind, key, at) values ($1, $2, $3)', [
      kind,
      key,
      at,
    ]);
  };
  return {
    async admit(account, address) {
      const t = now();
      const after = t - limits.windowMs;
      await db.query('delete from login_attempts where at <= $1', [after]);
      await record('address', address, t);
      if ((await countSince('address', address, after)) > limits.perAddress) return 'address';
      if ((await countSince('failure', accountKey(account), after)) >= limits.perAccount)
        return 'account';
      return null;
    },
    async settle(account, succeeded) {
      if (succeeded)
        await db.query("delete from login_attempts where kind = 'failure' and key = $1", [
          accountKey(account),
        ]);
      else await record('failure', accountKey(account), now());
    },
  };
}
