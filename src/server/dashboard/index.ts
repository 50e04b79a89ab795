import type { HubContext } from '../context';
import type { Router } from '../http/router';

/** Routes of the live dashboard's figures and CSV export. */
export function registerDashboardApi(_router: Router, _context: HubContext): void {}
