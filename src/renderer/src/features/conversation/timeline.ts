import type { Message, MessageContent } from '../../../../shared/domain/model';
import { DELIVERY_RANK } from '../../../../shared/domain/model';
import type { Activity } from '../../../../shared/protocol/activity';
import { formatDayLabel, localDayKey, startOfLocalDay } from '../../format/dates';
import { activityLine } from './activity-line';

/**
 * The message list as rows for the virtualiser: day separators, messages with their reactions
 * attached, and notes for reactions whose message is not loaded. Pure, so the rules (reactions,
 * local outbox copies, day boundaries) are tested without a DOM.
 */

/** Who reacted: the customer (inbound) or the business (outbound). One reaction each per message. */
export type Reactor = 'customer' | 'business';

export interface ReactionBadge {
  readonly emoji: string;
  readonly by: Reactor;
  readonly at: number;
}

export type TimelineRow =
  /** The top of the list: a loader while older messages exist, else the conversation's start. */
  | { readonly kind: 'history'; readonly key: string; readonly hasOlder: boolean }
  | {
      readonly kind: 'day';
      readonly key: string;
      readonly dayStart: number;
      readonly label: string;
    }
  | {
      readonly kind: 'message';
      readonly key: string;
      readonly message: Message;
      readonly reactions: readonly ReactionBadge[];
      /** Same sender as the row before, within a few minutes: drawn closer, without a header. */
      readonly continued: boolean;
      /** The reply button the customer chose under this message (`chosenButtons`), or null. */
      readonly chosenButtonId: string | null;
    }
  /** What happened to the conversation (assignment, status…): one muted line, by time. */
  | {
      readonly kind: 'activity';
      readonly key: string;
      readonly activity: Activity;
      readonly text: string;
    }
  /** A reaction to a message that is not in the list (older than what is loaded, or unknown). */
  | {
      readonly kind: 'reaction_note';
      readonly key: string;
      readonly message: Message;
      readonly emoji: string;
      readonly by: Reactor;
    };

export type MessageRow = Extract<TimelineRow, { kind: 'message' }>;

/** Messages a conversation opens with (its newest); scrolling up shows more, locally first. */
export const FIRST_SHOWN = 150;
/** Older cached messages shown each time the top of the list is reached. */
export const MORE_SHOWN = 500;

/** Messages from one sender closer together than this are drawn as one group. */
export const GROUP_GAP_MS = 5 * 60_000;

const LOCAL_PREFIX = 'local:';

/** Whether a message is a local outbox copy (`local:<clientId>`), not yet stored by the hub. */
export function isLocalMessage(message: Message): boolean {
  return message.id.startsWith(LOCAL_PREFIX);
}

/** The command id a message was sent with, for local copies and the hub's stored version alike. */
export function clientIdOf(message: Message): string | null {
  if (message.clientId !== null) return message.clientId;
  return isLocalMessage(message) ? message.id.slice(LOCAL_PREFIX.length) : null;
}

/**
 * A row key that survives the hub storing a local message: the queued copy (`local:abc`) and
 * the stored one (clientId `abc`) share it, so the row is updated in place rather than replaced.
 */
export function messageKey(message: Message): string {
  const clientId = clientIdOf(message);
  return clientId !== null ? `c:${clientId}` : `m:${message.id}`;
}

/**
 * Drops local outbox copies whose command the hub has already stored (both can be present for
 * a moment while the outbox entry is removed). Keeps the order of `messages`.
 */
export function withoutStoredLocalCopies(messages: readonly Message[]): readonly Message[] {
  const stored = new Set<string>();
  for (const message of messages) {
    if (!isLocalMessage(message) && message.clientId !== null) stored.add(message.clientId);
  }
  if (stored.size === 0) return messages;
  return messages.filter((message) => {
    if (!isLocalMessage(message)) return true;
    const clientId = clientIdOf(message);
    return clientId === null || !stored.has(clientId);
  });
}

/** Whether `status` has come at least as far as `reached` (a late `delivered` never beats `read`). */
export function hasReached(status: Message['status'], reached: Message['status']): boolean {
  return DELIVERY_RANK[status] >= DELIVERY_RANK[reached];
}

type Reaction = Message & { readonly content: Extract<MessageContent, { type: 'reaction' }> };

const isReaction = (message: Message): message is Reaction => message.content.type === 'reaction';

const reactorOf = (message: Message): Reactor =>
  message.direction === 'inbound' ? 'customer' : 'business';

export interface ReactionIndex {
  /** Reactions in force, by the target's `externalId`; an empty emoji removed the reaction. */
  readonly byTarget: ReadonlyMap<string, readonly ReactionBadge[]>;
  /** Ids of the reaction messages that decide a reaction (the latest per target and reactor). */
  readonly effective: ReadonlySet<string>;
}

/**
 * The reactions in force: per target message and reactor, the latest reaction wins (WhatsApp
 * replaces a reaction with the next one, and an empty emoji removes it). Ties in time keep the
 * later message in the list.
 */
export function indexReactions(messages: readonly Message[]): ReactionIndex {
  const latest = new Map<string, Reaction>();
  for (const message of messages) {
    if (!isReaction(message)) continue;
    const slot = `${reactorOf(message)}\u0000${message.content.targetExternalId}`;
    const previous = latest.get(slot);
    if (previous === undefined || message.sentAt >= previous.sentAt) latest.set(slot, message);
  }
  const byTarget = new Map<string, ReactionBadge[]>();
  const effective = new Set<string>();
  for (const reaction of latest.values()) {
    effective.add(reaction.id);
    if (reaction.content.emoji === '') continue;
    const badges = byTarget.get(reaction.content.targetExternalId) ?? [];
    badges.push({ emoji: reaction.content.emoji, by: reactorOf(reaction), at: reaction.sentAt });
    byTarget.set(reaction.content.targetExternalId, badges);
  }
  for (const badges of byTarget.values()) badges.sort((a, b) => a.at - b.at);
  return { byTarget, effective };
}

/** The button a customer's tap names: a reply button's id, a keyboard button's payload. */
function tappedButtonOf(content: MessageContent): string | null {
  if (content.type === 'interactive_reply') return content.replyId;
  if (content.type === 'button_reply') return content.payload;
  return null;
}

/**
 * Which reply button the customer chose under each message that offered some: a tap answers
 * the message it was under (`replyTo`, set by the hub) and names one of its buttons. The latest
 * tap wins (WhatsApp and Telegram buttons can be tapped again). Keyed by the offer's id.
 */
export function chosenButtons(messages: readonly Message[]): ReadonlyMap<string, string> {
  const offered = new Map<string, ReadonlySet<string>>();
  for (const message of messages) {
    const { content } = message;
    if (content.type === 'text' && content.replyButtons?.length) {
      offered.set(message.id, new Set(content.replyButtons.map((button) => button.id)));
    }
  }
  const chosen = new Map<string, { readonly id: string; readonly at: number }>();
  if (offered.size === 0) return new Map();
  for (const message of messages) {
    const buttonId = tappedButtonOf(message.content);
    const offer = message.replyTo?.messageId;
    if (message.direction !== 'inbound' || buttonId === null || offer === undefined) continue;
    if (!offered.get(offer)?.has(buttonId)) continue;
    const previous = chosen.get(offer);
    if (previous === undefined || message.sentAt >= previous.at) {
      chosen.set(offer, { id: buttonId, at: message.sentAt });
    }
  }
  return new Map([...chosen].map(([offer, { id }]) => [offer, id]));
}

export interface TimelineOptions {
  /** The app clock, for "Today" and "Yesterday". */
  readonly now: number;
  /** Older messages exist on the hub: the first row is a loader rather than the start. */
  readonly hasOlder: boolean;
  /**
   * Activity lines, oldest first, interleaved with the messages by time (a line at the same
   * instant as a message comes after it). While older messages are not loaded, lines older than
   * the first message shown wait with them.
   */
  readonly activity?: readonly Activity[];
  /** Names of teammates by user id, for the activity lines. */
  readonly names?: Readonly<Record<string, string>>;
}

const NO_ACTIVITY: readonly Activity[] = [];
const NO_NAMES: Readonly<Record<string, string>> = {};

const NO_REACTIONS: readonly ReactionBadge[] = [];

/**
 * The rows of a conversation, `messages` sorted oldest first. Reactions are not rows: they are
 * badges on their target; one whose target is not loaded becomes a small note, and a removed
 * reaction disappears.
 */
export function buildTimeline(
  messages: readonly Message[],
  { now, hasOlder, activity = NO_ACTIVITY, names = NO_NAMES }: TimelineOptions,
): TimelineRow[] {
  const list = withoutStoredLocalCopies(messages);
  const reactions = indexReactions(list);
  const chosen = chosenButtons(list);
  const externalIds = new Set<string>();
  for (const message of list) {
    if (message.externalId !== null && !isReaction(message)) externalIds.add(message.externalId);
  }

  const rows: TimelineRow[] = [{ kind: 'history', key: 'history', hasOlder }];
  let day: number | null = null;
  let previous: Message | null = null;
  const dayOf = (at: number) => {
    const key = localDayKey(at);
    if (key === day) return;
    day = key;
    previous = null;
    const dayStart = startOfLocalDay(at);
    rows.push({ kind: 'day', key: `day:${key}`, dayStart, label: formatDayLabel(dayStart, now) });
  };
  let next = 0;
  if (hasOlder) {
    const first = list.length > 0 ? list[0].sentAt : Infinity;
    while (next < activity.length && activity[next].at < first) next++;
  }
  const activityUntil = (at: number) => {
    for (; next < activity.length && activity[next].at < at; next++) {
      const line = activity[next];
      dayOf(line.at);
      rows.push({
        kind: 'activity',
        key: `a:${line.id}`,
        activity: line,
        text: activityLine(line, names),
      });
      previous = null;
    }
  };
  for (const message of list) {
    if (isReaction(message)) {
      const { emoji, targetExternalId } = message.content;
      // Reactions to a loaded message are drawn on it; the latest one to anything else is noted.
      if (
        emoji === '' ||
        externalIds.has(targetExternalId) ||
        !reactions.effective.has(message.id)
      ) {
        continue;
      }
    }
    activityUntil(message.sentAt);
    dayOf(message.sentAt);
    if (isReaction(message)) {
      rows.push({
        kind: 'reaction_note',
        key: `r:${message.id}`,
        message,
        emoji: message.content.emoji,
        by: reactorOf(message),
      });
      previous = null;
      continue;
    }
    rows.push({
      kind: 'message',
      key: messageKey(message),
      message,
      reactions:
        message.externalId !== null
          ? (reactions.byTarget.get(message.externalId) ?? NO_REACTIONS)
          : NO_REACTIONS,
      continued: previous !== null && continues(previous, message),
      chosenButtonId: chosen.get(message.id) ?? null,
    });
    previous = message;
  }
  activityUntil(Infinity);
  return rows;
}

function continues(previous: Message, message: Message): boolean {
  return (
    previous.direction === message.direction &&
    previous.authorId === message.authorId &&
    // A group chat's members each head their own run of messages with their name.
    previous.senderName === message.senderName &&
    message.sentAt - previous.sentAt < GROUP_GAP_MS &&
    previous.status !== 'failed'
  );
}

/** Message rows after the row keyed `key` (the newest one the agent had seen); 0 if not found. */
export function countMessagesAfter(rows: readonly TimelineRow[], key: string | null): number {
  if (key === null) return 0;
  let index = rows.length - 1;
  let count = 0;
  for (; index >= 0; index--) {
    const row = rows[index];
    if (row.key === key) return count;
    if (row.kind === 'message') count++;
  }
  return 0;
}

/** The key of the newest message row, or null when there is none. */
export function lastMessageKey(rows: readonly TimelineRow[]): string | null {
  for (let index = rows.length - 1; index >= 0; index--) {
    const row = rows[index];
    if (row.kind === 'message') return row.key;
  }
  return null;
}

/**
 * A first guess of a row's height in pixels, before it is measured. Close guesses keep the
 * scrollbar steady while a long conversation is scrolled for the first time.
 */
export function estimateRowHeight(row: TimelineRow): number {
  switch (row.kind) {
    case 'history':
      return 56;
    case 'day':
      return 40;
    case 'reaction_note':
      return 28;
    case 'activity':
      return 26;
    case 'message': {
      const { message } = row;
      let height = row.continued ? 44 : 52;
      // The group member's name above the first of their messages.
      if (!row.continued && message.senderName !== undefined) height += 18;
      if (row.reactions.length > 0) height += 14;
      if (message.status === 'failed') height += 34;
      return height + contentHeight(message.content);
    }
  }
}

/** Characters per line of a bubble at a usual width. */
const CHARS_PER_LINE = 64;
const LINE = 20;

function textHeight(text: string): number {
  let lines = 0;
  for (const paragraph of text.split('\n')) {
    lines += Math.max(1, Math.ceil(paragraph.length / CHARS_PER_LINE));
  }
  return (lines - 1) * LINE;
}

/** The file's part of a media bubble (MessageMedia.tsx: a thumbnail is 195 px high). */
const MEDIA_HEIGHTS = { image: 195, video: 180, audio: 44, document: 84, sticker: 120 } as const;

function contentHeight(content: MessageContent): number {
  switch (content.type) {
    case 'text':
      return textHeight(content.body);
    case 'template':
      return 20 + textHeight(content.renderedBody);
    case 'image':
    case 'video':
    case 'audio':
    case 'document':
    case 'sticker':
      return (
        MEDIA_HEIGHTS[content.type] +
        (content.media.caption ? textHeight(content.media.caption) + LINE : 0)
      );
    case 'location':
      return 64;
    case 'contacts':
      return content.contacts.length * 64;
    case 'order':
      return 72 + content.items.length * 22 + (content.note ? LINE : 0);
    case 'interactive_reply':
      return content.description ? 32 : 16;
    case 'button_reply':
      return 16;
    case 'share':
      return 44;
    case 'story':
      return 20 + (content.text ? textHeight(content.text) + LINE : LINE);
    case 'note':
      return 18 + textHeight(content.text);
    case 'referral':
    case 'removed':
    case 'reaction':
    case 'unsupported':
      return 0;
  }
}
