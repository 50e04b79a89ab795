import {
  useCallback,
  useEffect,
  useLayoutEffect,
  useMemo,
  useRef,
  useState,
  type CSSProperties,
} from 'react';
import { ActionIcon, Button, Group, Loader, Text } from '@mantine/core';
import { IconArrowDown, IconMoodSmile } from '@tabler/icons-react';
import { useVirtualizer, type VirtualItem } from '@tanstack/react-virtual';
import { CHANNEL_INFO, type ChannelKind } from '../../../../shared/domain/channels';
import type { Conversation, Message } from '../../../../shared/domain/model';
import type { Activity } from '../../../../shared/protocol/activity';
import { useClockDerived } from '../../app/clock';
import { ChannelIcon } from '../../components/ChannelIcon';
import { formatFullDateTime, startOfLocalDay } from '../../format/dates';
import { MediaLightbox, type LightboxItem } from '../../components/media/MediaLightbox';
import { OpenPhotoContext } from './MessageMedia';
import { MessageRow } from './MessageRow';
import { canReplyTo, quoteOf } from './reply-quote';
import {
  FIRST_SHOWN,
  MORE_SHOWN,
  buildTimeline,
  countMessagesAfter,
  estimateRowHeight,
  isLocalMessage,
  lastMessageKey,
  type TimelineRow,
} from './timeline';

export interface MessageListProps {
  /** Oldest first; outbox items have ids `local:<clientId>` and status `queued` or `failed`. */
  readonly messages: readonly Message[];
  readonly conversation: Conversation;
  readonly onRetry: (message: Message) => void;
  readonly onDiscard: (message: Message) => void;
  /** The hub holds messages older than the first one here. */
  readonly hasOlder: boolean;
  /** Load the page before the first message; called when the agent scrolls to the top. */
  readonly onLoadOlder: () => void;
  /** Names of the people who sent outbound messages, by user id. */
  readonly authorNames?: Readonly<Record<string, string>>;
  /** Teammates' names by user id as written in notes' mentions (the signed-in one's too). */
  readonly mentionNames?: Readonly<Record<string, string>>;
  /**
   * "Reply" on a customer's message: quote it in the composer. Offered only where the channel
   * sends quoted replies (`canReplyTo`).
   */
  readonly onReply?: (message: Message) => void;
  /** The conversation's activity lines, oldest first (assignment, status, priority…). */
  readonly activity?: readonly Activity[];
  /** Teammates' names by user id, for the activity lines ("Assigned to Bram by Lea"). */
  readonly teammateNames?: Readonly<Record<string, string>>;
  /** Scroll to this message and highlight it once it is among `messages` (a search result). */
  readonly focusMessageId?: string | null;
}

/** Within this many pixels of the bottom the list counts as "at the latest message" and follows. */
const AT_END_PX = 48;
/** The list's size before it is measured: about a conversation pane's on a laptop screen. */
const INITIAL_RECT = {
  width: 640,
  height: typeof window === 'undefined' ? 720 : Math.max(320, window.innerHeight - 200),
};
/** Older messages are requested this close to the top, before the agent hits it. */
const LOAD_OLDER_PX = 400;
/** A load that changed nothing may be asked for again after this long. */
const LOAD_RETRY_MS = 8_000;

const SCROLLER_STYLE: CSSProperties = {
  height: '100%',
  overflowY: 'auto',
  overflowX: 'hidden',
  // The virtualiser keeps the reading position itself; the browser's anchoring would fight it.
  overflowAnchor: 'none',
  outline: 'none',
  background: 'light-dark(var(--mantine-color-gray-0), var(--mantine-color-dark-8))',
};

const DAY_STYLE: CSSProperties = {
  display: 'flex',
  alignItems: 'center',
  gap: 12,
  padding: '14px 20px 4px',
  fontSize: 11,
  fontWeight: 600,
  letterSpacing: 0.3,
  textTransform: 'uppercase',
  color: 'var(--mantine-color-dimmed)',
};

const RULE_STYLE: CSSProperties = {
  flex: 1,
  height: 1,
  background: 'var(--mantine-color-default-border)',
};

const NOTE_STYLE: CSSProperties = {
  display: 'flex',
  justifyContent: 'center',
  padding: '6px 20px 2px',
  fontSize: 12,
  color: 'var(--mantine-color-dimmed)',
};

const FLOATING_STYLE: CSSProperties = {
  position: 'absolute',
  left: '50%',
  bottom: 12,
  transform: 'translateX(-50%)',
  zIndex: 2,
};

function DaySeparator({ label }: { readonly label: string }) {
  return (
    <div style={DAY_STYLE} role="separator" aria-label={label} data-testid="day-separator">
      <span style={RULE_STYLE} />
      {label}
      <span style={RULE_STYLE} />
    </div>
  );
}

function HistoryRow({
  hasOlder,
  loading,
  onLoad,
  customerName,
  channel,
}: {
  readonly hasOlder: boolean;
  readonly loading: boolean;
  readonly onLoad: () => void;
  readonly customerName: string;
  readonly channel: ChannelKind;
}) {
  if (hasOlder) {
    return (
      <Group justify="center" h={56} gap={8} data-testid="history-loader">
        {loading ? (
          <>
            <Loader size={14} />
            <Text size="xs" c="dimmed">
              Loading earlier messages…
            </Text>
          </>
        ) : (
          <Button size="compact-xs" variant="subtle" onClick={onLoad}>
            Load earlier messages
          </Button>
        )}
      </Group>
    );
  }
  return (
    <Group
      justify="center"
      gap={6}
      h={56}
      px="md"
      wrap="nowrap"
      c="dimmed"
      data-testid="history-start"
    >
      <ChannelIcon channel={channel} size={14} />
      {/* A long name wraps onto a second line inside the row, beside the icon. */}
      <Text size="xs" c="dimmed" miw={0} lh={1.3}>
        Start of the conversation with {customerName} on {CHANNEL_INFO[channel].label}
      </Text>
    </Group>
  );
}

function ReactionNote({ row }: { readonly row: Extract<TimelineRow, { kind: 'reaction_note' }> }) {
  const who = row.by === 'customer' ? 'The customer' : 'You';
  return (
    <div style={NOTE_STYLE} data-testid="reaction-note">
      <IconMoodSmile size={14} style={{ marginRight: 4 }} />
      {who} reacted {row.emoji} to an earlier message
    </div>
  );
}

const ACTIVITY_STYLE: CSSProperties = {
  display: 'flex',
  justifyContent: 'center',
  padding: '4px 20px',
  fontSize: 12,
  lineHeight: '18px',
  textAlign: 'center',
  color: 'var(--mantine-color-dimmed)',
};

/** An activity line: "Assigned to Bram by Lea · 10:42", centred and muted. */
function ActivityLine({ row }: { readonly row: Extract<TimelineRow, { kind: 'activity' }> }) {
  return (
    <div
      style={ACTIVITY_STYLE}
      data-testid="activity-line"
      data-activity-kind={row.activity.kind}
      title={formatFullDateTime(row.activity.at)}
    >
      {row.text}
    </div>
  );
}

/** The first message row at least partly on screen, and how far its top is above the viewport's. */
function firstVisibleMessage(
  items: readonly VirtualItem[],
  rows: readonly TimelineRow[],
  scrollTop: number,
): { key: string; delta: number } | null {
  for (const item of items) {
    if (item.end <= scrollTop) continue;
    const row = rows[item.index];
    if (row !== undefined && row.kind === 'message') {
      return { key: row.key, delta: scrollTop - item.start };
    }
  }
  return null;
}

/**
 * The conversation's messages, newest first on screen: a conversation opens with its newest
 * `FIRST_SHOWN` messages, and reaching the top shows `MORE_SHOWN` more of the cached ones before
 * the hub is asked for older history. Even virtualised, every row of the list costs a little on
 * opening (the timeline is built, the virtualiser measures and lays them all out), so a
 * conversation of thousands of messages opens as fast as a short one.
 */
export function MessageList(props: MessageListProps) {
  const { messages, hasOlder, onLoadOlder } = props;
  // How many of the oldest cached messages are not shown. Fixed once the messages are there,
  // so the window stays put as new messages arrive below.
  const [hidden, setHidden] = useState<number | null>(null);
  const hiddenNow = hidden ?? Math.max(0, messages.length - FIRST_SHOWN);
  // Pinned during render (React's pattern for state adjusted to props): no extra commit.
  if (hidden === null && messages.length > 0) setHidden(hiddenNow);
  // A message to show that is among the hidden older ones: show from it on.
  const focusId = props.focusMessageId ?? null;
  const focusAt = focusId === null ? -1 : messages.findIndex((message) => message.id === focusId);
  if (focusAt >= 0 && focusAt < hiddenNow) setHidden(focusAt);
  const shown = useMemo(
    () => (hiddenNow === 0 ? messages : messages.slice(hiddenNow)),
    [messages, hiddenNow],
  );
  const showOlder = useCallback(() => {
    if (hiddenNow > 0) setHidden(Math.max(0, hiddenNow - MORE_SHOWN));
    else onLoadOlder();
  }, [hiddenNow, onLoadOlder]);
  // Every photo of the conversation the app has, for the lightbox's previous / next.
  const photos = useMemo(
    () => photoItems(messages, props.conversation, props.authorNames),
    [messages, props.conversation, props.authorNames],
  );
  const [openPhoto, setOpenPhoto] = useState<string | null>(null);
  return (
    <OpenPhotoContext.Provider value={setOpenPhoto}>
      <MessageWindow
        {...props}
        messages={shown}
        hasOlder={hiddenNow > 0 || hasOlder}
        onLoadOlder={showOlder}
      />
      <MediaLightbox
        items={photos}
        current={openPhoto}
        onShow={setOpenPhoto}
        onClose={() => setOpenPhoto(null)}
      />
    </OpenPhotoContext.Provider>
  );
}

/** The conversation's photos that the hub has, oldest first, as the lightbox lists them. */
function photoItems(
  messages: readonly Message[],
  conversation: Conversation,
  authorNames: Readonly<Record<string, string>> | undefined,
): LightboxItem[] {
  const items: LightboxItem[] = [];
  for (const message of messages) {
    const attachment = message.attachment ?? null;
    if (message.content.type !== 'image' || attachment?.state !== 'ready') continue;
    const who =
      message.direction === 'inbound'
        ? conversation.customer.name || 'Customer'
        : ((message.authorId !== null ? authorNames?.[message.authorId] : null) ?? 'You');
    items.push({
      key: message.id,
      attachment,
      caption: message.content.media.caption ?? null,
      label: `${who} · ${formatFullDateTime(message.sentAt)}`,
    });
  }
  return items;
}

/**
 * The messages shown, virtualised (only what is on screen is in the DOM, each row
 * measured as it renders), so thousands of messages open at once. It opens at the newest
 * message and follows new ones while the agent is there; otherwise a button counts what
 * arrived below. Scrolling near the top loads older messages, keeping the reading position
 * (TanStack Virtual's end anchoring).
 */
function MessageWindow({
  messages,
  conversation,
  onRetry,
  onDiscard,
  hasOlder,
  onLoadOlder,
  authorNames,
  mentionNames,
  onReply,
  activity,
  teammateNames,
  focusMessageId = null,
}: MessageListProps) {
  const scrollRef = useRef<HTMLDivElement>(null);
  // What each reply shows of the message it quotes (loaded when it is among those shown).
  const quotes = useMemo(() => {
    const byId = new Map(messages.map((m) => [m.id, m]));
    const found = new Map<string, NonNullable<ReturnType<typeof quoteOf>>>();
    for (const message of messages) {
      const quote = quoteOf(message, byId);
      if (quote) found.set(message.id, quote);
    }
    return found;
  }, [messages]);
  // Day labels ("Today") change at midnight only: re-render then, not every second.
  const today = useClockDerived(startOfLocalDay);
  const rows = useMemo(
    () => buildTimeline(messages, { now: today, hasOlder, activity, names: teammateNames }),
    [messages, hasOlder, today, activity, teammateNames],
  );

  // Stable while the rows are: the virtualiser lays every row out again when these change.
  const estimateSize = useCallback((index: number) => estimateRowHeight(rows[index]), [rows]);
  const getItemKey = useCallback((index: number) => rows[index].key, [rows]);
  // The first render already shows the newest rows (estimated), not the oldest ones the list
  // would start at before it is scrolled to the end: those would be rendered, measured and
  // thrown away before the first frame.
  const [initialOffset] = useState(() => {
    let total = 0;
    for (const row of rows) total += estimateRowHeight(row);
    return Math.max(0, total - INITIAL_RECT.height);
  });

  // TanStack Virtual returns a new-looking object each render by design; nothing here memoises it.
  // eslint-disable-next-line react-hooks/incompatible-library
  const virtualizer = useVirtualizer({
    count: rows.length,
    getScrollElement: () => scrollRef.current,
    estimateSize,
    getItemKey,
    initialRect: INITIAL_RECT,
    initialOffset,
    anchorTo: 'end',
    followOnAppend: true,
    scrollEndThreshold: AT_END_PX,
    overscan: 6,
  });

  // Open at the newest message.
  const [ready, setReady] = useState(false);
  useLayoutEffect(() => {
    virtualizer.scrollToEnd();
    setReady(true);
  }, [virtualizer]);

  // Where the agent is: at the end (following), or reading history with new messages below.
  const [atEnd, setAtEnd] = useState(true);
  const [seenKey, setSeenKey] = useState<string | null>(null);
  const newBelow = atEnd ? 0 : countMessagesAfter(rows, seenKey);

  // Older messages: asked once per first message, again only if nothing arrived for a while.
  const firstKey = rows.find((row) => row.kind === 'message' || row.kind === 'reaction_note')?.key;
  const [requested, setRequested] = useState<{ first: string | undefined; at: number } | null>(
    null,
  );
  const loadingOlder = hasOlder && requested !== null && requested.first === firstKey;
  const loadOlder = useCallback(() => {
    setRequested({ first: firstKey, at: Date.now() });
    onLoadOlder();
  }, [firstKey, onLoadOlder]);
  const maybeLoadOlder = useCallback(() => {
    if (!hasOlder) return;
    if (
      requested !== null &&
      requested.first === firstKey &&
      Date.now() - requested.at < LOAD_RETRY_MS
    ) {
      return;
    }
    loadOlder();
  }, [hasOlder, requested, firstKey, loadOlder]);

  // The first message on screen, kept to hold the reading position (see below).
  const anchor = useRef<{ key: string; delta: number } | null>(null);
  const previousFirstKey = useRef(firstKey);

  const onScroll = useCallback(() => {
    const element = scrollRef.current;
    if (element === null) return;
    // Read from the DOM: the virtualiser's own figure lags while rows are being measured.
    const end = element.scrollHeight - element.scrollTop - element.clientHeight <= AT_END_PX;
    if (end !== atEnd) {
      setAtEnd(end);
      setSeenKey(end ? null : lastMessageKey(rows));
    }
    anchor.current = firstVisibleMessage(virtualizer.getVirtualItems(), rows, element.scrollTop);
    if (ready && !end && element.scrollTop < LOAD_OLDER_PX) maybeLoadOlder();
  }, [atEnd, rows, ready, maybeLoadOlder, virtualizer]);

  // Keep the reading position when older messages arrive above. TanStack Virtual's end
  // anchoring does this when a message row is at the top of the viewport; at the very top the
  // item there is the history row (or a day separator), which stays first, so this corrects it:
  // the first visible message stays where it was on screen.
  useLayoutEffect(() => {
    const element = scrollRef.current;
    if (element === null) return;
    const saved = anchor.current;
    if (firstKey !== previousFirstKey.current && saved !== null) {
      const index = rows.findIndex((row) => row.key === saved.key);
      const item = index >= 0 ? virtualizer.measurementsCache[index] : undefined;
      if (item !== undefined && Math.abs(item.start + saved.delta - element.scrollTop) > 1) {
        virtualizer.scrollToOffset(item.start + saved.delta);
      }
    }
    previousFirstKey.current = firstKey;
    anchor.current = firstVisibleMessage(virtualizer.getVirtualItems(), rows, element.scrollTop);
  });

  // A short conversation that does not fill the pane cannot be scrolled up: load at once.
  useEffect(() => {
    const element = scrollRef.current;
    if (ready && element !== null && element.scrollHeight <= element.clientHeight + LOAD_OLDER_PX) {
      maybeLoadOlder();
    }
  }, [ready, rows.length, maybeLoadOlder]);

  // The agent's own reply goes to the bottom, even when reading history.
  const lastRow = rows[rows.length - 1];
  const lastOwnKey =
    lastRow?.kind === 'message' && isLocalMessage(lastRow.message) ? lastRow.key : null;
  const previousOwnKey = useRef(lastOwnKey);
  useEffect(() => {
    if (lastOwnKey !== null && lastOwnKey !== previousOwnKey.current) virtualizer.scrollToEnd();
    previousOwnKey.current = lastOwnKey;
  }, [lastOwnKey, virtualizer]);

  const jumpToEnd = useCallback(() => virtualizer.scrollToEnd(), [virtualizer]);

  // A click on a quote: the quoted message comes into view and glows for a moment.
  const [flashed, setFlashed] = useState<string | null>(null);
  const showMessage = useCallback(
    (messageId: string) => {
      const index = rows.findIndex((row) => row.kind === 'message' && row.message.id === messageId);
      if (index < 0) return;
      virtualizer.scrollToIndex(index, { align: 'center' });
      setFlashed(messageId);
    },
    [rows, virtualizer],
  );
  // A search result or a note opened from the Mentions view: shown once, when its message has
  // arrived.
  const focused = useRef<string | null>(null);
  useEffect(() => {
    if (focusMessageId === null || focused.current === focusMessageId) return;
    if (!rows.some((row) => row.kind === 'message' && row.message.id === focusMessageId)) return;
    focused.current = focusMessageId;
    showMessage(focusMessageId);
  }, [focusMessageId, rows, showMessage]);

  const customerName = conversation.customer.name || conversation.customer.phone || 'this customer';
  const items = virtualizer.getVirtualItems();

  return (
    <div style={{ position: 'relative', height: '100%', minHeight: 0 }}>
      <div
        ref={scrollRef}
        style={SCROLLER_STYLE}
        onScroll={onScroll}
        role="log"
        aria-label={`Messages with ${customerName}`}
        aria-busy={loadingOlder}
        tabIndex={0}
        data-testid="message-list"
      >
        <div style={{ height: virtualizer.getTotalSize(), position: 'relative', width: '100%' }}>
          {items.map((item) => {
            const row = rows[item.index];
            return (
              <div
                key={item.key}
                ref={virtualizer.measureElement}
                data-index={item.index}
                style={{
                  position: 'absolute',
                  top: 0,
                  left: 0,
                  width: '100%',
                  transform: `translateY(${item.start}px)`,
                  // The last row keeps a little air above the composer.
                  paddingBottom: item.index === rows.length - 1 ? 12 : 0,
                }}
              >
                {row.kind === 'message' ? (
                  <MessageRow
                    row={row}
                    channel={conversation.channel}
                    authorName={
                      row.message.authorId !== null
                        ? (authorNames?.[row.message.authorId] ?? null)
                        : null
                    }
                    onRetry={onRetry}
                    onDiscard={onDiscard}
                    onReply={
                      onReply && canReplyTo(conversation.channel, row.message) ? onReply : undefined
                    }
                    quoteText={quotes.get(row.message.id)?.text ?? null}
                    onQuoteClick={quotes.get(row.message.id)?.loaded ? showMessage : undefined}
                    flash={flashed === row.message.id}
                    names={mentionNames ?? authorNames}
                  />
                ) : row.kind === 'day' ? (
                  <DaySeparator label={row.label} />
                ) : row.kind === 'reaction_note' ? (
                  <ReactionNote row={row} />
                ) : row.kind === 'activity' ? (
                  <ActivityLine row={row} />
                ) : (
                  <HistoryRow
                    hasOlder={row.hasOlder}
                    loading={loadingOlder}
                    onLoad={loadOlder}
                    customerName={customerName}
                    channel={conversation.channel}
                  />
                )}
              </div>
            );
          })}
        </div>
      </div>
      {!atEnd && newBelow > 0 ? (
        <Button
          style={FLOATING_STYLE}
          size="compact-sm"
          radius="xl"
          rightSection={<IconArrowDown size={14} />}
          onClick={jumpToEnd}
          data-testid="new-messages"
        >
          {newBelow} new {newBelow === 1 ? 'message' : 'messages'}
        </Button>
      ) : !atEnd ? (
        <ActionIcon
          style={FLOATING_STYLE}
          variant="default"
          radius="xl"
          size="lg"
          onClick={jumpToEnd}
          aria-label="Jump to the latest message"
          data-testid="jump-to-latest"
        >
          <IconArrowDown size={16} />
        </ActionIcon>
      ) : null}
    </div>
  );
}
