import type { OutgoingContent } from '../../../../shared/protocol/commands';
import type { StagedFile } from './attachments';

/** What keyboard shortcuts may ask of the reply box (free-form or templates). */
export interface ReplyHandle {
  /** Put the caret in the text box (or the template search when only templates may be sent). */
  focus(): void;
  /** Open the quick replies at the caret, as typing "/" would. */
  openQuickReplies(): void;
  /**
   * The agent chose an order for the reply ("Use in reply"): its values fill the `{{order.*}}`
   * in the text through the context; a reply without any gets the order written in — the
   * sentence when the box is empty, the reference at the caret otherwise.
   */
  offerOrder(text: OrderText): void;
}

/** What keyboard shortcuts may ask of the composer. */
export interface ComposerHandle extends ReplyHandle {
  /** Reply to the customer (R) or write an internal note (N), and put the caret there. */
  switchMode(mode: 'reply' | 'note'): void;
}

/** Queues an internal note with the ids of the teammates it mentions; rejects with an Error. */
export type NoteHandler = (text: string, mentions: readonly string[]) => Promise<void>;

/** An order as the composer may write it (the order panel words it). */
export interface OrderText {
  /** `Your order #1043 has shipped. Track it with DHL: https://…` */
  readonly sentence: string;
  /** `#1043` */
  readonly reference: string;
}

export interface SendOptions {
  readonly tag?: 'HUMAN_AGENT';
  /** The customer's message the reply quotes (the chip above the box). */
  readonly replyTo?: string;
}

/** Queues a message; rejects with an Error whose message is shown to the agent. */
export type SendHandler = (content: OutgoingContent, options?: SendOptions) => Promise<void>;

/** The message of whatever `onSend` rejected with. */
export function errorMessage(error: unknown): string {
  if (error instanceof Error && error.message.trim() !== '') return error.message;
  if (typeof error === 'string' && error.trim() !== '') return error;
  return 'The message could not be sent.';
}

/**
 * Queues a file the agent attached (checked against the channel's limits), with its caption;
 * rejects with an Error whose message is shown to the agent (the file stays attached).
 */
export type AttachHandler = (
  file: StagedFile,
  caption: string | null,
  options?: SendOptions,
) => Promise<void>;
