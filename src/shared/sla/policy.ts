import { z } from 'zod';
import { channelKindSchema, DAY_MS, MINUTE_MS, type ChannelKind } from '../domain/channels';
import { prioritySchema, type ConversationStatus, type Priority } from '../domain/model';
import { formatDuration } from '../reply-window/format';
import type { ReplyWindow } from '../reply-window/types';
import {
  ALWAYS_CLOCK,
  businessCalendarSchema,
  createBusinessClock,
  type BusinessCalendar,
  type BusinessClock,
} from './calendar';

/**
 * SLA policies: how soon a team promises to answer (first response, next response) and to
 * resolve, per channel and priority, counted in business hours or around the clock. The hub
 * records breaches with these functions; the app shows the same due instants in the inbox.
 */

export const SLA_TARGETS = ['first_response', 'next_response', 'resolution'] as const;
export const slaTargetSchema = z.enum(SLA_TARGETS);
export type SlaTarget = z.infer<typeof slaTargetSchema>;

/** How a target reads in a sentence ("first reply due in 12m"). */
export const SLA_TARGET_NAMES: Readonly<Record<SlaTarget, string>> = {
  first_response: 'first reply',
  next_response: 'reply',
  resolution: 'resolution',
};

/** A target's length: at least a minute, at most a year. */
const targetMsSchema = z
  .number()
  .int()
  .min(MINUTE_MS, 'A target is at least 1 minute')
  .max(365 * DAY_MS, 'A target is at most 365 days');

const policyFields = z.object({
  name: z.string().trim().min(1, 'Give the policy a name').max(100),
  /** null: any channel. */
  channel: channelKindSchema.nullable(),
  /** null: any priority. */
  priority: prioritySchema.nullable(),
  /** Each null: no target of that kind. */
  firstResponseMs: targetMsSchema.nullable(),
  nextResponseMs: targetMsSchema.nullable(),
  resolutionMs: targetMsSchema.nullable(),
  hours: z.enum(['business', 'always']),
  enabled: z.boolean(),
});

/** What an admin sends to create or change a policy. */
export const slaPolicyInputSchema = policyFields.refine(
  (policy) =>
    policy.firstResponseMs !== null ||
    policy.nextResponseMs !== null ||
    policy.resolutionMs !== null,
  { message: 'Give the policy at least one target', path: ['firstResponseMs'] },
);
export type SlaPolicyInput = z.infer<typeof slaPolicyInputSchema>;

export const slaPolicySchema = policyFields.extend({
  id: z.string(),
  updatedAt: z.number(),
  /**
   * When the policy began to apply: created, enabled again, or moved to another channel or
   * priority. A conversation already waiting then has its target counted from this instant, not
   * from its first unanswered message: a policy created today does not make a conversation that
   * waited since March "overdue 55d" (issue 12, item 10). 0 (answers of older hubs): from the start.
   */
  appliesFrom: z.number().default(0),
});
export type SlaPolicy = z.infer<typeof slaPolicySchema>;

/** Everything the app needs to show targets: `GET /api/sla` and the `sla.updated` event. */
export const slaSettingsSchema = z.object({
  policies: z.array(slaPolicySchema),
  calendar: businessCalendarSchema,
});
export type SlaSettings = z.infer<typeof slaSettingsSchema>;

/** A missed target, as recorded by the hub (table `sla_breaches`, event `sla.breached`). */
export const slaBreachSchema = z.object({
  id: z.string(),
  conversationId: z.string(),
  policyId: z.string(),
  target: slaTargetSchema,
  dueAt: z.number(),
  breachedAt: z.number(),
  channel: channelKindSchema,
  priority: prioritySchema,
  assigneeId: z.string().nullable(),
});
export type SlaBreach = z.infer<typeof slaBreachSchema>;

/** How specific a policy is: channel + priority (3) > channel (2) > priority (1) > default (0). */
export function specificity(policy: Pick<SlaPolicy, 'channel' | 'priority'>): number {
  return (policy.channel === null ? 0 : 2) + (policy.priority === null ? 0 : 1);
}

/**
 * The policy that applies to a conversation: the most specific enabled one matching its channel
 * and priority. Ties (the hub refuses two enabled policies of the same scope) go to the smaller
 * id, so every part picks the same one.
 */
export function selectPolicy(
  policies: readonly SlaPolicy[],
  channel: ChannelKind,
  priority: Priority,
): SlaPolicy | null {
  let best: SlaPolicy | null = null;
  for (const policy of policies) {
    if (!policy.enabled) continue;
    if (policy.channel !== null && policy.channel !== channel) continue;
    if (policy.priority !== null && policy.priority !== priority) continue;
    if (
      best === null ||
      specificity(policy) > specificity(best) ||
      (specificity(policy) === specificity(best) && policy.id < best.id)
    ) {
      best = policy;
    }
  }
  return best;
}

/**
 * What SLA evaluation reads of a conversation (all on `Conversation`):
 * - `awaitingReplySince`: the first customer message not yet answered by an agent (null when
 *   answered, or resolved);
 * - `firstReplyAt`: the first agent reply ever (null until then);
 * - `openedAt`: when the current open period began (created, or reopened);
 * - `resolvedAt`: when it was resolved (null while not resolved).
 */
export interface SlaFacts {
  readonly channel: ChannelKind;
  readonly priority: Priority;
  readonly status: ConversationStatus;
  readonly awaitingReplySince: number | null;
  readonly firstReplyAt: number | null;
  readonly openedAt: number | null;
  readonly resolvedAt: number | null;
}

/** One active target of a conversation. */
export interface SlaDue {
  readonly target: SlaTarget;
  readonly policyId: string;
  /**
   * When the period this target belongs to began: the first unanswered customer message, or the
   * open period's start. The hub records a target once per period (`recordBreaches`).
   */
  readonly since: number;
  /**
   * When the clock of this target started: `since`, or the policy's `appliesFrom` when the
   * conversation was already waiting before the policy applied.
   */
  readonly startedAt: number;
  /** The instant the target is missed: breached at `dueAt` exactly, not 1 ms before. */
  readonly dueAt: number;
  /** From this instant the target is "due soon" (see `DUE_SOON`). */
  readonly dueSoonAt: number;
}

/**
 * "Due soon" (amber) starts when a quarter of the target's counted time is left, but never more
 * than 15 minutes of it before the due instant: a 30 min first reply turns amber with 7½ min
 * left, a 1 h or 8 h target with 15 min left. Counted time: on a business clock, "15 min left"
 * means 15 business minutes (Friday 16:55 for a reply due Monday 09:10).
 */
export const DUE_SOON = { fraction: 0.25, maxMs: 15 * MINUTE_MS } as const;

/** Clocks by `hours`; build once per calendar and reuse (they memoise days). */
export interface SlaClocks {
  readonly business: BusinessClock;
  readonly always: BusinessClock;
}

export function slaClocks(calendar: BusinessCalendar): SlaClocks {
  return { business: createBusinessClock(calendar), always: ALWAYS_CLOCK };
}

/**
 * The targets of a conversation under `policy`, with their due instants, soonest first. Each
 * counts from the later of its period's start and the policy's `appliesFrom`.
 */
export function evaluateSla(
  facts: SlaFacts,
  policy: SlaPolicy | null,
  clocks: SlaClocks,
): SlaDue[] {
  if (policy === null || !policy.enabled || facts.status === 'resolved') return [];
  const clock = clocks[policy.hours];
  const due: SlaDue[] = [];
  const add = (target: SlaTarget, since: number | null, lengthMs: number | null): void => {
    if (since === null || lengthMs === null) return;
    const startedAt = Math.max(since, policy.appliesFrom);
    const dueAt = clock.add(startedAt, lengthMs);
    if (dueAt === null) return;
    const soonMs = Math.min(DUE_SOON.maxMs, Math.floor(lengthMs * DUE_SOON.fraction));
    const dueSoonAt = clock.add(startedAt, lengthMs - soonMs) ?? dueAt;
    due.push({ target, policyId: policy.id, since, startedAt, dueAt, dueSoonAt });
  };
  if (facts.awaitingReplySince !== null) {
    if (facts.firstReplyAt === null)
      add('first_response', facts.awaitingReplySince, policy.firstResponseMs);
    else add('next_response', facts.awaitingReplySince, policy.nextResponseMs);
  }
  add('resolution', facts.openedAt, policy.resolutionMs);
  return due.sort((a, b) => a.dueAt - b.dueAt);
}

/** A conversation's targets from the settings: the chosen policy on its clock. */
export function dueTargetsOf(
  facts: SlaFacts,
  settings: Pick<SlaSettings, 'policies'>,
  clocks: SlaClocks,
): SlaDue[] {
  return evaluateSla(facts, selectPolicy(settings.policies, facts.channel, facts.priority), clocks);
}

export type SlaState = 'ok' | 'due_soon' | 'missed';

export function slaStateAt(due: SlaDue, now: number): SlaState {
  if (now >= due.dueAt) return 'missed';
  return now >= due.dueSoonAt ? 'due_soon' : 'ok';
}

/** What an inbox row and the header show: the reply window or an SLA target. */
export type Urgency =
  | { readonly kind: 'window' }
  | {
      readonly kind: 'sla';
      readonly due: SlaDue;
      readonly state: SlaState;
      /** "first reply due in 12m", "reply overdue 5m". */
      readonly label: string;
    };

/**
 * The most urgent of the reply window and the SLA targets at `now`: a missed target first (it
 * needs attention whatever the window says), else whichever is due sooner — the window's
 * closing (while open) or a target's due instant. When neither has a deadline, the window (its
 * timer says "no limit" or "closed").
 */
export function mostUrgent(
  window: ReplyWindow | null,
  due: readonly SlaDue[],
  now: number,
): Urgency {
  let soonest: SlaDue | null = null;
  for (const item of due) if (soonest === null || item.dueAt < soonest.dueAt) soonest = item;
  if (soonest === null) return { kind: 'window' };
  const state = slaStateAt(soonest, now);
  if (state !== 'missed' && window !== null) {
    const windowOpen = window.state === 'open' || window.state === 'closing';
    if (windowOpen && window.closesAt !== null && window.closesAt <= soonest.dueAt)
      return { kind: 'window' };
  }
  return { kind: 'sla', due: soonest, state, label: describeDue(soonest, now) };
}

/** "first reply due in 12m" / "first reply overdue 3m". */
export function describeDue(due: SlaDue, now: number): string {
  const name = SLA_TARGET_NAMES[due.target];
  return now >= due.dueAt
    ? `${name} overdue ${formatDuration(now - due.dueAt)}`
    : `${name} due in ${formatDuration(due.dueAt - now)}`;
}
