import { Button, EmptyState, Skeleton } from '@mantine/core';
import { IconInbox, IconMoodCheck, IconSearchOff } from '@tabler/icons-react';
import { CHANNEL_INFO } from '../../../../shared/domain/channels';
import { formatCount } from './inbox-format';
import {
  INBOX_VIEWS,
  searchesEveryStatus,
  STATUSES,
  resetFilters,
  type InboxCounts,
  type InboxQuery,
  type InboxView,
} from './inbox-view';
import { ROW_HEIGHT } from './ConversationRow';
import { STATUS_LABELS, VIEW_LABELS } from './InboxControls';

/** Placeholder rows shaped like the real ones, while the cache opens or the first sync runs. */
export function InboxSkeleton({ rows = 10 }: { readonly rows?: number }) {
  return (
    <div aria-busy="true" aria-label="Loading conversations" data-testid="inbox-loading">
      {Array.from({ length: rows }, (_, index) => (
        <div key={index} className="rd-skeleton-row" style={{ height: ROW_HEIGHT }}>
          <Skeleton circle h={18} w={18} />
          <div style={{ flex: 1, display: 'flex', flexDirection: 'column', gap: 8 }}>
            <div style={{ display: 'flex', justifyContent: 'space-between' }}>
              <Skeleton h={10} w={`${40 + ((index * 17) % 30)}%`} radius="sm" />
              <Skeleton h={10} w={24} radius="sm" />
            </div>
            <div style={{ display: 'flex', justifyContent: 'space-between' }}>
              <Skeleton h={8} w={`${50 + ((index * 23) % 30)}%`} radius="sm" />
              <Skeleton h={8} w={40} radius="sm" />
            </div>
          </div>
        </div>
      ))}
    </div>
  );
}

/** Nothing in the cache at all. */
export function InboxEmpty() {
  return (
    <EmptyState
      mt={48}
      px="md"
      size="sm"
      icon={<IconInbox size={26} />}
      withIndicatorBackground
      title="No conversations yet"
      description="They appear here as customers write, on every connected channel."
      data-testid="inbox-empty"
    />
  );
}

const lowerList = (values: readonly string[], joiner: string): string =>
  values.length <= 1
    ? (values[0] ?? '')
    : `${values.slice(0, -1).join(', ')} ${joiner} ${values[values.length - 1]}`;

/**
 * Why the list is empty, in one truthful sentence: the view, the search and the statuses it
 * looked in (a search looks in every status unless the agent chose some), and the filters.
 * `No conversation in All matches “ana” in any status, on WhatsApp.`
 */
export function describeNoMatch(query: InboxQuery): string {
  const text = query.text.trim().replace(/\s+/g, ' ');
  const searching = text !== '';
  const anyStatus =
    query.statuses.length === 0 ||
    query.statuses.length === STATUSES.length ||
    searchesEveryStatus(query);
  const chosen = anyStatus
    ? null
    : lowerList(
        query.statuses.map((status) => STATUS_LABELS[status].toLowerCase()),
        'or',
      );
  let sentence = `No ${chosen === null ? '' : `${chosen} `}conversation in ${VIEW_LABELS[query.view]}`;
  const filters: string[] = [];
  if (searching) sentence += ` matches “${text}”${anyStatus ? ' in any status' : ''}`;
  else if (anyStatus) filters.push('in any status');
  if (query.channels.length > 0) {
    filters.push(
      `on ${lowerList(
        query.channels.map((channel) => CHANNEL_INFO[channel].label),
        'or',
      )}`,
    );
  }
  if (query.labels.length > 0) filters.push(`labelled ${lowerList(query.labels, 'or')}`);
  if (query.window !== 'all') {
    filters.push(
      query.window === 'closing' ? 'with the window closing soon' : 'with the window closed',
    );
  }
  if (filters.length > 0) sentence += `${searching || anyStatus ? ',' : ''} ${filters.join(', ')}`;
  return `${sentence}.`;
}

/** The view that has the most matches, other than the current one (to offer a way out). */
function otherViewWithMatches(query: InboxQuery, counts: InboxCounts): InboxView | null {
  const candidates = INBOX_VIEWS.filter((view) => view !== query.view && counts.views[view] > 0);
  return candidates.sort((a, b) => counts.views[b] - counts.views[a])[0] ?? null;
}

/** Search or filters hide every conversation of the view: say what hides them, offer a reset. */
export function InboxNoMatch({
  query,
  counts,
  onQueryChange,
}: {
  readonly query: InboxQuery;
  readonly counts: InboxCounts;
  readonly onQueryChange: (query: InboxQuery) => void;
}) {
  const other = otherViewWithMatches(query, counts);
  return (
    <EmptyState
      mt={48}
      px="md"
      size="sm"
      icon={<IconSearchOff size={26} />}
      withIndicatorBackground
      title="No conversations match"
      description={describeNoMatch(query)}
      data-testid="inbox-no-match"
    >
      <EmptyState.Actions>
        <Button size="xs" variant="default" onClick={() => onQueryChange(resetFilters(query))}>
          Clear search and filters
        </Button>
        {other && (
          <Button
            size="xs"
            variant="light"
            onClick={() => onQueryChange({ ...query, view: other })}
          >
            {`${formatCount(counts.views[other])} in ${VIEW_LABELS[other]}`}
          </Button>
        )}
      </EmptyState.Actions>
    </EmptyState>
  );
}

const VIEW_EMPTY: Readonly<Record<InboxView, { title: string; description: string }>> = {
  mine: {
    title: 'Nothing assigned to you',
    description: 'Conversations assigned to you that need an answer show here.',
  },
  unassigned: {
    title: 'Every conversation has an owner',
    description: 'New conversations nobody has taken yet show here.',
  },
  all: {
    title: 'All caught up',
    description: 'No open or pending conversations on any channel.',
  },
};

/** The view is empty without any search or filter: good news, and where to look next. */
export function InboxViewEmpty({
  query,
  counts,
  onQueryChange,
}: {
  readonly query: InboxQuery;
  readonly counts: InboxCounts;
  readonly onQueryChange: (query: InboxQuery) => void;
}) {
  const other = otherViewWithMatches(query, counts);
  const { title, description } = VIEW_EMPTY[query.view];
  return (
    <EmptyState
      mt={48}
      px="md"
      size="sm"
      icon={<IconMoodCheck size={26} />}
      withIndicatorBackground
      title={title}
      description={description}
      data-testid="inbox-view-empty"
    >
      {other && (
        <EmptyState.Actions>
          <Button
            size="xs"
            variant="light"
            onClick={() => onQueryChange({ ...query, view: other })}
          >
            {`Show ${VIEW_LABELS[other]} (${formatCount(counts.views[other])})`}
          </Button>
        </EmptyState.Actions>
      )}
    </EmptyState>
  );
}
