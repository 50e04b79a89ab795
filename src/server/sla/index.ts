import type { HubContext, HubService } from '../context';
import type { Router } from '../http/router';

/** Routes of SLA policies and the business calendar. */
export function registerSlaApi(_router: Router, _context: HubContext): void {}

/** Evaluates SLA targets and records breaches as they happen. */
export function startSla(_context: HubContext): HubService {
  return { close: async () => undefined };
}
