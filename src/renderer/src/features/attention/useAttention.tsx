import './attention.css';
import { useEffect, useEffectEvent, useRef, useState } from 'react';
import { Button, Group, Text } from '@mantine/core';
import { IconBellRinging, IconClockExclamation, IconUserCheck } from '@tabler/icons-react';
import type { Conversation } from '../../../../shared/domain/model';
import type { DesktopApi } from '../../../../shared/ipc/contract';
import { inlineReplyCheck } from '../../../../shared/desktop/inline-reply';
import { clockNow, readClock, subscribeClock, useClockDerived, useNow } from '../../app/clock';
import { Notifications, notifications, type NotificationData } from '@mantine/notifications';
import {
  alertStillApplies,
  arrangeAlerts,
  badgeFigures,
  evaluateAttention,
  INITIAL_ATTENTION_STATE,
  moreAlertsText,
  nextAttentionCheckAt,
  remainingText,
  VISIBLE_ALERTS,
  type AttentionAlert,
  type AttentionState,
} from './attention';

export interface UseAttentionOptions {
  /**
   * Every conversation assigned to me (a superset is fine), `null` while the cache opens.
   * Not a filtered view: see `AttentionInput.conversations`.
   */
  readonly conversations: readonly Conversation[] | null;
  /** The signed-in user; `null` signed out (nothing is watched, the badge is cleared). */
  readonly me: { readonly id: string } | null;
  /** Alert this long before one of my windows closes (the preference, in ms). */
  readonly thresholdMs: number;
  /** The desktop API when running in the Electron window, `null` in a browser. */
  readonly desktop: DesktopApi | null;
  /** The agent's preference for operating-system notifications. Default true. */
  readonly desktopNotifications?: boolean;
  /** Open a conversation: from an in-app notification's button or a desktop notification. */
  readonly onOpen: (conversationId: string) => void;
  /** Record without alerting, e.g. while the first sync or a rebuild pages in. */
  readonly quiet?: boolean;
  /** The conversation on screen: taking it myself is not news, and its alerts are put away. */
  readonly activeConversationId?: string | null;
}

const ASSIGNED_AUTO_CLOSE_MS = 8000;
const MORE_ID = 'attention:more';
/** As wide as the order panel (320 px) less its margin; below the top bar (attention.css). */
const ALERT_WIDTH = 300;

/**
 * Where in-app alerts appear: top right, below the top bar, over the order panel's column, so
 * they never cover the composer and its Send button at the bottom of the conversation (issue
 * 12, item 3). Mantine's own queue is not used: `useAttention` shows at most `VISIBLE_ALERTS`
 * and sums up the rest in one alert.
 */
export function AttentionNotifications() {
  return (
    <Notifications
      position="top-right"
      limit={VISIBLE_ALERTS + 2}
      containerWidth={ALERT_WIDTH}
      className="rd-attention"
    />
  );
}
const TITLE_MAX = 120;
const BODY_MAX = 500;

const clip = (text: string, max: number): string =>
  text.length <= max ? text : `${text.slice(0, max - 1)}…`;

/** The closing alert's title, counting down while it is on screen. */
function ClosingTitle({ closesAt, customerName }: { closesAt: number; customerName: string }) {
  const now = useNow();
  const left = closesAt - now;
  return (
    <span data-testid="attention-title">
      {left > 0 ? `Window closes in ${remainingText(left)}` : 'Window closed'} — {customerName}
    </span>
  );
}

function AlertMessage({ alert, onOpen }: { alert: AttentionAlert; onOpen: () => void }) {
  return (
    <Group gap="xs" wrap="nowrap" align="flex-end" justify="space-between">
      <Text size="xs" c="dimmed" lineClamp={2}>
        {alert.body}
      </Text>
      <Button
        size="compact-xs"
        variant="light"
        color={alert.kind === 'closing' ? 'orange' : 'teal'}
        onClick={onOpen}
        data-testid="attention-open"
        style={{ flexShrink: 0 }}
      >
        Open
      </Button>
    </Group>
  );
}

function showInApp(
  alert: AttentionAlert,
  open: (conversationId: string) => void,
  onClose: () => void,
): void {
  const closing = alert.kind === 'closing';
  notifications.show({
    onClose,
    id: alert.key,
    title: closing ? (
      <ClosingTitle closesAt={alert.closesAt} customerName={alert.customerName} />
    ) : (
      alert.title
    ),
    message: <AlertMessage alert={alert} onOpen={() => open(alert.conversationId)} />,
    color: closing ? 'orange' : 'teal',
    icon: closing ? <IconClockExclamation size={18} /> : <IconUserCheck size={18} />,
    // A closing window stays until handled (opened, answered, closed or dismissed); news of an
    // assignment fades, the conversation is in "mine" anyway.
    autoClose: closing ? false : ASSIGNED_AUTO_CLOSE_MS,
    withBorder: true,
    'data-testid': 'attention-notification',
    'data-kind': alert.kind,
    'data-conversation-id': alert.conversationId,
  });
}

/** The "N more" alert: who else needs attention, with the most urgent one a click away. */
function moreNotification(
  more: readonly [AttentionAlert, ...AttentionAlert[]],
  open: (conversationId: string) => void,
  onClose: () => void,
): NotificationData {
  const first = more[0];
  const { title, body } = moreAlertsText(more, clockNow());
  return {
    id: MORE_ID,
    onClose,
    title,
    message: (
      <Group gap="xs" wrap="nowrap" align="flex-end" justify="space-between">
        <Text size="xs" c="dimmed" lineClamp={2} data-testid="attention-more-names">
          {body}
        </Text>
        <Button
          size="compact-xs"
          variant="light"
          color="orange"
          onClick={() => open(first.conversationId)}
          data-testid="attention-open"
          style={{ flexShrink: 0 }}
        >
          Open
        </Button>
      </Group>
    ),
    color: 'gray',
    icon: <IconBellRinging size={18} />,
    autoClose: false,
    withBorder: true,
    // Below the alerts it sums up.
    priority: -1,
    'data-testid': 'attention-more',
    'data-count': more.length,
  };
}

/**
 * The in-app alerts on screen: the live ones (still true, in the order they came), at most
 * `VISIBLE_ALERTS` with a notification of their own and one "N more" for the rest. A
 * notification closed by the agent (or fading) gives its place to the next.
 */
function createAlertBoard() {
  let open: (conversationId: string) => void = () => undefined;
  let live: AttentionAlert[] = [];
  /** Keys of the alerts with a notification of their own. */
  let visible = new Set<string>();
  /** Keys summed up by the "N more" alert while it is on screen; `null` when it is not. */
  let summed: string[] | null = null;

  function arrange(): void {
    const arranged = arrangeAlerts(live, visible);
    const keys = new Set(arranged.visible.map((alert) => alert.key));
    const previous = visible;
    visible = keys;
    for (const key of previous) if (!keys.has(key)) notifications.hide(key);
    for (const alert of arranged.visible) {
      if (!previous.has(alert.key)) showInApp(alert, open, () => closed(alert.key));
    }
    const [first, ...others] = arranged.more;
    const wasShown = summed !== null;
    if (first === undefined) {
      summed = null;
      if (wasShown) notifications.hide(MORE_ID);
      return;
    }
    summed = arranged.more.map((alert) => alert.key);
    const data = moreNotification([first, ...others], open, closedMore);
    if (wasShown) notifications.update(data);
    else notifications.show(data);
  }

  /** Called by Mantine whenever a notification goes, also when `arrange` hid it. */
  function closed(key: string): void {
    if (!visible.has(key)) return;
    live = live.filter((alert) => alert.key !== key);
    visible.delete(key);
    // After Mantine's own state update, inside which this runs.
    queueMicrotask(arrange);
  }

  /** The agent dismissed "N more": the alerts it summed up are put away too. */
  function closedMore(): void {
    const keys = summed;
    if (keys === null) return;
    summed = null;
    live = live.filter((alert) => !keys.includes(alert.key));
  }

  return {
    /** Keep the live alerts that still apply, add the new ones that do, and show them. */
    update(
      applies: (alert: AttentionAlert) => boolean,
      added: readonly AttentionAlert[],
      onOpen: (conversationId: string) => void,
    ): void {
      open = onOpen;
      live = [...live, ...added].filter(applies);
      arrange();
    },
  };
}

/**
 * Watches my conversations and tells the agent what needs attention (issue 4, item 10): a
 * window about to close, a conversation assigned to me. In-app notifications always (with an
 * Open button); operating-system notifications through the desktop API when present, enabled,
 * and the window is not focused (when it is, the in-app one is already in view). Keeps the dock
 * / taskbar badge at the number of my conversations waiting for a reply, and opens the
 * conversation when a desktop notification is clicked.
 *
 * Needs `<AttentionNotifications />` mounted once inside MantineProvider.
 */
export function useAttention(options: UseAttentionOptions): void {
  const {
    conversations,
    me,
    thresholdMs,
    desktop,
    desktopNotifications = true,
    quiet = false,
    activeConversationId = null,
  } = options;
  const stateRef = useRef<AttentionState>(INITIAL_ATTENTION_STATE);
  const nextCheckRef = useRef<number | null>(null);
  const [board] = useState(createAlertBoard);
  const open = useEffectEvent((conversationId: string) => options.onOpen(conversationId));

  const evaluate = useEffectEvent(() => {
    if (conversations === null || me === null) {
      nextCheckRef.current = null;
      return;
    }
    const now = clockNow();
    const { alerts, state } = evaluateAttention(stateRef.current, {
      conversations,
      me,
      now,
      thresholdMs,
      quiet,
      activeConversationId,
    });
    stateRef.current = state;
    nextCheckRef.current = nextAttentionCheckAt(state, conversations, me, now, thresholdMs);

    // Put away what no longer applies: opened, answered, resolved, closed, no longer mine.
    const byId = new Map(conversations.map((conversation) => [conversation.id, conversation]));
    const context = { me, now, activeConversationId };
    const applies = (alert: AttentionAlert): boolean =>
      alertStillApplies(alert, byId.get(alert.conversationId), context);

    const osNotify =
      desktop !== null &&
      desktopNotifications &&
      typeof document !== 'undefined' &&
      !document.hasFocus();
    // The conversation on screen needs no in-app alert; the OS may still tell an agent who is in
    // another window.
    board.update(applies, alerts, open);
    for (const alert of alerts) {
      if (osNotify) {
        desktop
          .showNotification({
            title: clip(alert.title, TITLE_MAX),
            body: clip(alert.body, BODY_MAX),
            conversationId: alert.conversationId,
            // macOS offers an inline reply only where it could go out as typed.
            replyable: inlineReplyCheck(byId.get(alert.conversationId), now).ok,
          })
          .catch((error: unknown) => console.warn('Replydesk: desktop notification failed', error));
      }
    }
  });

  // Whenever what is watched changes, in a task of its own: going through every conversation
  // takes milliseconds with thousands of them, and effects of a click run before the frame that
  // shows what was clicked (a conversation opening), which need not wait for alerts.
  useEffect(() => {
    const timer = setTimeout(evaluate, 0);
    return () => clearTimeout(timer);
  }, [conversations, me, thresholdMs, quiet, activeConversationId]);

  // Between changes, only at the next threshold crossing: one comparison per clock tick. The
  // app clock re-reads the system time each tick, so this stays right after sleep.
  useEffect(
    () =>
      subscribeClock(() => {
        const next = nextCheckRef.current;
        if (next !== null && readClock() >= next) evaluate();
      }),
    [],
  );

  // Signing out starts over: the next user's first load is silent again, and nothing of the
  // last user's stays on screen.
  useEffect(() => {
    if (me !== null) return;
    stateRef.current = INITIAL_ATTENTION_STATE;
    board.update(
      () => false,
      [],
      () => undefined,
    );
  }, [me, board]);

  // Only the desktop shows the count (its dock / taskbar badge): a browser need not count
  // thousands of conversations at every tick and render.
  const figures = useClockDerived((now) => {
    if (!desktop || !conversations || !me) return '0 0';
    const { waiting, closingSoon } = badgeFigures(conversations, me, now);
    return `${waiting} ${closingSoon}`;
  });
  useEffect(() => {
    if (!desktop) return;
    const [waiting = 0, closingSoon = 0] = figures.split(' ').map(Number);
    desktop
      .setBadgeCount(waiting, closingSoon)
      .catch((error: unknown) => console.warn('Replydesk: badge update failed', error));
  }, [desktop, figures]);
  useEffect(() => {
    if (!desktop) return;
    return () => {
      desktop.setBadgeCount(0).catch(() => undefined);
    };
  }, [desktop]);

  useEffect(() => {
    if (!desktop) return;
    return desktop.onNotificationClicked(({ conversationId }) => open(conversationId));
  }, [desktop]);
}
