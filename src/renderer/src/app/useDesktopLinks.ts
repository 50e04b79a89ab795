import { useEffect, useState } from 'react';
import { notifications } from '@mantine/notifications';
import type { DesktopApi, IpcResponse } from '../../../shared/ipc/contract';
import { hashOfConversation } from '../features/workspace/selection';

/** What the page does with one answer of `deep-link:take`. */
export interface LinkActions {
  /** Open the inbox at this conversation. */
  readonly openConversation: (conversationId: string) => void;
  /** A hub link: ask before anything changes (`HubLinkConfirm`). */
  readonly confirmHub: (hubUrl: string) => void;
  /** A link main refused: say why; nothing else happens. */
  readonly refuse: (reason: string) => void;
}

/** Apart from React, so the Node tests drive it with main's own answers. */
export function applyTakenLink(taken: IpcResponse<'deep-link:take'>, actions: LinkActions): void {
  if (taken.refused !== undefined) actions.refuse(taken.refused);
  const { link } = taken;
  if (link === null) return;
  if (link.kind === 'conversation') actions.openConversation(link.conversationId);
  else actions.confirmHub(link.hubUrl);
}

const showRefusal = (reason: string): void => {
  notifications.show({
    id: 'deep-link-refused',
    color: 'red',
    title: 'This link was not opened',
    message: reason,
    autoClose: 10_000,
  });
};

/**
 * The page's half of `replydesk://` links (issue #21 item 2): main parses and checks each link
 * (src/shared/desktop/deep-link.ts), keeps the last valid one and says so; the page takes it,
 * at start and whenever told. A conversation link opens that conversation in the inbox; a hub
 * link is returned to be confirmed (`HubLinkConfirm`) before anything changes; a refused one is
 * explained. Only the main window takes links (`enabled`), never a pop-out.
 */
export function useDesktopLinks(
  desktop: DesktopApi | null,
  enabled: boolean,
): { hubLink: string | null; dismissHubLink: () => void } {
  const [hubLink, setHubLink] = useState<string | null>(null);
  useEffect(() => {
    if (!desktop || !enabled) return;
    const actions: LinkActions = {
      openConversation: (id) => {
        window.location.hash = hashOfConversation(id);
      },
      confirmHub: setHubLink,
      refuse: showRefusal,
    };
    const take = (): void => {
      // Applied even if this effect has been cleaned up meanwhile: main hands a link out once.
      desktop.takeDeepLink().then(
        (taken) => applyTakenLink(taken, actions),
        (error: unknown) => console.warn('Replydesk: could not take the link', error),
      );
    };
    take();
    const unsubscribe = desktop.onDeepLinkAvailable(take);
    return unsubscribe;
  }, [desktop, enabled]);
  return { hubLink, dismissHubLink: () => setHubLink(null) };
}
