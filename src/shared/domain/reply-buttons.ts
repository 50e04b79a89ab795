import { CHANNEL_INFO, type ChannelKind } from './channels';
import type { ReplyButton } from './model';

/**
 * Reply buttons under an agent's text (Messenger and Instagram quick replies): the checks the
 * composer shows as the agent types and the hub applies before anything is queued, from the
 * channel's `replyButtons` capability (`CHANNEL_INFO`).
 */

/** A title's length as the customer's app counts it: characters, not UTF-16 units. */
export function titleLength(title: string): number {
  return [...title].length;
}

/** Why these buttons cannot go with a message on the channel, or null when they can. */
export function checkReplyButtons(
  channel: ChannelKind,
  buttons: readonly ReplyButton[],
): string | null {
  if (buttons.length === 0) return null;
  const { label, replyButtons: limits } = CHANNEL_INFO[channel];
  if (!limits) return `${label} messages take no reply buttons.`;
  if (buttons.length > limits.max) {
    return `${label} takes at most ${limits.max} reply buttons; this message has ${buttons.length}.`;
  }
  const seen = new Set<string>();
  for (const [index, button] of buttons.entries()) {
    const title = button.title.trim();
    if (title === '') return `Reply button ${index + 1} has no title.`;
    const length = titleLength(title);
    if (length > limits.titleMax) {
      return `Reply button ${index + 1} (“${title}”) has ${length} characters; ${label} allows ${limits.titleMax}.`;
    }
    if (seen.has(button.id))
      return `Reply buttons need distinct ids; “${button.id}” is used twice.`;
    seen.add(button.id);
  }
  return null;
}

/** A payload for a new button: stable for the message, unguessable enough to be unique. */
export function newReplyButtonId(random: () => number = Math.random): string {
  let id = 'b_';
  for (let i = 0; i < 10; i += 1) id += Math.floor(random() * 36).toString(36);
  return id;
}
