import { useMemo } from 'react';
import type { Conversation } from '../../../../shared/domain/model';
import { recipientCountryOf, type RateCard } from '../../../../shared/pricing';
import type { ReplyWindow } from '../../../../shared/reply-window/types';
import { smsCostView, type SmsCostView } from './sms-cost';

/**
 * The live cost line of an SMS conversation's composer; null on every other channel. Memoised
 * on the text, the card, the window and the minute: typing re-counts only the text (one linear
 * pass, well under a millisecond for 2,000 characters), nothing else re-renders for it.
 */
export function useSmsCost(
  conversation: Conversation,
  window: ReplyWindow,
  rateCard: RateCard | null,
  text: string,
  now: number,
): SmsCostView | null {
  const sms = conversation.channel === 'sms';
  const { phone, country } = conversation.customer;
  const recipientCountry = useMemo(
    () => (sms ? recipientCountryOf('sms', { phone, country }) : null),
    [sms, phone, country],
  );
  return useMemo(
    () => (sms ? smsCostView({ text, window, rateCard, recipientCountry, at: now }) : null),
    [sms, text, window, rateCard, recipientCountry, now],
  );
}

/** The same line for a text not yet in the box (a quick reply about to be inserted). */
export function useSmsPreview(
  conversation: Conversation,
  window: ReplyWindow,
  rateCard: RateCard | null,
  now: number,
): ((text: string) => SmsCostView) | null {
  const sms = conversation.channel === 'sms';
  const { phone, country } = conversation.customer;
  return useMemo(() => {
    if (!sms) return null;
    const recipientCountry = recipientCountryOf('sms', { phone, country });
    return (text: string) => smsCostView({ text, window, rateCard, recipientCountry, at: now });
  }, [sms, phone, country, window, rateCard, now]);
}
