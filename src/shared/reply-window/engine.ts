import { HOUR_MS, type ChannelKind } from '../domain/channels';
import {
  DEFAULT_CHANNEL_RULES,
  type AfterCloseRule,
  type ChannelRules,
  type ClosedAllowanceRule,
  type MessageLimitRule,
  type WindowedChannelRule,
} from './rules';
import type {
  ConversationWindowFacts,
  EntryPointOffer,
  ReplyWindow,
  SendAllowance,
  WindowOptions,
} from './types';

/** `closing` starts this long before the window closes unless the caller says otherwise. */
export const DEFAULT_CLOSING_THRESHOLD_MS = HOUR_MS;

/**
 * One span of time in which the channel accepts free-form messages: the ordinary window or an
 * extension. Grants depend on the facts only, never on `now`, so that for fixed facts
 * `closesAt` is fixed and the remaining time can only shrink as time passes.
 */
interface Grant {
  readonly closesAt: number;
  /** Messages left under this grant; `null` when it does not count them. */
  readonly messagesRemaining: number | null;
  /** The cap that `messagesRemaining` counts against, for the reason once it reaches 0. */
  readonly limit: MessageLimitRule | null;
  /** Everything is free (WhatsApp free entry point). */
  readonly free: boolean;
  readonly basis: string;
}

/**
 * The reply window of one conversation at `now` (epoch ms): the single function both the hub
 * (to refuse what the channel would refuse) and the app (to show the countdown) use.
 *
 * Windowed channels: the window is the union of the ordinary window (from `lastInboundAt`) and
 * any extension the facts earn; `closesAt` is the latest end among those not used up.
 * At `closesAt` exactly the window is closed. When every applicable grant has used up its
 * message cap (WeChat), the window is closed and `closesAt` is `null`.
 */
export function computeReplyWindow(
  channel: ChannelKind,
  facts: ConversationWindowFacts,
  now: number,
  options: WindowOptions = {},
  rules: ChannelRules = DEFAULT_CHANNEL_RULES,
): ReplyWindow {
  const rule = rules[channel];
  if (rule === undefined) throw new Error(`No reply-window rule for channel "${channel}"`);

  if (rule.kind === 'unlimited') {
    return {
      channel,
      state: 'unlimited',
      closesAt: null,
      remainingMs: null,
      allowed: { kind: 'free_form', billable: rule.billable },
      messagesRemaining: null,
      freeEntryPoint: false,
      basis: rule.basis,
      entryPointOffer: null,
    };
  }

  const grants = collectGrants(rule, facts);
  const entryPointOffer = pendingEntryPoint(rule, facts, now);
  const countsMessages = rule.window.messageLimit !== null;

  const usable = grants.filter((grant) => grant.messagesRemaining !== 0);
  const closesAt = usable.length > 0 ? Math.max(...usable.map((grant) => grant.closesAt)) : null;
  const remainingMs = closesAt === null ? null : Math.max(0, closesAt - now);
  const active = usable.filter((grant) => now < grant.closesAt);

  if (active.length > 0 && remainingMs !== null) {
    const governing = active.reduce(preferredGrant);
    const threshold = Math.max(0, options.closingThresholdMs ?? DEFAULT_CLOSING_THRESHOLD_MS);
    return {
      channel,
      state: remainingMs <= threshold ? 'closing' : 'open',
      closesAt,
      remainingMs,
      allowed: { kind: 'free_form', billable: false },
      messagesRemaining: governing.messagesRemaining,
      messageLimit: governing.limit?.maxMessages ?? null,
      freeEntryPoint: governing.free,
      basis: governing.basis,
      entryPointOffer,
    };
  }

  const closed = (allowed: SendAllowance, basis: string): ReplyWindow => ({
    channel,
    state: 'closed',
    closesAt,
    remainingMs,
    allowed,
    messagesRemaining: countsMessages ? 0 : null,
    freeEntryPoint: false,
    basis,
    entryPointOffer,
  });

  // The customer never wrote (nor paid or interacted, where that counts).
  if (grants.length === 0) {
    return closed(closedAllowance(rule.beforeFirstMessage), rule.beforeFirstMessage.basis);
  }

  // Still in time but the message cap is used up: WeChat refuses the sixth message.
  const capped = grants.find((grant) => grant.messagesRemaining === 0 && now < grant.closesAt);
  if (capped?.limit && capped.limit.afterLimit !== 'after_close') {
    return {
      ...closed({ kind: 'none', reason: capped.limit.reason }, capped.limit.basis),
      messageLimit: capped.limit.maxMessages,
    };
  }

  const after = afterClose(rule.afterClose, facts, now, options);
  // A cap that falls to the after-window rule (LINE's used reply token) closed the window: it is
  // closed, not "never opened" (closesAt null reads as "no message yet"). Its end is the
  // grant's, a fixed instant, so the window's facts do not move as time passes.
  const spent = grants.find(
    (grant) => grant.messagesRemaining === 0 && grant.limit?.afterLimit === 'after_close',
  );
  if (spent && closesAt === null)
    return { ...closed(after.allowed, after.basis), closesAt: spent.closesAt, remainingMs: 0 };
  return closed(after.allowed, after.basis);
}

function collectGrants(rule: WindowedChannelRule, facts: ConversationWindowFacts): Grant[] {
  const inbound = facts.lastInboundAt ?? null;
  const entryPoint = facts.entryPoint ?? 'organic';
  const anchor = facts.entryPointAt ?? inbound;
  const grants: Grant[] = [];

  if (inbound !== null) {
    grants.push(
      limitedGrant(
        inbound + rule.window.lengthMs,
        rule.window.messageLimit,
        facts.sentSinceInbound,
        rule.window.basis,
      ),
    );
  }

  for (const ext of rule.extensions) {
    if (ext.kind === 'after_payment') {
      const paidAt = facts.lastPaymentAt ?? null;
      if (paidAt !== null) grants.push(freeFormGrant(paidAt + ext.lengthMs, false, ext.basis));
      continue;
    }
    if (anchor === null || !ext.entryPoints.includes(entryPoint)) continue;
    switch (ext.kind) {
      case 'free_after_reply': {
        // The free window runs from the business's first reply, and only if that reply came
        // while the entry point was still answerable. No reply yet: see pendingEntryPoint.
        const reply = facts.firstReplyAfterEntryAt ?? null;
        if (inbound !== null && reply !== null && reply < anchor + ext.replyWithinMs) {
          grants.push(freeFormGrant(reply + ext.lengthMs, true, ext.basis));
        }
        break;
      }
      case 'longer_window':
        if (inbound !== null) grants.push(freeFormGrant(anchor + ext.lengthMs, false, ext.basis));
        break;
      case 'entry_event':
        grants.push(
          limitedGrant(
            anchor + ext.lengthMs,
            ext.messageLimit,
            facts.sentSinceEntryPoint,
            ext.basis,
          ),
        );
        break;
    }
  }
  return grants;
}

function freeFormGrant(closesAt: number, free: boolean, basis: string): Grant {
  return { closesAt, messagesRemaining: null, limit: null, free, basis };
}

function limitedGrant(
  closesAt: number,
  limit: MessageLimitRule | null,
  sent: number | undefined,
  basis: string,
): Grant {
  if (limit === null) return freeFormGrant(closesAt, false, basis);
  const used = sent !== undefined && Number.isFinite(sent) ? Math.max(0, Math.floor(sent)) : 0;
  return {
    closesAt,
    messagesRemaining: Math.max(0, limit.maxMessages - used),
    limit,
    free: false,
    basis,
  };
}

/**
 * Which active grant describes the window: a free one first (it changes what things cost),
 * then one without a message cap, then the one that lasts longest, then the most messages.
 */
function preferredGrant(a: Grant, b: Grant): Grant {
  if (a.free !== b.free) return a.free ? a : b;
  if ((a.messagesRemaining === null) !== (b.messagesRemaining === null)) {
    return a.messagesRemaining === null ? a : b;
  }
  if (a.closesAt !== b.closesAt) return a.closesAt > b.closesAt ? a : b;
  return (a.messagesRemaining ?? 0) >= (b.messagesRemaining ?? 0) ? a : b;
}

/** A free entry point not unlocked yet: replying before `replyBy` would unlock it. */
function pendingEntryPoint(
  rule: WindowedChannelRule,
  facts: ConversationWindowFacts,
  now: number,
): EntryPointOffer | null {
  const inbound = facts.lastInboundAt ?? null;
  const anchor = facts.entryPointAt ?? inbound;
  const entryPoint = facts.entryPoint ?? 'organic';
  if (inbound === null || anchor === null || (facts.firstReplyAfterEntryAt ?? null) !== null) {
    return null;
  }
  for (const ext of rule.extensions) {
    if (ext.kind !== 'free_after_reply' || !ext.entryPoints.includes(entryPoint)) continue;
    const replyBy = anchor + ext.replyWithinMs;
    if (now < replyBy) return { replyBy, freeWindowMs: ext.lengthMs, basis: ext.basis };
  }
  return null;
}

function afterClose(
  rule: AfterCloseRule,
  facts: ConversationWindowFacts,
  now: number,
  options: WindowOptions,
): { readonly allowed: SendAllowance; readonly basis: string } {
  if (rule.kind !== 'tag') return { allowed: closedAllowance(rule), basis: rule.basis };
  // HUMAN_AGENT needs the Page's human_agent permission; without it the window simply closed.
  if (rule.requiresHumanAgentPermission && options.humanAgentTag === false) {
    return {
      allowed: closedAllowance(rule.withoutPermission),
      basis: rule.withoutPermission.basis,
    };
  }
  const inbound = facts.lastInboundAt ?? null;
  const until = inbound === null ? null : inbound + rule.untilAfterInboundMs;
  if (until !== null && now < until) {
    return { allowed: { kind: 'tag_only', tag: rule.tag, until }, basis: rule.basis };
  }
  return { allowed: closedAllowance(rule.afterTag), basis: rule.afterTag.basis };
}

function closedAllowance(rule: ClosedAllowanceRule): SendAllowance {
  switch (rule.kind) {
    case 'template_only':
      return { kind: 'template_only' };
    case 'billable_free_form':
      return { kind: 'free_form', billable: true };
    case 'none':
      return { kind: 'none', reason: rule.reason };
  }
}
