import './sla.css';
import type { ComponentPropsWithRef, CSSProperties, ReactNode } from 'react';
import { Tooltip } from '@mantine/core';
import { IconTargetArrow } from '@tabler/icons-react';
import type { Conversation } from '../../../../shared/domain/model';
import {
  describeDue,
  slaStateAt,
  SLA_TARGET_NAMES,
  type SlaDue,
  type SlaState,
  type Urgency,
} from '../../../../shared/sla';
import { formatDuration } from '../../../../shared/reply-window';
import { readClock, useNow } from '../../app/clock';
import { formatWhen } from '../../format/dates';
import { useSla, useSlaDue } from './sla-store';
import { describeTarget } from './sla-format';

/** Spoken before the label, so the state is not told by colour alone. */
const STATE_NAMES: Readonly<Record<SlaState, string>> = {
  ok: 'SLA',
  due_soon: 'SLA due soon',
  missed: 'SLA missed',
};

export type SlaTimerProps = {
  readonly urgency: Extract<Urgency, { kind: 'sla' }>;
} & Omit<ComponentPropsWithRef<'span'>, 'children'>;

/** An inbox row's SLA label ("first reply due in 12m"), in the reply-window timer's pill. */
export function SlaTimer({ urgency, ...rest }: SlaTimerProps) {
  return (
    <span {...rest}>
      <span className="rd-visually-hidden">{STATE_NAMES[urgency.state]}: </span>
      <span
        className="rd-timer"
        data-testid="sla-timer"
        data-sla-state={urgency.state}
        data-sla-target={urgency.due.target}
      >
        {urgency.label}
      </span>
    </span>
  );
}

/**
 * An inbox row's SLA target beside the reply-window timer: a target icon and the time left
 * ("45m"), or how late it is ("5m late"); the sentence is spoken, and shown in the tooltip.
 */
export function SlaChip({ due, now }: { readonly due: SlaDue; readonly now: number }) {
  const state = slaStateAt(due, now);
  const short =
    state === 'missed'
      ? `${formatDuration(now - due.dueAt)} late`
      : formatDuration(due.dueAt - now);
  return (
    <span
      className="rd-sla-chip"
      data-testid="sla-chip"
      data-sla-state={state}
      data-sla-target={due.target}
    >
      <span className="rd-visually-hidden">{`${STATE_NAMES[state]}: ${describeDue(due, now)}`}</span>
      <IconTargetArrow size={11} stroke={2.25} aria-hidden />
      <span aria-hidden>{short}</span>
    </span>
  );
}

const capitalise = (text: string): string => text.charAt(0).toUpperCase() + text.slice(1);

/** "First reply due Mon 09:20": a line for a tooltip. */
export function describeDueAt(due: SlaDue, now: number): string {
  const name = capitalise(SLA_TARGET_NAMES[due.target]);
  return now >= due.dueAt
    ? `${name} was due ${formatWhen(due.dueAt, now)}`
    : `${name} due ${formatWhen(due.dueAt, now)}`;
}

const FACT_COLORS: Readonly<Record<SlaState, string>> = {
  ok: 'var(--mantine-color-blue-text)',
  due_soon: 'var(--mantine-color-orange-text)',
  missed: 'var(--mantine-color-red-text)',
};

const FACT_STYLES = Object.fromEntries(
  Object.entries(FACT_COLORS).map(([state, color]) => [
    state,
    {
      display: 'inline-flex',
      alignItems: 'center',
      gap: 5,
      color,
      fontSize: 'var(--mantine-font-size-xs)',
      whiteSpace: 'nowrap',
      cursor: 'default',
    } satisfies CSSProperties,
  ]),
) as Record<SlaState, CSSProperties>;

const VALUE_STYLE: CSSProperties = { fontWeight: 600, fontVariantNumeric: 'tabular-nums' };

/** The ticking part of the header's SLA fact: mounted only while a target runs. */
function LiveSlaFact({ due }: { readonly due: SlaDue }) {
  const now = useNow();
  const state = slaStateAt(due, now);
  return (
    <span style={FACT_STYLES[state]} data-testid="sla-countdown" data-sla-state={state}>
      <IconTargetArrow size={14} aria-hidden />
      <span style={VALUE_STYLE}>{capitalise(describeDue(due, now))}</span>
    </span>
  );
}

/**
 * The conversation header's SLA target: the soonest running target of the conversation's
 * policy, amber when due soon, red when missed; nothing (not even `divider`, shown before it)
 * when no target runs.
 */
export function HeaderSlaFact({
  conversation,
  divider,
}: {
  readonly conversation: Conversation;
  readonly divider?: ReactNode;
}) {
  const due = useSlaDue(conversation);
  const sla = useSla();
  const soonest = due[0];
  if (!soonest || !sla) return null;
  const policy = sla.settings.policies.find((p) => p.id === soonest.policyId);
  // The tooltip is read when it opens; the due instant does not move with the clock.
  const when = `${describeDueAt(soonest, readClock())}.`;
  const detail = policy
    ? `${when} Policy "${policy.name}": ${describeTarget(policy, soonest.target)}.`
    : when;
  return (
    <>
      {divider}
      <Tooltip label={detail} multiline w={320} withArrow openDelay={200}>
        <span>
          <LiveSlaFact due={soonest} />
        </span>
      </Tooltip>
    </>
  );
}
