import { z } from 'zod';
import { channelKindSchema, DAY_MS, HOUR_MS, MINUTE_MS } from '../domain/channels';

/**
 * Customer satisfaction (CSAT, issue 20 item 5): after a conversation is resolved the hub asks
 * the customer for a rating, records the answer (and an optional comment) against the
 * conversation, its channel and the agent who resolved it. These are the settings, the rating
 * scales and the button payloads, shared by the hub and the apps.
 */

/**
 * `three` (the default): Good / Okay / Bad — three reply buttons, which every channel with
 * buttons takes, WhatsApp's interactive reply buttons included (at most 3). `five`: 1–5, sent on
 * WhatsApp as an interactive list (up to 10 rows) instead of buttons.
 */
export const csatScaleSchema = z.enum(['three', 'five']);
export type CsatScale = z.infer<typeof csatScaleSchema>;

export interface CsatOption {
  /** The stored rating: 1 (worst) … `max`. */
  readonly rating: number;
  /** The button's title (≤ 20 characters, every channel's limit). */
  readonly title: string;
  /** Words a customer may type instead of tapping (lower case). */
  readonly words: readonly string[];
}

/** Best first: the order the buttons show. */
export const CSAT_OPTIONS: Readonly<Record<CsatScale, readonly CsatOption[]>> = {
  three: [
    { rating: 3, title: 'Good', words: ['good', '👍', '😀', '🙂'] },
    { rating: 2, title: 'Okay', words: ['okay', 'ok', '😐'] },
    { rating: 1, title: 'Bad', words: ['bad', '👎', '🙁', '😞'] },
  ],
  five: [
    { rating: 5, title: '5 Excellent', words: ['excellent'] },
    { rating: 4, title: '4 Good', words: ['good'] },
    { rating: 3, title: '3 Okay', words: ['okay', 'ok'] },
    { rating: 2, title: '2 Poor', words: ['poor'] },
    { rating: 1, title: '1 Bad', words: ['bad'] },
  ],
};

export const scaleMax = (scale: CsatScale): number => (scale === 'three' ? 3 : 5);

/** Satisfied: the top answer of the three-point scale, 4 or 5 of five (the usual CSAT count). */
export const isSatisfied = (scale: CsatScale, rating: number): boolean =>
  rating >= (scale === 'three' ? 3 : 4);

export const csatSettingsSchema = z.object({
  enabled: z.boolean(),
  question: z.string().trim().min(1).max(500),
  scale: csatScaleSchema,
  /** From the resolve to the question; a re-open before then cancels it. */
  delayMs: z
    .number()
    .int()
    .min(0)
    .max(7 * DAY_MS),
  /** After a rating, ask for a comment: the customer's next message is kept as one. */
  askComment: z.boolean(),
  /**
   * The approved WhatsApp template (with quick-reply buttons, best first, one per option) sent
   * when the window has closed; null: not asked outside the window.
   */
  whatsappTemplateId: z.string().max(100).nullable(),
});
export type CsatSettings = z.infer<typeof csatSettingsSchema>;

export const DEFAULT_CSAT_SETTINGS: CsatSettings = {
  enabled: false,
  question: 'How would you rate our help today?',
  scale: 'three',
  delayMs: 5 * MINUTE_MS,
  askComment: true,
  whatsappTemplateId: null,
};

/** A rating is taken within this time of the question; later, the message is only a message. */
export const CSAT_ANSWER_WINDOW_MS = 3 * DAY_MS;
/** The comment: the customer's next message within this time of their rating. */
export const CSAT_COMMENT_WINDOW_MS = HOUR_MS;

export const CSAT_COMMENT_PROMPT = 'Thank you! Anything you would like to add? Just reply here.';
export const CSAT_THANKS = 'Thank you for your feedback!';

/** The text a channel without buttons sends: the question and how to answer with a number. */
export function csatTextQuestion(question: string, scale: CsatScale): string {
  const options = [...CSAT_OPTIONS[scale]].reverse();
  const how =
    scale === 'three'
      ? options.map((o) => `${o.rating} (${o.title})`).join(', ')
      : '1 (bad) to 5 (excellent)';
  return `${question}\nReply with ${how}.`;
}

/**
 * A button's payload: `csat_<requestId>_<rating>`. Reply-button ids take only letters, digits,
 * `_` and `-` (`replyButtonSchema`), so no colons.
 */
export const csatPayload = (requestId: string, rating: number): string =>
  `csat_${requestId}_${rating}`;

const PAYLOAD = /^csat_(csr_[0-9a-z]{1,40})_([1-5])$/;

export function parseCsatPayload(payload: string): { requestId: string; rating: number } | null {
  const match = PAYLOAD.exec(payload);
  if (!match) return null;
  return { requestId: match[1] ?? '', rating: Number(match[2]) };
}

/** A typed answer: just the number (or the option's word), nothing else. */
export function parseTypedRating(text: string, scale: CsatScale): number | null {
  const answer = text
    .trim()
    .toLowerCase()
    .replace(/[.!]+$/, '');
  const number = /^[1-5]$/.test(answer) ? Number(answer) : null;
  if (number !== null) return number <= scaleMax(scale) ? number : null;
  const option = CSAT_OPTIONS[scale].find((o) => o.words.includes(answer));
  return option ? option.rating : null;
}

export const csatStateSchema = z.enum(['scheduled', 'cancelled', 'asked', 'not_asked', 'answered']);

/** One rating as apps see it (`csat.recorded`). */
export const csatResponseSchema = z.object({
  requestId: z.string(),
  conversationId: z.string(),
  channel: channelKindSchema,
  agentId: z.string().nullable(),
  scale: csatScaleSchema,
  rating: z.number().int().min(1).max(5),
  satisfied: z.boolean(),
  comment: z.string().nullable(),
  answeredAt: z.number(),
});
export type CsatResponse = z.infer<typeof csatResponseSchema>;
