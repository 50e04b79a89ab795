import { z } from 'zod';
import { channelKindSchema } from '../domain/channels';
import { conversationStatusSchema } from '../domain/model';

/**
 * Searching the hub (issue #20 item 4): full-text search over every message (texts, captions,
 * template bodies, notes: any content with a `text`) and over customers (name, e-mail, phone).
 * `GET /api/search`: the hub parses the query with `searchQuerySchema`, the app parses the
 * answer with `searchAnswerSchema`.
 */

/** The most results one answer holds. */
export const MAX_SEARCH_LIMIT = 50;
/** The longest search text taken. */
export const MAX_SEARCH_TEXT = 200;

/** An instant: epoch milliseconds, or an ISO 8601 date or date-time ("2026-06-01"). */
const instantSchema = z
  .string()
  .max(40)
  .transform((raw, ctx) => {
    const value = /^\d{1,15}$/.test(raw) ? Number(raw) : Date.parse(raw);
    if (!Number.isFinite(value)) {
      ctx.addIssue({ code: 'custom', message: 'Expected epoch milliseconds or an ISO 8601 date' });
      return z.NEVER;
    }
    return value;
  });

export const searchQuerySchema = z
  .object({
    q: z
      .string()
      .trim()
      .min(1, 'Type something to search for')
      .max(MAX_SEARCH_TEXT, `At most ${MAX_SEARCH_TEXT} characters`),
    channel: channelKindSchema.optional(),
    status: conversationStatusSchema.optional(),
    /** `me`, `unassigned` or a user id. */
    assignee: z.string().min(1).max(100).optional(),
    label: z.string().min(1).max(50).optional(),
    /** Messages sent at or after this instant. */
    from: instantSchema.optional(),
    /** Messages sent before this instant. */
    to: instantSchema.optional(),
    limit: z.coerce.number().int().min(1).max(MAX_SEARCH_LIMIT).default(20),
    /** The previous answer's `nextCursor`: the next page of messages (customers come once). */
    before: z.string().min(1).max(500).optional(),
  })
  .strict();
export type SearchQuery = z.infer<typeof searchQuerySchema>;

/**
 * Text with what matched marked: `ranges` are `[start, end)` offsets into `text` in UTF-16 code
 * units (JavaScript string indexes), ascending and not overlapping. Never HTML: a client renders
 * `text` as text and marks the ranges itself.
 */
export const markedTextSchema = z.object({
  text: z.string(),
  ranges: z.array(z.tuple([z.number().int().min(0), z.number().int().min(0)])),
});
export type MarkedText = z.infer<typeof markedTextSchema>;

export const messageHitSchema = z.object({
  messageId: z.string(),
  conversationId: z.string(),
  channel: channelKindSchema,
  direction: z.enum(['inbound', 'outbound']),
  /** The message content's type (`text`, `image`, `note`…). */
  contentType: z.string(),
  customer: z.object({ id: z.string(), name: z.string() }),
  sentAt: z.number(),
  /** `ts_rank` of the match (higher first; ties newest first). */
  rank: z.number(),
  /** The part of the message around the first match (`…` where it was cut), marked. */
  snippet: markedTextSchema,
});
export type MessageHit = z.infer<typeof messageHitSchema>;

export const customerHitSchema = z.object({
  id: z.string(),
  name: markedTextSchema,
  phone: z.string().nullable(),
  email: z.string().nullable(),
  /** The customer's conversations, newest first (at most 5). */
  conversationIds: z.array(z.string()),
});
export type CustomerHit = z.infer<typeof customerHitSchema>;

export const searchAnswerSchema = z.object({
  messages: z.array(messageHitSchema),
  /** Only on the first page (no `before`). */
  customers: z.array(customerHitSchema),
  nextCursor: z.string().nullable(),
});
export type SearchAnswer = z.infer<typeof searchAnswerSchema>;
