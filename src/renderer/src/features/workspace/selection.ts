import { z } from 'zod';
import { conversationStatusSchema, type ConversationStatus } from '../../../../shared/domain/model';
import { channelKindSchema } from '../../../../shared/domain/channels';
import { DEFAULT_QUERY, type InboxQuery } from '../inbox/inbox-view';

/**
 * Where the agent is in the workspace, kept across reloads: the open conversation lives in the
 * URL (`#/inbox/<id>`, so Back and links work), the inbox query in localStorage.
 */

const INBOX_HASH = '#/inbox';

/** The conversation id in `#/inbox/<id>`, or null. */
export function conversationIdOfHash(hash: string): string | null {
  if (!hash.startsWith(`${INBOX_HASH}/`)) return null;
  const raw = hash.slice(INBOX_HASH.length + 1);
  if (raw === '') return null;
  try {
    return decodeURIComponent(raw);
  } catch {
    return null;
  }
}

export function hashOfConversation(id: string | null): string {
  return id === null ? INBOX_HASH : `${INBOX_HASH}/${encodeURIComponent(id)}`;
}

/** The workspace opens on every conversation; "Mine" is one shortcut away (g m). */
export const WORKSPACE_DEFAULT_QUERY: InboxQuery = { ...DEFAULT_QUERY, view: 'all' };

const storedQuerySchema = z.object({
  view: z.enum(['mine', 'unassigned', 'all']).catch(WORKSPACE_DEFAULT_QUERY.view),
  text: z.string().max(500).catch(''),
  channels: z.array(channelKindSchema).catch([]),
  statuses: z
    .array(conversationStatusSchema)
    .catch([...WORKSPACE_DEFAULT_QUERY.statuses] as ConversationStatus[]),
  labels: z.array(z.string().max(50)).max(20).catch([]),
  window: z.enum(['all', 'closing', 'closed']).catch('all'),
  sort: z.enum(['newest', 'closes_soonest']).catch('newest'),
});

export const QUERY_STORAGE_KEY = 'replydesk.inbox.query.v1';

/** A stored query, leniently: a bad field falls back alone; bad JSON gives the default. */
export function parseStoredQuery(raw: string | null): InboxQuery {
  if (raw === null) return WORKSPACE_DEFAULT_QUERY;
  try {
    const parsed = storedQuerySchema.safeParse(JSON.parse(raw));
    return parsed.success ? parsed.data : WORKSPACE_DEFAULT_QUERY;
  } catch {
    return WORKSPACE_DEFAULT_QUERY;
  }
}

/** The id after (`step` 1) or before (-1) `current` in the list's order; wraps at neither end. */
export function stepSelection(
  order: readonly string[],
  current: string | null,
  step: 1 | -1,
): string | null {
  if (order.length === 0) return null;
  const index = current === null ? -1 : order.indexOf(current);
  if (index === -1) return step === 1 ? (order[0] ?? null) : (order[order.length - 1] ?? null);
  const next = index + step;
  return next < 0 || next >= order.length ? current : (order[next] ?? current);
}
