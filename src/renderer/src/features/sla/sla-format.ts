import { CHANNEL_INFO } from '../../../../shared/domain/channels';
import { formatDuration } from '../../../../shared/reply-window';
import { SLA_TARGET_NAMES, type SlaPolicy, type SlaTarget } from '../../../../shared/sla';

/** How SLA settings read on screen (pure, shared by the admin page and the targets shown). */

const MS_OF: Readonly<Record<SlaTarget, 'firstResponseMs' | 'nextResponseMs' | 'resolutionMs'>> = {
  first_response: 'firstResponseMs',
  next_response: 'nextResponseMs',
  resolution: 'resolutionMs',
};

export const targetLengthOf = (policy: SlaPolicy, target: SlaTarget): number | null =>
  policy[MS_OF[target]];

/** "30m", "2h", "1d 4h"; "—" for no target. */
export function formatTargetLength(ms: number | null): string {
  if (ms === null) return '—';
  return formatDuration(ms).replace(/ 0m$/, '');
}

export const HOURS_LABELS: Readonly<Record<SlaPolicy['hours'], string>> = {
  business: 'Business hours',
  always: 'Around the clock',
};

/** "first reply within 30m (business hours)". */
export function describeTarget(policy: SlaPolicy, target: SlaTarget): string {
  const hours = policy.hours === 'business' ? 'business hours' : 'around the clock';
  return `${SLA_TARGET_NAMES[target]} within ${formatTargetLength(targetLengthOf(policy, target))} (${hours})`;
}

/** "WhatsApp · urgent", "Any channel · any priority". */
export function describeScope(policy: Pick<SlaPolicy, 'channel' | 'priority'>): string {
  const channel = policy.channel === null ? 'Any channel' : CHANNEL_INFO[policy.channel].label;
  return `${channel} · ${policy.priority === null ? 'any priority' : policy.priority}`;
}

export type DurationUnit = 'm' | 'h' | 'd';
export const UNIT_MS: Readonly<Record<DurationUnit, number>> = {
  m: 60_000,
  h: 3_600_000,
  d: 86_400_000,
};

/** A target length as the editor shows it: the largest unit that divides it. */
export function splitDuration(ms: number | null): { value: number | ''; unit: DurationUnit } {
  if (ms === null) return { value: '', unit: 'm' };
  if (ms % UNIT_MS.d === 0) return { value: ms / UNIT_MS.d, unit: 'd' };
  if (ms % UNIT_MS.h === 0) return { value: ms / UNIT_MS.h, unit: 'h' };
  return { value: Math.round(ms / UNIT_MS.m), unit: 'm' };
}

/** The editor's value and unit back to ms; null when empty (no target). */
export function joinDuration(value: number | string, unit: DurationUnit): number | null {
  if (value === '' || value === null) return null;
  const number = typeof value === 'number' ? value : Number(value);
  if (!Number.isFinite(number)) return null;
  return Math.round(number * UNIT_MS[unit]);
}
