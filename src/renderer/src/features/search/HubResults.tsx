import './hub-results.css';
import { Loader, Text, UnstyledButton } from '@mantine/core';
import type { MessageHit, SearchAnswer } from '../../../../shared/protocol/search';
import { ChannelIcon } from '../../components/ChannelIcon';
import { MatchText } from '../../components/MatchText';
import { formatShortDate } from '../../format/dates';
import { readClock } from '../../app/clock';
import { markedParts } from './marked';
import { useHubSearch } from './useHubSearch';

export interface HubResultsProps {
  /** What the agent typed in the inbox search. */
  readonly text: string;
  /** The conversations the cached search lists: their hub hits are not listed twice. */
  readonly cachedIds: ReadonlySet<string>;
  /** The hub's search (`searchHub`). */
  readonly search: (text: string) => Promise<SearchAnswer>;
  /** Open the conversation at the message. */
  readonly onOpen: (hit: MessageHit) => void;
}

/**
 * "On the hub": under the cached search results, the hub's matches in conversations the cache
 * did not find, with a count of both. Offline or refused: one quiet line.
 */
export function HubResults({ text, cachedIds, search, onOpen }: HubResultsProps) {
  const state = useHubSearch(text, search);
  if (state.kind === 'idle') return null;
  let body;
  if (state.kind === 'searching') {
    body = (
      <div className="rd-hub-results-line" data-testid="hub-search-status">
        <Loader size={12} /> Searching the hub…
      </div>
    );
  } else if (state.kind === 'failed') {
    body = (
      <Text size="xs" c="dimmed" className="rd-hub-results-line" data-testid="hub-search-status">
        The hub could not be searched
      </Text>
    );
  } else {
    const more = state.answer.messages.filter((hit) => !cachedIds.has(hit.conversationId));
    const plus = state.answer.nextCursor !== null ? '+' : '';
    body = (
      <>
        <Text size="xs" c="dimmed" className="rd-hub-results-line" data-testid="hub-search-count">
          {`${cachedIds.size.toLocaleString()} in this app · ${more.length.toLocaleString()}${plus} more on the hub`}
        </Text>
        {more.length > 0 && (
          <div className="rd-hub-results-list" role="list" aria-label="On the hub">
            {more.map((hit) => (
              <UnstyledButton
                key={hit.messageId}
                className="rd-hub-hit"
                role="listitem"
                data-testid="hub-hit"
                data-message-id={hit.messageId}
                onClick={() => onOpen(hit)}
              >
                <span className="rd-hub-hit-head">
                  <ChannelIcon channel={hit.channel} size={14} />
                  <span className="rd-hub-hit-name" data-testid="hub-hit-customer">
                    {hit.customer.name || 'Unknown customer'}
                  </span>
                  <span className="rd-hub-hit-date">
                    {formatShortDate(hit.sentAt, readClock())}
                  </span>
                </span>
                <span className="rd-hub-hit-snippet" data-testid="hub-hit-snippet">
                  <MatchText parts={markedParts(hit.snippet)} />
                </span>
              </UnstyledButton>
            ))}
          </div>
        )}
      </>
    );
  }
  return (
    <section className="rd-hub-results" aria-label="On the hub" data-testid="hub-results">
      <Text size="xs" fw={600} tt="uppercase" c="dimmed" className="rd-hub-results-title">
        On the hub
      </Text>
      {body}
    </section>
  );
}
