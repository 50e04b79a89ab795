import { useEffect, useEffectEvent, useState } from 'react';
import type { SearchAnswer } from '../../../../shared/protocol/search';

/** The hub is asked after a longer pause than the cache: a round trip per keystroke is waste. */
export const HUB_SEARCH_DEBOUNCE_MS = 350;
/** As the cached message search: one character matches half of everything. */
export const HUB_SEARCH_MIN_LENGTH = 2;

export type HubSearchState =
  | { readonly kind: 'idle' }
  | { readonly kind: 'searching' }
  | { readonly kind: 'done'; readonly answer: SearchAnswer }
  | { readonly kind: 'failed' };

const IDLE: HubSearchState = { kind: 'idle' };
const SEARCHING: HubSearchState = { kind: 'searching' };
const FAILED: HubSearchState = { kind: 'failed' };

/**
 * The hub's search for the current text: after a pause in typing; an answer to an older text is
 * dropped (the request is not waited for when the text moves on).
 */
export function useHubSearch(
  text: string,
  search: (text: string) => Promise<SearchAnswer>,
): HubSearchState {
  const typed = text.trim().replace(/\s+/g, ' ');
  const enabled = typed.length >= HUB_SEARCH_MIN_LENGTH;
  const [result, setResult] = useState<{ key: string; state: HubSearchState } | null>(null);
  const ask = useEffectEvent((query: string) => search(query));
  useEffect(() => {
    if (!enabled) return undefined;
    let current = true;
    const timer = setTimeout(() => {
      ask(typed).then(
        (answer) => {
          if (current) setResult({ key: typed, state: { kind: 'done', answer } });
        },
        () => {
          if (current) setResult({ key: typed, state: FAILED });
        },
      );
    }, HUB_SEARCH_DEBOUNCE_MS);
    return () => {
      current = false;
      clearTimeout(timer);
    };
  }, [enabled, typed]);
  if (!enabled) return IDLE;
  return result !== null && result.key === typed ? result.state : SEARCHING;
}
