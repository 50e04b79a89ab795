import { useEffect, useEffectEvent, useRef } from 'react';
import { Button, Group, Text } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { IconClockExclamation, IconUserCheck } from '@tabler/icons-react';
import type { Conversation } from '../../../../shared/domain/model';
import type { DesktopApi } from '../../../../shared/ipc/contract';
import { clockNow, readClock, subscribeClock, useClockDerived, useNow } from '../../app/clock';
import {
  countWaitingForReply,
  evaluateAttention,
  INITIAL_ATTENTION_STATE,
  nextAttentionCheckAt,
  remainingText,
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

/** Shown notifications, so that those that no longer apply can be put away. */
interface Shown {
  readonly key: string;
  readonly conversationId: string;
  /** When it stops being true (a closing window's close); `null` for assignments. */
  readonly until: number | null;
}

const ASSIGNED_AUTO_CLOSE_MS = 8000;
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

function showInApp(alert: AttentionAlert, open: (conversationId: string) => void): void {
  const closing = alert.kind === 'closing';
  notifications.show({
    id: alert.key,
    title: closing ? (
      <ClosingTitle closesAt={alert.closesAt} customerName={alert.customerName} />
    ) : (
      alert.title
    ),
    message: (
      <AlertMessage
        alert={alert}
        onOpen={() => {
          notifications.hide(alert.key);
          open(alert.conversationId);
        }}
      />
    ),
    color: closing ? 'orange' : 'teal',
    icon: closing ? <IconClockExclamation size={18} /> : <IconUserCheck size={18} />,
    // A closing window stays until handled (opened, closed or dismissed); news of an assignment
    // fades, the conversation is in "mine" anyway.
    autoClose: closing ? false : ASSIGNED_AUTO_CLOSE_MS,
    withBorder: true,
    'data-testid': 'attention-notification',
    'data-kind': alert.kind,
    'data-conversation-id': alert.conversationId,
  });
}

/**
 * Watches my conversations and tells the agent what needs attention (issue 4, item 10): a
 * window about to close, a conversation assigned to me. In-app notifications always (with an
 * Open button); operating-system notifications through the desktop API when present, enabled,
 * and the window is not focused (when it is, the in-app one is already in view). Keeps the dock
 * / taskbar badge at the number of my conversations waiting for a reply, and opens the
 * conversation when a desktop notification is clicked.
 *
 * Needs `<Notifications />` from `@mantine/notifications` mounted once inside MantineProvider.
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
  const shownRef = useRef<Shown[]>([]);
  const nextCheckRef = useRef<number | null>(null);

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

    // Put away what no longer applies: opened, closed, or no longer mine.
    shownRef.current = shownRef.current.filter((shown) => {
      const stale =
        shown.conversationId === activeConversationId ||
        (shown.until !== null && now >= shown.until) ||
        (state.mine !== null && !state.mine.has(shown.conversationId));
      if (stale) notifications.hide(shown.key);
      return !stale;
    });

    const osNotify =
      desktop !== null &&
      desktopNotifications &&
      typeof document !== 'undefined' &&
      !document.hasFocus();
    for (const alert of alerts) {
      showInApp(alert, open);
      shownRef.current.push({
        key: alert.key,
        conversationId: alert.conversationId,
        until: alert.kind === 'closing' ? alert.closesAt : null,
      });
      if (osNotify) {
        desktop
          .showNotification({
            title: clip(alert.title, TITLE_MAX),
            body: clip(alert.body, BODY_MAX),
            conversationId: alert.conversationId,
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

  // Signing out starts over: the next user's first load is silent again.
  useEffect(() => {
    if (me === null) stateRef.current = INITIAL_ATTENTION_STATE;
  }, [me]);

  // Only the desktop shows the count (its dock / taskbar badge): a browser need not count
  // thousands of conversations at every tick and render.
  const waiting = useClockDerived((now) =>
    desktop && conversations && me ? countWaitingForReply(conversations, me, now) : 0,
  );
  useEffect(() => {
    if (!desktop) return;
    desktop
      .setBadgeCount(waiting)
      .catch((error: unknown) => console.warn('Replydesk: badge update failed', error));
  }, [desktop, waiting]);
  useEffect(() => {
    if (!desktop) return;
    return () => {
      desktop.setBadgeCount(0).catch(() => undefined);
    };
  }, [desktop]);

  useEffect(() => {
    if (!desktop) return;
    return desktop.onNotificationClicked(({ conversationId }) => {
      for (const shown of shownRef.current) {
        if (shown.conversationId === conversationId) notifications.hide(shown.key);
      }
      open(conversationId);
    });
  }, [desktop]);
}
