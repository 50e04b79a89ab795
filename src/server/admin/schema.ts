import type { Migration } from '../store/migrations';

/** Migrations of this feature (teams, assignment rules, channel connections, settings): versions 300–399. */
export const ADMIN_MIGRATIONS: readonly Migration[] = [];
