import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';

/**
 * How the embedded hub knows that the app asking for the local admin's token is the one its user
 * started, and not another program (or another OS user) on the same computer: loopback is shared
 * by every local process, so being on 127.0.0.1 proves nothing (docs/security.md, "The desktop
 * shell and the embedded hub").
 *
 * - The desktop shell generates a secret per launch, hands it to the hub when starting it and to
 *   its own window over a validated IPC call; it is valid for the hub's life (the window reloads).
 * - `npm start`'s browser fallback has no such channel: the hub mints one-time tokens, printed in
 *   a sign-in URL (as Jupyter does); each works once, the session it opens then lives as usual.
 */
export interface EmbeddedSignIn {
  /** Whether `presented` is the launch secret or an unused one-time token (which it uses up). */
  admit(presented: string): boolean;
  /** A new one-time token. */
  mintOneTimeToken(): string;
}

/** Outstanding one-time tokens kept at most; the oldest is dropped first. */
const MAX_ONE_TIME_TOKENS = 100;

/** Digests of equal length, so the comparison takes the same time whatever was presented. */
const digest = (value: string): Buffer => createHash('sha256').update(value, 'utf8').digest();

export function createEmbeddedSignIn(launchSecret: string | null): EmbeddedSignIn {
  const launch = launchSecret === null ? null : digest(launchSecret);
  // Kept as digests: comparing them in constant time, and nothing readable stays in memory.
  const oneTime: Buffer[] = [];
  return {
    admit(presented) {
      if (presented === '') return false;
      const candidate = digest(presented);
      if (launch !== null && timingSafeEqual(candidate, launch)) return true;
      const index = oneTime.findIndex((token) => timingSafeEqual(candidate, token));
      if (index === -1) return false;
      oneTime.splice(index, 1);
      return true;
    },
    mintOneTimeToken() {
      const token = randomBytes(32).toString('base64url');
      oneTime.push(digest(token));
      if (oneTime.length > MAX_ONE_TIME_TOKENS) oneTime.shift();
      return token;
    },
  };
}
