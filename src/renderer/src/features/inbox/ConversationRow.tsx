import { memo, useMemo, type CSSProperties } from 'react';
import { Avatar } from '@mantine/core';
import { LazyTooltip } from '../../components/LazyTooltip';
import {
  IconAlertTriangleFilled,
  IconArrowUp,
  IconCircleCheck,
  IconClockPause,
  IconHourglassHigh,
  IconSearch,
  IconUserOff,
} from '@tabler/icons-react';
import type { ConversationStatus } from '../../../../shared/domain/model';
import { useClockDerived } from '../../app/clock';
import { ChannelIcon } from '../../components/ChannelIcon';
import { MatchText } from '../../components/MatchText';
import { formatInstant, formatLastActivity, formatUnread, initialsOf } from './inbox-format';
import { describeMatch, type ClassifiedConversation, type MatchDetail } from './inbox-view';
import { WindowTimerCell } from './WindowTimer';

/** Fixed, so the virtualiser knows every row's place without measuring (two lines + padding). */
export const ROW_HEIGHT = 62;

/** Labels shown on a row; the rest are counted ("+2") and listed in the tooltip. */
const MAX_LABELS = 2;

/** Who a conversation is assigned to, resolved by the list (names are not in the conversation). */
export type AssigneeView =
  | { readonly kind: 'unassigned' }
  | { readonly kind: 'me'; readonly name: string }
  | { readonly kind: 'teammate'; readonly name: string };

const STATUS_ICONS: Readonly<
  Record<Exclude<ConversationStatus, 'open'>, { label: string; Icon: typeof IconHourglassHigh }>
> = {
  pending: { label: 'Pending', Icon: IconHourglassHigh },
  snoozed: { label: 'Snoozed', Icon: IconClockPause },
  resolved: { label: 'Resolved', Icon: IconCircleCheck },
};

export interface ConversationRowProps {
  readonly item: ClassifiedConversation;
  readonly assignee: AssigneeView;
  readonly selected: boolean;
  /** The one row in the tab order (roving tabindex); arrow keys move between rows. */
  readonly tabbable: boolean;
  /** The search as typed ('' when none): the row marks what matched it. */
  readonly search: string;
  /**
   * The line of an older message that matched the search, when the conversation matched only
   * in its messages: shown, marked, instead of the latest message.
   */
  readonly excerpt: string | null;
  /** 1-based position and list length, for assistive technology (only some rows exist). */
  readonly position: number;
  readonly setSize: number;
  /** Offset from the top of the list, in px (virtualised rows are absolutely placed). */
  readonly top: number;
  readonly onSelect: (id: string) => void;
}

/** "12m": re-renders when the label changes (once a minute at most), not every second. */
function LastActivity({ at }: { readonly at: number }) {
  const label = useClockDerived((now) => formatLastActivity(at, now));
  return (
    <LazyTooltip label={formatInstant(at)} openDelay={400} withArrow position="top">
      <time className="rd-row-time" dateTime={new Date(at).toISOString()}>
        {label}
      </time>
    </LazyTooltip>
  );
}

function Assignee({ assignee }: { readonly assignee: AssigneeView }) {
  if (assignee.kind === 'unassigned') {
    return (
      <LazyTooltip label="Unassigned" openDelay={400} withArrow>
        <span className="rd-row-assignee rd-row-unassigned" aria-label="Unassigned" role="img">
          <IconUserOff size={12} stroke={1.75} aria-hidden />
        </span>
      </LazyTooltip>
    );
  }
  const label = assignee.kind === 'me' ? `Assigned to you (${assignee.name})` : assignee.name;
  return (
    <LazyTooltip label={label} openDelay={400} withArrow>
      <Avatar
        className="rd-row-assignee"
        size={18}
        radius="xl"
        color={assignee.kind === 'me' ? 'teal' : 'initials'}
        variant="light"
        name={assignee.name}
        aria-label={`Assigned to ${assignee.kind === 'me' ? 'you' : assignee.name}`}
        role="img"
        styles={{ placeholder: { fontSize: 9, fontWeight: 650 } }}
      >
        {initialsOf(assignee.name)}
      </Avatar>
    </LazyTooltip>
  );
}

function Labels({ labels }: { readonly labels: readonly string[] }) {
  if (labels.length === 0) return null;
  const shown = labels.slice(0, MAX_LABELS);
  const more = labels.length - shown.length;
  return (
    <span className="rd-row-labels" aria-label={`Labels: ${labels.join(', ')}`}>
      {shown.map((label) => (
        <span key={label} className="rd-label" aria-hidden>
          {label}
        </span>
      ))}
      {more > 0 && (
        <LazyTooltip label={labels.slice(MAX_LABELS).join(', ')} openDelay={300} withArrow>
          <span className="rd-label rd-label-more" aria-hidden>
            {`+${more}`}
          </span>
        </LazyTooltip>
      )}
    </span>
  );
}

/** Open is the norm and shows nothing; other statuses show as a small icon beside the name. */
function Status({
  status,
  snoozedUntil,
  labelled,
}: {
  readonly status: ConversationStatus;
  readonly snoozedUntil: number | null;
  /** Search results say their status in words: search covers every status. */
  readonly labelled: boolean;
}) {
  if (status === 'open') return null;
  const { label, Icon } = STATUS_ICONS[status];
  const full =
    status === 'snoozed' && snoozedUntil !== null
      ? `Snoozed until ${formatInstant(snoozedUntil)}`
      : label;
  return (
    <LazyTooltip label={full} openDelay={400} withArrow>
      <span
        className="rd-status"
        data-status={status}
        data-labelled={labelled || undefined}
        role="img"
        aria-label={full}
        data-testid="row-status"
      >
        <Icon size={13} stroke={2} aria-hidden />
        {labelled && <span aria-hidden>{label}</span>}
      </span>
    </LazyTooltip>
  );
}

function Priority({ priority }: { readonly priority: string }) {
  if (priority === 'urgent') {
    return (
      <span className="rd-priority" data-priority="urgent" role="img" aria-label="Urgent">
        <IconAlertTriangleFilled size={13} aria-hidden />
      </span>
    );
  }
  if (priority === 'high') {
    return (
      <span className="rd-priority" data-priority="high" role="img" aria-label="High priority">
        <IconArrowUp size={13} stroke={2.5} aria-hidden />
      </span>
    );
  }
  return null;
}

const DETAIL_LABELS: Readonly<Record<MatchDetail['kind'], string | null>> = {
  message: 'In messages',
  preview: null,
  phone: 'Phone',
  email: 'E-mail',
};

/** The second line of a search result: where it matched, with the match marked. */
function MatchDetailText({ detail }: { readonly detail: MatchDetail }) {
  const label = DETAIL_LABELS[detail.kind];
  return (
    <>
      {label && (
        <span className="rd-row-found" data-match-kind={detail.kind}>
          {detail.kind === 'message' && <IconSearch size={11} stroke={2} aria-hidden />}
          {`${label} ·`}
        </span>
      )}
      <MatchText parts={detail.parts} />
    </>
  );
}

/**
 * One conversation on two lines: who and when on the first, what and how long is left to answer
 * on the second. Memoised: it re-renders when its conversation, assignee or selection changes;
 * the timer and the relative time inside update themselves.
 */
export const ConversationRow = memo(function ConversationRow({
  item,
  assignee,
  selected,
  tabbable,
  search,
  excerpt,
  position,
  setSize,
  top,
  onSelect,
}: ConversationRowProps) {
  const { conversation, status } = item;
  const { customer, unreadCount } = conversation;
  const unread = unreadCount > 0;
  const name = customer.name || customer.phone || customer.email || 'Unknown customer';
  const style: CSSProperties = { transform: `translateY(${top}px)`, height: ROW_HEIGHT };
  const match = useMemo(
    () => describeMatch(conversation, name, search, excerpt),
    [conversation, name, search, excerpt],
  );
  return (
    <div
      role="option"
      id={`conversation-option-${conversation.id}`}
      aria-selected={selected}
      aria-posinset={position}
      aria-setsize={setSize}
      tabIndex={tabbable ? 0 : -1}
      className="rd-row"
      style={style}
      data-selected={selected || undefined}
      data-unread={unread || undefined}
      data-testid="conversation-row"
      data-conversation-id={conversation.id}
      data-channel={conversation.channel}
      data-status={status}
      onClick={() => onSelect(conversation.id)}
    >
      <span className="rd-row-channel">
        <ChannelIcon channel={conversation.channel} size={18} />
      </span>
      <span className="rd-row-body">
        <span className="rd-row-line">
          <span className="rd-row-name" data-testid="customer-name">
            {match ? <MatchText parts={match.name} /> : name}
          </span>
          <Priority priority={conversation.priority} />
          <Status
            status={status}
            snoozedUntil={conversation.snoozedUntil}
            labelled={match !== null && (status === 'snoozed' || status === 'resolved')}
          />
          {unread && (
            <span className="rd-unread" aria-label={`${unreadCount} unread`}>
              {formatUnread(unreadCount)}
            </span>
          )}
          <span className="rd-row-fill" />
          <Assignee assignee={assignee} />
          <LastActivity at={conversation.lastMessageAt} />
        </span>
        <span className="rd-row-line">
          <span className="rd-row-preview" data-testid="row-preview">
            {match?.detail ? (
              <MatchDetailText detail={match.detail} />
            ) : (
              conversation.lastMessagePreview || 'No messages yet'
            )}
          </span>
          <Labels labels={conversation.labels} />
          <span className="rd-row-timer">
            <WindowTimerCell conversation={conversation} />
          </span>
        </span>
      </span>
    </div>
  );
});
