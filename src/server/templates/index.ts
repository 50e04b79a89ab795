import type { HubContext } from '../context';
import type { Router } from '../http/router';

/** Routes of template editing, versions, import and export. */
export function registerTemplateApi(_router: Router, _context: HubContext): void {}
