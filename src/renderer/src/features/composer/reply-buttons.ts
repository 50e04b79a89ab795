import { CHANNEL_INFO, type ChannelKind } from '../../../../shared/domain/channels';
import type { ReplyButton } from '../../../../shared/domain/model';
import { checkReplyButtons, titleLength } from '../../../../shared/domain/reply-buttons';

/**
 * The composer's reply buttons (Messenger / Instagram quick replies): the options the agent puts
 * under a text, as state the component holds and these functions change, so the rules are
 * tested without a browser. Offered where the channel has the `replyButtons` capability; a title
 * is cut at the channel's limit as it is typed (the counter shows how much is left), and what
 * may not be sent is said before Send (the hub checks the same again).
 */

export type ReplyButtonsState = readonly ReplyButton[];

export const NO_BUTTONS: ReplyButtonsState = [];

/** The channel's limits, or null where it takes no buttons (no control is shown). */
export function buttonLimits(channel: ChannelKind) {
  return CHANNEL_INFO[channel].replyButtons ?? null;
}

/** One more, empty option (until the channel's maximum). */
export function addButton(
  state: ReplyButtonsState,
  channel: ChannelKind,
  id: string,
): ReplyButtonsState {
  const limits = buttonLimits(channel);
  if (!limits || state.length >= limits.max) return state;
  return [...state, { id, title: '' }];
}

/** The option's title as typed, cut at the channel's limit (in characters, not UTF-16 units). */
export function setButtonTitle(
  state: ReplyButtonsState,
  channel: ChannelKind,
  index: number,
  title: string,
): ReplyButtonsState {
  const max = buttonLimits(channel)?.titleMax ?? 0;
  const cut = titleLength(title) > max ? [...title].slice(0, max).join('') : title;
  return state.map((button, i) => (i === index ? { ...button, title: cut } : button));
}

export function removeButton(state: ReplyButtonsState, index: number): ReplyButtonsState {
  return state.filter((_, i) => i !== index);
}

export interface ReplyButtonsView {
  readonly rows: readonly {
    readonly id: string;
    readonly title: string;
    /** `7 / 20` */
    readonly counter: string;
    readonly full: boolean;
  }[];
  readonly canAdd: boolean;
  /** `2 of 13` */
  readonly count: string;
  /** Why Send is held back, in words; null when the buttons may go. */
  readonly problem: string | null;
}

/** What the control shows for the state and the text they go under. */
export function buttonsView(
  state: ReplyButtonsState,
  channel: ChannelKind,
  text: string,
): ReplyButtonsView {
  const limits = buttonLimits(channel);
  const max = limits?.max ?? 0;
  const titleMax = limits?.titleMax ?? 0;
  const problem =
    state.length === 0
      ? null
      : text.trim() === ''
        ? 'Write the message the buttons go under.'
        : checkReplyButtons(channel, state);
  return {
    rows: state.map((button) => {
      const length = titleLength(button.title);
      return {
        id: button.id,
        title: button.title,
        counter: `${length} / ${titleMax}`,
        full: length >= titleMax,
      };
    }),
    canAdd: state.length < max,
    count: `${state.length} of ${max}`,
    problem,
  };
}

/** The buttons as the send command carries them (titles trimmed), or none. */
export function outgoingButtons(
  state: ReplyButtonsState,
): { readonly replyButtons: ReplyButton[] } | Record<string, never> {
  if (state.length === 0) return {};
  return { replyButtons: state.map((button) => ({ id: button.id, title: button.title.trim() })) };
}
