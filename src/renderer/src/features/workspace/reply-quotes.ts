import { useCallback, useState, type RefObject } from 'react';
import type { Message } from '../../../../shared/domain/model';
import type { ComposerHandle } from '../composer';
import { quoteTargetOf, type QuoteTarget } from '../conversation/reply-quote';

/** The quote each conversation's composer holds, by conversation id. */
export type QuoteState = ReadonlyMap<string, QuoteTarget>;

/** The state with `conversationId`'s quote set (a target) or dropped (null). */
export function withQuote(
  state: QuoteState,
  conversationId: string,
  target: QuoteTarget | null,
): QuoteState {
  if (target === null && !state.has(conversationId)) return state;
  const next = new Map(state);
  if (target === null) next.delete(conversationId);
  else next.set(conversationId, target);
  return next;
}

/**
 * The quote chips of the open conversations: "Reply" on a customer's message sets the
 * conversation's (replacing one chosen before), × or Escape drops it, and a send that carried
 * it drops it. Each conversation keeps its own while the agent looks at another.
 */
export function useReplyQuotes(composer: RefObject<ComposerHandle | null>): {
  readonly quoteOf: (conversationId: string | null) => QuoteTarget | null;
  readonly setQuote: (conversationId: string, target: QuoteTarget | null) => void;
  /** "Reply" on a message: it becomes its conversation's quote, and the composer has the caret. */
  readonly onReply: (message: Message) => void;
} {
  const [state, setState] = useState<QuoteState>(() => new Map());
  const quoteOf = useCallback(
    (conversationId: string | null) =>
      conversationId === null ? null : (state.get(conversationId) ?? null),
    [state],
  );
  const setQuote = useCallback(
    (conversationId: string, target: QuoteTarget | null) =>
      setState((current) => withQuote(current, conversationId, target)),
    [],
  );
  const onReply = useCallback(
    (message: Message) => {
      setQuote(message.conversationId, quoteTargetOf(message));
      composer.current?.focus();
    },
    [setQuote, composer],
  );
  return { quoteOf, setQuote, onReply };
}
