import { Button, Group, Text } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { IconAt } from '@tabler/icons-react';
import type { DesktopApi } from '../../../../shared/ipc/contract';

/** A note mentioning me arrived (issue #20 item 1): what its notifications say. */
export interface MentionAlert {
  readonly messageId: string;
  readonly conversationId: string;
  /** Who wrote it, e.g. `Amira Haddad`. */
  readonly authorName: string;
  /** The conversation's customer. */
  readonly customerName: string;
  readonly text: string;
}

const MENTION_AUTO_CLOSE_MS = 10_000;
const BODY_MAX = 500;

export function mentionAlertTitle(alert: MentionAlert): string {
  return `${alert.authorName} mentioned you — ${alert.customerName}`;
}

/**
 * Tells the mentioned agent the way every alert does: in the app always (with an Open button),
 * and through the operating system when running on the desktop with notifications on and the
 * window not focused. `open` shows the note.
 */
export function showMentionAlert(
  alert: MentionAlert,
  options: {
    readonly desktop: DesktopApi | null;
    readonly desktopNotifications: boolean;
    readonly open: () => void;
  },
): void {
  const title = mentionAlertTitle(alert);
  const body = alert.text.length <= BODY_MAX ? alert.text : `${alert.text.slice(0, BODY_MAX - 1)}…`;
  notifications.show({
    id: `mention:${alert.messageId}`,
    title,
    message: (
      <Group gap="xs" wrap="nowrap" align="flex-end" justify="space-between">
        <Text size="xs" c="dimmed" lineClamp={2} data-testid="mention-alert-text">
          {body}
        </Text>
        <Button
          size="compact-xs"
          variant="light"
          color="yellow"
          onClick={() => {
            notifications.hide(`mention:${alert.messageId}`);
            options.open();
          }}
          data-testid="attention-open"
          style={{ flexShrink: 0 }}
        >
          Open
        </Button>
      </Group>
    ),
    color: 'yellow',
    icon: <IconAt size={18} />,
    autoClose: MENTION_AUTO_CLOSE_MS,
    withBorder: true,
    'data-testid': 'attention-notification',
    'data-kind': 'mention',
    'data-conversation-id': alert.conversationId,
  });
  const { desktop } = options;
  if (
    desktop !== null &&
    options.desktopNotifications &&
    typeof document !== 'undefined' &&
    !document.hasFocus()
  ) {
    desktop
      .showNotification({
        title: title.slice(0, 120),
        body,
        conversationId: alert.conversationId,
        replyable: false,
      })
      .catch((error: unknown) => console.warn('Replydesk: desktop notification failed', error));
  }
}

/** Put away a mention's in-app notification: the agent opened that note another way. */
export function hideMentionAlert(messageId: string): void {
  notifications.hide(`mention:${messageId}`);
}
