import type { Migration } from '../store/migrations';

/** Migrations of this feature (template versions and WhatsApp template parts): versions 200–299. */
export const TEMPLATE_MIGRATIONS: readonly Migration[] = [];
