import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { InboundMessage } from '../../src/server/channels/types';
import type { RunningHub } from '../../src/server/hub';
import { eventsSince, headSeq } from '../../src/server/store/events';
import type { Conversation, Message } from '../../src/shared/domain/model';
import type { AdminUser } from '../../src/shared/protocol/admin';
import type { Command } from '../../src/shared/protocol/commands';
import type { CustomerView, MergeCandidate } from '../../src/shared/protocol/customers';
import type { HubEvent } from '../../src/shared/protocol/events';
import { api, login, startTestHub } from '../support/hub';

/**
 * One customer across channels (issue #20 item 2): the hub proposes merging customers who share
 * an E.164 phone or an e-mail on different channels; an agent merges and unmerges them through
 * commands (idempotent by client id, events with seqs); every conversation keeps its channel,
 * messages and reply window; refusals change nothing.
 */

const T0 = Date.parse('2026-12-06T09:00:00Z');
const HOUR = 3_600_000;
let hub: RunningHub;
let clock = T0;
let admin: string;
let agent: string;

let counter = 0;

function inbound(
  channel: InboundMessage['channel'],
  customer: InboundMessage['customer'],
  sentAt: number,
): InboundMessage {
  counter += 1;
  return {
    kind: 'message',
    channel,
    channelAccountId: `${channel}-shop`,
    externalId: `${channel}.msg.${counter}`,
    customer,
    sentAt,
    content: { type: 'text', body: `Message ${counter}` },
  };
}

const WA = { externalId: '31612345678', name: 'Anna de Vries', phone: '31612345678' };
const IG = { externalId: '17841400000000001', name: 'anna.vries', phone: null, language: 'nl' };
const MS = { externalId: 'psid-2001', name: 'Bram Jansen', phone: null, email: 'Bram@Example.com' };
const TG = { externalId: '5550001', name: 'bram_j', phone: null, email: 'bram@example.COM' };

let ids: { wa: string; ig: string; ms: string; tg: string };
let conv: { wa: string; ig: string };

async function conversationOf(externalId: string): Promise<Conversation> {
  const { rows } = await hub.db.query<{ id: string }>(
    'select id from conversations where customer_external_id = $1',
    [externalId],
  );
  const res = await api<{ conversation: Conversation }>(
    hub.url,
    admin,
    `/api/conversations/${rows[0]?.id}`,
  );
  expect(res.status).toBe(200);
  return res.body.conversation;
}

async function view(customerId: string): Promise<CustomerView> {
  const res = await api<CustomerView>(hub.url, agent, `/api/customers/${customerId}`);
  expect(res.status).toBe(200);
  return res.body;
}

async function messageCount(conversationId: string): Promise<number> {
  const res = await api<{ messages: Message[] }>(
    hub.url,
    admin,
    `/api/conversations/${conversationId}/messages?limit=200`,
  );
  expect(res.status).toBe(200);
  return res.body.messages.length;
}

/** Per conversation: its customer, message count and reply-window fact, as one line. */
async function split(): Promise<string[]> {
  const lines: string[] = [];
  for (const id of [conv.wa, conv.ig]) {
    const c = (
      await api<{ conversation: Conversation }>(hub.url, admin, `/api/conversations/${id}`)
    ).body.conversation;
    lines.push(
      `${c.channel} ${c.id} customer=${c.customer.id} messages=${await messageCount(id)} lastInboundAt=${c.lastInboundAt}`,
    );
  }
  return lines;
}

async function command(clientId: string, body: Command, token = agent) {
  clock += 1000;
  return api<{ result?: unknown; message?: string; details?: unknown }>(
    hub.url,
    token,
    '/api/commands',
    { method: 'POST', body: { clientId, command: body } },
  );
}

async function eventsAfter(seq: number): Promise<HubEvent[]> {
  return (await eventsSince(hub.db, seq, 100)).map((e) => e.event);
}

/** A compact line per event: its type and the snapshot fields that matter here. */
const line = (event: HubEvent): string =>
  event.type === 'customer.updated'
    ? `customer.updated ${event.customer.id} ${event.customer.name} phone=${event.customer.phone} language=${event.customer.language} mergedInto=${event.customer.mergedInto}`
    : event.type === 'conversation.updated'
      ? `conversation.updated ${event.conversation.id} customer=${event.conversation.customer.id} ${event.conversation.customer.name} phone=${event.conversation.customer.phone}`
      : event.type;

beforeAll(async () => {
  hub = await startTestHub({ now: () => clock });
  admin = await login(hub.url);
  const created = await api<{ user: AdminUser }>(hub.url, admin, '/api/admin/users', {
    method: 'POST',
    body: {
      email: 'agent@shop.example',
      name: 'Sanne',
      role: 'agent',
      password: 'a long enough password',
    },
  });
  expect(created.status).toBe(201);

  agent = await login(hub.url, { email: 'agent@shop.example', password: 'a long enough password' });
  // WhatsApp first (the older customer), two messages; Instagram an hour later, one.
  await hub.ingestor.ingest(inbound('whatsapp', WA, T0 - 5 * HOUR));
  await hub.ingestor.ingest(inbound('whatsapp', WA, T0 - 4 * HOUR));
  clock += 1000;
  await hub.ingestor.ingest(inbound('instagram', IG, T0 - 3 * HOUR));
  clock += 1000;
  await hub.ingestor.ingest(inbound('messenger', MS, T0 - 2 * HOUR));
  clock += 1000;
  await hub.ingestor.ingest(inbound('telegram', TG, T0 - HOUR));
  const [wa, ig, ms, tg] = await Promise.all(
    [WA, IG, MS, TG].map((c) => conversationOf(c.externalId)),
  );
  if (!wa || !ig || !ms || !tg) throw new Error('the four conversations were not stored');
  ids = { wa: wa.customer.id, ig: ig.customer.id, ms: ms.customer.id, tg: tg.customer.id };
  conv = { wa: wa.id, ig: ig.id };
});

afterAll(async () => {
  await hub?.close();
});

describe('merge proposals', () => {
  it('proposes customers with the same e-mail whatever its case, on different channels', async () => {
    const candidates = (await view(ids.ms)).candidates;
    expect(
      candidates.map((c) => [c.customer.id, c.customer.name, c.reason, c.value, c.channels]),
    ).toEqual([[ids.tg, 'bram_j', 'email', 'bram@example.com', ['telegram']]]);
    const alone = await api<{ candidates: MergeCandidate[] }>(
      hub.url,
      agent,
      `/api/customers/${ids.tg}/merge-candidates`,
    );
    expect(alone.body.candidates.map((c) => c.customer.id)).toEqual([ids.ms]);
  });

  it('proposes none before the Instagram customer has a phone, then finds it written differently', async () => {
    expect((await view(ids.wa)).candidates).toEqual([]);
    const since = await headSeq(hub.db);
    const res = await command('edit-ig-phone-1', {
      type: 'update_customer',
      customerId: ids.ig,
      changes: { phone: '+31 (0)6-1234 5678', note: 'Prefers Dutch; VIP since 2024.' },
    });
    expect(res.status).toBe(200);
    // The customer, then its one conversation with the new phone in its snapshot.
    expect((await eventsAfter(since)).map(line)).toEqual([
      `customer.updated ${ids.ig} anna.vries phone=+31 (0)6-1234 5678 language=nl mergedInto=null`,
      `conversation.updated ${conv.ig} customer=${ids.ig} anna.vries phone=+31 (0)6-1234 5678`,
    ]);
    const [event] = await eventsAfter(since);
    expect(event).toEqual({
      type: 'customer.updated',
      customer: {
        id: ids.ig,
        name: 'anna.vries',
        phone: '+31 (0)6-1234 5678',
        email: null,
        country: null,
        language: 'nl',
        note: 'Prefers Dutch; VIP since 2024.',
        mergedInto: null,
        createdAt: T0 + 1000,
        updatedAt: clock,
      },
    });
    const candidates = (await view(ids.wa)).candidates;
    expect(candidates.map((c) => [c.customer.id, c.reason, c.value, c.channels])).toEqual([
      [ids.ig, 'phone', '+31612345678', ['instagram']],
    ]);
  });
});

describe('merging and unmerging', () => {
  let before: string[];

  it('merges Instagram into the older WhatsApp customer: both conversations, each its own', async () => {
    before = await split();
    expect(before).toEqual([
      `whatsapp ${conv.wa} customer=${ids.wa} messages=2 lastInboundAt=${T0 - 4 * HOUR}`,
      `instagram ${conv.ig} customer=${ids.ig} messages=1 lastInboundAt=${T0 - 3 * HOUR}`,
    ]);
    const since = await headSeq(hub.db);
    const res = await command('merge-anna-1', {
      type: 'merge_customers',
      customerId: ids.wa,
      mergedId: ids.ig,
    });
    expect(res.status).toBe(200);
    expect((res.body.result as { conversationIds: string[] }).conversationIds).toEqual([conv.ig]);
    // The merged customer points at the kept one, which takes the language it lacked; every
    // conversation of the kept customer shows it (the language is in their snapshot).
    expect((await eventsAfter(since)).map(line)).toEqual([
      `customer.updated ${ids.ig} anna.vries phone=+31 (0)6-1234 5678 language=nl mergedInto=${ids.wa}`,
      `customer.updated ${ids.wa} Anna de Vries phone=31612345678 language=nl mergedInto=null`,
      ...[conv.wa, conv.ig]
        .sort()
        .map(
          (id) => `conversation.updated ${id} customer=${ids.wa} Anna de Vries phone=31612345678`,
        ),
    ]);
    expect(await headSeq(hub.db)).toBe(since + 4);
    expect(await split()).toEqual([
      `whatsapp ${conv.wa} customer=${ids.wa} messages=2 lastInboundAt=${T0 - 4 * HOUR}`,
      `instagram ${conv.ig} customer=${ids.wa} messages=1 lastInboundAt=${T0 - 3 * HOUR}`,
    ]);
    const profile = await view(ids.wa);
    expect(profile.conversations.map((c) => [c.id, c.channel])).toEqual([
      [conv.ig, 'instagram'],
      [conv.wa, 'whatsapp'],
    ]);
    expect(profile.identities).toEqual([
      { channel: 'instagram', externalId: IG.externalId, ownerId: ids.ig },
      { channel: 'whatsapp', externalId: WA.externalId, ownerId: ids.wa },
    ]);
    expect(profile.merged.map((m) => [m.id, m.mergedInto])).toEqual([[ids.ig, ids.wa]]);
    expect(profile.candidates).toEqual([]);
    expect(profile.customer.note).toBe('Prefers Dutch; VIP since 2024.');
  });

  it('answers a replayed merge with the same result and emits nothing', async () => {
    const since = await headSeq(hub.db);
    const first = await api<{ result: unknown }>(hub.url, agent, '/api/commands', {
      method: 'POST',
      body: {
        clientId: 'merge-anna-1',
        command: { type: 'merge_customers', customerId: ids.wa, mergedId: ids.ig },
      },
    });
    expect(first.status).toBe(200);
    expect((first.body.result as { conversationIds: string[] }).conversationIds).toEqual([conv.ig]);
    expect(await headSeq(hub.db)).toBe(since);
  });

  it('keeps a new Instagram message with the merged customer, without renaming them', async () => {
    clock += 1000;
    await hub.ingestor.ingest(inbound('instagram', { ...IG, name: 'Anna (IG)' }, T0 - HOUR / 2));
    const c = await conversationOf(IG.externalId);
    expect([c.id, c.customer.id, c.customer.name, c.lastInboundAt]).toEqual([
      conv.ig,
      ids.wa,
      'Anna de Vries',
      T0 - HOUR / 2,
    ]);
  });

  it('refuses bad and impossible commands with a clear reason, and changes nothing', async () => {
    const since = await headSeq(hub.db);
    const snapshot = JSON.stringify([await view(ids.wa), await view(ids.ig), await split()]);
    const refusals: [Command, number, string, string | null][] = [
      [
        { type: 'merge_customers', customerId: ids.wa, mergedId: ids.wa },
        400,
        'mergedId: a customer cannot be merged into itself.',
        'command.mergedId',
      ],
      [
        { type: 'merge_customers', customerId: ids.ig, mergedId: ids.ms },
        409,
        'anna.vries is itself merged into Anna de Vries: merge into that customer instead.',
        null,
      ],
      [
        { type: 'merge_customers', customerId: ids.ms, mergedId: ids.ig },
        409,
        'anna.vries is already merged into Anna de Vries.',
        null,
      ],
      [
        { type: 'unmerge_customer', customerId: ids.wa },
        409,
        'Anna de Vries is not merged into another customer.',
        null,
      ],
      [
        { type: 'update_customer', customerId: ids.ig, changes: { name: 'Anna' } },
        409,
        'anna.vries is merged into Anna de Vries: edit that profile, or unmerge them first.',
        null,
      ],
      [
        { type: 'merge_customers', customerId: 'cus_nobody', mergedId: ids.ms },
        404,
        'No customer cus_nobody.',
        null,
      ],
    ];
    for (const [i, [body, status, message, field]] of refusals.entries()) {
      const res = await command(`refused-${i}-0001`, body);
      expect([res.status, res.body.message]).toEqual([status, message]);
      if (field)
        expect((res.body.details as { fields: { path: string }[] }).fields[0]?.path).toBe(field);
    }
    const badEmail = await command('bad-email-0001', {
      type: 'update_customer',
      customerId: ids.wa,
      changes: { email: 'not an address' },
    });
    expect(badEmail.status).toBe(400);
    expect(
      (badEmail.body.details as { fields: { path: string }[] }).fields.map((f) => f.path),
    ).toEqual(['command.changes.email']);
    const badCountry = await command('bad-country-0001', {
      type: 'update_customer',
      customerId: ids.wa,
      changes: { country: 'Netherlands' },
    });
    expect(badCountry.status).toBe(400);
    expect(
      (badCountry.body.details as { fields: { path: string }[] }).fields.map((f) => f.path),
    ).toEqual(['command.changes.country']);
    expect(await headSeq(hub.db)).toBe(since);
    expect(JSON.stringify([await view(ids.wa), await view(ids.ig), await split()])).toBe(snapshot);
  });

  it('lets the agent edit the merged profile; the name stays an agent’s', async () => {
    const res = await command('edit-anna-1', {
      type: 'update_customer',
      customerId: ids.wa,
      changes: { email: 'anna@example.nl', country: 'nl' },
    });
    expect(res.status).toBe(200);
    const profile = (await view(ids.wa)).customer;
    expect([profile.email, profile.country, profile.language]).toEqual([
      'anna@example.nl',
      'NL',
      'nl',
    ]);
  });

  it('unmerges to the exact previous split, the new message staying on Instagram', async () => {
    const since = await headSeq(hub.db);
    const res = await command('unmerge-anna-1', { type: 'unmerge_customer', customerId: ids.ig });
    expect(res.status).toBe(200);
    expect((await eventsAfter(since)).map(line)).toEqual([
      `customer.updated ${ids.ig} anna.vries phone=+31 (0)6-1234 5678 language=nl mergedInto=null`,
      `customer.updated ${ids.wa} Anna de Vries phone=31612345678 language=null mergedInto=null`,
      `conversation.updated ${conv.ig} customer=${ids.ig} anna.vries phone=+31 (0)6-1234 5678`,
      `conversation.updated ${conv.wa} customer=${ids.wa} Anna de Vries phone=31612345678`,
    ]);
    expect(await split()).toEqual([
      before[0],
      `instagram ${conv.ig} customer=${ids.ig} messages=2 lastInboundAt=${T0 - HOUR / 2}`,
    ]);
    const wa = await view(ids.wa);
    const ig = await view(ids.ig);
    expect(wa.conversations.map((c) => c.id)).toEqual([conv.wa]);
    expect(ig.conversations.map((c) => c.id)).toEqual([conv.ig]);
    expect(wa.identities.map((i) => i.channel)).toEqual(['whatsapp']);
    expect(ig.identities.map((i) => i.channel)).toEqual(['instagram']);
    expect(wa.merged).toEqual([]);
    // The merge's language went back; the agent's own e-mail edit stays.
    expect([wa.customer.language, wa.customer.email]).toEqual([null, 'anna@example.nl']);
    expect(ig.customer.note).toBe('Prefers Dutch; VIP since 2024.');
    // And the hub proposes them again.
    expect(wa.candidates.map((c) => [c.customer.id, c.reason])).toEqual([[ids.ig, 'phone']]);
  });

  it('refuses the profile to a request without a session', async () => {
    expect((await api(hub.url, null, `/api/customers/${ids.wa}`)).status).toBe(401);
    expect((await api(hub.url, agent, '/api/customers/cus_nobody')).status).toBe(404);
  });
});
