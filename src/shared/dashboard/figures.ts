import { z } from 'zod';
import { channelKindSchema, type ChannelKind } from '../domain/channels';
import { computeReplyWindow } from '../reply-window';
import { bucketIndex, type Buckets } from './time-buckets';

/**
 * The dashboard's figures from stored facts (messages and SLA breaches), as pure functions: the
 * hub reads the rows with SQL and hands them here, so the same rows always give the same figures
 * — after a restart too (issue 5: "every figure is computed by the hub from stored events").
 */

// ---------------------------------------------------------------------------------------------
// Statistics

/**
 * The `p`-th percentile (0–100) of `values` by linear interpolation between closest ranks (the
 * spreadsheet PERCENTILE.INC rule, so the 50th is the usual median), rounded to whole ms; null
 * for no values.
 */
export function percentile(values: readonly number[], p: number): number | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const rank = (p / 100) * (sorted.length - 1);
  const below = Math.floor(rank);
  const low = sorted[below] ?? 0;
  const high = sorted[Math.min(below + 1, sorted.length - 1)] ?? low;
  return Math.round(low + (high - low) * (rank - below));
}

export const durationSummarySchema = z.object({
  count: z.number().int(),
  medianMs: z.number().nullable(),
  p90Ms: z.number().nullable(),
});
export type DurationSummary = z.infer<typeof durationSummarySchema>;

export function summarize(values: readonly number[]): DurationSummary {
  return { count: values.length, medianMs: percentile(values, 50), p90Ms: percentile(values, 90) };
}

// ---------------------------------------------------------------------------------------------
// Facts

/** One stored message of a conversation's timeline, as the dashboard needs it. */
export interface TimelineMessage {
  readonly conversationId: string;
  readonly channel: ChannelKind;
  readonly direction: 'inbound' | 'outbound';
  /** The agent who wrote it; null for customers and automatic messages. */
  readonly authorId: string | null;
  readonly at: number;
  readonly tag: string | null;
  readonly cost: { readonly amount: number; readonly currency: string } | null;
}

/** An agent's answer to one or more unanswered customer messages. */
export interface ResponseFact {
  readonly conversationId: string;
  readonly channel: ChannelKind;
  readonly authorId: string;
  readonly at: number;
  /** From the first unanswered customer message to the answer. */
  readonly waitMs: number;
  /** The conversation's first response, or a later one. */
  readonly kind: 'first' | 'next';
}

/** Any agent-authored message. */
export interface ReplyFact {
  readonly conversationId: string;
  readonly channel: ChannelKind;
  readonly authorId: string;
  readonly at: number;
  /** Sent after the free-reply window had closed (a template, or a tagged message). */
  readonly late: boolean;
  readonly cost: { readonly amount: number; readonly currency: string } | null;
}

export interface BreachFact {
  readonly conversationId: string;
  readonly channel: ChannelKind;
  readonly assigneeId: string | null;
  readonly target: 'first_response' | 'next_response' | 'resolution';
  readonly at: number;
}

/**
 * Whether an agent's message went out after the reply window had closed: the shared window rules
 * (the same the hub enforces) at the instant it was sent, from the customer's last message before
 * it. A message sent with a tag (Messenger's HUMAN_AGENT) is late by definition: the tag is only
 * needed once the ordinary window is over. Entry-point extensions (ads, WeChat menus) are not
 * kept per message, so a reply inside one counts by the ordinary window.
 */
export function wasLateReply(
  channel: ChannelKind,
  lastInboundAt: number | null,
  sentAt: number,
  tag: string | null,
): boolean {
  if (tag !== null) return true;
  return computeReplyWindow(channel, { lastInboundAt }, sentAt).state === 'closed';
}

/**
 * Responses and agent messages from timelines grouped by conversation, each in time order. A
 * response is the first agent-authored message after one or more unanswered customer messages;
 * its wait runs from the first of those. Automatic messages (no author) answer nothing.
 */
export function readTimelines(messages: readonly TimelineMessage[]): {
  responses: ResponseFact[];
  replies: ReplyFact[];
} {
  const responses: ResponseFact[] = [];
  const replies: ReplyFact[] = [];
  let conversationId: string | null = null;
  let unansweredSince: number | null = null;
  let lastInboundAt: number | null = null;
  let responded = false;
  for (const message of messages) {
    if (message.conversationId !== conversationId) {
      conversationId = message.conversationId;
      unansweredSince = null;
      lastInboundAt = null;
      responded = false;
    }
    if (message.direction === 'inbound') {
      unansweredSince ??= message.at;
      lastInboundAt = message.at;
      continue;
    }
    if (message.authorId === null) continue;
    replies.push({
      conversationId: message.conversationId,
      channel: message.channel,
      authorId: message.authorId,
      at: message.at,
      late: wasLateReply(message.channel, lastInboundAt, message.at, message.tag),
      cost: message.cost,
    });
    if (unansweredSince !== null) {
      responses.push({
        conversationId: message.conversationId,
        channel: message.channel,
        authorId: message.authorId,
        at: message.at,
        waitMs: message.at - unansweredSince,
        kind: responded ? 'next' : 'first',
      });
      responded = true;
      unansweredSince = null;
    }
  }
  return { responses, replies };
}

// ---------------------------------------------------------------------------------------------
// Figures

export const moneySchema = z.object({ amount: z.number(), currency: z.string() });
export type Money = z.infer<typeof moneySchema>;

export const groupFiguresSchema = z.object({
  firstResponse: durationSummarySchema,
  nextResponse: durationSummarySchema,
  breaches: z.object({
    total: z.number().int(),
    firstResponse: z.number().int(),
    nextResponse: z.number().int(),
    resolution: z.number().int(),
  }),
  /** Conversations with an agent reply in the range. */
  handled: z.number().int(),
  lateReplies: z.object({
    count: z.number().int(),
    /** One amount per currency, by currency code. */
    cost: z.array(moneySchema),
  }),
});
export type GroupFigures = z.infer<typeof groupFiguresSchema>;

export const groupRowSchema = groupFiguresSchema.extend({
  /** The agent, channel or team id; null for "Unassigned" / "No team". */
  key: z.string().nullable(),
  name: z.string(),
});
export type GroupRow = z.infer<typeof groupRowSchema>;

export const seriesPointSchema = z.object({
  start: z.number(),
  inbound: z.number().int(),
  responses: z.number().int(),
  medianFirstResponseMs: z.number().nullable(),
  breaches: z.number().int(),
});
export type SeriesPoint = z.infer<typeof seriesPointSchema>;

/** CSAT of one group: questions asked in the range, their answers, and those not asked. */
export const csatFiguresSchema = z.object({
  asked: z.number().int(),
  responses: z.number().int(),
  satisfied: z.number().int(),
  /** Satisfied answers in % of answers (one decimal); null with no answers. */
  scorePct: z.number().nullable(),
  /** Answers in % of questions asked (one decimal); null with none asked. */
  responseRatePct: z.number().nullable(),
  /** Not asked (the window had closed, no template…). */
  notAsked: z.number().int(),
});
export type CsatFigures = z.infer<typeof csatFiguresSchema>;

export const csatRowSchema = csatFiguresSchema.extend({
  key: z.string().nullable(),
  name: z.string(),
});
export type CsatRow = z.infer<typeof csatRowSchema>;

export const dashboardFiguresSchema = z.object({
  range: z.object({ from: z.number(), to: z.number(), timeZone: z.string() }),
  generatedAt: z.number(),
  totals: groupFiguresSchema,
  byAgent: z.array(groupRowSchema),
  byChannel: z.array(groupRowSchema.extend({ key: channelKindSchema })),
  byTeam: z.array(groupRowSchema),
  series: z.object({ hourly: z.array(seriesPointSchema), daily: z.array(seriesPointSchema) }),
  /** CSAT by the agent who resolved, their team, and the channel (absent from older hubs). */
  csat: z
    .object({
      totals: csatFiguresSchema,
      byAgent: z.array(csatRowSchema),
      byChannel: z.array(csatRowSchema),
      byTeam: z.array(csatRowSchema),
    })
    .optional(),
});
export type DashboardFigures = z.infer<typeof dashboardFiguresSchema>;

const round4 = (n: number): number => Math.round(n * 10_000) / 10_000;

/** The figures of one group of facts (everything, one agent, one channel, one team). */
export function groupFigures(
  responses: readonly ResponseFact[],
  replies: readonly ReplyFact[],
  breaches: readonly BreachFact[],
): GroupFigures {
  const cost = new Map<string, number>();
  let late = 0;
  for (const reply of replies) {
    if (!reply.late) continue;
    late += 1;
    if (reply.cost !== null) {
      cost.set(reply.cost.currency, (cost.get(reply.cost.currency) ?? 0) + reply.cost.amount);
    }
  }
  const count = (target: BreachFact['target']): number =>
    breaches.filter((breach) => breach.target === target).length;
  return {
    firstResponse: summarize(responses.filter((r) => r.kind === 'first').map((r) => r.waitMs)),
    nextResponse: summarize(responses.filter((r) => r.kind === 'next').map((r) => r.waitMs)),
    breaches: {
      total: breaches.length,
      firstResponse: count('first_response'),
      nextResponse: count('next_response'),
      resolution: count('resolution'),
    },
    handled: new Set(replies.map((reply) => reply.conversationId)).size,
    lateReplies: {
      count: late,
      cost: [...cost]
        .sort(([a], [b]) => a.localeCompare(b))
        .map(([currency, amount]) => ({ currency, amount: round4(amount) })),
    },
  };
}

/** One CSAT request: asked (at `at`), answered or not; or not asked (at its due time). */
export interface CsatFact {
  readonly conversationId: string;
  readonly channel: ChannelKind;
  /** The agent who resolved the conversation. */
  readonly agentId: string | null;
  readonly at: number;
  readonly asked: boolean;
  readonly answered: boolean;
  readonly satisfied: boolean;
}

const pct = (part: number, whole: number): number | null =>
  whole === 0 ? null : Math.round((part / whole) * 1000) / 10;

export function csatFigures(facts: readonly CsatFact[]): CsatFigures {
  const asked = facts.filter((f) => f.asked).length;
  const responses = facts.filter((f) => f.answered).length;
  const satisfied = facts.filter((f) => f.answered && f.satisfied).length;
  return {
    asked,
    responses,
    satisfied,
    scorePct: pct(satisfied, responses),
    responseRatePct: pct(responses, asked),
    notAsked: facts.length - asked,
  };
}

/** A team and its members, for the by-team rows. */
export interface TeamInfo {
  readonly id: string;
  readonly name: string;
  readonly memberIds: readonly string[];
}

export interface FigureInputs {
  readonly from: number;
  readonly to: number;
  readonly timeZone: string;
  readonly now: number;
  /** Responses, replies and breaches of at least the range and both series. */
  readonly responses: readonly ResponseFact[];
  readonly replies: readonly ReplyFact[];
  readonly breaches: readonly BreachFact[];
  readonly agentNames: ReadonlyMap<string, string>;
  readonly channelNames: Readonly<Record<ChannelKind, string>>;
  readonly teams: readonly TeamInfo[];
  readonly hourly: Buckets;
  readonly daily: Buckets;
  /** Customer messages per bucket (counted by the database). */
  readonly inboundHourly: readonly number[];
  readonly inboundDaily: readonly number[];
  /** CSAT requests asked or not asked in the range (or around it). */
  readonly csat?: readonly CsatFact[];
}

export const UNASSIGNED = 'Unassigned';
export const NO_TEAM = 'No team';

function groupBy<T>(items: readonly T[], keysOf: (item: T) => readonly (string | null)[]) {
  const groups = new Map<string | null, T[]>();
  for (const item of items) {
    for (const key of keysOf(item)) {
      const group = groups.get(key);
      if (group) group.push(item);
      else groups.set(key, [item]);
    }
  }
  return groups;
}

function rowsBy(
  inputs: {
    responses: readonly ResponseFact[];
    replies: readonly ReplyFact[];
    breaches: readonly BreachFact[];
  },
  keysOfAgent: (agentId: string | null) => readonly (string | null)[],
  keysOfChannel: ((channel: ChannelKind) => readonly (string | null)[]) | null,
  nameOf: (key: string | null) => string,
): GroupRow[] {
  const keysOf = (fact: { channel: ChannelKind }, agentId: string | null) =>
    keysOfChannel ? keysOfChannel(fact.channel) : keysOfAgent(agentId);
  const responses = groupBy(inputs.responses, (r) => keysOf(r, r.authorId));
  const replies = groupBy(inputs.replies, (r) => keysOf(r, r.authorId));
  const breaches = groupBy(inputs.breaches, (b) => keysOf(b, b.assigneeId));
  const keys = new Set([...responses.keys(), ...replies.keys(), ...breaches.keys()]);
  return [...keys]
    .map((key) => ({
      key,
      name: nameOf(key),
      ...groupFigures(responses.get(key) ?? [], replies.get(key) ?? [], breaches.get(key) ?? []),
    }))
    .sort((a, b) => {
      // Named rows first, alphabetically; "Unassigned" / "No team" last.
      if ((a.key === null) !== (b.key === null)) return a.key === null ? 1 : -1;
      return a.name.localeCompare(b.name) || String(a.key).localeCompare(String(b.key));
    });
}

function seriesOf(
  buckets: Buckets,
  inbound: readonly number[],
  responses: readonly ResponseFact[],
  breaches: readonly BreachFact[],
): SeriesPoint[] {
  const waits: number[][] = buckets.starts.map(() => []);
  const answered = buckets.starts.map(() => 0);
  const missed = buckets.starts.map(() => 0);
  for (const response of responses) {
    const index = bucketIndex(buckets, response.at);
    if (index < 0) continue;
    answered[index] = (answered[index] ?? 0) + 1;
    if (response.kind === 'first') waits[index]?.push(response.waitMs);
  }
  for (const breach of breaches) {
    const index = bucketIndex(buckets, breach.at);
    if (index >= 0) missed[index] = (missed[index] ?? 0) + 1;
  }
  return buckets.starts.map((start, i) => ({
    start,
    inbound: inbound[i] ?? 0,
    responses: answered[i] ?? 0,
    medianFirstResponseMs: percentile(waits[i] ?? [], 50),
    breaches: missed[i] ?? 0,
  }));
}

/** Every figure of the dashboard for one range, with the two series ending at `now`. */
export function computeDashboard(inputs: FigureInputs): DashboardFigures {
  const inRange = (fact: { at: number }) => fact.at >= inputs.from && fact.at < inputs.to;
  const facts = {
    responses: inputs.responses.filter(inRange),
    replies: inputs.replies.filter(inRange),
    breaches: inputs.breaches.filter(inRange),
  };
  const teamsOf = new Map<string, string[]>();
  for (const team of inputs.teams) {
    for (const member of team.memberIds) {
      const teams = teamsOf.get(member);
      if (teams) teams.push(team.id);
      else teamsOf.set(member, [team.id]);
    }
  }
  const teamNames = new Map(inputs.teams.map((team) => [team.id, team.name]));
  const teamKeys = (agentId: string | null): (string | null)[] => {
    const teams = agentId === null ? undefined : teamsOf.get(agentId);
    return teams && teams.length > 0 ? teams : [null];
  };
  const byAgent = rowsBy(
    facts,
    (agentId) => [agentId],
    null,
    (key) => (key === null ? UNASSIGNED : (inputs.agentNames.get(key) ?? key)),
  );
  const byChannel = rowsBy(
    facts,
    () => [],
    (channel) => [channel],
    (key) => (key === null ? '' : (inputs.channelNames[key as ChannelKind] ?? key)),
  ).map((row) => ({ ...row, key: row.key as ChannelKind }));
  const byTeam = rowsBy(
    facts,
    (agentId) => teamKeys(agentId),
    null,
    (key) => (key === null ? NO_TEAM : (teamNames.get(key) ?? key)),
  );
  const csat = (inputs.csat ?? []).filter(inRange);
  const csatRows = (
    keysOf: (fact: CsatFact) => readonly (string | null)[],
    nameOf: (key: string | null) => string,
  ): CsatRow[] =>
    [...groupBy(csat, keysOf)]
      .map(([key, facts]) => ({ key, name: nameOf(key), ...csatFigures(facts) }))
      .sort((a, b) => {
        if ((a.key === null) !== (b.key === null)) return a.key === null ? 1 : -1;
        return a.name.localeCompare(b.name) || String(a.key).localeCompare(String(b.key));
      });
  return {
    csat: {
      totals: csatFigures(csat),
      byAgent: csatRows(
        (f) => [f.agentId],
        (key) => (key === null ? UNASSIGNED : (inputs.agentNames.get(key) ?? key)),
      ),
      byChannel: csatRows(
        (f) => [f.channel],
        (key) => inputs.channelNames[key as ChannelKind] ?? String(key),
      ),
      byTeam: csatRows(
        (f) => teamKeys(f.agentId),
        (key) => (key === null ? NO_TEAM : (teamNames.get(key) ?? key)),
      ),
    },
    range: { from: inputs.from, to: inputs.to, timeZone: inputs.timeZone },
    generatedAt: inputs.now,
    totals: groupFigures(facts.responses, facts.replies, facts.breaches),
    byAgent,
    byChannel,
    byTeam,
    series: {
      hourly: seriesOf(inputs.hourly, inputs.inboundHourly, inputs.responses, inputs.breaches),
      daily: seriesOf(inputs.daily, inputs.inboundDaily, inputs.responses, inputs.breaches),
    },
  };
}
