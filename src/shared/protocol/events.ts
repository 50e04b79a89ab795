import { z } from 'zod';
import {
  conversationSchema,
  messageSchema,
  roleSchema,
  templateSchema,
  type Conversation,
  type Message,
  type Template,
} from '../domain/model';
import { rateCardSchema } from '../pricing/rate-card';
import { slaBreachSchema, slaSettingsSchema } from '../sla/policy';
import { customerProfileSchema } from './customers';
import { activitySchema } from './activity';
import { csatResponseSchema, csatSettingsSchema } from '../csat';

/** A teammate as every app caches them (`GET /api/users`): no e-mail, no secrets. */
export const teammateSchema = z.object({
  id: z.string(),
  name: z.string(),
  role: roleSchema,
  disabled: z.boolean(),
});

/**
 * Events the hub emits. Each carries full snapshots, so applying one is an upsert and applying
 * the same event twice changes nothing. `seq` is strictly increasing per workspace (DESIGN.md
 * rule 2).
 */
export const hubEventSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('conversation.updated'), conversation: conversationSchema }),
  z.object({ type: z.literal('message.created'), message: messageSchema }),
  z.object({ type: z.literal('message.updated'), message: messageSchema }),
  z.object({ type: z.literal('template.updated'), template: templateSchema }),
  z.object({ type: z.literal('template.deleted'), templateId: z.string() }),
  /** A teammate's name, role or enabled state changed (admin); apps update their teammates. */
  z.object({ type: z.literal('user.updated'), user: teammateSchema }),
  /** An admin saved the rate card (or switched a rule set): apps reprice at once. */
  z.object({ type: z.literal('rate_card.updated'), rateCard: rateCardSchema }),
  /** An admin changed the SLA policies or the business calendar: the whole new settings. */
  z.object({ type: z.literal('sla.updated'), sla: slaSettingsSchema }),
  /** A conversation missed an SLA target (recorded in `sla_breaches`). */
  z.object({ type: z.literal('sla.breached'), breach: slaBreachSchema }),
  /**
   * A user saw notes that mention them (`read_mentions`): their other apps mark them read too;
   * every other app ignores it.
   */
  z.object({
    type: z.literal('mention.read'),
    userId: z.string(),
    messageIds: z.array(z.string()),
    readAt: z.number(),
  }),
  /**
   * A customer's profile changed: edited, merged into another (`mergedInto`) or unmerged. Each
   * conversation whose customer snapshot changed comes as its own `conversation.updated`.
   */
  z.object({ type: z.literal('customer.updated'), customer: customerProfileSchema }),
  /** An activity line of a conversation (`activity.ts`): assignment, status, priority… */
  z.object({ type: z.literal('activity.created'), activity: activitySchema }),
  /** An admin changed the CSAT settings: the whole new settings. */
  z.object({ type: z.literal('csat.updated'), csat: csatSettingsSchema }),
  /** A customer rated a conversation (or added a comment to their rating). */
  z.object({ type: z.literal('csat.recorded'), response: csatResponseSchema }),
]);
export type HubEvent = z.infer<typeof hubEventSchema>;
export type HubEventType = HubEvent['type'];

export const sequencedEventSchema = z.object({
  seq: z.number().int().positive(),
  at: z.number(),
  event: hubEventSchema,
});
export type SequencedEvent = z.infer<typeof sequencedEventSchema>;

export const conversationUpdated = (conversation: Conversation): HubEvent => ({
  type: 'conversation.updated',
  conversation,
});
export const messageCreated = (message: Message): HubEvent => ({
  type: 'message.created',
  message,
});
export const messageUpdated = (message: Message): HubEvent => ({
  type: 'message.updated',
  message,
});
export const templateUpdated = (template: Template): HubEvent => ({
  type: 'template.updated',
  template,
});
