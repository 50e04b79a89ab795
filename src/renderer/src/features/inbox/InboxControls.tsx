import type { ReactNode } from 'react';
import {
  ActionIcon,
  Button,
  Checkbox,
  CloseButton,
  Divider,
  Group,
  Loader,
  Menu,
  Pill,
  Popover,
  ScrollArea,
  SegmentedControl,
  Stack,
  Text,
  TextInput,
  Tooltip,
  UnstyledButton,
} from '@mantine/core';
import { IconArrowsSort, IconCheck, IconFilter, IconSearch } from '@tabler/icons-react';
import { CHANNEL_INFO, type ChannelKind } from '../../../../shared/domain/channels';
import type { ConversationStatus } from '../../../../shared/domain/model';
import { ChannelIcon } from '../../components/ChannelIcon';
import { formatCount } from './inbox-format';
import {
  activeFilterCount,
  DEFAULT_STATUSES,
  hasDefaultStatuses,
  searchesEveryStatus,
  isNarrowed,
  resetFilters,
  STATUSES,
  type InboxCounts,
  type InboxQuery,
  type InboxSort,
  type InboxView,
  type WindowFilter,
} from './inbox-view';

export const VIEW_LABELS: Readonly<Record<InboxView, string>> = {
  mine: 'Mine',
  unassigned: 'Unassigned',
  all: 'All',
};

export const STATUS_LABELS: Readonly<Record<ConversationStatus, string>> = {
  open: 'Open',
  pending: 'Pending',
  snoozed: 'Snoozed',
  resolved: 'Resolved',
};

export const SORT_LABELS: Readonly<Record<InboxSort, { short: string; long: string }>> = {
  newest: { short: 'Newest', long: 'Newest first' },
  closes_soonest: { short: 'Closes soonest', long: 'Reply window closes soonest' },
};

export const WINDOW_LABELS: Readonly<Record<Exclude<WindowFilter, 'all'>, string>> = {
  closing: 'Closing soon',
  closed: 'Closed',
};

export interface InboxControlsProps {
  readonly query: InboxQuery;
  readonly onQueryChange: (query: InboxQuery) => void;
  readonly counts: InboxCounts;
  /** Rows shown with the current query. */
  readonly shown: number;
  /** The message search has not answered yet for the current text. */
  readonly searching: boolean;
  readonly disabled?: boolean;
}

function Count({ value }: { readonly value: number }) {
  return (
    <Text span size="xs" c="dimmed" ml={4} style={{ fontVariantNumeric: 'tabular-nums' }}>
      {formatCount(value)}
    </Text>
  );
}

function toggled<T>(values: readonly T[], value: T, on: boolean): T[] {
  return on ? [...values.filter((v) => v !== value), value] : values.filter((v) => v !== value);
}

function FilterSection({
  title,
  children,
}: {
  readonly title: string;
  readonly children: ReactNode;
}) {
  return (
    <Stack gap={6}>
      <Text size="xs" fw={600} c="dimmed" tt="uppercase" style={{ letterSpacing: 0.4 }}>
        {title}
      </Text>
      {children}
    </Stack>
  );
}

/** A checkbox row of the filter panel: label at the left, its count at the right. */
function FilterOption({
  checked,
  onChange,
  label,
  count,
}: {
  readonly checked: boolean;
  readonly onChange: (checked: boolean) => void;
  readonly label: ReactNode;
  readonly count: number;
}) {
  return (
    <Checkbox
      size="xs"
      checked={checked}
      onChange={(event) => onChange(event.currentTarget.checked)}
      styles={{ body: { alignItems: 'center' }, labelWrapper: { flex: 1 } }}
      label={
        <Group justify="space-between" wrap="nowrap" gap="xs">
          <Group gap={6} wrap="nowrap">
            {label}
          </Group>
          <Text span size="xs" c="dimmed" style={{ fontVariantNumeric: 'tabular-nums' }}>
            {formatCount(count)}
          </Text>
        </Group>
      }
    />
  );
}

function FilterPanel({
  query,
  onQueryChange,
  counts,
}: Pick<InboxControlsProps, 'query' | 'onQueryChange' | 'counts'>) {
  // A search looks in every status until the agent ticks some (issue 12, item 7).
  const everyStatus = searchesEveryStatus(query);
  const statuses = everyStatus ? [] : query.statuses.length === 0 ? STATUSES : query.statuses;
  return (
    <Stack gap="md" data-testid="inbox-filter-panel">
      <FilterSection title="Status">
        {everyStatus && (
          <Text size="xs" c="dimmed" data-testid="search-status-hint">
            Searching every status. Tick some to narrow it.
          </Text>
        )}
        {STATUSES.map((status) => (
          <FilterOption
            key={status}
            checked={statuses.includes(status)}
            onChange={(on) => onQueryChange({ ...query, statuses: toggled(statuses, status, on) })}
            label={STATUS_LABELS[status]}
            count={counts.statuses[status]}
          />
        ))}
      </FilterSection>
      <FilterSection title="Channel">
        {counts.channels.length === 0 && (
          <Text size="xs" c="dimmed">
            No conversations yet.
          </Text>
        )}
        {counts.channels.map(({ value, count }) => (
          <FilterOption
            key={value}
            checked={query.channels.includes(value)}
            onChange={(on) =>
              onQueryChange({ ...query, channels: toggled(query.channels, value, on) })
            }
            label={
              <>
                <span aria-hidden style={{ display: 'flex' }}>
                  <ChannelIcon channel={value} size={14} />
                </span>
                {CHANNEL_INFO[value].label}
              </>
            }
            count={count}
          />
        ))}
      </FilterSection>
      <FilterSection title="Label">
        {counts.labels.length === 0 ? (
          <Text size="xs" c="dimmed">
            No conversation has a label yet.
          </Text>
        ) : (
          <ScrollArea.Autosize mah={150} type="auto">
            <Stack gap={6}>
              {counts.labels.map(({ value, count }) => (
                <FilterOption
                  key={value}
                  checked={query.labels.includes(value)}
                  onChange={(on) =>
                    onQueryChange({ ...query, labels: toggled(query.labels, value, on) })
                  }
                  label={value}
                  count={count}
                />
              ))}
            </Stack>
          </ScrollArea.Autosize>
        )}
      </FilterSection>
      <Divider />
      <Group justify="space-between" wrap="nowrap">
        <Text size="xs" c="dimmed">
          Default: open and pending
        </Text>
        <Button
          size="compact-xs"
          variant="subtle"
          disabled={activeFilterCount({ ...query, window: 'all' }) === 0}
          onClick={() =>
            onQueryChange({ ...query, channels: [], labels: [], statuses: DEFAULT_STATUSES })
          }
        >
          Reset
        </Button>
      </Group>
    </Stack>
  );
}

function listed(values: readonly string[], max = 2): string {
  return values.length <= max
    ? values.join(', ')
    : `${values.slice(0, max).join(', ')} +${values.length - max}`;
}

/** The filters in force, each removable, with one "Clear" for all (the compact summary). */
function ActiveFilters({
  query,
  onQueryChange,
  shown,
}: Pick<InboxControlsProps, 'query' | 'onQueryChange' | 'shown'>) {
  const pills: { key: string; label: string; remove: () => void }[] = [];
  if (query.channels.length > 0) {
    pills.push({
      key: 'channels',
      label: listed(query.channels.map((channel: ChannelKind) => CHANNEL_INFO[channel].label)),
      remove: () => onQueryChange({ ...query, channels: [] }),
    });
  }
  if (!hasDefaultStatuses(query.statuses)) {
    pills.push({
      key: 'statuses',
      label:
        query.statuses.length === 0 || query.statuses.length === STATUSES.length
          ? 'Any status'
          : listed(
              query.statuses.map((status) => STATUS_LABELS[status]),
              3,
            ),
      remove: () => onQueryChange({ ...query, statuses: DEFAULT_STATUSES }),
    });
  }
  if (query.labels.length > 0) {
    pills.push({
      key: 'labels',
      label: `Label: ${listed(query.labels)}`,
      remove: () => onQueryChange({ ...query, labels: [] }),
    });
  }
  // The reply-window filter and the search text show in their own controls, just above.
  if (!isNarrowed(query)) return null;
  return (
    <div className="rd-inbox-summary" data-testid="active-filters">
      <Text span size="xs" c="dimmed" mr={2} style={{ fontVariantNumeric: 'tabular-nums' }}>
        {`${shown.toLocaleString()} ${shown === 1 ? 'match' : 'matches'}${
          searchesEveryStatus(query) ? ' in any status' : ''
        }`}
      </Text>
      {pills.map((pill) => (
        <Pill
          key={pill.key}
          size="xs"
          withRemoveButton
          onRemove={pill.remove}
          removeButtonProps={{ 'aria-label': `Remove filter ${pill.label}` }}
        >
          {pill.label}
        </Pill>
      ))}
      <UnstyledButton
        className="rd-clear-filters"
        onClick={() => onQueryChange(resetFilters(query))}
        fz="xs"
        c="var(--mantine-color-anchor)"
        ml={2}
      >
        Clear all
      </UnstyledButton>
    </div>
  );
}

function SortMenu({
  sort,
  onChange,
  disabled,
}: {
  readonly sort: InboxSort;
  readonly onChange: (sort: InboxSort) => void;
  readonly disabled: boolean;
}) {
  const label = `Sort: ${SORT_LABELS[sort].long}`;
  return (
    <Menu position="bottom-end" shadow="md" width={240}>
      <Menu.Target>
        <Tooltip label={label} openDelay={300} withArrow>
          <ActionIcon
            size={30}
            variant={sort === 'newest' ? 'default' : 'light'}
            aria-label={label}
            data-testid="inbox-sort"
            data-sort={sort}
            disabled={disabled}
          >
            <IconArrowsSort size={15} />
          </ActionIcon>
        </Tooltip>
      </Menu.Target>
      <Menu.Dropdown>
        <Menu.Label>Sort by</Menu.Label>
        {(Object.keys(SORT_LABELS) as InboxSort[]).map((value) => (
          <Menu.Item
            key={value}
            onClick={() => onChange(value)}
            rightSection={value === sort ? <IconCheck size={14} /> : null}
            fz="sm"
          >
            {SORT_LABELS[value].long}
          </Menu.Item>
        ))}
      </Menu.Dropdown>
    </Menu>
  );
}

/**
 * The inbox's controls, top to bottom: views with counts; search, the filter panel and the sort;
 * the reply-window quick filter (the reason Replydesk exists, so always in sight); the filters in
 * force.
 */
export function InboxControls({
  query,
  onQueryChange,
  counts,
  shown,
  searching,
  disabled = false,
}: InboxControlsProps) {
  const filters = activeFilterCount({ ...query, window: 'all' });
  return (
    <div className="rd-inbox-controls">
      <SegmentedControl<InboxView>
        fullWidth
        size="xs"
        aria-label="View"
        data-testid="inbox-views"
        disabled={disabled}
        value={query.view}
        onChange={(view) => onQueryChange({ ...query, view })}
        data={(['mine', 'unassigned', 'all'] as const).map((view) => ({
          value: view,
          label: (
            <span>
              {VIEW_LABELS[view]}
              <Count value={counts.views[view]} />
            </span>
          ),
        }))}
      />
      <div className="rd-inbox-toolbar">
        <TextInput
          size="xs"
          flex={1}
          styles={{ input: { height: 30, minHeight: 30 } }}
          placeholder="Search customers, messages"
          aria-label="Search conversations"
          data-testid="inbox-search"
          disabled={disabled}
          value={query.text}
          onChange={(event) => onQueryChange({ ...query, text: event.currentTarget.value })}
          onKeyDown={(event) => {
            if (event.key === 'Escape' && query.text !== '') {
              event.stopPropagation();
              onQueryChange({ ...query, text: '' });
            }
          }}
          leftSection={<IconSearch size={14} />}
          rightSection={
            searching ? (
              <Loader size={12} aria-label="Searching messages" />
            ) : query.text !== '' ? (
              <CloseButton
                size="sm"
                aria-label="Clear search"
                onClick={() => onQueryChange({ ...query, text: '' })}
              />
            ) : null
          }
        />
        <Popover position="bottom-end" width={260} shadow="md" trapFocus withinPortal>
          <Popover.Target>
            <Button
              size="xs"
              h={30}
              variant={filters > 0 ? 'light' : 'default'}
              leftSection={<IconFilter size={14} />}
              disabled={disabled}
              data-testid="inbox-filters"
              aria-label={filters > 0 ? `Filters, ${filters} active` : 'Filters'}
              px={8}
            >
              {filters > 0 ? filters : 'Filter'}
            </Button>
          </Popover.Target>
          <Popover.Dropdown>
            <FilterPanel query={query} onQueryChange={onQueryChange} counts={counts} />
          </Popover.Dropdown>
        </Popover>
        <SortMenu
          sort={query.sort}
          onChange={(sort) => onQueryChange({ ...query, sort })}
          disabled={disabled}
        />
      </div>
      <SegmentedControl<WindowFilter>
        fullWidth
        size="xs"
        aria-label="Reply window"
        data-testid="window-filter"
        disabled={disabled}
        value={query.window}
        onChange={(window) => onQueryChange({ ...query, window })}
        data={[
          { value: 'all', label: 'Any window' },
          {
            value: 'closing',
            label: (
              <span>
                {WINDOW_LABELS.closing}
                <Count value={counts.windows.closing} />
              </span>
            ),
          },
          {
            value: 'closed',
            label: (
              <span>
                {WINDOW_LABELS.closed}
                <Count value={counts.windows.closed} />
              </span>
            ),
          },
        ]}
      />
      <ActiveFilters query={query} onQueryChange={onQueryChange} shown={shown} />
    </div>
  );
}
