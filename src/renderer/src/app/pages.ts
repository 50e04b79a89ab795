import type { Role } from '../../../shared/domain/model';

/**
 * The app's pages, kept in the URL's fragment so reloads, links and Back keep them without a
 * router. `#/inbox/<conversation id>` is the inbox with that conversation open. Each page says
 * which roles may use it: the navigation shows a role only its pages, and a page reached by URL
 * by a role it is not for shows a refusal (the hub refuses the same role its data anyway).
 */
export const PAGES = {
  inbox: { hash: '#/inbox', label: 'Inbox', roles: ['agent', 'lead', 'admin'] },
  dashboard: { hash: '#/dashboard', label: 'Dashboard', roles: ['lead', 'admin'] },
  templates: { hash: '#/templates', label: 'Templates', roles: ['admin'] },
  sla: { hash: '#/sla', label: 'SLA policies', roles: ['admin'] },
  // Customer satisfaction questions after a resolve (issue #20 item 5).
  csat: { hash: '#/csat', label: 'CSAT', roles: ['admin'] },
  users: { hash: '#/users', label: 'Users and teams', roles: ['admin'] },
  channels: { hash: '#/channels', label: 'Channels and rates', roles: ['admin'] },
  // The shops whose orders agents see (issue #17), under the channels they serve.
  orders: { hash: '#/orders', label: 'Orders', roles: ['admin'] },
  // Security-relevant actions (issue #20): sign-ins, users, credentials, templates, exports.
  audit: { hash: '#/audit', label: 'Audit log', roles: ['admin'] },
  'reply-windows': {
    hash: '#/reply-windows',
    label: 'Reply windows',
    roles: ['agent', 'lead', 'admin'],
  },
} as const satisfies Record<string, { hash: string; label: string; roles: readonly Role[] }>;

export type Page = keyof typeof PAGES;
export const PAGE_ORDER = Object.keys(PAGES) as Page[];

/** The page a URL fragment names; the inbox for anything else. */
export function pageOfHash(hash: string): Page {
  for (const page of PAGE_ORDER) {
    const own = PAGES[page].hash;
    if (hash === own || hash.startsWith(`${own}/`) || hash.startsWith(`${own}?`)) return page;
  }
  return 'inbox';
}

export function mayUse(role: Role, page: Page): boolean {
  return (PAGES[page].roles as readonly Role[]).includes(role);
}

/** The pages a role sees in the navigation, in order. */
export const pagesFor = (role: Role): Page[] => PAGE_ORDER.filter((page) => mayUse(role, page));
