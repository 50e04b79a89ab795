/**
 * Sign-in attempt limits (issue #13, item 6). Two independent limits:
 *
 * - **per account**: failed sign-ins for one e-mail, whatever address they come from, so a
 *   password cannot be guessed from many addresses at once;
 * - **per client address**: every attempt from one address (the real client's, behind a trusted
 *   proxy: see `client-address.ts`), so one client cannot spray many accounts.
 *
 * Memory is bounded: each table holds at most `maxKeys` keys and, when full, forgets the key
 * touched longest ago, one at a time. Clearing a whole table when it fills (as the first version
 * did) let 10,050 cheap requests reset every count.
 */

export interface LoginLimits {
  /** Failed sign-ins per account within the window before 429 (default 10). */
  readonly perAccount: number;
  /** Attempts per client address within the window before 429 (default 20). */
  readonly perAddress: number;
  readonly windowMs: number;
  /** Keys kept per table (default 10,000). */
  readonly maxKeys: number;
}

export const DEFAULT_LOGIN_LIMITS: LoginLimits = {
  perAccount: 10,
  perAddress: 20,
  windowMs: 60_000,
  maxKeys: 10_000,
};

/** Recent instants per key, oldest-touched key first (a `Map` keeps insertion order). */
export class SlidingWindowCounter {
  private readonly hits = new Map<string, number[]>();

  constructor(
    private readonly windowMs: number,
    private readonly maxKeys: number,
  ) {}

  get size(): number {
    return this.hits.size;
  }

  /** Hits of `key` within the window ending at `now`, without recording one. */
  count(key: string, now: number): number {
    const recent = this.recent(key, now);
    if (recent.length === 0) this.hits.delete(key);
    return recent.length;
  }

  /** Record a hit of `key` at `now`; returns the hits within the window, this one included. */
  hit(key: string, now: number): number {
    const recent = this.recent(key, now);
    recent.push(now);
    // Re-insert so the key becomes the most recently touched.
    this.hits.delete(key);
    this.hits.set(key, recent);
    while (this.hits.size > this.maxKeys) {
      const oldest = this.hits.keys().next().value;
      if (oldest === undefined) break;
      this.hits.delete(oldest);
    }
    return recent.length;
  }

  reset(key: string): void {
    this.hits.delete(key);
  }

  private recent(key: string, now: number): number[] {
    return (this.hits.get(key) ?? []).filter((at) => now - at < this.windowMs);
  }
}

export type LoginRefusal = 'address' | 'account';

export interface LoginLimiter {
  /** Call before checking the password; a refusal means answer 429 without checking it. */
  admit(account: string, address: string): LoginRefusal | null;
  /** Record the attempt's outcome for the account. */
  settle(account: string, succeeded: boolean): void;
}

/** E-mails are compared as the user store compares them: trimmed, case-insensitive. */
const accountKey = (email: string): string => email.trim().toLowerCase();

export function createLoginLimiter(
  now: () => number,
  limits: LoginLimits = DEFAULT_LOGIN_LIMITS,
): LoginLimiter {
  const byAddress = new SlidingWindowCounter(limits.windowMs, limits.maxKeys);
  const failuresByAccount = new SlidingWindowCounter(limits.windowMs, limits.maxKeys);
  return {
    admit(account, address) {
      const t = now();
      if (byAddress.hit(address, t) > limits.perAddress) return 'address';
      if (failuresByAccount.count(accountKey(account), t) >= limits.perAccount) return 'account';
      return null;
    },
    settle(account, succeeded) {
      if (succeeded) failuresByAccount.reset(accountKey(account));
      else failuresByAccount.hit(accountKey(account), now());
    },
  };
}
