import type { HubContext } from '../context';
import type { Router } from '../http/router';

/** Routes of users, teams and assignment rules, channel connections, the rate card. */
export function registerAdminApi(_router: Router, _context: HubContext): void {}
