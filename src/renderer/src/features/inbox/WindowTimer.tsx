import type { CSSProperties, ComponentPropsWithRef } from 'react';
import { Tooltip } from '@mantine/core';
import type { Conversation } from '../../../../shared/domain/model';
import {
  computeReplyWindow,
  describeAllowance,
  formatWindowTimer,
  type ReplyWindow,
  type WindowState,
} from '../../../../shared/reply-window';
import { useNow } from '../../app/clock';

/**
 * A conversation's reply-window countdown. Hundreds of these tick every second, so the ticking
 * part renders plain spans with constant styles: no Mantine component (each would run its style
 * and floating hooks) re-renders just because a second passed.
 */

const TIMER_COLORS: Readonly<Record<WindowState, string>> = {
  open: 'var(--mantine-color-teal-text)',
  closing: 'var(--mantine-color-orange-text)',
  closed: 'var(--mantine-color-red-text)',
  unlimited: 'var(--mantine-color-dimmed)',
};

const TIMER_STYLES: Readonly<Record<WindowState, CSSProperties>> = Object.fromEntries(
  Object.entries(TIMER_COLORS).map(([state, color]) => [
    state,
    {
      color,
      fontSize: 'var(--mantine-font-size-sm)',
      fontWeight: 500,
      fontVariantNumeric: 'tabular-nums',
      whiteSpace: 'nowrap',
    } satisfies CSSProperties,
  ]),
) as Record<WindowState, CSSProperties>;

// Mantine's VisuallyHidden, as a constant style: read by screen readers, not shown.
const VISUALLY_HIDDEN: CSSProperties = {
  position: 'absolute',
  width: 1,
  height: 1,
  padding: 0,
  margin: -1,
  overflow: 'hidden',
  clip: 'rect(0, 0, 0, 0)',
  whiteSpace: 'nowrap',
  border: 0,
};

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
 * The timer as text coloured by state (open teal, closing orange, closed red, no window gray).
 * Extra props (a tooltip's ref and handlers) go to the outer span.
 */
export function WindowTimer({ window, now, ...rest }: WindowTimerProps) {
  return (
    <span {...rest}>
      <span style={VISUALLY_HIDDEN}>{STATE_NAMES[window.state]}: </span>
      <span
        style={TIMER_STYLES[window.state]}
        data-testid="window-timer"
        data-window-state={window.state}
      >
        {formatWindowTimer(window, now)}
      </span>
      <span style={VISUALLY_HIDDEN}>. May send: {describeAllowance(window.allowed, now)}</span>
    </span>
  );
}

type LiveProps = { readonly conversation: Conversation } & Omit<
  ComponentPropsWithRef<'span'>,
  'children'
>;

/** The timer on the app clock: the only part of a row that re-renders every second. */
function LiveWindowTimer({ conversation, ...rest }: LiveProps) {
  const now = useNow();
  return (
    <WindowTimer
      window={computeReplyWindow(conversation.channel, conversation, now)}
      now={now}
      {...rest}
    />
  );
}

/** "May send: …" for the tooltip; mounted (and ticking) only while the tooltip is open. */
function LiveAllowance({ conversation }: { readonly conversation: Conversation }) {
  const now = useNow();
  const window = computeReplyWindow(conversation.channel, conversation, now);
  return <>May send: {describeAllowance(window.allowed, now)}</>;
}

/** A row's reply-window cell: the live timer, with what may be sent now on hover. */
export function WindowTimerCell({ conversation }: { readonly conversation: Conversation }) {
  return (
    <Tooltip
      label={<LiveAllowance conversation={conversation} />}
      withArrow
      position="left"
      openDelay={250}
    >
      <LiveWindowTimer conversation={conversation} />
    </Tooltip>
  );
}
