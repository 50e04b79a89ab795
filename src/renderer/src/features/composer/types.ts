import type { OutgoingContent } from '../../../../shared/protocol/commands';

/** What keyboard shortcuts may ask of the composer. */
export interface ComposerHandle {
  /** Put the caret in the text box (or the template search when only templates may be sent). */
  focus(): void;
  /** Open the quick replies at the caret, as typing "/" would. */
  openQuickReplies(): void;
}

export interface SendOptions {
  readonly tag?: 'HUMAN_AGENT';
}

/** Queues a message; rejects with an Error whose message is shown to the agent. */
export type SendHandler = (content: OutgoingContent, options?: SendOptions) => Promise<void>;

/** The message of whatever `onSend` rejected with. */
export function errorMessage(error: unknown): string {
  if (error instanceof Error && error.message.trim() !== '') return error.message;
  if (typeof error === 'string' && error.trim() !== '') return error;
  return 'The message could not be sent.';
}
