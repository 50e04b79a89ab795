import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DELIVERY_UNKNOWN, type Message } from '../../src/shared/domain/model';
import type { RunningHub } from '../../src/server/hub';
import { startFakeGraphApi, type FakeGraphApi } from '../support/fake-graph-api';
import { api, login, startTestHub, WHATSAPP } from '../support/hub';
import {
  messagesWebhook,
  signedWebhook,
  statusesWebhook,
  statusUpdate,
  textMessage,
} from '../support/whatsapp-webhooks';
import { until } from '../support/until';

/**
 * Issue #13 items 2 and 3: a reply Meta accepted but whose answer was lost must reach the
 * customer once, and the agent must see the truth; one hanging call must not hold up the other
 * conversations' replies.
 */
const RECONCILE_MS = 60_000;
let clock = Date.now();
let graph: FakeGraphApi;
let hub: RunningHub;
let token: string;

beforeAll(async () => {
  graph = await startFakeGraphApi({ accessToken: WHATSAPP.accessToken });
  hub = await startTestHub({
    graphUrl: graph.url,
    now: () => clock,
    sendTimeoutMs: 1_500,
    outbound: { baseDelayMs: 50, pollMs: 25, reconcileMs: RECONCILE_MS },
  });
  token = await login(hub.url);
});
afterAll(async () => {
  await hub.close();
  await graph.close();
});

async function post(payload: unknown): Promise<void> {
  const signed = signedWebhook(payload, WHATSAPP.appSecret);
  const res = await fetch(`${hub.url}/webhooks/whatsapp`, {
    method: 'POST',
    headers: signed.headers,
    body: signed.body,
  });
  expect(res.status).toBe(200);
}

/** A conversation whose customer just wrote (an open window). */
async function conversationWith(waId: string): Promise<string> {
  await post(messagesWebhook(textMessage('Hello?', { from: waId, timestamp: new Date(clock) })));
  const { rows } = await hub.db.query<{ id: string }>(
    `select v.id from conversations v join customers c on c.id = v.customer_id where c.phone = $1`,
    [`+${waId}`],
  );
  return rows[0]?.id ?? '';
}

async function reply(conversationId: string, body: string): Promise<Message> {
  const sent = await api<{ message: Message }>(
    hub.url,
    token,
    `/api/conversations/${conversationId}/messages`,
    { method: 'POST', body: { content: { type: 'text', body } } },
  );
  expect(sent.status).toBe(202);
  return sent.body.message;
}

async function messageRow(id: string) {
  const { rows } = await hub.db.query<{
    status: string;
    external_id: string | null;
    failure_code: string | null;
    queued: boolean;
  }>(
    `select status, external_id, failure_code,
       exists(select 1 from outbound_queue q where q.message_id = m.id) as queued
     from messages m where id = $1`,
    [id],
  );
  return rows[0];
}

const sendsOf = (id: string): number => graph.accepted.filter((a) => a.ourId === id).length;

describe('a send Meta accepted but never answered', () => {
  it('holds up only its own conversation; the others go out at once', async () => {
    const [a, b] = [await conversationWith('31620000001'), await conversationWith('31620000002')];
    graph.acceptAndHang();
    const hanging = await reply(a, 'Your refund is on its way.');
    await untilWithin(
      async () => sendsOf(hanging.id),
      (n) => n === 1,
    );
    const other = await reply(b, 'Your parcel left the warehouse.');
    const otherRow = await untilWithin(
      () => messageRow(other.id),
      (row) => row?.status === 'sent',
    );
    expect(otherRow?.status).toBe('sent');
    // …while the first send is still waiting for Meta's answer.
    expect(await messageRow(hanging.id)).toMatchObject({ status: 'sending', queued: true });
    const inFlight = await hub.db.query<{ sending_since: string | null }>(
      'select sending_since from outbound_queue where message_id = $1',
      [hanging.id],
    );
    expect(inFlight.rows[0]?.sending_since).not.toBeNull();

    // The timeout passes: the message is not sent again, it waits for Meta's status.
    const waiting = await untilWithin(
      async () =>
        (
          await hub.db.query<{ uncertain_since: string | null }>(
            'select uncertain_since from outbound_queue where message_id = $1',
            [hanging.id],
          )
        ).rows[0]?.uncertain_since ?? null,
      (since) => since !== null,
    );
    expect(Number(waiting)).toBe(clock);
    await hub.outbound.runOnce();
    expect(sendsOf(hanging.id)).toBe(1);
    expect(await messageRow(hanging.id)).toMatchObject({ status: 'sending', queued: true });

    // Meta's status names our message: it is settled, with its wamid, and never resent.
    const wamid = graph.accepted.find((s) => s.ourId === hanging.id)?.wamid ?? '';
    await post(
      statusesWebhook(
        statusUpdate('delivered', {
          id: wamid,
          callbackData: hanging.id,
          recipientId: '31620000001',
        }),
      ),
    );
    expect(await messageRow(hanging.id)).toEqual({
      status: 'delivered',
      external_id: wamid,
      failure_code: null,
      queued: false,
    });
    await hub.outbound.runOnce();
    expect(sendsOf(hanging.id)).toBe(1);
  });

  it('without a status in time, the agent is told it may not have been delivered, and a late status corrects it', async () => {
    const c = await conversationWith('31620000003');
    graph.acceptAndHang();
    const hanging = await reply(c, 'We have rebooked your flight.');
    await untilWithin(
      async () =>
        (
          await hub.db.query(
            'select 1 from outbound_queue where message_id = $1 and uncertain_since is not null',
            [hanging.id],
          )
        ).rows.length,
      (n) => n === 1,
    );
    clock += RECONCILE_MS + 1;
    await hub.outbound.runOnce();
    expect(await messageRow(hanging.id)).toEqual({
      status: 'failed',
      external_id: null,
      failure_code: DELIVERY_UNKNOWN,
      queued: false,
    });
    const { body } = await api<{ messages: Message[] }>(
      hub.url,
      token,
      `/api/conversations/${c}/messages`,
    );
    expect(body.messages.find((m) => m.id === hanging.id)?.failureReason).toMatch(
      /^May not have been delivered/,
    );
    expect(sendsOf(hanging.id)).toBe(1);

    const wamid = graph.accepted.find((s) => s.ourId === hanging.id)?.wamid ?? '';
    await post(
      statusesWebhook(
        statusUpdate('read', { id: wamid, callbackData: hanging.id, recipientId: '31620000003' }),
      ),
    );
    expect(await messageRow(hanging.id)).toEqual({
      status: 'read',
      external_id: wamid,
      failure_code: null,
      queued: false,
    });
    expect(sendsOf(hanging.id)).toBe(1);
  });
});

/** This file's waits are longer than the helper's default (hubs, crashes). */
const untilWithin = <T>(read: () => Promise<T>, done: (value: T) => boolean): Promise<T> =>
  until(read, done, 10_000);
