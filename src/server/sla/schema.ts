import type { Migration } from '../store/migrations';

/** Migrations of this feature (SLA policies, the business calendar, breaches): versions 100–199. */
export const SLA_MIGRATIONS: readonly Migration[] = [];
