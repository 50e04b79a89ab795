import type { Conversation } from '../domain/model';
import { computeReplyWindow } from '../reply-window';

/**
 * Whether a reply typed into a notification (macOS inline reply, issue #21 item 3) may go out as
 * it is: plain text, through the outbox like any reply. Only while the reply window allows a
 * free-form message: a template needs the composer, and a tag (Messenger's HUMAN_AGENT) is a
 * choice the agent makes there, seeing why.
 */
export type InlineReplyCheck =
  { readonly ok: true } | { readonly ok: false; readonly reason: string };

export function inlineReplyCheck(
  conversation: Conversation | undefined,
  now: number,
): InlineReplyCheck {
  if (conversation === undefined) {
    return { ok: false, reason: 'This conversation is not on this computer yet.' };
  }
  const { allowed } = computeReplyWindow(conversation.channel, conversation, now);
  switch (allowed.kind) {
    case 'free_form':
      return { ok: true };
    case 'tag_only':
      return {
        ok: false,
        reason: 'The reply window has closed: a reply now needs a message tag.',
      };
    case 'template_only':
      return { ok: false, reason: 'The reply window has closed: only a template can be sent.' };
    case 'none':
      return { ok: false, reason: allowed.reason };
  }
}
