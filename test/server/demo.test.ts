import { describe, expect, it } from 'vitest';
import { DAY_MS, HOUR_MS, type ChannelKind } from '../../src/shared/domain/channels';
import { messageContentSchema } from '../../src/shared/domain/model';
import { computeReplyWindow, type WindowState } from '../../src/shared/reply-window';
import type { InboundEvent, InboundMessage, InboundStatus } from '../../src/server/channels/types';
import { createIngestor } from '../../src/server/core/ingest';
import { DEMO_CATALOG, DEMO_CATALOG_ID } from '../../src/server/demo/catalog';
import { createDemoSender } from '../../src/server/demo/demo-sender';
import { SEED_BATCH, startDemo, type DemoTimers } from '../../src/server/demo/runner';
import {
  DEMO_CHANNELS,
  createDemoWorld,
  createLiveStream,
  mulberry32,
  type DemoStep,
} from '../../src/server/demo/simulator';
import { createDemoOrderStore, demoOrderInputSchema } from '../../src/server/orders/demo-store';
import { normaliseEmail, normalisePhone } from '../../src/server/orders/provider';
import { createEventBus } from '../../src/server/realtime/event-bus';
import { openPglite } from '../../src/server/store/db';
import { migrate } from '../../src/server/store/migrations';

const NOW = Date.parse('2026-11-21T12:00:00Z');
const SEED = 20261121;

const world = createDemoWorld({ seed: SEED, now: NOW });
const messages = world.backfill.filter((e): e is InboundMessage => e.kind === 'message');

const conversationKey = (m: InboundMessage): string =>
  `${m.channel}/${m.channelAccountId}/${m.customer.externalId}`;

/** Each conversation's last customer message, as the hub would record `last_inbound_at`. */
function lastInbound(events: readonly InboundMessage[]): Map<string, InboundMessage> {
  const last = new Map<string, InboundMessage>();
  for (const m of events) {
    const known = last.get(conversationKey(m));
    if (!known || m.sentAt >= known.sentAt) last.set(conversationKey(m), m);
  }
  return last;
}

describe('mulberry32', () => {
  it('is a deterministic sequence in [0, 1)', () => {
    const a = mulberry32(1);
    const b = mulberry32(1);
    const values = Array.from({ length: 1000 }, () => a());
    expect(values).toEqual(Array.from({ length: 1000 }, () => b()));
    expect(values.every((v) => v >= 0 && v < 1)).toBe(true);
    expect(new Set(values).size).toBeGreaterThan(990);
  });
});

describe('demo world', () => {
  it('is deterministic: same seed and time give the same world, another seed another', () => {
    const plain = ({ live: _live, ...rest }: typeof world) => rest;
    expect(plain(createDemoWorld({ seed: SEED, now: NOW }))).toEqual(plain(world));
    const other = createDemoWorld({ seed: SEED + 1, now: NOW });
    expect(other).not.toEqual(world);
    expect(other.backfill.map((e) => e.externalId)).not.toEqual(
      world.backfill.map((e) => e.externalId),
    );
  });

  it('gives ids that carry the seed and the instant, so a later world does not reuse them', () => {
    const later = createDemoWorld({ seed: SEED, now: NOW + 3 * DAY_MS });
    const ids = new Set(world.backfill.map((e) => e.externalId));
    expect(later.backfill.some((e) => ids.has(e.externalId))).toBe(false);
  });

  it('refuses nonsense options', () => {
    expect(() => createDemoWorld({ seed: Number.NaN, now: NOW })).toThrow(RangeError);
    expect(() => createDemoWorld({ seed: 1, now: NOW, episodesPerHour: 0 })).toThrow(RangeError);
    expect(() => createDemoWorld({ seed: 1, now: NOW, historyDays: -1 })).toThrow(RangeError);
  });

  it('has customer messages only, in time order, all in the past, with valid content', () => {
    expect(messages).toHaveLength(world.backfill.length);
    expect(messages.length).toBeGreaterThan(100);
    for (const m of messages) {
      expect(messageContentSchema.safeParse(m.content).success, JSON.stringify(m.content)).toBe(
        true,
      );
      expect(m.sentAt).toBeLessThan(NOW);
      expect(m.channelAccountId).toBe(`demo-${m.channel}`);
    }
    const times = messages.map((m) => m.sentAt);
    expect(times).toEqual([...times].sort((a, b) => a - b));
  });

  it('gives every message a unique, stable external id', () => {
    const ids = world.backfill.map((e) => e.externalId);
    expect(new Set(ids).size).toBe(ids.length);
    expect(ids.every((id) => id.startsWith(`demo.${SEED}.`))).toBe(true);
  });

  it('has reply windows in every state at `now`, on every channel and in most languages', () => {
    const states = new Map<string, Set<WindowState>>();
    let humanAgentPeriod = 0;
    for (const m of lastInbound(messages).values()) {
      const window = computeReplyWindow(m.channel, { lastInboundAt: m.sentAt }, NOW);
      const set = states.get(m.channel) ?? new Set<WindowState>();
      set.add(window.state);
      states.set(m.channel, set);
      if (m.channel === 'messenger' && window.allowed.kind === 'tag_only') humanAgentPeriod += 1;
    }
    const all = new Set([...states.values()].flatMap((set) => [...set]));
    expect(all).toEqual(new Set(['open', 'closing', 'closed', 'unlimited']));
    // Each windowed channel has open and closed windows; closing ones come and go (a few an hour).
    for (const channel of ['whatsapp', 'messenger', 'instagram', 'wechat'] as const) {
      expect([...(states.get(channel) ?? [])], channel).toEqual(
        expect.arrayContaining(['open', 'closed']),
      );
    }
    expect(states.get('telegram')).toEqual(new Set(['unlimited']));
    // Closed Messenger conversations still inside the 7-day HUMAN_AGENT period.
    expect(humanAgentPeriod).toBeGreaterThanOrEqual(2);

    // Generated customers on every demo channel, and the one written-out KakaoTalk customer.
    expect(new Set(messages.map((m) => m.channel))).toEqual(new Set([...DEMO_CHANNELS, 'kakao']));
    const languages = new Set(messages.map((m) => m.customer.language));
    expect(languages.size).toBeGreaterThanOrEqual(4);
  });

  it('puts closing windows in the last hour: 23–24 h ago, 47–48 h on WeChat', () => {
    const closing = [...lastInbound(messages).values()].filter(
      (m) => computeReplyWindow(m.channel, { lastInboundAt: m.sentAt }, NOW).state === 'closing',
    );
    expect(closing.length).toBeGreaterThanOrEqual(4);
    for (const m of closing) {
      const age = NOW - m.sentAt;
      const window = m.channel === 'wechat' ? 48 * HOUR_MS : 24 * HOUR_MS;
      expect(age).toBeGreaterThan(window - HOUR_MS);
      expect(age).toBeLessThan(window);
    }
  });

  it('keeps each customer to one name, language and country', () => {
    const seen = new Map<string, string>();
    for (const m of messages) {
      const key = `${m.channel}/${m.customer.externalId}`;
      const profile = `${m.customer.name}|${m.customer.language}|${m.customer.country}`;
      expect(seen.get(key) ?? profile, key).toBe(profile);
      seen.set(key, profile);
    }
    const codes: Record<string, string> = {
      GB: '+44',
      US: '+1',
      NL: '+31',
      DE: '+49',
      FR: '+33',
      IT: '+39',
    };
    for (const m of messages) {
      if (m.customer.phone)
        expect(m.customer.phone.startsWith(codes[m.customer.country ?? ''] ?? '?')).toBe(true);
      if (m.channel === 'whatsapp') expect(m.customer.phone).toBe(`+${m.customer.externalId}`);
    }
  });

  it('includes ad referrals, WeChat payments and every kind of media', () => {
    const referrals = messages.filter((m) => m.entryPoint === 'ad_referral');
    expect(referrals.length).toBeGreaterThanOrEqual(2);
    expect(referrals.every((m) => m.channel === 'whatsapp')).toBe(true);
    const payments = messages.filter((m) => m.payment === true);
    expect(payments.length).toBeGreaterThanOrEqual(2);
    expect(payments.every((m) => m.channel === 'wechat')).toBe(true);

    const kinds = new Set(messages.map((m) => m.content.type));
    for (const kind of ['text', 'image', 'audio', 'document', 'location', 'order']) {
      expect(kinds.has(kind as InboundMessage['content']['type']), kind).toBe(true);
    }
    for (const m of messages) {
      if (m.content.type === 'image') expect(m.content.media.caption).toBeTruthy();
      if (m.content.type === 'audio') expect(m.content.media.voice).toBe(true);
      if (m.content.type === 'document') expect(m.content.media.filename).toMatch(/\.pdf$/);
    }
  });

  it('fills every placeholder in the texts', () => {
    for (const m of messages) {
      const text =
        m.content.type === 'text'
          ? m.content.body
          : 'media' in m.content
            ? (m.content.media.caption ?? '')
            : '';
      expect(text, text).not.toMatch(/\{\w+\}/);
    }
  });

  it('has catalog orders whose products exist in the catalog, at catalog prices', () => {
    const carts = messages.flatMap((m) => (m.content.type === 'order' ? [m.content] : []));
    expect(carts.length).toBeGreaterThanOrEqual(2);
    for (const cart of carts) {
      expect(cart.catalogId).toBe(DEMO_CATALOG_ID);
      expect(cart.items.length).toBeGreaterThan(0);
      for (const item of cart.items) {
        const product = DEMO_CATALOG.find((p) => p.retailerId === item.productRetailerId);
        expect(product, item.productRetailerId).toBeDefined();
        expect(item.itemPrice).toBe(product?.prices[item.currency as 'EUR' | 'GBP' | 'USD']);
      }
    }
  });

  it('has valid orders that belong to the customers writing in', () => {
    // Before now, or in an episode under way at now (its first message may come just after).
    const live = createDemoWorld({ seed: SEED, now: NOW }).live;
    const writing = [...messages];
    for (let i = 0; i < 200; i++) {
      const step = live.next();
      if (step.kind === 'customer') writing.push(step.event);
    }
    const phones = new Set(writing.map((m) => normalisePhone(m.customer.phone)).filter(Boolean));
    const emails = new Set(writing.map((m) => normaliseEmail(m.customer.email)).filter(Boolean));
    expect(world.orders.length).toBeGreaterThan(30);
    const statuses = new Set<string>();
    for (const order of world.orders) {
      expect(demoOrderInputSchema.safeParse(order).success, order.number).toBe(true);
      expect(
        phones.has(normalisePhone(order.phone)) || emails.has(normaliseEmail(order.email)),
        order.number,
      ).toBe(true);
      expect(order.createdAt).toBeLessThan(NOW);
      statuses.add(order.status);
      if (order.status === 'processing') {
        expect(order.trackingNumber).toBeNull();
      } else {
        expect(['PostNL', 'DHL', 'UPS', 'DPD', 'Colissimo', 'BRT']).toContain(order.carrier);
        expect(order.trackingNumber).toBeTruthy();
        expect(order.trackingUrl).toMatch(/^https:\/\//);
      }
      for (const item of order.items) {
        expect(DEMO_CATALOG.some((p) => p.retailerId === item.sku)).toBe(true);
      }
    }
    expect(statuses).toEqual(new Set(['processing', 'shipped', 'delivered', 'returned']));
    expect(new Set(world.orders.map((o) => o.number)).size).toBe(world.orders.length);
    // Texts mention real order numbers.
    const mentioned = messages.flatMap((m) =>
      m.content.type === 'text' ? [...m.content.body.matchAll(/#(\d{4})/g)].map((x) => x[1]) : [],
    );
    expect(mentioned.length).toBeGreaterThan(10);
    const numbers = new Set(world.orders.map((o) => o.number));
    expect(mentioned.every((n) => numbers.has(n ?? ''))).toBe(true);
  });

  it('goes through the real ingestion and order store', async () => {
    const db = await openPglite(null);
    try {
      await migrate(db);
      const ingestor = createIngestor(db, createEventBus(), () => NOW);
      const orders = createDemoOrderStore(db);
      expect(await orders.upsert(world.orders)).toBe(world.orders.length);
      // Submitted together, ingested in order and in batches (the runner awaits each instead).
      const results = await Promise.all(world.backfill.map((event) => ingestor.ingest(event)));
      expect(results.every((r) => r.kind === 'message' && r.outcome === 'stored')).toBe(true);
      // Ingesting the same world again stores nothing new.
      const again = await ingestor.ingest(world.backfill[0] as InboundEvent);
      expect(again).toMatchObject({ outcome: 'duplicate' });

      const count = async (sql: string) =>
        Number((await db.query<{ n: number }>(sql)).rows[0]?.n ?? 0);
      expect(await count('select count(*)::int as n from messages')).toBe(messages.length);
      expect(await count('select count(*)::int as n from conversations')).toBe(
        lastInbound(messages).size,
      );
      const { rows } = await db.query<{ phone: string | null; email: string | null }>(
        'select phone, email from customers',
      );
      let withOrders = 0;
      for (const row of rows) {
        if ((await orders.findByCustomer({ phone: row.phone, email: row.email })).length > 0) {
          withOrders += 1;
        }
      }
      expect(withOrders).toBeGreaterThan(rows.length / 2);
    } finally {
      await db.close();
    }
    // Starting PGlite (PostgreSQL in WASM) takes seconds, more on a busy two-core CI machine.
  }, 60_000);
});

describe('live stream', () => {
  const take = (stream: { next(): DemoStep }, n: number) =>
    Array.from({ length: n }, () => stream.next());
  const customerEvents = (steps: readonly DemoStep[]) =>
    steps.flatMap((step) => (step.kind === 'customer' ? [step.event] : []));

  it('is deterministic for a seed and start, and moves forward in time', () => {
    const a = take(createLiveStream({ seed: SEED, start: NOW }), 300);
    const b = take(createLiveStream({ seed: SEED, start: NOW }), 300);
    expect(a).toEqual(b);
    let previous = NOW;
    for (const step of a) {
      expect(step.at).toBeGreaterThanOrEqual(previous);
      if (step.kind === 'customer') {
        expect(step.event.sentAt).toBe(step.at);
        expect(messageContentSchema.safeParse(step.event.content).success).toBe(true);
      }
      previous = step.at;
    }
    const other = take(createLiveStream({ seed: SEED + 1, start: NOW }), 20);
    expect(other).not.toEqual(a.slice(0, 20));
  });

  it('honours the episodes per hour', () => {
    const repliesIn2Days = (perHour: number) => {
      const stream = createLiveStream({ seed: SEED, start: NOW, episodesPerHour: perHour });
      let replies = 0;
      for (let step = stream.next(); step.at < NOW + 2 * DAY_MS; step = stream.next()) {
        if (step.kind === 'reply') replies += 1;
      }
      return replies;
    };
    // Most episodes get one or two answers: their number follows the rate.
    const ratio = repliesIn2Days(8) / repliesIn2Days(2);
    expect(ratio).toBeGreaterThan(2.5);
    expect(ratio).toBeLessThan(6);
  });

  it('uses ids unique to the stream, so a restarted hub does not replay old ids', () => {
    const first = customerEvents(take(createLiveStream({ seed: SEED, start: NOW }), 300)).map(
      (e) => e.externalId,
    );
    const restarted = customerEvents(
      take(createLiveStream({ seed: SEED, start: NOW + 60_000 }), 300),
    ).map((e) => e.externalId);
    const backfill = new Set(world.backfill.map((e) => e.externalId));
    expect(new Set(first).size).toBe(first.length);
    expect(first.some((id) => backfill.has(id))).toBe(false);
    expect(restarted.some((id) => first.includes(id))).toBe(false);
  });

  it('brings back known customers with the same identity, and new ones', () => {
    const known = new Map(
      messages.map((m) => [`${m.channel}/${m.customer.externalId}`, m.customer]),
    );
    const fresh = createDemoWorld({ seed: SEED, now: NOW });
    const events = customerEvents(take(fresh.live, 1500));
    const returning = events.filter((e) => known.has(`${e.channel}/${e.customer.externalId}`));
    const newcomers = events.filter((e) => !known.has(`${e.channel}/${e.customer.externalId}`));
    expect(returning.length).toBeGreaterThan(30);
    expect(newcomers.length).toBeGreaterThan(30);
    for (const e of returning) {
      expect(e.customer).toEqual(known.get(`${e.channel}/${e.customer.externalId}`));
    }
    expect(new Set(events.map((e) => e.channel))).toEqual(new Set(DEMO_CHANNELS));
  });
});

describe('demo sender', () => {
  function fakeScheduler() {
    const queue: { at: number; fn: () => void; order: number }[] = [];
    let clock = NOW;
    let order = 0;
    return {
      now: () => clock,
      schedule: (delayMs: number, fn: () => void) => {
        queue.push({ at: clock + delayMs, fn, order: (order += 1) });
      },
      runAll() {
        queue.sort((a, b) => a.at - b.at || a.order - b.order);
        while (queue.length > 0) {
          const next = queue.shift();
          if (!next) break;
          clock = next.at;
          next.fn();
        }
      },
      pending: () => queue.length,
    };
  }

  const request = (n: number, channel: ChannelKind = 'whatsapp') => ({
    messageId: `msg_${n}`,
    channel,
    channelAccountId: `demo-${channel}`,
    to: '31612345678',
    content: { type: 'text' as const, body: `Reply ${n}` },
  });

  it('accepts every message and reports sent, delivered, then read', async () => {
    const scheduler = fakeScheduler();
    const statuses: InboundStatus[] = [];
    const sender = createDemoSender('whatsapp', {
      schedule: scheduler.schedule,
      onStatus: (s) => statuses.push(s),
      now: scheduler.now,
      seed: 1,
    });
    expect(sender.channel).toBe('whatsapp');
    const results = [];
    for (let n = 1; n <= 50; n += 1) results.push(await sender.send(request(n)));
    expect(results.every((r) => r.ok)).toBe(true);
    const ids = results.map((r) => (r.ok ? r.externalId : ''));
    expect(ids.every((id) => /^demo-out\.[0-9a-z]+\.\d+$/.test(id))).toBe(true);
    expect(new Set(ids).size).toBe(50);
    // Nothing is reported before send() has returned: the hub must know the id first.
    expect(statuses).toHaveLength(0);

    scheduler.runAll();
    const byId = new Map<string, InboundStatus[]>();
    for (const s of statuses) byId.set(s.externalId, [...(byId.get(s.externalId) ?? []), s]);
    let unread = 0;
    for (const id of ids) {
      const list = byId.get(id) ?? [];
      const names = list.map((s) => s.status);
      expect(names.slice(0, 2)).toEqual(['sent', 'delivered']);
      if (names.length === 2) unread += 1;
      else expect(names).toEqual(['sent', 'delivered', 'read']);
      const [sent, delivered, read] = list;
      expect(sent?.at).toBe(NOW);
      const deliveredAfter = (delivered?.at ?? 0) - NOW;
      expect(deliveredAfter).toBeGreaterThanOrEqual(1_000);
      expect(deliveredAfter).toBeLessThanOrEqual(4_000);
      if (read) {
        expect(read.at - NOW).toBeGreaterThanOrEqual(5_000);
        expect(read.at - NOW).toBeLessThanOrEqual(40_000);
      }
      for (const s of list) {
        expect(s).toMatchObject({
          kind: 'status',
          channel: 'whatsapp',
          channelAccountId: 'demo-whatsapp',
          recipientId: '31612345678',
        });
      }
    }
    expect(unread).toBeGreaterThan(0);
    expect(unread).toBeLessThan(25);
  });

  it('is deterministic for a seed', async () => {
    const run = async (seed: number) => {
      const scheduler = fakeScheduler();
      const statuses: InboundStatus[] = [];
      const sender = createDemoSender('messenger', {
        schedule: scheduler.schedule,
        onStatus: (s) => statuses.push(s),
        now: scheduler.now,
        seed,
      });
      for (let n = 1; n <= 20; n += 1) await sender.send(request(n, 'messenger'));
      scheduler.runAll();
      return statuses;
    };
    expect(await run(7)).toEqual(await run(7));
    expect(await run(7)).not.toEqual(await run(8));
  });
});

describe('demo runner', () => {
  function fakeTimers() {
    const pending = new Map<number, { at: number; fn: () => void }>();
    let clock = NOW;
    let nextHandle = 0;
    const cleared: unknown[] = [];
    const timers: DemoTimers = {
      setTimeout: (fn, delayMs) => {
        nextHandle += 1;
        pending.set(nextHandle, { at: clock + delayMs, fn });
        return nextHandle;
      },
      clearTimeout: (handle) => {
        cleared.push(handle);
        pending.delete(handle as number);
      },
    };
    return {
      timers,
      now: () => clock,
      setClock: (at: number) => {
        clock = at;
      },
      pending,
      cleared,
      /** Fire the next timer, moving the clock to its time. */
      fire() {
        const [handle, timer] = [...pending.entries()].sort((a, b) => a[1].at - b[1].at)[0] ?? [];
        if (handle === undefined || !timer) throw new Error('no timer pending');
        pending.delete(handle);
        clock = Math.max(clock, timer.at);
        timer.fn();
      },
    };
  }

  it('stores orders, ingests the backfill in order, then live events, and stops cleanly', async () => {
    const fake = fakeTimers();
    const ingested: InboundEvent[] = [];
    const upserts: number[] = [];
    const demo = await startDemo({
      seed: SEED,
      now: fake.now,
      ingest: async (event) => {
        ingested.push(event);
      },
      orders: {
        upsert: async (orders) => {
          upserts.push(orders.length);
          return orders.length;
        },
      },
      timers: fake.timers,
    });
    expect(upserts).toEqual([world.orders.length]);
    expect(ingested).toEqual(world.backfill);
    expect(fake.pending.size).toBe(1);

    // Without teammates, the live part is the customers' messages of the same world.
    const expected = createDemoWorld({ seed: SEED, now: NOW }).live;
    const nextCustomer = () => {
      for (;;) {
        const step = expected.next();
        if (step.kind === 'customer') return step;
      }
    };
    for (let i = 0; i < 10; i += 1) {
      fake.fire();
      const next = nextCustomer();
      await new Promise((resolve) => setImmediate(resolve));
      expect(ingested.at(-1)).toEqual(next.event);
      expect(fake.now()).toBe(next.at);
      expect(fake.pending.size).toBe(1);
    }
    expect(ingested).toHaveLength(world.backfill.length + 10);

    demo.stop();
    expect(fake.pending.size).toBe(0);
    expect(fake.cleared).toHaveLength(1);
    demo.stop();
    expect(ingested).toHaveLength(world.backfill.length + 10);
  });

  it('hands the backfill over in batches, each committed before the next', async () => {
    const fake = fakeTimers();
    let inFlight = 0;
    let maxInFlight = 0;
    const demo = await startDemo({
      seed: SEED,
      now: fake.now,
      ingest: async () => {
        inFlight += 1;
        maxInFlight = Math.max(maxInFlight, inFlight);
        await new Promise((resolve) => setImmediate(resolve));
        inFlight -= 1;
      },
      orders: { upsert: async (orders) => orders.length },
      timers: fake.timers,
    });
    demo.stop();
    expect(maxInFlight).toBe(SEED_BATCH);
  });

  it('writes no second history on a hub that already holds a demo (a restart)', async () => {
    const fake = fakeTimers();
    const ingested: InboundEvent[] = [];
    const written: number[] = [];
    const demo = await startDemo({
      seed: SEED,
      now: fake.now,
      ingest: async (event) => void ingested.push(event),
      orders: { upsert: async (orders) => orders.length },
      team: {
        seeded: async () => true,
        nextOrderNumber: async () => 5000,
        writeHistory: async (w) => void written.push(w.history.length),
        reply: async () => undefined,
        resolve: async () => undefined,
      },
      timers: fake.timers,
    });
    expect(ingested).toEqual([]);
    expect(written).toEqual([]);
    expect(fake.pending.size).toBe(1);
    demo.stop();
  });

  it('skips ahead instead of replaying a burst after the process slept', async () => {
    const fake = fakeTimers();
    const live: InboundEvent[] = [];
    let backfillDone = false;
    const demo = await startDemo({
      seed: SEED,
      now: fake.now,
      ingest: async (event) => {
        if (backfillDone) live.push(event);
      },
      orders: { upsert: async (orders) => orders.length },
      timers: fake.timers,
    });
    backfillDone = true;
    fake.fire();
    await new Promise((resolve) => setImmediate(resolve));
    expect(live).toHaveLength(1);
    // The machine sleeps for 8 hours with a timer pending: its message is hours stale.
    fake.setClock(fake.now() + 8 * HOUR_MS);
    fake.fire();
    expect(live).toHaveLength(1);
    const [timer] = [...fake.pending.values()];
    expect(timer?.at).toBeGreaterThan(fake.now());
    fake.fire();
    fake.fire();
    // A message that brings a new order is ingested once the order is stored.
    await new Promise((resolve) => setImmediate(resolve));
    expect(live).toHaveLength(3);
    for (const event of live.slice(1)) {
      expect(event.kind === 'message' && event.sentAt).toBeGreaterThan(NOW + 8 * HOUR_MS);
    }
    demo.stop();
  });

  it('reports live ingest failures and keeps going', async () => {
    const fake = fakeTimers();
    const errors: unknown[] = [];
    let live = false;
    const demo = await startDemo({
      seed: SEED,
      now: fake.now,
      ingest: async () => {
        if (live) throw new Error('database is down');
      },
      orders: { upsert: async (orders) => orders.length },
      timers: fake.timers,
      onError: (error) => errors.push(error),
    });
    live = true;
    fake.fire();
    fake.fire();
    await new Promise((resolve) => setImmediate(resolve));
    expect(errors).toHaveLength(2);
    expect(fake.pending.size).toBe(1);
    demo.stop();
  });
});
