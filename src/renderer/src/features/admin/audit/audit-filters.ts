import type { AuditAction } from '../../../../../shared/protocol/audit';

/** The action groups of the filter, in the order admins look for them. */
export const AUDIT_ACTION_GROUPS: readonly { group: string; actions: readonly AuditAction[] }[] = [
  { group: 'Sign-ins', actions: ['auth.signed_in', 'auth.sign_in_failed', 'auth.signed_out'] },
  {
    group: 'Users',
    actions: [
      'user.invited',
      'user.role_changed',
      'user.disabled',
      'user.enabled',
      'user.password_reset',
    ],
  },
  {
    group: 'Channels and shops',
    actions: ['channel.credentials_changed', 'shop.connected', 'shop.changed', 'shop.removed'],
  },
  { group: 'Templates', actions: ['template.approved', 'template.deleted'] },
  { group: 'Exports', actions: ['export.quick_replies', 'export.audit_log'] },
];

/** What an action's badge is coloured by: its group's tone; refusals and removals stand out. */
export function actionTone(action: AuditAction): string {
  if (action === 'auth.sign_in_failed' || action === 'user.disabled') return 'red';
  if (action.endsWith('removed') || action.endsWith('deleted')) return 'orange';
  if (action.startsWith('auth.')) return 'gray';
  if (action.startsWith('export.')) return 'violet';
  return 'blue';
}

export const AUDIT_PERIODS = [
  { value: '1', label: 'Last 24 hours' },
  { value: '7', label: 'Last 7 days' },
  { value: '30', label: 'Last 30 days' },
  { value: '90', label: 'Last 90 days' },
  { value: 'all', label: 'All time' },
] as const;
export type AuditPeriod = (typeof AUDIT_PERIODS)[number]['value'];

export interface AuditFilters {
  readonly actions: readonly AuditAction[];
  readonly person: string;
  readonly period: AuditPeriod;
}

/** The query string of the hub's audit routes for `filters` as seen at `now`. */
export function auditQueryOf(filters: AuditFilters, now: number): URLSearchParams {
  const query = new URLSearchParams();
  if (filters.actions.length > 0) query.set('action', filters.actions.join(','));
  const person = filters.person.trim();
  if (person !== '') query.set('actor', person);
  if (filters.period !== 'all')
    query.set('from', String(Math.floor(now - Number(filters.period) * 86_400_000)));
  return query;
}
