import type { Migration } from '../store/migrations';

/** Migrations of this feature (dashboard figures): versions 400–499. */
export const DASHBOARD_MIGRATIONS: readonly Migration[] = [];
