import { useCallback, useEffect, useRef, useState } from 'react';

interface Target {
  readonly conversationId: string;
  readonly messageId: string;
}

/** The most pages of older history read while looking for a hub result's message. */
const MAX_OLDER_PAGES = 50;

/**
 * Opening a hub search result: the conversation is selected and, once its messages are shown,
 * older history is loaded from the hub page by page until the message is among them. Returns the
 * message to scroll to and highlight (`focusMessageId`) once it is there.
 */
export function useOpenAtMessage({
  selectedId,
  messageIds,
  select,
  loadOlder,
}: {
  readonly selectedId: string | null;
  /** The ids of the selected conversation's cached messages (undefined while reading). */
  readonly messageIds: ReadonlySet<string> | undefined;
  readonly select: (conversationId: string) => void;
  readonly loadOlder: (conversationId: string) => Promise<{ readonly complete: boolean }>;
}): {
  readonly open: (target: Target) => void;
  readonly focusMessageId: string | null;
} {
  const [target, setTarget] = useState<Target | null>(null);
  const loading = useRef(false);
  const pages = useRef(0);
  const open = useCallback(
    (next: Target) => {
      pages.current = 0;
      setTarget({ conversationId: next.conversationId, messageId: next.messageId });
      select(next.conversationId);
    },
    [select],
  );
  const here = target !== null && selectedId === target.conversationId;
  const present = here && messageIds !== undefined && messageIds.has(target.messageId);
  useEffect(() => {
    // The agent went elsewhere (or nothing is sought): no history is read.
    if (target === null || !here || present || messageIds === undefined || loading.current) return;
    if (pages.current >= MAX_OLDER_PAGES) return;
    loading.current = true;
    pages.current += 1;
    const { conversationId } = target;
    loadOlder(conversationId).then(
      (result) => {
        loading.current = false;
        // Nothing older: the message is not there to show (deleted, or another hub's).
        if (result.complete) pages.current = MAX_OLDER_PAGES;
        setTarget((current) => (current === null ? null : { ...current }));
      },
      () => {
        loading.current = false;
        pages.current = MAX_OLDER_PAGES;
      },
    );
  }, [target, selectedId, here, present, messageIds, loadOlder]);
  return { open, focusMessageId: present ? target.messageId : null };
}
