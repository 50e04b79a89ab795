import './conversation-header.css';
import { useMemo, useState, type CSSProperties, type ReactNode } from 'react';
import {
  ActionIcon,
  Avatar,
  Badge,
  Box,
  Button,
  Menu,
  Popover,
  TagsInput,
  Text,
  Tooltip,
} from '@mantine/core';
import {
  IconCalendarTime,
  IconCheck,
  IconChevronDown,
  IconClockPause,
  IconCoin,
  IconFlag,
  IconMessageCircle,
  IconRotate,
  IconTag,
  IconUserCheck,
  IconUserMinus,
} from '@tabler/icons-react';
import type { Conversation, ConversationStatus, Priority } from '../../../../shared/domain/model';
import { recipientCountryOf, type RateCard } from '../../../../shared/pricing';
import type { Command } from '../../../../shared/protocol/commands';
import { clockNow, readClock } from '../../app/clock';
import { useReplyWindow } from '../../app/useReplyWindow';
import { ChannelIcon } from '../../components/ChannelIcon';
import { WindowStateBadge } from '../../components/WindowStateBadge';
import type { Me, Teammate } from '../../data/types';
import { HeaderSlaFact } from '../sla/SlaTimer';
import { formatWhen } from '../../format/dates';
import { ConversationPresence } from './PresenceIndicator';
import { EndSessionAction } from './EndSessionAction';
import {
  canEndSession,
  normaliseLabels,
  PRIORITIES,
  PRIORITY_VIEW,
  snoozeOptions,
  type SnoozeOption,
} from './header-actions';
import { useSendQuota } from '../composer/use-send-quota';
import { SnoozePicker } from './SnoozePicker';
import { WindowCountdown } from './WindowCountdown';
import { describeNextCost, describeSendNow, type Tone } from './window-summary';

/** Every command the header can give: all but sending a message (the composer's job). */
export type HeaderCommand = Exclude<Command, { type: 'send_message' }>;

export interface ConversationHeaderProps {
  readonly conversation: Conversation;
  readonly me: Me;
  readonly teammates: readonly Teammate[];
  /** Prices for the next message; null while unknown (the header then says so). */
  readonly rateCard: RateCard | null;
  readonly onCommand: (command: HeaderCommand) => void;
  /** Labels used elsewhere in the workspace, offered as suggestions. */
  readonly knownLabels?: readonly string[];
  /** More actions, drawn first among the header's buttons ("Copy link", "Pop out"). */
  readonly extraActions?: ReactNode;
}

const TONE_COLORS: Readonly<Record<Tone, string>> = {
  ok: 'var(--mantine-color-teal-text)',
  warning: 'var(--mantine-color-orange-text)',
  blocked: 'var(--mantine-color-red-text)',
  neutral: 'var(--mantine-color-dimmed)',
};

// A faint tint: the state should be noticed, not shout all day long.
const STRIP_BACKGROUNDS = {
  open: 'transparent',
  unlimited: 'transparent',
  closing: 'light-dark(var(--mantine-color-orange-0), rgba(253, 126, 20, 0.08))',
  closed: 'light-dark(var(--mantine-color-red-0), rgba(250, 82, 82, 0.08))',
} as const;

// A badge keeps its words: squeezed, Mantine ends its label in "…" ("RESOL…", issue 12).
const BADGE_STYLE: CSSProperties = { flexShrink: 0 };

const FACT_STYLE: CSSProperties = {
  display: 'inline-flex',
  alignItems: 'center',
  gap: 5,
  fontSize: 'var(--mantine-font-size-xs)',
  whiteSpace: 'nowrap',
  cursor: 'default',
};

const STATUS_BADGES: Readonly<
  Partial<Record<ConversationStatus, { readonly label: string; readonly color: string }>>
> = {
  pending: { label: 'Pending', color: 'yellow' },
  snoozed: { label: 'Snoozed', color: 'grape' },
  resolved: { label: 'Resolved', color: 'gray' },
};

/** The conversation's header: who, the live reply window, what may be sent and at what price, and actions. */
export function ConversationHeader({
  conversation,
  me,
  teammates,
  rateCard,
  onCommand,
  knownLabels = [],
  extraActions,
}: ConversationHeaderProps) {
  const { customer } = conversation;
  // Re-rendered when the window changes state, not every second (only WindowCountdown ticks).
  const window = useReplyWindow(conversation);
  // LINE past the reply token: what the month's pushes counted decides the price (the quota).
  const quota = useSendQuota(
    conversation.channel,
    window?.allowed.kind === 'free_form' && window.allowed.billable,
  );
  const pushes = quota?.used;
  const blocked = conversation.blockedAt !== null && conversation.blockedAt !== undefined;
  const facts = useMemo(() => {
    if (window === null) return null;
    const now = readClock();
    return {
      sendNow: describeSendNow(window, now),
      cost: describeNextCost(
        window,
        rateCard,
        now,
        recipientCountryOf(window.channel, customer),
        pushes,
      ),
    };
  }, [window, rateCard, customer, pushes]);

  const contact = [customer.phone, customer.email].filter(Boolean).join(' · ');
  const status = STATUS_BADGES[conversation.status];
  const id = conversation.id;

  return (
    <Box className="rd-conversation-header" data-testid="conversation-header">
      <div className="rd-header-top">
        <div className="rd-header-identity">
          <ChannelIcon channel={conversation.channel} size={18} />
          <div className="rd-header-who">
            <div className="rd-header-title">
              <Text fw={600} size="md" className="rd-header-name" data-testid="customer-name">
                {customer.name || customer.phone || 'Unknown customer'}
              </Text>
              {status ? (
                <Badge
                  size="sm"
                  variant="light"
                  color={status.color}
                  data-testid="conversation-status"
                  style={BADGE_STYLE}
                >
                  {conversation.status === 'snoozed' && conversation.snoozedUntil !== null
                    ? `Snoozed until ${formatWhen(conversation.snoozedUntil, readClock())}`
                    : status.label}
                </Badge>
              ) : null}
              {conversation.priority === 'high' || conversation.priority === 'urgent' ? (
                <Badge
                  size="sm"
                  variant="light"
                  color={PRIORITY_VIEW[conversation.priority].color}
                  leftSection={<IconFlag size={11} />}
                  style={BADGE_STYLE}
                >
                  {PRIORITY_VIEW[conversation.priority].label}
                </Badge>
              ) : null}
            </div>
            {contact ? (
              <Text size="xs" c="dimmed" className="rd-header-contact" title={contact}>
                {contact}
              </Text>
            ) : null}
          </div>
        </div>
        <div className="rd-header-actions">
          <AssignMenu
            assigneeId={conversation.assigneeId}
            me={me}
            teammates={teammates}
            onAssign={(assigneeId) => onCommand({ type: 'assign', conversationId: id, assigneeId })}
          />
          <SnoozeMenu
            snoozed={conversation.status === 'snoozed'}
            onSnooze={(until) =>
              onCommand({
                type: 'set_status',
                conversationId: id,
                status: 'snoozed',
                snoozedUntil: until,
              })
            }
            onUnsnooze={() => onCommand({ type: 'set_status', conversationId: id, status: 'open' })}
          />
          {extraActions}
          <PriorityMenu
            priority={conversation.priority}
            onChange={(priority) =>
              onCommand({ type: 'set_priority', conversationId: id, priority })
            }
          />
          <LabelsPopover
            labels={conversation.labels}
            knownLabels={knownLabels}
            onChange={(labels) => onCommand({ type: 'set_labels', conversationId: id, labels })}
          />
          {canEndSession(conversation) ? (
            <EndSessionAction conversationId={id} customerName={customer.name || 'the customer'} />
          ) : null}
          {conversation.status === 'resolved' ? (
            <Button
              size="compact-sm"
              variant="default"
              leftSection={<IconRotate size={14} />}
              onClick={() => onCommand({ type: 'set_status', conversationId: id, status: 'open' })}
            >
              Reopen
            </Button>
          ) : (
            <Button
              size="compact-sm"
              leftSection={<IconCheck size={14} />}
              onClick={() =>
                onCommand({ type: 'set_status', conversationId: id, status: 'resolved' })
              }
            >
              Resolve
            </Button>
          )}
        </div>
      </div>

      {window !== null && facts !== null ? (
        <div
          className="rd-window-strip"
          style={{ background: STRIP_BACKGROUNDS[window.state] }}
          data-testid="window-strip"
        >
          {/* Closed and no-limit windows say so in the countdown itself. */}
          {window.state === 'open' || window.state === 'closing' ? (
            <WindowStateBadge state={window.state} />
          ) : null}
          <WindowCountdown conversation={conversation} />
          <HeaderSlaFact conversation={conversation} />
          {/* Nothing can be sent to a customer who blocked the business: the countdown says so. */}
          {blocked ? null : (
            <>
              <Fact
                icon={<IconMessageCircle size={14} />}
                tone={facts.sendNow.tone}
                detail={facts.sendNow.detail}
                testId="send-allowance"
              >
                {facts.sendNow.label}
              </Fact>
              <Fact
                icon={<IconCoin size={14} />}
                tone={facts.cost.tone}
                detail={facts.cost.detail}
                testId="next-message-cost"
              >
                <span style={{ color: 'var(--mantine-color-dimmed)' }}>Next:</span>{' '}
                <span style={{ fontWeight: 600, fontVariantNumeric: 'tabular-nums' }}>
                  {facts.cost.price}
                </span>{' '}
                {facts.cost.what}
              </Fact>
            </>
          )}
          {conversation.labels.length > 0 ? (
            <div className="rd-strip-labels" data-testid="conversation-labels">
              {conversation.labels.map((label) => (
                <Badge key={label} size="sm" variant="outline" color="gray" radius="sm" tt="none">
                  {label}
                </Badge>
              ))}
            </div>
          ) : null}
        </div>
      ) : null}
      <ConversationPresence conversationId={conversation.id} />
    </Box>
  );
}

function Fact({
  icon,
  tone,
  detail,
  testId,
  children,
}: {
  readonly icon: ReactNode;
  readonly tone: Tone;
  readonly detail: string;
  readonly testId: string;
  readonly children: ReactNode;
}) {
  const fact = (
    <span style={{ ...FACT_STYLE, color: TONE_COLORS[tone] }} data-testid={testId} data-tone={tone}>
      {icon}
      <span style={{ color: 'var(--mantine-color-text)' }}>{children}</span>
    </span>
  );
  return detail ? (
    <Tooltip label={detail} multiline w={320} withArrow openDelay={200}>
      {fact}
    </Tooltip>
  ) : (
    fact
  );
}

function nameOf(id: string, me: Me, teammates: readonly Teammate[]): string {
  if (id === me.id) return 'You';
  return teammates.find((teammate) => teammate.id === id)?.name ?? 'Someone else';
}

function AssignMenu({
  assigneeId,
  me,
  teammates,
  onAssign,
}: {
  readonly assigneeId: string | null;
  readonly me: Me;
  readonly teammates: readonly Teammate[];
  readonly onAssign: (assigneeId: string | null) => void;
}) {
  const [search, setSearch] = useState('');
  const others = teammates.filter((teammate) => !teammate.disabled && teammate.id !== me.id);
  const query = search.trim().toLowerCase();
  const shown = query ? others.filter((t) => t.name.toLowerCase().includes(query)) : others;
  const assignee = assigneeId === null ? null : nameOf(assigneeId, me, teammates);
  return (
    <Menu position="bottom-end" width={240} shadow="md" withinPortal>
      <Menu.Target>
        <Button
          size="compact-sm"
          variant="default"
          leftSection={
            assignee === null ? (
              <IconUserMinus size={14} />
            ) : (
              <Avatar
                size={16}
                radius="xl"
                color="initials"
                name={assignee === 'You' ? me.name : assignee}
              />
            )
          }
          rightSection={<IconChevronDown size={12} />}
          // The name hides in a narrow header (conversation-header.css): still told by these.
          aria-label={`Assignee: ${assignee ?? 'Unassigned'}`}
          title={`Assignee: ${assignee ?? 'Unassigned'}`}
          data-testid="assign-button"
        >
          <span className="rd-assign-name">{assignee ?? 'Unassigned'}</span>
        </Button>
      </Menu.Target>
      <Menu.Dropdown>
        <Menu.Item
          leftSection={<IconUserCheck size={14} />}
          disabled={assigneeId === me.id}
          onClick={() => onAssign(me.id)}
        >
          Assign to me
        </Menu.Item>
        {others.length > 0 ? (
          <>
            <Menu.Divider />
            <Menu.Label>Teammates</Menu.Label>
            {others.length > 8 ? (
              <Menu.Search
                placeholder="Find a teammate"
                value={search}
                onChange={(event) => setSearch(event.currentTarget.value)}
              />
            ) : null}
            <Box mah={260} style={{ overflowY: 'auto' }}>
              {shown.map((teammate) => (
                <Menu.Item
                  key={teammate.id}
                  leftSection={
                    <Avatar size={18} radius="xl" color="initials" name={teammate.name} />
                  }
                  rightSection={teammate.id === assigneeId ? <IconCheck size={14} /> : null}
                  onClick={() => onAssign(teammate.id)}
                >
                  {teammate.name}
                </Menu.Item>
              ))}
              {shown.length === 0 ? (
                <Text size="xs" c="dimmed" px="sm" py={4}>
                  No teammate matches
                </Text>
              ) : null}
            </Box>
          </>
        ) : null}
        <Menu.Divider />
        <Menu.Item
          leftSection={<IconUserMinus size={14} />}
          disabled={assigneeId === null}
          onClick={() => onAssign(null)}
        >
          Unassign
        </Menu.Item>
      </Menu.Dropdown>
    </Menu>
  );
}

/** Mounted when the snooze menu opens, so "in 1 hour" counts from the moment it is shown. */
function SnoozeItems({ onSnooze }: { readonly onSnooze: (until: number) => void }) {
  const [options] = useState<SnoozeOption[]>(() => snoozeOptions(clockNow()));
  return options.map((option) => (
    <Menu.Item
      key={option.id}
      onClick={() => onSnooze(option.until)}
      rightSection={
        <Text size="xs" c="dimmed" style={{ fontVariantNumeric: 'tabular-nums' }}>
          {option.hint}
        </Text>
      }
    >
      {option.label}
    </Menu.Item>
  ));
}

function SnoozeMenu({
  snoozed,
  onSnooze,
  onUnsnooze,
}: {
  readonly snoozed: boolean;
  readonly onSnooze: (until: number) => void;
  readonly onUnsnooze: () => void;
}) {
  const [picking, setPicking] = useState(false);
  // The picker is a popover on the same button, opened from the menu's last item: the menu's
  // arrow-key navigation stays for the presets, and the inputs get a dialog of their own.
  return (
    <Popover
      opened={picking}
      onChange={setPicking}
      position="bottom-end"
      width={250}
      shadow="md"
      withinPortal
      trapFocus
      returnFocus
      withRoles={false}
    >
      <Popover.Target>
        <span style={{ display: 'inline-flex' }}>
          <Menu position="bottom-end" width={230} shadow="md" withinPortal>
            <Menu.Target>
              <ActionIcon
                variant="default"
                size={26}
                aria-label="Snooze"
                title="Snooze"
                data-testid="snooze-button"
              >
                <IconClockPause size={15} />
              </ActionIcon>
            </Menu.Target>
            <Menu.Dropdown>
              <Menu.Label>Snooze until</Menu.Label>
              <SnoozeItems onSnooze={onSnooze} />
              <Menu.Item
                leftSection={<IconCalendarTime size={14} />}
                onClick={() => setPicking(true)}
                data-testid="snooze-custom"
              >
                Pick a day and time…
              </Menu.Item>
              {snoozed ? (
                <>
                  <Menu.Divider />
                  <Menu.Item onClick={onUnsnooze}>Unsnooze now</Menu.Item>
                </>
              ) : null}
            </Menu.Dropdown>
          </Menu>
        </span>
      </Popover.Target>
      <Popover.Dropdown p="sm" role="dialog" aria-label="Snooze until a day and time">
        {picking ? (
          <SnoozePicker
            onSnooze={(until) => {
              setPicking(false);
              onSnooze(until);
            }}
            onCancel={() => setPicking(false)}
          />
        ) : null}
      </Popover.Dropdown>
    </Popover>
  );
}

function PriorityMenu({
  priority,
  onChange,
}: {
  readonly priority: Priority;
  readonly onChange: (priority: Priority) => void;
}) {
  const color = PRIORITY_VIEW[priority].color;
  return (
    <Menu position="bottom-end" width={170} shadow="md" withinPortal>
      <Menu.Target>
        <ActionIcon
          variant="default"
          size={26}
          aria-label={`Priority: ${PRIORITY_VIEW[priority].label}`}
          title={`Priority: ${PRIORITY_VIEW[priority].label}`}
          data-testid="priority-button"
          data-priority={priority}
        >
          <IconFlag
            size={15}
            color={priority === 'normal' ? undefined : `var(--mantine-color-${color}-text)`}
          />
        </ActionIcon>
      </Menu.Target>
      <Menu.Dropdown>
        <Menu.Label>Priority</Menu.Label>
        {PRIORITIES.map((value) => (
          <Menu.Item
            key={value}
            leftSection={
              <IconFlag
                size={14}
                color={`var(--mantine-color-${PRIORITY_VIEW[value].color}-text)`}
              />
            }
            rightSection={value === priority ? <IconCheck size={14} /> : null}
            onClick={() => onChange(value)}
          >
            {PRIORITY_VIEW[value].label}
          </Menu.Item>
        ))}
      </Menu.Dropdown>
    </Menu>
  );
}

function LabelsPopover({
  labels,
  knownLabels,
  onChange,
}: {
  readonly labels: readonly string[];
  readonly knownLabels: readonly string[];
  readonly onChange: (labels: string[]) => void;
}) {
  return (
    <Popover position="bottom-end" width={300} shadow="md" withinPortal trapFocus>
      <Popover.Target>
        <ActionIcon
          variant="default"
          size={26}
          aria-label="Labels"
          title="Labels"
          data-testid="labels-button"
        >
          <IconTag size={15} />
        </ActionIcon>
      </Popover.Target>
      <Popover.Dropdown p="xs">
        <LabelsEditor labels={labels} knownLabels={knownLabels} onChange={onChange} />
      </Popover.Dropdown>
    </Popover>
  );
}

/**
 * Mounted while the popover is open. It keeps its own copy of the labels so a change shows at
 * once, before the command has gone through the outbox and come back from the hub.
 */
function LabelsEditor({
  labels,
  knownLabels,
  onChange,
}: {
  readonly labels: readonly string[];
  readonly knownLabels: readonly string[];
  readonly onChange: (labels: string[]) => void;
}) {
  const [value, setValue] = useState<string[]>(() => [...labels]);
  const suggestions = useMemo(
    () => normaliseLabels([...knownLabels, ...labels]),
    [knownLabels, labels],
  );
  return (
    <TagsInput
      size="xs"
      label="Labels"
      description="Enter adds a label; it is saved at once."
      placeholder="Add a label"
      data={suggestions}
      value={value}
      onChange={(next) => {
        const normalised = normaliseLabels(next);
        setValue(normalised);
        onChange(normalised);
      }}
      maxTags={20}
      clearable
      data-autofocus
      comboboxProps={{ withinPortal: false }}
    />
  );
}
