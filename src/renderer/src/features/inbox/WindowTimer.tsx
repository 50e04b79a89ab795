import type { ComponentPropsWithRef } from 'react';
import type { Conversation } from '../../../../shared/domain/model';
import { CHANNEL_INFO } from '../../../../shared/domain/channels';
import {
  computeReplyWindow,
  describeAllowance,
  formatWindowTimer,
  type ReplyWindow,
  type WindowState,
} from '../../../../shared/reply-window';
import { mostUrgent } from '../../../../shared/sla';
import { LazyTooltip } from '../../components/LazyTooltip';
import { useNow } from '../../app/clock';
import { useSlaDue } from '../sla/sla-store';
import { describeDueAt, SlaChip, SlaTimer } from '../sla/SlaTimer';

/**
 * A conversation's reply-window countdown. Every visible row has one ticking each second, so the
 * ticking part renders plain spans whose look comes from a class (inbox-list.css): no Mantine
 * component re-renders just because a second passed.
 */

/** Spoken before the timer, so the state is not told by colour alone. */
const STATE_NAMES: Readonly<Record<WindowState, string>> = {
  open: 'Reply window open',
  closing: 'Reply window closing soon',
  closed: 'Reply window',
  unlimited: 'No reply window',
};

export type WindowTimerProps = {
  readonly window: ReplyWindow;
  readonly now: number;
} & Omit<ComponentPropsWithRef<'span'>, 'children'>;

/**
 * The timer as text coloured by state (open teal, closing orange on a tint, closed red, no
 * window gray). Extra props (a tooltip's ref and handlers) go to the outer span.
 */
export function WindowTimer({ window, now, ...rest }: WindowTimerProps) {
  return (
    <span {...rest}>
      <span className="rd-visually-hidden">{STATE_NAMES[window.state]}: </span>
      <span className="rd-timer" data-testid="window-timer" data-window-state={window.state}>
        {formatWindowTimer(window, now)}
      </span>
    </span>
  );
}

type LiveProps = { readonly conversation: Conversation } & Omit<
  ComponentPropsWithRef<'span'>,
  'children'
>;

/** The timer on the app clock: the only part of a row that re-renders every second. */
export function LiveWindowTimer({ conversation, ...rest }: LiveProps) {
  const now = useNow();
  return (
    <WindowTimer
      window={computeReplyWindow(conversation.channel, conversation, now)}
      now={now}
      {...rest}
    />
  );
}

/**
 * A row's deadlines (issue 12, item 10): the reply window, and beside it a small chip with the
 * SLA target while one runs, so neither hides the other (a missed target no longer replaces the
 * window's countdown). On a channel without a window the target takes the whole pill ("first
 * reply due in 45m"). The due instants are computed when the conversation or the policies
 * change; a tick only compares them with now.
 */
export function LiveRowTimers({ conversation, ...rest }: LiveProps) {
  const now = useNow();
  const due = useSlaDue(conversation);
  const window = computeReplyWindow(conversation.channel, conversation, now);
  const soonest = due[0];
  if (conversation.blockedAt !== null && conversation.blockedAt !== undefined) {
    // Nothing can reach a customer who blocked the business: the row says so, not a countdown.
    return (
      <span className="rd-row-deadlines" {...rest}>
        <span className="rd-visually-hidden">Cannot be written to: </span>
        <span
          className="rd-timer"
          data-testid="window-timer"
          data-window-state="closed"
          data-blocked
        >
          {conversation.blockedReason
            ? 'closed'
            : (CHANNEL_INFO[conversation.channel].blockedLabel?.toLowerCase() ?? 'blocked')}
        </span>
      </span>
    );
  }
  if (soonest && window.state === 'unlimited') {
    const urgency = mostUrgent(window, due, now);
    if (urgency.kind === 'sla') return <SlaTimer urgency={urgency} {...rest} />;
  }
  return (
    <span className="rd-row-deadlines" {...rest}>
      {soonest ? <SlaChip due={soonest} now={now} /> : null}
      <WindowTimer window={window} now={now} />
    </span>
  );
}

/** "May send: …" for the tooltip; mounted (and ticking) only while the tooltip is open. */
function LiveAllowance({ conversation }: { readonly conversation: Conversation }) {
  const now = useNow();
  const due = useSlaDue(conversation);
  const window = computeReplyWindow(conversation.channel, conversation, now);
  const first = due[0];
  return (
    <>
      {first ? (
        <>
          {describeDueAt(first, now)}
          <br />
          Reply window: {formatWindowTimer(window, now)}
          <br />
        </>
      ) : null}
      May send: {describeAllowance(window.allowed, now)}
    </>
  );
}

/** A row's timers (reply window and SLA target), with what may be sent now on hover. */
export function WindowTimerCell({ conversation }: { readonly conversation: Conversation }) {
  return (
    <LazyTooltip
      label={<LiveAllowance conversation={conversation} />}
      withArrow
      position="left"
      openDelay={400}
    >
      <LiveRowTimers conversation={conversation} />
    </LazyTooltip>
  );
}
