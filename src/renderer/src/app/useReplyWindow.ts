import { useMemo } from 'react';
import type { Conversation } from '../../../shared/domain/model';
import { computeReplyWindow, type ReplyWindow } from '../../../shared/reply-window';
import { readClock, useClockDerived } from './clock';

/** What decides how a window is shown and what may be sent, but not its remaining seconds. */
function windowKey(window: ReplyWindow): string {
  const allowed = window.allowed;
  return [
    window.state,
    allowed.kind,
    allowed.kind === 'tag_only' ? allowed.until : '',
    window.messagesRemaining ?? '',
    window.freeEntryPoint ? 'free' : '',
  ].join('|');
}

/**
 * The reply window of one conversation on the app clock, recomputed when the conversation
 * changes or its window changes state (open → closing → closed), not every second: the composer
 * and the header's allowance re-render at state changes only, while countdowns read `useNow`.
 */
export function useReplyWindow(conversation: Conversation | null): ReplyWindow | null {
  const key = useClockDerived((now) =>
    conversation ? windowKey(computeReplyWindow(conversation.channel, conversation, now)) : null,
  );
  return useMemo(
    () =>
      conversation ? computeReplyWindow(conversation.channel, conversation, readClock()) : null,
    // `key` is the reason to recompute: the window changed state at the clock's current time.
    // eslint-disable-next-line react-hooks/exhaustive-deps
    [conversation, key],
  );
}
