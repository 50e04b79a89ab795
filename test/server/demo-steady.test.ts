import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DAY_MS, HOUR_MS, MINUTE_MS } from '../../src/shared/domain/channels';
import type { DashboardFigures } from '../../src/shared/dashboard';
import type { SlaSettings } from '../../src/shared/sla';
import type { RunningHub } from '../../src/server/hub';
import type { DemoOrderInput } from '../../src/server/orders/demo-store';
import { PHRASEBOOKS, type DemoLanguage } from '../../src/server/demo/people';
import {
  createDemoWorld,
  refKey,
  type ConversationRef,
  type DemoStep,
} from '../../src/server/demo/simulator';
import { api, embeddedLogin, startTestHub } from '../support/hub';

/** Monday 23 November 2026, 09:00 UTC. */
const T = Date.parse('2026-11-23T09:00:00Z');
const SEED = 20261121;

/** What the hub would hold of a conversation, folded from the steps (the hub's rules, reduced). */
interface State {
  readonly channel: string;
  lastInboundAt: number | null;
  waiting: boolean;
  resolved: boolean;
}

function refOf(step: DemoStep): ConversationRef {
  return step.kind === 'customer'
    ? {
        channel: step.event.channel as ConversationRef['channel'],
        channelAccountId: step.event.channelAccountId,
        customerExternalId: step.event.customer.externalId,
      }
    : step.conversation;
}

function apply(states: Map<string, State>, step: DemoStep): void {
  const ref = refOf(step);
  const key = refKey(ref);
  let state = states.get(key);
  if (!state) {
    state = { channel: ref.channel, lastInboundAt: null, waiting: false, resolved: false };
    states.set(key, state);
  }
  if (step.kind === 'customer') {
    state.lastInboundAt = step.at;
    state.waiting = true;
    state.resolved = false;
  } else if (step.kind === 'reply') {
    state.waiting = false;
  } else {
    state.resolved = true;
    state.waiting = false;
  }
}

const windowOf = (channel: string): number =>
  channel === 'telegram'
    ? Number.POSITIVE_INFINITY
    : channel === 'wechat'
      ? 48 * HOUR_MS
      : 24 * HOUR_MS;

function census(states: Map<string, State>, now: number) {
  let waiting = 0;
  let openOver4h = 0;
  let closingWithin1h = 0;
  let closed = 0;
  /** What the inbox's "Closing soon" lists: closing within 1 h, not resolved. */
  let closingInInbox = 0;
  for (const state of states.values()) {
    if (state.waiting && !state.resolved) waiting += 1;
    const length = windowOf(state.channel);
    if (!Number.isFinite(length) || state.lastInboundAt === null) continue;
    const left = state.lastInboundAt + length - now;
    if (left > 4 * HOUR_MS) openOver4h += 1;
    else if (left > 0 && left <= HOUR_MS) {
      closingWithin1h += 1;
      if (!state.resolved) closingInInbox += 1;
    } else if (left <= 0) closed += 1;
  }
  return { waiting, openOver4h, closingWithin1h, closed, closingInInbox };
}

/**
 * The phrasings an order's state allows, by their place in each phrasebook's list (the lists
 * are parallel across languages). The rule of issue 12, item 12, written out on its own: no
 * "where is my order?" once it is delivered, returns only once it came.
 */
const ALLOWED: Readonly<Record<string, Readonly<Record<string, readonly number[]>>>> = {
  orderStatus: { processing: [0, 1, 2, 3, 4], shipped: [0, 3, 4] },
  delivery: { processing: [2, 3], shipped: [0, 2, 3, 4], delivered: [1] },
  returns: { delivered: [0, 1, 3, 4], returned: [2] },
  payment: { processing: [0, 1, 2], shipped: [0, 2], delivered: [0, 2], returned: [2, 4] },
};

const escape = (text: string): string => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
/** Which (kind, place) of the phrasebook a text was written from. */
function phrasingOf(language: DemoLanguage, text: string): { kind: string; place: number }[] {
  const found: { kind: string; place: number }[] = [];
  for (const kind of Object.keys(ALLOWED)) {
    const list = PHRASEBOOKS[language][kind as 'orderStatus'];
    list.forEach((template, place) => {
      const pattern = escape(template).replace(/\\\{\w+\\\}/g, '.+?');
      if (new RegExp(`^${pattern}$`, 'su').test(text)) found.push({ kind, place });
    });
  }
  return found;
}

describe('the demo over four simulated hours', () => {
  const world = createDemoWorld({ seed: SEED, now: T });
  const states = new Map<string, State>();
  for (const step of world.history) apply(states, step);
  const live: DemoStep[] = [];
  const samples: (ReturnType<typeof census> & { at: number })[] = [];
  for (let at = T; at <= T + 4 * HOUR_MS; at += 10 * MINUTE_MS) {
    for (;;) {
      const step = world.live.next();
      live.push(step);
      if (step.at > at) break;
      apply(states, step);
    }
    // The step past `at` is applied in the next round.
    const pending = live.pop() as DemoStep;
    samples.push({ at, ...census(states, at) });
    apply(states, pending);
    live.push(pending);
  }

  it('keeps a steady mix: a few waiting, windows open, closing and closed at every sample', () => {
    expect(samples).toHaveLength(25);
    for (const sample of samples) {
      expect(sample.waiting, new Date(sample.at).toISOString()).toBeGreaterThanOrEqual(5);
      expect(sample.waiting, new Date(sample.at).toISOString()).toBeLessThanOrEqual(40);
      expect(sample.openOver4h).toBeGreaterThanOrEqual(60);
      expect(sample.closingWithin1h, new Date(sample.at).toISOString()).toBeGreaterThanOrEqual(3);
      expect(sample.closed).toBeGreaterThanOrEqual(300);
    }
    const range = (key: 'waiting' | 'openOver4h' | 'closingWithin1h' | 'closed') =>
      `${key} ${Math.min(...samples.map((x) => x[key]))}–${Math.max(...samples.map((x) => x[key]))}`;
    console.info(
      `demo over 4 h: ${['waiting', 'openOver4h', 'closingWithin1h', 'closed'].map((k) => range(k as 'waiting')).join(', ')}`,
    );
    // Not drifting: four hours on, as many wait as at the start, give or take.
    const first = samples[0]?.waiting ?? 0;
    const last = samples.at(-1)?.waiting ?? 0;
    expect(Math.abs(last - first)).toBeLessThanOrEqual(15);
  });

  it('opens with customers waiting whose windows close within the hour, whatever the hour', () => {
    // The inbox's "Closing soon" is never empty on first start (it was at some hours).
    expect(samples[0]?.closingInInbox).toBeGreaterThanOrEqual(3);
    for (const hour of [0, 5, 11, 17, 22]) {
      const at = T + hour * HOUR_MS;
      const start = createDemoWorld({ seed: SEED + hour, now: at });
      const fresh = new Map<string, State>();
      for (const step of start.history) apply(fresh, step);
      expect(census(fresh, at).closingInInbox, `world built at +${hour}h`).toBeGreaterThanOrEqual(
        3,
      );
    }
  });

  it('has teammates answering and resolving, live and in the history, in time order', () => {
    const kinds = (steps: readonly DemoStep[]) =>
      steps.reduce<Record<string, number>>(
        (n, s) => ({ ...n, [s.kind]: (n[s.kind] ?? 0) + 1 }),
        {},
      );
    const liveKinds = kinds(live);
    expect(liveKinds['reply']).toBeGreaterThanOrEqual(10);
    expect(liveKinds['resolve']).toBeGreaterThanOrEqual(5);
    expect(liveKinds['customer']).toBeGreaterThanOrEqual(20);
    const historyKinds = kinds(world.history);
    // Most customers get an answer.
    expect(historyKinds['reply'] ?? 0).toBeGreaterThan((historyKinds['customer'] ?? 0) * 0.35);
    const times = [...world.history, ...live].map((s) => s.at);
    expect(times).toEqual([...times].sort((a, b) => a - b));
    expect(world.history.at(-1)?.at ?? T).toBeLessThan(T);
    expect(live[0]?.at ?? 0).toBeGreaterThanOrEqual(T);
  });

  it('writes every message about an order the way its state allows, and as the order panel shows it', () => {
    const stored = new Map<string, DemoOrderInput>(world.orders.map((o) => [o.number, o]));
    let checked = 0;
    for (const step of [...world.history, ...live]) {
      if (step.kind !== 'customer') continue;
      for (const order of step.orders) stored.set(order.number, order);
      const { about, event } = step;
      // The Korean KakaoTalk customer's lines are written out, not phrased from the phrasebooks.
      if (event.content.type !== 'text' || event.channel === 'kakao') continue;
      const language = event.customer.language as DemoLanguage;
      const phrasings = phrasingOf(language, event.content.body);
      if (about === null) {
        // A text written from an order phrasing always names its order.
        expect(phrasings.filter((p) => p.kind !== 'payment' || p.place !== 3)).toEqual([]);
        continue;
      }
      // The order it names is the order it is about.
      for (const [, number] of event.content.body.matchAll(/#(\d+)/g))
        expect(number).toBe(about.number);
      for (const { kind, place } of phrasings) {
        expect(
          ALLOWED[kind]?.[about.status] ?? [],
          `${event.content.body} (${about.status})`,
        ).toContain(place);
      }
      if (language === 'en' && /where is my order/i.test(event.content.body)) {
        expect(['processing', 'shipped']).toContain(about.status);
      }
      // From the first live minute on, the order panel says what the customer says.
      if (step.at >= T) expect(stored.get(about.number)?.status).toBe(about.status);
      checked += 1;
    }
    expect(checked).toBeGreaterThan(300);
  });
});

describe('the demo hub on its first start', () => {
  let hub: RunningHub;
  let token: string;
  let seedMs = 0;

  beforeAll(async () => {
    const started = performance.now();
    hub = await startTestHub({ demo: true, embedded: true, demoSeed: SEED, now: () => T });
    seedMs = performance.now() - started;
    token = await embeddedLogin(hub);
  }, 120_000);
  afterAll(async () => {
    await hub?.close();
  });

  it('has 30 days of history behind the dashboard: answers on at least 25 days, a few breaches', async () => {
    const figures = await api<DashboardFigures>(
      hub.url,
      token,
      `/api/dashboard?from=${T - 30 * DAY_MS}&to=${T}&tz=UTC`,
    );
    expect(figures.status).toBe(200);
    const days = figures.body.series.daily;
    expect(days).toHaveLength(30);
    expect(days.filter((day) => day.responses > 0).length).toBeGreaterThanOrEqual(25);
    expect(days.filter((day) => day.inbound > 0).length).toBeGreaterThanOrEqual(25);
    const breaches = days.reduce((sum, day) => sum + day.breaches, 0);
    expect(breaches).toBeGreaterThanOrEqual(5);
    expect(breaches).toBeLessThanOrEqual(10 * 30);
    expect(figures.body.byAgent.map((row) => row.name)).toEqual(
      expect.arrayContaining(['Amara Okafor', 'Jonas Becker', 'Sofia Marques']),
    );
    console.info(`demo hub start with its first history: ${Math.round(seedMs)} ms`);
  });

  it('ships one SLA policy in business hours, applying since the history began', async () => {
    const sla = await api<SlaSettings>(hub.url, token, '/api/sla');
    expect(sla.body.policies).toEqual([
      expect.objectContaining({
        name: 'Shop promise (demo)',
        hours: 'business',
        firstResponseMs: 2 * HOUR_MS,
        enabled: true,
        appliesFrom: T - 30 * DAY_MS,
      }),
    ]);
    expect(sla.body.calendar.weeklyHours.mon).toEqual([{ start: '08:00', end: '20:00' }]);
  });

  it('starts with a few conversations waiting, most answered or resolved', async () => {
    const { rows } = await hub.db.query<{ waiting: number; resolved: number; total: number }>(
      `select count(*) filter (where awaiting_reply_since is not null and status <> 'resolved')::int as waiting,
              count(*) filter (where status = 'resolved')::int as resolved,
              count(*)::int as total
       from conversations`,
    );
    const counts = rows[0] as { waiting: number; resolved: number; total: number };
    expect(counts.waiting).toBeGreaterThanOrEqual(3);
    expect(counts.waiting).toBeLessThanOrEqual(40);
    expect(counts.resolved).toBeGreaterThan(counts.total / 2);
  });
});
