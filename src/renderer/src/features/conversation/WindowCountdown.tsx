import { CHANNEL_INFO } from '../../../../shared/domain/channels';
import type { CSSProperties } from 'react';
import type { Conversation } from '../../../../shared/domain/model';
import { computeReplyWindow, type WindowState } from '../../../../shared/reply-window';
import { useNow } from '../../app/clock';
import { describeCountdown } from './window-summary';

/**
 * The header's exact countdown ("23:12:05", "closes at 14:32"). It is the only part of the
 * conversation pane that reads the clock every second (issue 4, "One clock"), and it renders
 * plain spans with constant styles so a tick costs one small text update.
 */

const VALUE_COLORS: Readonly<Record<WindowState, string>> = {
  open: 'var(--mantine-color-teal-text)',
  closing: 'var(--mantine-color-orange-text)',
  closed: 'var(--mantine-color-red-text)',
  unlimited: 'var(--mantine-color-dimmed)',
};

const VALUE_STYLES = Object.fromEntries(
  Object.entries(VALUE_COLORS).map(([state, color]) => [
    state,
    {
      color,
      fontSize: 'var(--mantine-font-size-md)',
      fontWeight: 600,
      fontVariantNumeric: 'tabular-nums',
      letterSpacing: 0.2,
      whiteSpace: 'nowrap',
    } satisfies CSSProperties,
  ]),
) as Record<WindowState, CSSProperties>;

const CAPTION_STYLE: CSSProperties = {
  fontSize: 'var(--mantine-font-size-xs)',
  color: 'var(--mantine-color-dimmed)',
  whiteSpace: 'nowrap',
  marginLeft: 6,
};

export function WindowCountdown({ conversation }: { readonly conversation: Conversation }) {
  const now = useNow();
  const window = computeReplyWindow(conversation.channel, conversation, now);
  const blocked = conversation.blockedAt !== null && conversation.blockedAt !== undefined;
  // A customer who blocked the business: no window matters until they unblock it.
  const view = blocked
    ? conversation.blockedReason
      ? // The composer says why in full; the header's line stays short.
        { value: 'Closed', caption: 'The account is no longer in this chat' }
      : {
          value: CHANNEL_INFO[conversation.channel].blockedLabel ?? 'Blocked',
          caption: CHANNEL_INFO[conversation.channel].blockedLabel
            ? `The ${CHANNEL_INFO[conversation.channel].label} session with ${conversation.customer.name} has ended`
            : `${conversation.customer.name} blocked this account on ${CHANNEL_INFO[conversation.channel].label}`,
        }
    : describeCountdown(window, now);
  const state = blocked ? 'closed' : window.state;
  return (
    <span
      data-testid="window-countdown"
      data-window-state={state}
      data-blocked={blocked || undefined}
    >
      <span style={VALUE_STYLES[state]} data-testid="window-countdown-value">
        {view.value}
      </span>
      <span style={CAPTION_STYLE}>{view.caption}</span>
    </span>
  );
}
