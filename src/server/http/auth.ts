import type { IncomingMessage } from 'node:http';
import type { Role, User } from '../../shared/domain/model';
import type { UserService } from '../auth/users';
import { forbidden, unauthorized } from './errors';

export function bearer(req: IncomingMessage): string | null {
  const header = req.headers.authorization;
  return header?.startsWith('Bearer ') ? header.slice(7).trim() : null;
}

/** Who may call a route: the hub enforces roles, the app only hides what a role cannot use. */
export interface Auth {
  /** The signed-in user, or 401. */
  requireUser(req: IncomingMessage): Promise<User>;
  /** The signed-in user when their role is one of `roles`, or 403 naming `action`. */
  requireRole(req: IncomingMessage, roles: readonly Role[], action: string): Promise<User>;
}

export function createAuth(users: UserService): Auth {
  async function requireUser(req: IncomingMessage): Promise<User> {
    const user = await users.authenticate(bearer(req));
    if (!user) throw unauthorized('Sign in first: the token is missing, expired or revoked.');
    return user;
  }
  return {
    requireUser,
    async requireRole(req, roles, action) {
      const user = await requireUser(req);
      if (!roles.includes(user.role)) {
        const who =
          roles.length === 1
            ? `${roles[0]}s`
            : `${roles.slice(0, -1).join(', ')}s and ${roles[roles.length - 1]}s`;
        throw forbidden(`Only ${who} may ${action}.`);
      }
      return user;
    },
  };
}
