import './message-row.css';
import { memo, type CSSProperties } from 'react';
import { ActionIcon, Badge, Button, Group, Text, Tooltip } from '@mantine/core';
import {
  IconAlertCircle,
  IconArrowBackUp,
  IconCheck,
  IconChecks,
  IconClock,
  IconNote,
  IconRefresh,
  IconTrash,
} from '@tabler/icons-react';
import type { ChannelKind } from '../../../../shared/domain/channels';
import {
  DELIVERY_UNKNOWN,
  type DeliveryStatus,
  type Message,
} from '../../../../shared/domain/model';
import { formatPrice } from '../../../../shared/pricing';
import { formatClockTime, formatFullDateTime } from '../../format/dates';
import { deliveryView, type TickTone } from './message-format';
import { MessageContent } from './MessageContent';
import { clientIdOf, isLocalMessage, type MessageRow as Row, type ReactionBadge } from './timeline';
import { UploadStatus } from './UploadStatus';

/**
 * One message: inbound on the left, outbound on the right, with its time, delivery ticks,
 * reactions and, when it failed, the reason and what to do. Styles are constants that follow
 * the colour scheme through Mantine's CSS variables, so dark mode needs nothing here.
 */

const ROW_STYLE: CSSProperties = {
  display: 'flex',
  flexDirection: 'column',
  padding: '0 20px',
};

const BUBBLE_BASE: CSSProperties = {
  position: 'relative',
  maxWidth: 'min(620px, 78%)',
  padding: '6px 10px 4px',
  borderRadius: 10,
  border: '1px solid transparent',
  color: 'var(--mantine-color-text)',
  boxShadow: '0 1px 1px rgba(0, 0, 0, 0.04)',
};

const INBOUND_BUBBLE: CSSProperties = {
  ...BUBBLE_BASE,
  alignSelf: 'flex-start',
  background: 'light-dark(var(--mantine-color-white), var(--mantine-color-dark-6))',
  borderColor: 'light-dark(var(--mantine-color-gray-3), var(--mantine-color-dark-4))',
  borderTopLeftRadius: 4,
};

const OUTBOUND_BUBBLE: CSSProperties = {
  ...BUBBLE_BASE,
  alignSelf: 'flex-end',
  background: 'light-dark(var(--mantine-color-teal-0), rgba(18, 184, 134, 0.16))',
  borderColor: 'light-dark(var(--mantine-color-teal-2), rgba(18, 184, 134, 0.28))',
  borderTopRightRadius: 4,
};

const FAILED_BUBBLE: CSSProperties = {
  ...OUTBOUND_BUBBLE,
  background: 'light-dark(var(--mantine-color-red-0), rgba(250, 82, 82, 0.12))',
  borderColor: 'var(--mantine-color-red-outline)',
};

const QUEUED_BUBBLE: CSSProperties = { ...OUTBOUND_BUBBLE, opacity: 0.75 };

/** An internal note: note-paper yellow, on the team's side, never mistaken for a reply. */
const NOTE_BUBBLE: CSSProperties = {
  ...OUTBOUND_BUBBLE,
  background: 'light-dark(var(--mantine-color-yellow-0), rgba(250, 176, 5, 0.12))',
  borderColor: 'light-dark(var(--mantine-color-yellow-4), rgba(250, 176, 5, 0.45))',
  borderStyle: 'dashed',
};

// A continued bubble sits right under the previous one of the same sender.
const continuedStyle = (style: CSSProperties, inbound: boolean): CSSProperties => ({
  ...style,
  ...(inbound ? { borderTopLeftRadius: 10 } : { borderTopRightRadius: 10 }),
});
const CONTINUED = {
  inbound: continuedStyle(INBOUND_BUBBLE, true),
  outbound: continuedStyle(OUTBOUND_BUBBLE, false),
  failed: continuedStyle(FAILED_BUBBLE, false),
  queued: continuedStyle(QUEUED_BUBBLE, false),
  note: continuedStyle(NOTE_BUBBLE, false),
};
const FIRST = {
  inbound: INBOUND_BUBBLE,
  outbound: OUTBOUND_BUBBLE,
  failed: FAILED_BUBBLE,
  queued: QUEUED_BUBBLE,
  note: NOTE_BUBBLE,
};

const META_STYLE: CSSProperties = {
  display: 'flex',
  alignItems: 'center',
  justifyContent: 'flex-end',
  gap: 4,
  marginTop: 2,
  fontSize: 11,
  lineHeight: '14px',
  color: 'var(--mantine-color-dimmed)',
  fontVariantNumeric: 'tabular-nums',
  whiteSpace: 'nowrap',
};

const AUTHOR_STYLE: CSSProperties = {
  fontSize: 11,
  color: 'var(--mantine-color-dimmed)',
  margin: '0 4px 2px',
};

const REACTIONS_STYLE: CSSProperties = {
  display: 'flex',
  gap: 2,
  marginTop: -8,
  position: 'relative',
  zIndex: 1,
};

const REACTION_STYLE: CSSProperties = {
  display: 'inline-flex',
  alignItems: 'center',
  height: 20,
  padding: '0 5px',
  borderRadius: 999,
  fontSize: 12,
  lineHeight: 1,
  background: 'var(--mantine-color-body)',
  border: '1px solid var(--mantine-color-default-border)',
  boxShadow: '0 1px 2px rgba(0, 0, 0, 0.08)',
};

const TICK_COLORS: Readonly<Record<TickTone, string>> = {
  dimmed: 'var(--mantine-color-dimmed)',
  read: 'light-dark(var(--mantine-color-blue-6), var(--mantine-color-blue-4))',
  failed: 'var(--mantine-color-red-text)',
};

/** The delivery state of an outbound message as a tick icon with its name for screen readers. */
export function DeliveryTicks({ status }: { readonly status: DeliveryStatus }) {
  const view = deliveryView(status);
  if (view === null) return null;
  const Icon =
    status === 'queued' || status === 'sending'
      ? IconClock
      : status === 'sent'
        ? IconCheck
        : status === 'failed'
          ? IconAlertCircle
          : IconChecks;
  return (
    <span
      role="img"
      aria-label={view.label}
      title={view.label}
      data-testid="delivery-status"
      data-status={status}
      style={{ display: 'inline-flex', color: TICK_COLORS[view.tone] }}
    >
      <Icon size={14} stroke={2} />
      {status === 'queued' || status === 'sending' ? (
        <span style={{ marginLeft: 2 }}>{view.label}</span>
      ) : null}
    </span>
  );
}

const REACTOR_NAMES = { customer: 'Customer', business: 'You' } as const;

function Reactions({ reactions }: { readonly reactions: readonly ReactionBadge[] }) {
  return (
    <div style={REACTIONS_STYLE} data-testid="reactions">
      {reactions.map((reaction) => (
        <span
          key={reaction.by}
          style={REACTION_STYLE}
          title={`${REACTOR_NAMES[reaction.by]} reacted ${reaction.emoji}`}
          aria-label={`${REACTOR_NAMES[reaction.by]} reacted ${reaction.emoji}`}
          data-testid="reaction"
        >
          {reaction.emoji}
        </span>
      ))}
    </div>
  );
}

export interface MessageRowProps {
  readonly row: Row;
  readonly channel: ChannelKind;
  /** Who sent an outbound message, when known (teammates by id). */
  readonly authorName: string | null;
  readonly onRetry: (message: Message) => void;
  readonly onDiscard: (message: Message) => void;
  /** "Reply" with a quote of this message; absent: not offered (`canReplyTo`). */
  readonly onReply?: (message: Message) => void;
  /** What the message replies to, as its quote shows it (`quoteOf`); null: none. */
  readonly quoteText?: string | null;
  /** Clicking the quote scrolls to the quoted message (it is loaded); absent: it is not. */
  readonly onQuoteClick?: (messageId: string) => void;
  /** Briefly highlighted: the agent jumped here from a quote. */
  readonly flash?: boolean;
  /** Teammates' names by user id: a note's mentions are shown by name. */
  readonly names?: Readonly<Record<string, string>>;
}

/** The quoted message above a reply's content: its text on up to two lines. */
function Quote({
  text,
  messageId,
  onClick,
}: {
  readonly text: string;
  readonly messageId: string;
  readonly onClick: ((messageId: string) => void) | undefined;
}) {
  const body = (
    <>
      <IconArrowBackUp size={12} stroke={2} className="rd-message-quote-icon" aria-hidden />
      <span className="rd-message-quote-text">{text}</span>
    </>
  );
  return onClick ? (
    <button
      type="button"
      className="rd-message-quote"
      data-testid="message-quote"
      data-quoted-id={messageId}
      title="Show the message it replies to"
      onClick={() => onClick(messageId)}
    >
      {body}
    </button>
  ) : (
    <div
      className="rd-message-quote"
      data-testid="message-quote"
      data-quoted-id={messageId}
      title="Replies to an earlier message (not loaded)"
    >
      {body}
    </div>
  );
}

/** One message row. Memoised: rows re-render when their message or reactions change. */
export const MessageRow = memo(function MessageRow({
  row,
  channel,
  authorName,
  onRetry,
  onDiscard,
  onReply,
  quoteText = null,
  onQuoteClick,
  flash = false,
  names,
}: MessageRowProps) {
  const { message, reactions, continued } = row;
  const inbound = message.direction === 'inbound';
  const failed = message.status === 'failed';
  // The channel never said whether it arrived: the agent decides whether to send it again.
  const unconfirmed = failed && message.failureCode === DELIVERY_UNKNOWN;
  const local = isLocalMessage(message);
  const note = message.content.type === 'note' ? message.content : null;
  const variant = inbound
    ? 'inbound'
    : note && !failed
      ? 'note'
      : failed
        ? 'failed'
        : message.status === 'queued' || message.status === 'sending'
          ? 'queued'
          : 'outbound';
  const bubble = (continued ? CONTINUED : FIRST)[variant];
  // Cached rows from before the hub priced messages may lack `cost`.
  const cost = message.cost && message.cost.amount > 0 ? message.cost : null;
  // How the channel sent it, where that decided the cost (LINE: "Reply (free)", "Push (…)").
  const sendLabel = message.cost?.label ?? null;

  return (
    <div
      className="rd-message-row"
      style={{
        ...ROW_STYLE,
        paddingTop: continued ? 2 : 8,
        alignItems: inbound ? 'flex-start' : 'flex-end',
      }}
      data-testid="message"
      data-message-id={message.id}
      data-direction={message.direction}
      data-status={message.status}
      data-content-type={message.content.type}
    >
      {!inbound && !note && !continued && authorName ? (
        <div style={AUTHOR_STYLE}>{authorName}</div>
      ) : null}
      {inbound && !continued && message.senderName !== undefined ? (
        // Who in the group chat wrote it (LINE groups and rooms).
        <div style={AUTHOR_STYLE} data-testid="message-sender">
          {message.senderName}
        </div>
      ) : null}
      <div style={bubble} className="rd-message-bubble" data-flash={flash || undefined}>
        {quoteText !== null && message.replyTo ? (
          <Quote text={quoteText} messageId={message.replyTo.messageId} onClick={onQuoteClick} />
        ) : null}
        {onReply ? (
          // Placed by its slot: the button's own transform is Mantine's press effect.
          <span className="rd-message-reply">
            <Tooltip label="Reply to this message" withArrow openDelay={400}>
              <ActionIcon
                variant="default"
                radius="xl"
                size="sm"
                aria-label="Reply to this message"
                data-testid="message-reply"
                onClick={() => onReply(message)}
              >
                <IconArrowBackUp size={14} stroke={1.75} />
              </ActionIcon>
            </Tooltip>
          </span>
        ) : null}
        {note ? (
          <div className="rd-note-label" data-testid="note-label">
            <IconNote size={12} stroke={2} />
            Internal note{authorName ? ` · ${authorName}` : ''}
          </div>
        ) : null}
        <MessageContent
          mentionNames={note ? note.mentions.map((id) => ({ id, name: names?.[id] ?? id })) : []}
          content={message.content}
          channel={channel}
          attachment={message.attachment ?? null}
          messageId={message.id}
          conversationId={message.conversationId}
          chosenButtonId={row.chosenButtonId}
        />
        {local && message.status === 'queued' && message.attachment ? (
          <UploadStatus
            clientId={clientIdOf(message) ?? ''}
            size={message.attachment.size ?? null}
          />
        ) : null}
        <div style={META_STYLE}>
          {message.tag ? (
            <Badge
              size="xs"
              variant="light"
              color="grape"
              radius="sm"
              title="Sent with a message tag"
            >
              {message.tag === 'HUMAN_AGENT' ? 'Human agent' : message.tag}
            </Badge>
          ) : null}
          {cost ? (
            <span title={`Charged as ${cost.category}`}>
              {formatPrice(cost.amount, cost.currency)} ·
            </span>
          ) : null}
          {sendLabel ? <span data-testid="message-send-label">{sendLabel} ·</span> : null}
          {message.editedAt ? (
            <span
              data-testid="message-edited"
              title={`Edited ${formatFullDateTime(message.editedAt)}`}
            >
              edited ·
            </span>
          ) : null}
          <time
            dateTime={new Date(message.sentAt).toISOString()}
            title={formatFullDateTime(message.sentAt)}
          >
            {formatClockTime(message.sentAt)}
          </time>
          {inbound || note ? null : <DeliveryTicks status={message.status} />}
        </div>
      </div>
      {reactions.length > 0 ? <Reactions reactions={reactions} /> : null}
      {failed ? (
        <Group gap={6} mt={4} wrap="nowrap" justify="flex-end" data-testid="failure">
          <Text size="xs" c="red" style={{ overflowWrap: 'anywhere' }}>
            {unconfirmed
              ? (message.failureReason ?? 'May not have been delivered.')
              : `Not sent: ${message.failureReason ?? message.failureCode ?? 'the channel refused it'}`}
          </Text>
          {unconfirmed ? (
            <Button
              size="compact-xs"
              variant="light"
              color="red"
              leftSection={<IconRefresh size={12} />}
              onClick={() => onRetry(message)}
              title="Send it again as a new message"
              style={{ flexShrink: 0 }}
            >
              Resend
            </Button>
          ) : null}
          {local ? (
            <>
              <Button
                size="compact-xs"
                variant="light"
                color="red"
                leftSection={<IconRefresh size={12} />}
                onClick={() => onRetry(message)}
              >
                Retry
              </Button>
              <Button
                size="compact-xs"
                variant="subtle"
                color="gray"
                leftSection={<IconTrash size={12} />}
                onClick={() => onDiscard(message)}
              >
                Discard
              </Button>
            </>
          ) : null}
        </Group>
      ) : null}
    </div>
  );
});
