import { CHANNEL_INFO, type ChannelKind } from '../../../../shared/domain/channels';
import type { Conversation } from '../../../../shared/domain/model';
import { computeReplyWindow, formatDuration } from '../../../../shared/reply-window';

/**
 * What deserves the agent's attention (issue 4, item 10): one of my conversations waiting for my
 * reply whose window is about to close, and a conversation newly assigned to me. Pure: the hook
 * feeds it the conversations and the app clock, shows what it returns, and asks
 * `alertStillApplies` and `arrangeAlerts` what to keep on screen (issue 12, item 3).
 */

export interface AttentionState {
  /** Conversations assigned to me at the last evaluation; `null` before the first one. */
  readonly mine: ReadonlySet<string> | null;
  /**
   * Per conversation of mine, the `closesAt` of the window already dealt with: alerted, or
   * found already inside the threshold or closed when alerting was not due. A new customer
   * message moves `closesAt`, which makes the new window eligible again.
   */
  readonly handled: ReadonlyMap<string, number>;
}

export const INITIAL_ATTENTION_STATE: AttentionState = { mine: null, handled: new Map() };

export interface AttentionInput {
  /**
   * Every conversation assigned to me (more is fine: others are ignored). Not a filtered or
   * paged view: a conversation dropping out and coming back would read as a new assignment.
   */
  readonly conversations: readonly Conversation[];
  readonly me: { readonly id: string };
  /** The app clock (hub-corrected). */
  readonly now: number;
  /** Alert this long before a window closes. */
  readonly thresholdMs: number;
  /**
   * Record what is there without alerting: while the cache loads or a first sync (or a rebuild)
   * pages conversations in, everything would otherwise look new.
   */
  readonly quiet?: boolean;
  /**
   * The conversation on screen. Assigning it to myself is my own doing, not news; its window
   * alert still comes, for the operating system to show when the agent is in another window
   * (in the app, the header shows the countdown: `alertStillApplies` keeps it off screen).
   */
  readonly activeConversationId?: string | null;
}

interface AlertBase {
  /** Stable per conversation and window: the in-app notification's id, for dedupe and hiding. */
  readonly key: string;
  readonly conversationId: string;
  readonly customerName: string;
  readonly channel: ChannelKind;
  readonly title: string;
  readonly body: string;
}

export type AttentionAlert =
  | (AlertBase & {
      readonly kind: 'closing';
      readonly closesAt: number;
      readonly remainingMs: number;
    })
  | (AlertBase & {
      readonly kind: 'assigned';
      /** Time left in its window when assigned, if it is open and limited. */
      readonly remainingMs: number | null;
    });

export interface AttentionResult {
  readonly alerts: readonly AttentionAlert[];
  readonly state: AttentionState;
}

export function customerNameOf(conversation: Conversation): string {
  const { customer } = conversation;
  return customer.name.trim() || customer.phone || customer.email || 'Unknown customer';
}

/** Time left as an alert says it: `12 min`, `1h 5m`, `45 s` in the last minute. */
export function remainingText(ms: number): string {
  if (ms < 60_000) return `${Math.max(1, Math.floor(ms / 1000))} s`;
  if (ms < 3_600_000) return `${Math.floor(ms / 60_000)} min`;
  return formatDuration(ms);
}

function describe(conversation: Conversation): string {
  const preview = conversation.lastMessagePreview.trim();
  const channel = CHANNEL_INFO[conversation.channel].label;
  return preview ? `${channel} · ${preview}` : channel;
}

function closingAlert(conversation: Conversation, closesAt: number, now: number): AttentionAlert {
  const name = customerNameOf(conversation);
  const remainingMs = closesAt - now;
  return {
    kind: 'closing',
    key: `closing:${conversation.id}:${closesAt}`,
    conversationId: conversation.id,
    customerName: name,
    channel: conversation.channel,
    closesAt,
    remainingMs,
    title: `Window closes in ${remainingText(remainingMs)} — ${name}`,
    // The title says what is at stake; the body says who and what they last wrote.
    body: describe(conversation),
  };
}

function assignedAlert(conversation: Conversation, remainingMs: number | null): AttentionAlert {
  const name = customerNameOf(conversation);
  const left = remainingMs === null ? '' : ` Window closes in ${remainingText(remainingMs)}.`;
  return {
    kind: 'assigned',
    key: `assigned:${conversation.id}:${conversation.updatedAt}`,
    conversationId: conversation.id,
    customerName: name,
    channel: conversation.channel,
    remainingMs,
    title: `Assigned to you — ${name}`,
    body: `${describe(conversation)}${left}`,
  };
}

/**
 * The customer wrote last: nothing was sent since their last message. Only such a conversation
 * loses something when its window closes (a free reply becomes a paid template).
 */
export function isWaitingForReply(conversation: Conversation): boolean {
  return conversation.lastInboundAt !== null && conversation.sentSinceInbound === 0;
}

/**
 * The alerts due now, and the state to pass next time. Each window alerts at most once: when
 * one of my active conversations waiting for my reply is inside `thresholdMs` of closing and that window was not
 * dealt with yet. A window that already closed never alerts (after sleep, the clock may jump
 * over the threshold and past the close at once). A conversation that becomes mine alerts
 * "assigned to you" instead, naming the time left, and that window does not alert again.
 * The first evaluation, and quiet ones, only record.
 */
export function evaluateAttention(state: AttentionState, input: AttentionInput): AttentionResult {
  const { conversations, me, now, thresholdMs, quiet = false, activeConversationId = null } = input;
  const silent = quiet || state.mine === null;
  const mine = new Set<string>();
  const handled = new Map<string, number>();
  const alerts: AttentionAlert[] = [];

  for (const conversation of conversations) {
    if (conversation.assigneeId !== me.id) continue;
    mine.add(conversation.id);
    const previous = state.handled.get(conversation.id);
    if (previous !== undefined) handled.set(conversation.id, previous);

    const window = computeReplyWindow(conversation.channel, conversation, now);
    // No limit (Telegram, SMS) or never opened: nothing can close.
    const closesAt = window.state === 'unlimited' ? null : window.closesAt;
    if (closesAt !== null && now >= closesAt) {
      // Dealt with for good: a clock corrected backwards must not bring it back.
      handled.set(conversation.id, closesAt);
      continue;
    }
    const remainingMs = closesAt === null ? null : closesAt - now;
    const inside = closesAt !== null && closesAt - now <= thresholdMs;
    const active = conversation.status !== 'resolved';
    // A window closing on a conversation the agent already answered costs nothing: the
    // customer has their reply (issue 12, item 3).
    const waiting = isWaitingForReply(conversation);

    if (silent) {
      if (inside) handled.set(conversation.id, closesAt);
      continue;
    }

    const newlyMine =
      state.mine !== null &&
      !state.mine.has(conversation.id) &&
      conversation.id !== activeConversationId;
    if (newlyMine && active) {
      alerts.push(assignedAlert(conversation, remainingMs));
      if (inside) handled.set(conversation.id, closesAt);
      continue;
    }
    if (inside && active && waiting && previous !== closesAt) {
      alerts.push(closingAlert(conversation, closesAt, now));
      handled.set(conversation.id, closesAt);
    }
  }

  return { alerts, state: { mine, handled } };
}

/**
 * The next instant at which `evaluateAttention` could alert without the conversations
 * changing: the earliest threshold crossing among my active windows not yet dealt with. `null`
 * when nothing is pending. Lets the hook wake once per crossing instead of every clock tick.
 */
export function nextAttentionCheckAt(
  state: AttentionState,
  conversations: readonly Conversation[],
  me: { readonly id: string },
  now: number,
  thresholdMs: number,
): number | null {
  let next: number | null = null;
  for (const conversation of conversations) {
    if (conversation.assigneeId !== me.id || conversation.status === 'resolved') continue;
    if (!isWaitingForReply(conversation)) continue;
    const { closesAt, state: windowState } = computeReplyWindow(
      conversation.channel,
      conversation,
      now,
    );
    if (closesAt === null || windowState === 'unlimited' || now >= closesAt) continue;
    if (state.handled.get(conversation.id) === closesAt) continue;
    const at = Math.max(now, closesAt - thresholdMs);
    if (next === null || at < next) next = at;
  }
  return next;
}

/**
 * Mine and waiting for my reply: the customer wrote last (nothing sent since their last
 * message), neither resolved nor snoozed.
 */
function waitsForMyReply(
  conversation: Conversation,
  me: { readonly id: string },
  now: number,
): boolean {
  if (conversation.assigneeId !== me.id || conversation.status === 'resolved') return false;
  const snoozed =
    conversation.status === 'snoozed' &&
    (conversation.snoozedUntil === null || conversation.snoozedUntil > now);
  return !snoozed && isWaitingForReply(conversation);
}

/** My conversations waiting for my reply (`waitsForMyReply`). */
export function countWaitingForReply(
  conversations: readonly Conversation[],
  me: { readonly id: string },
  now: number,
): number {
  return badgeFigures(conversations, me, now).waiting;
}

/**
 * The dock / taskbar badge and the tray (issue #21 item 1): my conversations waiting for my
 * reply, and of those the ones whose window closes within the hour (the inbox's "closing").
 */
export function badgeFigures(
  conversations: readonly Conversation[],
  me: { readonly id: string },
  now: number,
): { readonly waiting: number; readonly closingSoon: number } {
  let waiting = 0;
  let closingSoon = 0;
  for (const conversation of conversations) {
    if (!waitsForMyReply(conversation, me, now)) continue;
    waiting += 1;
    if (computeReplyWindow(conversation.channel, conversation, now).state === 'closing') {
      closingSoon += 1;
    }
  }
  return { waiting, closingSoon };
}

export interface AlertContext {
  readonly me: { readonly id: string };
  readonly now: number;
  /** The conversation on screen: its alerts have done their job. */
  readonly activeConversationId: string | null;
}

/**
 * Whether an alert on screen still says something true and useful. It goes once the agent opens
 * the conversation, answers it, resolves it, or it is no longer theirs; a closing alert also
 * goes when that window closes or a new customer message moves it (issue 12, item 3: they piled
 * up and never went away by themselves). `conversation` is its current state, `undefined` when
 * it is gone from my conversations.
 */
export function alertStillApplies(
  alert: AttentionAlert,
  conversation: Conversation | undefined,
  context: AlertContext,
): boolean {
  if (!conversation || conversation.assigneeId !== context.me.id) return false;
  if (conversation.id === context.activeConversationId) return false;
  if (conversation.status === 'resolved') return false;
  if (alert.kind === 'assigned') return true;
  if (!isWaitingForReply(conversation) || context.now >= alert.closesAt) return false;
  const window = computeReplyWindow(conversation.channel, conversation, context.now);
  return window.state !== 'unlimited' && window.closesAt === alert.closesAt;
}

/** In-app alerts shown at once; the rest collapse into one "N more" alert. */
export const VISIBLE_ALERTS = 3;

/** Most urgent first: windows by their close, then assignments (in the order they came). */
function byUrgency(a: AttentionAlert, b: AttentionAlert): number {
  const closesA = a.kind === 'closing' ? a.closesAt : Infinity;
  const closesB = b.kind === 'closing' ? b.closesAt : Infinity;
  return closesA - closesB;
}

/**
 * Which live alerts get a notification of their own and which are summed up in the "N more"
 * alert. Those already visible stay where they are (nothing jumps under the agent's pointer);
 * free places go to the most urgent of the rest.
 */
export function arrangeAlerts(
  live: readonly AttentionAlert[],
  visibleKeys: ReadonlySet<string>,
  limit: number = VISIBLE_ALERTS,
): { visible: AttentionAlert[]; more: AttentionAlert[] } {
  const visible = live.filter((alert) => visibleKeys.has(alert.key)).slice(0, limit);
  const rest = live.filter((alert) => !visible.includes(alert)).sort(byUrgency);
  const free = Math.max(0, limit - visible.length);
  return { visible: [...visible, ...rest.slice(0, free)], more: rest.slice(free) };
}

/** The "N more" alert's words: how many, and who (the most urgent first). */
export function moreAlertsText(
  more: readonly AttentionAlert[],
  now: number,
): { title: string; body: string } {
  const names = more
    .slice(0, 3)
    .map((alert) =>
      alert.kind === 'closing'
        ? `${alert.customerName} (${remainingText(Math.max(0, alert.closesAt - now))})`
        : alert.customerName,
    );
  const others = more.length - names.length;
  const closing = more.every((alert) => alert.kind === 'closing');
  return {
    title: `${more.length} more ${closing ? (more.length === 1 ? 'window' : 'windows') + ' closing' : more.length === 1 ? 'alert' : 'alerts'}`,
    body: others > 0 ? `${names.join(', ')} and ${others} more` : names.join(', '),
  };
}
