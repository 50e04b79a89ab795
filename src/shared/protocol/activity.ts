import { z } from 'zod';

/**
 * Activity lines (issue #20 item 3): what happened to a conversation besides its messages —
 * assignment, status (snoozing with its instant), priority, labels, missed SLA targets. The hub
 * records one where the change is applied, in the change's transaction, and emits it as an
 * `activity.created` event; apps show it in the conversation's timeline.
 */

export const ACTIVITY_KINDS = [
  'assignment',
  'status',
  'priority',
  'label_added',
  'label_removed',
  'sla_missed',
] as const;
export const activityKindSchema = z.enum(ACTIVITY_KINDS);
export type ActivityKind = z.infer<typeof activityKindSchema>;

/**
 * Who made the change: `user` (a person, `actorId`), or the hub itself — `round_robin` (a team's
 * rotation took a new conversation), `reply` (a reply to an unassigned conversation made it the
 * replier's), `sla` (a target fell due unmet).
 */
export const activityViaSchema = z.enum(['user', 'round_robin', 'reply', 'sla']);
export type ActivityVia = z.infer<typeof activityViaSchema>;

export const activitySchema = z.object({
  id: z.string(),
  conversationId: z.string(),
  at: z.number(),
  kind: activityKindSchema,
  via: activityViaSchema,
  /** The person who made the change (`via: 'user'`), null when the hub did. */
  actorId: z.string().nullable(),
  /**
   * Before and after: user ids (assignment, null for unassigned), statuses, priorities; a
   * label's name (`to` when added, `from` when removed); the SLA target (`to`) for `sla_missed`.
   */
  from: z.string().nullable(),
  to: z.string().nullable(),
  /** When snoozed (`status` to `snoozed`): until when. */
  until: z.number().nullable(),
});
export type Activity = z.infer<typeof activitySchema>;

/** `GET /api/conversations/:id/activity` and `GET /api/sync/activity`. */
export const activityPageSchema = z.object({
  activity: z.array(activitySchema),
  nextCursor: z.string().nullable(),
});
export type ActivityPage = z.infer<typeof activityPageSchema>;
