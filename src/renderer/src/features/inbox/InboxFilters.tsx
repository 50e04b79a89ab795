import { Group, SegmentedControl, Select, Text } from '@mantine/core';
import { CHANNEL_INFO, type ChannelKind } from '../../../../shared/domain/channels';
import { ChannelIcon } from '../../components/ChannelIcon';
import type { ChannelFilter, InboxQuery, InboxSort, WindowFilter } from './inbox-view';

const SORTS: { value: InboxSort; label: string }[] = [
  { value: 'newest', label: 'Newest first' },
  { value: 'closes_soonest', label: 'Closes soonest' },
];

export function SortSelect({
  sort,
  onChange,
}: {
  sort: InboxSort;
  onChange: (sort: InboxSort) => void;
}) {
  return (
    <Select<InboxSort>
      size="xs"
      w={150}
      aria-label="Sort"
      data={SORTS}
      value={sort}
      allowDeselect={false}
      onChange={(value) => {
        if (value) onChange(value);
      }}
    />
  );
}

export interface InboxFiltersProps {
  readonly query: InboxQuery;
  /** Channels that have conversations, with their counts. */
  readonly channels: readonly { readonly channel: ChannelKind; readonly count: number }[];
  /** Conversations per window filter, within the selected channel. */
  readonly windowCounts: Readonly<Record<WindowFilter, number>>;
  readonly onChange: (query: InboxQuery) => void;
}

function ChannelLabel({ channel, count }: { channel: ChannelKind; count: number }) {
  return (
    <Group gap={6} wrap="nowrap" justify="center">
      {/* The text names the channel; the icon is decoration here. */}
      <span aria-hidden style={{ display: 'flex' }}>
        <ChannelIcon channel={channel} size={15} />
      </span>
      <span>{CHANNEL_INFO[channel].label}</span>
      <Text span size="xs" c="dimmed">
        {count}
      </Text>
    </Group>
  );
}

/** Which conversations the list shows: by channel and by reply-window state. */
export function InboxFilters({ query, channels, windowCounts, onChange }: InboxFiltersProps) {
  // Keep a selected channel selectable even when its last conversation is filtered away.
  const shown =
    query.channel !== 'all' && !channels.some((c) => c.channel === query.channel)
      ? [...channels, { channel: query.channel, count: 0 }]
      : channels;
  return (
    <Group gap="sm" wrap="wrap">
      <SegmentedControl<ChannelFilter>
        size="xs"
        aria-label="Channel"
        value={query.channel}
        onChange={(channel) => onChange({ ...query, channel })}
        data={[
          { value: 'all', label: 'All channels' },
          ...shown.map(({ channel, count }) => ({
            value: channel,
            label: <ChannelLabel channel={channel} count={count} />,
          })),
        ]}
      />
      <SegmentedControl<WindowFilter>
        size="xs"
        aria-label="Reply window"
        value={query.window}
        onChange={(window) => onChange({ ...query, window })}
        data={[
          { value: 'all', label: `Any window · ${windowCounts.all}` },
          { value: 'closing', label: `Closing soon · ${windowCounts.closing}` },
          { value: 'closed', label: `Closed · ${windowCounts.closed}` },
        ]}
      />
    </Group>
  );
}
