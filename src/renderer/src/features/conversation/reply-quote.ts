import { CHANNEL_INFO, type ChannelKind } from '../../../../shared/domain/channels';
import { quotePreviewOf, type Message } from '../../../../shared/domain/model';

/** A message an agent's reply will quote: its id at the hub and the text the chip shows. */
export interface QuoteTarget {
  readonly messageId: string;
  readonly text: string;
}

/** Content that is about another message or is gone: nothing to answer by quoting it. */
const NOT_QUOTABLE = new Set(['reaction', 'removed', 'referral']);

/**
 * Whether the timeline offers "Reply" on a message: the channel sends quoted replies
 * (`ChannelInfo.quotesReplies`), it is the customer's, and the channel knows it by an id.
 */
export function canReplyTo(channel: ChannelKind, message: Message): boolean {
  return (
    CHANNEL_INFO[channel].quotesReplies === true &&
    message.direction === 'inbound' &&
    message.externalId !== null &&
    !NOT_QUOTABLE.has(message.content.type)
  );
}

/** The quote chip's target for a message (its text, a file's name). */
export const quoteTargetOf = (message: Message): QuoteTarget => ({
  messageId: message.id,
  text: quotePreviewOf(message.content),
});

/**
 * What a message's quote shows in the timeline: the quoted message as it reads now when it is
 * loaded (an edit shows), else the text kept with the reply; `loaded` says whether clicking it
 * can scroll there. Null for a message that quotes none.
 */
export function quoteOf(
  message: Message,
  loaded: ReadonlyMap<string, Message>,
): { readonly text: string; readonly loaded: boolean } | null {
  const quote = message.replyTo;
  if (!quote) return null;
  const quoted = loaded.get(quote.messageId);
  return quoted
    ? { text: quotePreviewOf(quoted.content), loaded: true }
    : { text: quote.preview || 'an earlier message', loaded: false };
}
