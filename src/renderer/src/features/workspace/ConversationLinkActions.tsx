import { ActionIcon, Tooltip } from '@mantine/core';
import { IconExternalLink, IconLink } from '@tabler/icons-react';
import type { DesktopApi } from '../../../../shared/ipc/contract';
import { conversationLink } from '../../../../shared/desktop/deep-link';
import { CopyValueButton } from '../../components/CopyValueButton';

/**
 * "Copy link" (`replydesk://conversation/<id>`, which opens this conversation in the desktop app
 * of whoever clicks it) and, in the desktop app, "Open in a new window" (issue #21 items 2, 4).
 */
export function ConversationLinkActions({
  conversationId,
  desktop,
}: {
  conversationId: string;
  /** Null in a browser and in a pop-out window itself: no pop-out button. */
  desktop: DesktopApi | null;
}) {
  return (
    <>
      <CopyValueButton
        value={conversationLink(conversationId)}
        label="Copy link"
        size="toolbar"
        icon={(size) => <IconLink size={size} />}
        testId="copy-conversation-link"
      />
      {desktop && (
        <Tooltip label="Open in a new window" withArrow>
          <ActionIcon
            variant="default"
            size={26}
            onClick={() => {
              desktop
                .popOutConversation(conversationId)
                .catch((error: unknown) => console.warn('Replydesk: pop-out failed', error));
            }}
            aria-label="Open in a new window"
            data-testid="pop-out-conversation"
          >
            <IconExternalLink size={15} />
          </ActionIcon>
        </Tooltip>
      )}
    </>
  );
}
