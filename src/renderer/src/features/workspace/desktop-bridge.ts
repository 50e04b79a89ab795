import type { Conversation } from '../../../../shared/domain/model';
import type { OutgoingContent } from '../../../../shared/protocol/commands';
import type { DesktopApi, IpcEventPayload, IpcRequest } from '../../../../shared/ipc/contract';
import { inlineReplyCheck } from '../../../../shared/desktop/inline-reply';
import type { OutboxEntry } from '../../data/types';
import { countQueuedReplies } from './SyncBanner';

/**
 * What the page does with what the desktop shell hands it (issue #21), apart from React so the
 * Node tests drive it with the main process's own events.
 */

export type InlineReply = IpcEventPayload<'notification:reply'>;

/**
 * What a restart would interrupt in one window (`app:activity`, issue #21 item 5): replies in the
 * outbox (a failed one waits for the agent, not for the network: it does not hold an update
 * back), and a reply being typed in the conversation the window shows. Drafts of conversations
 * not on screen are saved and come back after the restart.
 */
export function windowActivity(
  outbox: readonly OutboxEntry[] | undefined,
  openDraft: string | undefined,
): IpcRequest<'app:activity'> {
  return { pendingReplies: countQueuedReplies(outbox), typing: (openDraft ?? '').trim() !== '' };
}

export interface InlineReplyDeps {
  readonly conversation: Conversation | undefined;
  readonly now: number;
  /** The data layer's `sendMessage`: the outbox, like any reply. */
  readonly send: (conversationId: string, content: OutgoingContent) => Promise<unknown>;
  /** Say it was not sent, offering to open the conversation (the app) to answer there. */
  readonly refuse: (conversationId: string, reason: string) => void;
}

/**
 * A reply typed into a notification (macOS inline reply): queued as plain text while the
 * conversation's reply window allows a free-form message, else refused with the reason and an
 * offer to open the app (a template, or a tag, needs the composer).
 */
export async function deliverInlineReply(
  reply: InlineReply,
  deps: InlineReplyDeps,
): Promise<'queued' | 'refused'> {
  const check = inlineReplyCheck(deps.conversation, deps.now);
  if (!check.ok) {
    deps.refuse(reply.conversationId, check.reason);
    return 'refused';
  }
  await deps.send(reply.conversationId, { type: 'text', body: reply.text });
  return 'queued';
}

/** The system notification that says an inline reply was not sent; clicking it opens the app. */
export function refusedReplyNotification(
  conversationId: string,
  reason: string,
): Parameters<DesktopApi['showNotification']>[0] {
  return {
    title: 'Reply not sent',
    body: `${reason} Click to open the conversation in Replydesk.`.slice(0, 500),
    conversationId,
    replyable: false,
  };
}
