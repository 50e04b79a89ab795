import { z } from 'zod';
import {
  conversationSchema,
  messageSchema,
  templateSchema,
  type Conversation,
  type Message,
  type Template,
} from '../domain/model';

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
