import { z } from 'zod';
import { conversationStatusSchema, prioritySchema } from '../domain/model';
import {
  mergeCustomersCommandSchema,
  unmergeCustomerCommandSchema,
  updateCustomerCommandSchema,
} from './customers';

/**
 * Commands the app sends (over the WebSocket or the HTTP API). Each carries a client-generated
 * id; the hub executes a given id once and answers every retry with the same result (DESIGN.md
 * rule 3).
 */
export const clientIdSchema = z
  .string()
  .min(8)
  .max(100)
  .regex(/^[A-Za-z0-9_.:-]+$/, 'letters, digits and _ . : - only');

/** A file's address at the hub: the lower-case hex SHA-256 of its bytes (`POST /api/media`). */
export const sha256Schema = z
  .string()
  .regex(/^[0-9a-f]{64}$/, 'the lower-case hex SHA-256 of the file (64 digits)');

/**
 * A file uploaded with `POST /api/media` (docs/api.md, "Media"), sent by the hub's outbound
 * queue: `mediaId` is the hub's address of the file (its sha256, not the channel's id, which the
 * queue gets when it uploads to the channel). The caption goes where the channel takes one
 * (WhatsApp: 1,024 characters; audio none), else the hub refuses it (400).
 */
export const outgoingMediaSchema = z
  .object({
    mediaId: sha256Schema,
    sha256: sha256Schema,
    mimeType: z.string().trim().min(3).max(200),
    filename: z.string().trim().min(1).max(255),
    caption: z.string().trim().min(1).max(1024).optional(),
  })
  .strict()
  .refine((media) => media.mediaId === media.sha256, {
    message: "mediaId must be the file's sha256",
    path: ['mediaId'],
  });
export type OutgoingMedia = z.infer<typeof outgoingMediaSchema>;

/** The content types an agent sends a file as (stickers only arrive). */
export const OUTGOING_MEDIA_TYPES = ['image', 'video', 'audio', 'document'] as const;
export type OutgoingMediaType = (typeof OUTGOING_MEDIA_TYPES)[number];

/**
 * Reply buttons under a text (Messenger / Instagram `quick_replies`, payload = `id`). Loose here:
 * the hub checks count and title length against the conversation's channel
 * (`checkReplyButtons`) and answers 400 with the reason.
 */
export const outgoingReplyButtonsSchema = z
  .array(
    z
      .object({
        id: z.string().regex(/^[A-Za-z0-9_-]{1,64}$/, 'letters, digits, _ and - (1–64)'),
        title: z.string().max(200),
      })
      .strict(),
  )
  .max(50);

export const outgoingContentSchema = z.discriminatedUnion('type', [
  z.object({
    type: z.literal('text'),
    body: z.string().trim().min(1).max(4096),
    replyButtons: outgoingReplyButtonsSchema.optional(),
  }),
  z.object({ type: z.literal('image'), media: outgoingMediaSchema }),
  z.object({ type: z.literal('video'), media: outgoingMediaSchema }),
  z.object({ type: z.literal('audio'), media: outgoingMediaSchema }),
  z.object({ type: z.literal('document'), media: outgoingMediaSchema }),
  z.object({
    type: z.literal('template'),
    templateId: z.string().min(1).max(100),
    /** Values for the template's variables, in order of their WhatsApp `{{n}}` numbers. */
    parameters: z.array(z.string().max(1024)).max(100).default([]),
  }),
]);
export type OutgoingContent = z.infer<typeof outgoingContentSchema>;
export type OutgoingMediaContent = Extract<OutgoingContent, { media: OutgoingMedia }>;

export const commandSchema = z.discriminatedUnion('type', [
  z.object({
    type: z.literal('send_message'),
    conversationId: z.string().min(1).max(100),
    content: outgoingContentSchema,
    /** Messenger / Instagram: send with the HUMAN_AGENT tag (up to 7 days). */
    tag: z.literal('HUMAN_AGENT').optional(),
    /**
     * The id of a message of the same conversation this one answers: sent quoted where the
     * channel can (`ChannelInfo.quotesReplies`), ignored elsewhere.
     */
    replyTo: z.string().min(1).max(100).optional(),
  }),
  z.object({
    type: z.literal('assign'),
    conversationId: z.string().min(1).max(100),
    assigneeId: z.string().min(1).max(100).nullable(),
  }),
  z.object({
    type: z.literal('set_status'),
    conversationId: z.string().min(1).max(100),
    status: conversationStatusSchema,
    snoozedUntil: z.number().int().positive().optional(),
  }),
  z.object({
    type: z.literal('set_priority'),
    conversationId: z.string().min(1).max(100),
    priority: prioritySchema,
  }),
  z.object({
    type: z.literal('set_labels'),
    conversationId: z.string().min(1).max(100),
    labels: z.array(z.string().trim().min(1).max(50)).max(20),
  }),
  z.object({ type: z.literal('mark_read'), conversationId: z.string().min(1).max(100) }),
  /**
   * An internal note in a conversation (issue #20 item 1): stored as a message with direction
   * `note`, never sent to the customer. `mentions` must be ids of the workspace's active users
   * (400 naming `mentions` otherwise); each one but the author is notified.
   */
  z.object({
    type: z.literal('add_note'),
    conversationId: z.string().min(1).max(100),
    text: z.string().trim().min(1).max(8192),
    mentions: z.array(z.string().min(1).max(100)).max(50).default([]),
  }),
  /** The signed-in user has seen these notes of a conversation that mention them. */
  z.object({
    type: z.literal('read_mentions'),
    conversationId: z.string().min(1).max(100),
    messageIds: z.array(z.string().min(1).max(100)).min(1).max(500),
  }),
  // One customer across channels (issue #20 item 2, ./customers.ts).
  updateCustomerCommandSchema,
  mergeCustomersCommandSchema,
  unmergeCustomerCommandSchema,
]);
export type Command = z.infer<typeof commandSchema>;
export type CommandType = Command['type'];

/** Error codes the hub answers with, over HTTP (`error`) and the WebSocket (`code`). */
export const ERROR_CODES = [
  'bad_request',
  'unauthorized',
  'forbidden',
  'not_found',
  'window_closed',
  /** The customer blocked the business on the channel (409): nothing can reach them. */
  'blocked',
  'conflict',
  'payload_too_large',
  /** A request or its body did not arrive within the hub's timeout (408). */
  'request_timeout',
  /** A file over the channel's limit for its kind (413, the limit named). */
  'too_large',
  /** A file type the channel does not take (415, what it takes named). */
  'unsupported_media_type',
  'rate_limited',
  /** Something the hub fetches for the app (a shop's product picture) failed upstream (502). */
  'bad_gateway',
  'internal',
] as const;
export type ErrorCode = (typeof ERROR_CODES)[number];
