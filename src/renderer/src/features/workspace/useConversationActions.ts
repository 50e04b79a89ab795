import { useCallback, useEffect, useState } from 'react';
import type { Message } from '../../../../shared/domain/model';
import type { OutgoingContent } from '../../../../shared/protocol/commands';
import { useData } from '../../data/hooks';
import type { HeaderCommand } from '../conversation/ConversationHeader';

/** What to send again for a message the channel refused (a new attempt, a new client id). */
function resendableContent(message: Message): OutgoingContent | null {
  const content = message.content;
  if (content.type === 'text') return { type: 'text', body: content.body };
  if (content.type === 'template' && content.templateId)
    return { type: 'template', templateId: content.templateId, parameters: content.parameters };
  return null;
}

function errorText(error: unknown): string {
  return error instanceof Error ? error.message : 'That did not work.';
}

/**
 * What the open conversation's pane does, wherever it is shown (the workspace, a pop-out
 * window): header commands, retry and discard of refused messages, older history; and, while
 * it is open, presence ("viewing") and marking it read.
 */
export function useConversationActions(selectedId: string | null, unread: number) {
  const layer = useData();
  const [olderComplete, setOlderComplete] = useState<ReadonlySet<string>>(new Set());

  // Teammates see who has which conversation open (presence; issue 12, item 13).
  useEffect(() => layer.presence.view(selectedId), [layer, selectedId]);
  useEffect(() => () => layer.presence.view(null), [layer]);

  // Opening a conversation with unread messages marks it read (once per opening).
  useEffect(() => {
    if (selectedId !== null && unread > 0) {
      void layer.runCommand({ type: 'mark_read', conversationId: selectedId });
    }
  }, [layer, selectedId, unread]);

  const runCommand = useCallback(
    (command: HeaderCommand) => {
      layer.runCommand(command).catch((error: unknown) => console.warn(errorText(error)));
    },
    [layer],
  );
  const onRetry = useCallback(
    (message: Message) => {
      if (message.id.startsWith('local:')) {
        void layer.retry(message.id.slice('local:'.length));
        return;
      }
      const content = resendableContent(message);
      if (content)
        void layer.sendMessage(
          message.conversationId,
          content,
          message.replyTo ? { replyTo: message.replyTo.messageId } : undefined,
        );
    },
    [layer],
  );
  const onDiscard = useCallback(
    (message: Message) => {
      if (message.id.startsWith('local:')) void layer.discard(message.id.slice('local:'.length));
    },
    [layer],
  );
  const onLoadOlder = useCallback(() => {
    if (selectedId === null) return;
    const id = selectedId;
    layer.loadOlderMessages(id).then(
      (result) => {
        if (result.complete) setOlderComplete((done) => new Set(done).add(id));
      },
      () => undefined,
    );
  }, [layer, selectedId]);

  return {
    runCommand,
    onRetry,
    onDiscard,
    onLoadOlder,
    hasOlder: selectedId !== null && !olderComplete.has(selectedId),
  };
}
