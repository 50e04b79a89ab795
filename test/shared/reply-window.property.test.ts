import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { CHANNEL_KINDS, DAY_MS, HOUR_MS, MINUTE_MS } from '../../src/shared/domain/channels';
import {
  DEFAULT_CHANNEL_RULES,
  LINE_REPLY_TOKEN_RULE_SET,
  computeReplyWindow,
  maxWindowMs,
  resolveChannelRules,
  type ChannelRules,
  type ConversationWindowFacts,
  type EntryPoint,
  type ReplyWindow,
  type WindowOptions,
} from '../../src/shared/reply-window';

const T0 = Date.UTC(2026, 10, 2, 9, 0, 0);
const RUNS = { numRuns: 1000 };

/** Durations biased towards the rules' boundaries, where off-by-one mistakes live. */
const BOUNDARIES = [
  30_000,
  MINUTE_MS,
  HOUR_MS,
  24 * HOUR_MS,
  48 * HOUR_MS,
  72 * HOUR_MS,
  7 * DAY_MS,
];
const duration = fc.oneof(
  fc.constantFrom(0, 1, ...BOUNDARIES.flatMap((b) => [b - 1, b, b + 1])),
  fc.integer({ min: 0, max: 10 * DAY_MS }),
);
const ago = fc.option(duration, { nil: null });
const count = fc.option(fc.integer({ min: 0, max: 8 }), { nil: undefined });
const entryPoint = fc.constantFrom<EntryPoint | undefined>(
  undefined,
  'organic',
  'ad_referral',
  'menu_click',
  'follow',
  'qr_scan',
);

/** Facts whose instants all lie at or before `now`, as the hub records them. */
const scenario = fc
  .record({
    now: fc.integer({ min: T0, max: T0 + 30 * DAY_MS }),
    inboundAgo: ago,
    entryPoint,
    entryPointAgo: ago,
    replyAgo: ago,
    paymentAgo: ago,
    sentSinceInbound: count,
    sentSinceEntryPoint: count,
  })
  .map(({ now, inboundAgo, entryPointAgo, replyAgo, paymentAgo, ...rest }) => {
    const at = (d: number | null): number | null => (d === null ? null : now - d);
    const facts: ConversationWindowFacts = {
      lastInboundAt: at(inboundAgo),
      entryPointAt: at(entryPointAgo),
      firstReplyAfterEntryAt: at(replyAgo),
      lastPaymentAt: at(paymentAgo),
      ...(rest.entryPoint === undefined ? {} : { entryPoint: rest.entryPoint }),
      ...(rest.sentSinceInbound === undefined ? {} : { sentSinceInbound: rest.sentSinceInbound }),
      ...(rest.sentSinceEntryPoint === undefined
        ? {}
        : { sentSinceEntryPoint: rest.sentSinceEntryPoint }),
    };
    return { now, facts };
  });

const options: fc.Arbitrary<WindowOptions> = fc.record(
  {
    closingThresholdMs: fc.oneof(fc.constantFrom(0, HOUR_MS), fc.integer({ min: 0, max: DAY_MS })),
    humanAgentTag: fc.boolean(),
  },
  { requiredKeys: [] },
);

/** The defaults, and the defaults with the unverified LINE rule set switched on. */
const RULE_TABLES: readonly (readonly [string, ChannelRules])[] = [
  ['default rules', DEFAULT_CHANNEL_RULES],
  [
    'LINE reply-token rules',
    resolveChannelRules([{ ...LINE_REPLY_TOKEN_RULE_SET, enabled: true }], T0),
  ],
];

function threshold(opts: WindowOptions): number {
  return opts.closingThresholdMs ?? HOUR_MS;
}

function expectConsistent(window: ReplyWindow, rules: ChannelRules, opts: WindowOptions): void {
  const rule = rules[window.channel];
  const { state, remainingMs, closesAt } = window;
  if (rule.kind === 'unlimited') {
    expect(state).toBe('unlimited');
    expect(closesAt).toBeNull();
    expect(remainingMs).toBeNull();
    return;
  }
  expect(state).not.toBe('unlimited');
  expect(remainingMs === null).toBe(closesAt === null);
  if (remainingMs !== null) {
    expect(remainingMs).toBeGreaterThanOrEqual(0);
    expect(remainingMs).toBeLessThanOrEqual(maxWindowMs(rule) ?? Infinity);
  }
  switch (state) {
    case 'open':
      expect(remainingMs).toBeGreaterThan(threshold(opts));
      break;
    case 'closing':
      expect(remainingMs).toBeGreaterThan(0);
      expect(remainingMs).toBeLessThanOrEqual(threshold(opts));
      break;
    case 'closed':
      expect(remainingMs === null || remainingMs === 0).toBe(true);
      // What the channel refuses must not look like a free reply.
      expect(window.allowed).not.toEqual({ kind: 'free_form', billable: false });
      expect(window.freeEntryPoint).toBe(false);
      break;
  }
  if (state === 'open' || state === 'closing') {
    expect(window.allowed).toEqual({ kind: 'free_form', billable: false });
  }
  if (window.messagesRemaining !== null) {
    expect(window.messagesRemaining).toBeGreaterThanOrEqual(0);
    if (state !== 'closed') expect(window.messagesRemaining).toBeGreaterThan(0);
  }
}

describe.each(RULE_TABLES)('reply-window properties (%s)', (_label, rules) => {
  const channel = fc.constantFrom(...CHANNEL_KINDS);

  it('never lets remainingMs grow as time passes without a new customer message', () => {
    fc.assert(
      fc.property(channel, scenario, duration, options, (kind, { now, facts }, dt, opts) => {
        const before = computeReplyWindow(kind, facts, now, opts, rules);
        const after = computeReplyWindow(kind, facts, now + dt, opts, rules);
        expect(after.closesAt).toBe(before.closesAt);
        if (before.remainingMs !== null && after.remainingMs !== null) {
          expect(after.remainingMs).toBeLessThanOrEqual(before.remainingMs);
        }
        // Once closed, the window stays closed until the customer writes.
        if (before.state === 'closed') expect(after.state).toBe('closed');
      }),
      RUNS,
    );
  });

  it('keeps remainingMs within [0, the longest window in the rules] and the state consistent', () => {
    fc.assert(
      fc.property(channel, scenario, options, (kind, { now, facts }, opts) => {
        expectConsistent(computeReplyWindow(kind, facts, now, opts, rules), rules, opts);
      }),
      RUNS,
    );
  });

  it('never shortens the window when the customer writes again', () => {
    fc.assert(
      fc.property(channel, scenario, duration, options, (kind, { now, facts }, newerAgo, opts) => {
        const newer = now - newerAgo;
        fc.pre(facts.lastInboundAt === null || newer > facts.lastInboundAt);
        const before = computeReplyWindow(kind, facts, now, opts, rules);
        const after = computeReplyWindow(
          kind,
          { ...facts, lastInboundAt: newer },
          now,
          opts,
          rules,
        );
        if (before.closesAt !== null && after.closesAt !== null) {
          expect(after.closesAt).toBeGreaterThanOrEqual(before.closesAt);
        }
      }),
      RUNS,
    );
  });

  it('opens the ordinary window for its full length at the instant the customer writes', () => {
    fc.assert(
      fc.property(channel, fc.integer({ min: T0, max: T0 + 30 * DAY_MS }), (kind, now) => {
        const rule = rules[kind];
        const window = computeReplyWindow(kind, { lastInboundAt: now }, now, {}, rules);
        if (rule.kind === 'unlimited') expect(window.state).toBe('unlimited');
        else expect(window.remainingMs).toBe(rule.window.lengthMs);
      }),
      RUNS,
    );
  });
});
