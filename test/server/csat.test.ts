import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningHub } from '../../src/server/hub';
import { createUserService } from '../../src/server/auth/users';
import { DEFAULT_CSAT_SETTINGS, type CsatSettings } from '../../src/shared/csat';
import type { DashboardFigures } from '../../src/shared/dashboard';
import { HOUR_MS, MINUTE_MS } from '../../src/shared/domain/channels';
import type { Conversation, Message } from '../../src/shared/domain/model';
import { startFakeGraphApi, type FakeGraphApi } from '../support/fake-graph-api';
import { startFakeMessengerApi, type FakeMessengerApi } from '../support/fake-messenger-api';
import { api, login, startTestHub, WHATSAPP, whatsappEnv } from '../support/hub';
import { readHubConfig } from '../../src/server/config';
import { MESSENGER, metaSettings, metaWebhook, signedMeta } from '../support/meta-webhooks';
import { until } from '../support/until';
import {
  buttonMessage,
  buttonReplyMessage,
  messagesWebhook,
  signedWebhook,
  textMessage,
} from '../support/whatsapp-webhooks';

/**
 * CSAT (issue 20, item 5) end to end: a real hub, the WhatsApp and Messenger fakes, and a test
 * clock (the SLA tests' pattern: move the clock, then any conversation change re-evaluates).
 */

const T0 = Date.parse('2026-12-01T09:00:00Z');
let clock = T0;
let graph: FakeGraphApi;
let meta: FakeMessengerApi;
let hub: RunningHub;
let admin: string;
let ava: string;
let avaId: string;
let templateId: string;
let commands = 0;

const SETTINGS: CsatSettings = {
  ...DEFAULT_CSAT_SETTINGS,
  enabled: true,
  question: 'How did we do?',
  delayMs: 5 * MINUTE_MS,
};

beforeAll(async () => {
  graph = await startFakeGraphApi({ accessToken: WHATSAPP.accessToken });
  meta = await startFakeMessengerApi({
    pageAccessToken: MESSENGER.pageAccessToken,
    pageIds: [MESSENGER.pageId],
  });
  hub = await startTestHub({
    now: () => clock,
    graphUrl: graph.url,
    channels: {
      ...readHubConfig(whatsappEnv(graph.url), path.resolve('.')).channels,
      messenger: metaSettings(MESSENGER, meta.url, 'yes'),
    },
  });
  admin = await login(hub.url);
  const user = await createUserService(hub.db, () => clock).create({
    email: 'ava@shop.example',
    name: 'Ava',
    role: 'agent',
    password: 'ava password 1',
  });
  avaId = user.id;
  ava = await login(hub.url, { email: 'ava@shop.example', password: 'ava password 1' });
  // A team fixture, as the dashboard tests write theirs.
  await hub.db.query(
    `insert into teams (id, name, created_at, updated_at) values ('team_care', 'Care', 0, 0)`,
  );
  await hub.db.query(`insert into team_members (team_id, user_id) values ('team_care', $1)`, [
    avaId,
  ]);
  const template = await api<{ template: { id: string } }>(hub.url, admin, '/api/templates', {
    method: 'POST',
    body: {
      kind: 'whatsapp',
      name: 'csat_rating',
      body: 'How did we do with your question?',
      language: 'en_US',
      category: 'utility',
      channels: ['whatsapp'],
      buttons: [
        { type: 'quick_reply', text: 'Good' },
        { type: 'quick_reply', text: 'Okay' },
        { type: 'quick_reply', text: 'Bad' },
      ],
    },
  });
  templateId = template.body.template.id;
});

afterAll(async () => {
  await hub.close();
  await graph.close();
  await meta.close();
});

async function whatsappWrites(fixture: ReturnType<typeof textMessage>): Promise<void> {
  const signed = signedWebhook(messagesWebhook(fixture), WHATSAPP.appSecret);
  const res = await fetch(`${hub.url}/webhooks/whatsapp`, {
    method: 'POST',
    headers: signed.headers,
    body: signed.body,
  });
  expect([res.status, res.status === 200 ? '' : await res.text()]).toEqual([200, '']);
}

async function messengerWrites(psid: string, message: object): Promise<void> {
  const signed = signedMeta(
    metaWebhook('page', MESSENGER.pageId, [
      { sender: { id: psid }, recipient: { id: MESSENGER.pageId }, timestamp: clock, message },
    ]),
    MESSENGER.appSecret,
  );
  const res = await fetch(`${hub.url}/webhooks/messenger`, {
    method: 'POST',
    headers: signed.headers,
    body: signed.body,
  });
  expect([res.status, res.status === 200 ? '' : await res.text()]).toEqual([200, '']);
}

async function conversationWith(
  match: (c: Conversation) => boolean,
  channel: string,
): Promise<Conversation> {
  const found = await until(
    async () =>
      (
        await api<{ conversations: Conversation[] }>(
          hub.url,
          admin,
          `/api/conversations?channel=${channel}&limit=500`,
        )
      ).body.conversations.find(match),
    (c) => c !== undefined,
  );
  if (!found) throw new Error('no such conversation');
  return found;
}

const byPhone = (phone: string) => (c: Conversation) => c.customer.phone === phone;

async function command(token: string, body: Record<string, unknown>): Promise<void> {
  const res = await api(hub.url, token, '/api/commands', {
    method: 'POST',
    body: { clientId: `csat-command-${(commands += 1)}`, command: body },
  });
  expect(res.status).toBe(200);
}

const resolve = (conversationId: string) =>
  command(ava, { type: 'set_status', conversationId, status: 'resolved' });

/** Move the clock on, then make a conversation change so the leader re-evaluates. */
async function advance(ms: number, anyConversationId: string): Promise<void> {
  clock += ms;
  await command(admin, { type: 'mark_read', conversationId: anyConversationId });
}

interface RequestRow {
  id: string;
  state: string;
  agent_id: string | null;
  rating: number | null;
  satisfied: boolean | null;
  comment: string | null;
  not_asked_reason: string | null;
  message_id: string | null;
}

const requestsOf = async (conversationId: string): Promise<RequestRow[]> =>
  (
    await hub.db.query<RequestRow>(
      `select id, state, agent_id, rating, satisfied, comment, not_asked_reason, message_id
       from csat_requests where conversation_id = $1 order by id`,
      [conversationId],
    )
  ).rows;

const messagesOf = async (conversationId: string): Promise<Message[]> =>
  (
    await api<{ messages: Message[] }>(
      hub.url,
      admin,
      `/api/conversations/${conversationId}/messages`,
    )
  ).body.messages;

describe('CSAT', () => {
  it('lets an admin save the settings, and refuses agents and a template without buttons', async () => {
    const empty = await api<{ settings: CsatSettings }>(hub.url, ava, '/api/csat/settings');
    expect(empty.body.settings).toEqual(DEFAULT_CSAT_SETTINGS);
    const settings = { ...SETTINGS, whatsappTemplateId: templateId };
    const saved = await api<{ settings: CsatSettings }>(hub.url, admin, '/api/csat/settings', {
      method: 'PUT',
      body: settings,
    });
    expect(saved.status).toBe(200);
    expect((await api(hub.url, ava, '/api/csat/settings')).body).toEqual({ settings });
    const refused = await api<{ message: string }>(hub.url, ava, '/api/csat/settings', {
      method: 'PUT',
      body: settings,
    });
    expect(refused.status).toBe(403);
    const five = await api<{ message: string }>(hub.url, admin, '/api/csat/settings', {
      method: 'PUT',
      body: { ...settings, scale: 'five' },
    });
    expect(five.status).toBe(400);
    expect(five.body.message).toBe(
      'Template "csat_rating" has 3 quick-reply buttons; this scale needs 5 (best first).',
    );
    const events = await hub.db.query<{ payload: unknown }>(
      `select payload from events where type = 'csat.updated'`,
    );
    expect(events.rows.map((r) => r.payload)).toEqual([{ type: 'csat.updated', csat: settings }]);
  });

  it('inside the window asks on WhatsApp with interactive reply buttons after the delay; the tap records rating 3 for Ava; the comment is kept and thanked', async () => {
    await whatsappWrites(
      textMessage('Where is my parcel?', { from: '31611111111', timestamp: new Date(clock) }),
    );
    const conversation = await conversationWith(byPhone('+31611111111'), 'whatsapp');
    await resolve(conversation.id);
    const [scheduled] = await requestsOf(conversation.id);
    expect(scheduled).toMatchObject({ state: 'scheduled', agent_id: avaId });
    const requestId = scheduled?.id ?? '';
    const before = graph.requests.length;
    await advance(5 * MINUTE_MS - 1, conversation.id);
    expect((await requestsOf(conversation.id))[0]?.state).toBe('scheduled');
    await advance(1, conversation.id);
    const sent = await until(
      async () => graph.requests.slice(before).filter((r) => r.path.endsWith('/messages')),
      (list) => list.length === 1,
    );
    const question = await requestsOf(conversation.id);
    expect(sent[0]?.body).toEqual({
      messaging_product: 'whatsapp',
      recipient_type: 'individual',
      to: '31611111111',
      biz_opaque_callback_data: question[0]?.message_id,
      type: 'interactive',
      interactive: {
        type: 'button',
        body: { text: 'How did we do?' },
        action: {
          buttons: [
            { type: 'reply', reply: { id: `csat_${requestId}_3`, title: 'Good' } },
            { type: 'reply', reply: { id: `csat_${requestId}_2`, title: 'Okay' } },
            { type: 'reply', reply: { id: `csat_${requestId}_1`, title: 'Bad' } },
          ],
        },
      },
    });
    expect(question[0]?.state).toBe('asked');
    const asked = (await messagesOf(conversation.id)).find((m) => m.id === question[0]?.message_id);
    // Free inside the window: a service message.
    expect(asked?.cost).toEqual({ amount: 0, currency: 'USD', category: 'service' });

    clock += MINUTE_MS;
    await whatsappWrites(
      buttonReplyMessage(
        { id: `csat_${requestId}_3`, title: 'Good' },
        { from: '31611111111', timestamp: new Date(clock) },
      ),
    );
    const rated = await until(
      () => requestsOf(conversation.id),
      (rows) => rows[0]?.state === 'answered',
    );
    expect(rated[0]).toMatchObject({
      state: 'answered',
      rating: 3,
      satisfied: true,
      agent_id: avaId,
      comment: null,
    });
    // The tap is the customer's message in the timeline; the conversation stays resolved.
    const timeline = await until(
      () => messagesOf(conversation.id),
      (list) => list.length === 4,
    );
    expect(
      timeline.map((m) => [
        m.direction,
        m.content.type === 'text' ? m.content.body : m.content.type,
      ]),
    ).toEqual([
      ['inbound', 'Where is my parcel?'],
      ['outbound', 'How did we do?'],
      ['inbound', 'interactive_reply'],
      ['outbound', 'Thank you! Anything you would like to add? Just reply here.'],
    ]);
    expect((await conversationWith(byPhone('+31611111111'), 'whatsapp')).status).toBe('resolved');

    // A second tap on the same question is ignored: the first rating stands.
    await whatsappWrites(
      buttonReplyMessage(
        { id: `csat_${requestId}_1`, title: 'Bad' },
        { from: '31611111111', timestamp: new Date(clock) },
      ),
    );
    clock += MINUTE_MS;
    await whatsappWrites(
      textMessage('Fast and friendly, thanks', { from: '31611111111', timestamp: new Date(clock) }),
    );
    const commented = await until(
      () => requestsOf(conversation.id),
      (rows) => rows[0]?.comment !== null,
    );
    expect(commented[0]).toMatchObject({ rating: 3, comment: 'Fast and friendly, thanks' });
    const last = await until(
      () => messagesOf(conversation.id),
      (list) => list.at(-1)?.direction === 'outbound' && list.length === 7,
    );
    expect(last.at(-1)?.content).toEqual({ type: 'text', body: 'Thank you for your feedback!' });
    const recorded = await hub.db.query<{
      payload: { response: { rating: number; comment: string | null } };
    }>(`select payload from events where type = 'csat.recorded' order by seq`);
    expect(
      recorded.rows.map((r) => [r.payload.response.rating, r.payload.response.comment]),
    ).toEqual([
      [3, null],
      [3, 'Fast and friendly, thanks'],
    ]);
  });

  it('a forged or unknown payload records nothing', async () => {
    await whatsappWrites(textMessage('Hello', { from: '31622222222', timestamp: new Date(clock) }));
    const conversation = await conversationWith(byPhone('+31622222222'), 'whatsapp');
    await resolve(conversation.id);
    await advance(5 * MINUTE_MS, conversation.id);
    const [asked] = await until(
      () => requestsOf(conversation.id),
      (rows) => rows[0]?.state === 'asked',
    );
    const other = (await conversationWith(byPhone('+31611111111'), 'whatsapp')).id;
    const otherRequest = (await requestsOf(other))[0]?.id ?? '';
    const forged = [
      `csat_csr_0000000000000000000000000_3`,
      `csat_${otherRequest}_3`,
      `csat_${asked?.id ?? ''}_9`,
      `csat:${asked?.id ?? ''}:3`,
    ];
    for (const id of forged)
      await whatsappWrites(
        buttonReplyMessage(
          { id, title: 'Good' },
          { from: '31622222222', timestamp: new Date(clock) },
        ),
      );
    // The last message tells when the forged ones have been read: it is a real answer.
    await whatsappWrites(textMessage('2', { from: '31622222222', timestamp: new Date(clock) }));
    const rows = await until(
      () => requestsOf(conversation.id),
      (list) => list[0]?.state === 'answered',
    );
    expect(rows[0]).toMatchObject({ rating: 2, satisfied: false });
    expect((await requestsOf(other))[0]).toMatchObject({ rating: 3 });
  });

  it('a re-open before the delay cancels; resolving twice asks once', async () => {
    await whatsappWrites(
      textMessage('One more thing', { from: '31633333333', timestamp: new Date(clock) }),
    );
    const conversation = await conversationWith(byPhone('+31633333333'), 'whatsapp');
    await resolve(conversation.id);
    await command(ava, { type: 'set_status', conversationId: conversation.id, status: 'open' });
    expect((await requestsOf(conversation.id)).map((r) => r.state)).toEqual(['cancelled']);
    await resolve(conversation.id);
    await resolve(conversation.id);
    expect((await requestsOf(conversation.id)).map((r) => r.state)).toEqual([
      'cancelled',
      'scheduled',
    ]);
    await advance(5 * MINUTE_MS, conversation.id);
    expect(
      (
        await until(
          () => requestsOf(conversation.id),
          (rows) => rows[1]?.state === 'asked',
        )
      ).map((r) => r.state),
    ).toEqual(['cancelled', 'asked']);
  });

  it('outside the window sends the approved template with rating payloads and records its cost', async () => {
    await whatsappWrites(
      textMessage('Thanks!', { from: '31644444444', timestamp: new Date(clock - 30 * HOUR_MS) }),
    );
    const conversation = await conversationWith(byPhone('+31644444444'), 'whatsapp');
    await resolve(conversation.id);
    const before = graph.requests.length;
    await advance(5 * MINUTE_MS, conversation.id);
    const sent = await until(
      async () =>
        graph.requests
          .slice(before)
          .filter((r) => (r.body as { to?: string } | undefined)?.to === '31644444444'),
      (list) => list.length === 1,
    );
    const [request] = await requestsOf(conversation.id);
    const id = request?.id ?? '';
    expect(sent[0]?.body).toEqual({
      messaging_product: 'whatsapp',
      recipient_type: 'individual',
      to: '31644444444',
      biz_opaque_callback_data: request?.message_id,
      type: 'template',
      template: {
        name: 'csat_rating',
        language: { code: 'en_US' },
        components: [0, 1, 2].map((index) => ({
          type: 'button',
          sub_type: 'quick_reply',
          index: String(index),
          parameters: [{ type: 'payload', payload: `csat_${id}_${3 - index}` }],
        })),
      },
    });
    const message = (await messagesOf(conversation.id)).find((m) => m.id === request?.message_id);
    // The example rate card's per-message utility rate for a customer of unknown country
    // (the country is the customer's, not guessed from the number), charged outside the window.
    expect(message?.cost).toEqual({ amount: 0.0077, currency: 'USD', category: 'utility' });
    await whatsappWrites(
      buttonMessage(
        { payload: `csat_${id}_1`, text: 'Bad' },
        { from: '31644444444', timestamp: new Date(clock) },
      ),
    );
    const rated = await until(
      () => requestsOf(conversation.id),
      (rows) => rows[0]?.state === 'answered',
    );
    expect(rated[0]).toMatchObject({ rating: 1, satisfied: false, agent_id: avaId });
  });

  it('on Messenger asks with quick replies inside the window; outside it is not asked', async () => {
    await messengerWrites('psid-mia', { mid: 'm_mia_1', text: 'Can I change my order?' });
    const conversation = await conversationWith(
      (c) => c.lastMessagePreview === 'Can I change my order?',
      'messenger',
    );
    await resolve(conversation.id);
    const before = meta.requests.length;
    await advance(5 * MINUTE_MS, conversation.id);
    const sent = await until(
      async () => meta.requests.slice(before),
      (list) => list.length === 1,
    );
    const [request] = await requestsOf(conversation.id);
    const id = request?.id ?? '';
    expect(sent[0]?.body).toMatchObject({
      recipient: { id: 'psid-mia' },
      message: {
        text: 'How did we do?',
        quick_replies: [
          { content_type: 'text', title: 'Good', payload: `csat_${id}_3` },
          { content_type: 'text', title: 'Okay', payload: `csat_${id}_2` },
          { content_type: 'text', title: 'Bad', payload: `csat_${id}_1` },
        ],
      },
    });
    clock += MINUTE_MS;
    await messengerWrites('psid-mia', {
      mid: 'm_mia_2',
      text: 'Good',
      quick_reply: { payload: `csat_${id}_3` },
    });
    expect(
      (
        await until(
          () => requestsOf(conversation.id),
          (rows) => rows[0]?.state === 'answered',
        )
      )[0],
    ).toMatchObject({ rating: 3, satisfied: true, agent_id: avaId });

    // Written two days ago: Messenger's window is closed, and the HUMAN_AGENT tag is for agents.
    clock += 2 * 24 * HOUR_MS;
    const late = clock;
    await messengerWrites('psid-noah', { mid: 'm_noah_1', text: 'Hi' });
    const old = await conversationWith((c) => c.lastMessagePreview === 'Hi', 'messenger');
    clock = late + 25 * HOUR_MS;
    await resolve(old.id);
    await advance(5 * MINUTE_MS, old.id);
    const notAsked = await until(
      () => requestsOf(old.id),
      (rows) => rows[0]?.state !== 'scheduled',
    );
    expect(notAsked[0]).toMatchObject({
      state: 'not_asked',
      not_asked_reason: 'not asked: window closed',
      message_id: null,
    });
  });

  it('shows CSAT by agent, team and channel on the dashboard and in its CSV', async () => {
    const from = T0 - HOUR_MS;
    const to = clock + HOUR_MS;
    const lead = admin;
    const res = await api<DashboardFigures>(
      hub.url,
      lead,
      `/api/dashboard?from=${from}&to=${to}&tz=UTC`,
    );
    expect(res.status).toBe(200);
    // Asked: 4 on WhatsApp (3 answered: 3, 2, 1 — one satisfied), 1 on Messenger (answered 3);
    // one Messenger question not asked.
    expect(res.body.csat?.totals).toEqual({
      asked: 5,
      responses: 4,
      satisfied: 2,
      scorePct: 50,
      responseRatePct: 80,
      notAsked: 1,
    });
    expect(res.body.csat?.byAgent).toEqual([
      {
        key: avaId,
        name: 'Ava',
        asked: 5,
        responses: 4,
        satisfied: 2,
        scorePct: 50,
        responseRatePct: 80,
        notAsked: 1,
      },
    ]);
    expect(res.body.csat?.byTeam).toEqual([
      {
        key: 'team_care',
        name: 'Care',
        asked: 5,
        responses: 4,
        satisfied: 2,
        scorePct: 50,
        responseRatePct: 80,
        notAsked: 1,
      },
    ]);
    expect(res.body.csat?.byChannel).toEqual([
      {
        key: 'messenger',
        name: 'Messenger',
        asked: 1,
        responses: 1,
        satisfied: 1,
        scorePct: 100,
        responseRatePct: 100,
        notAsked: 1,
      },
      {
        key: 'whatsapp',
        name: 'WhatsApp',
        asked: 4,
        responses: 3,
        satisfied: 1,
        scorePct: 33.3,
        responseRatePct: 75,
        notAsked: 0,
      },
    ]);
    const csv = await fetch(`${hub.url}/api/dashboard.csv?from=${from}&to=${to}&tz=UTC`, {
      headers: { authorization: `Bearer ${lead}` },
    });
    const lines = (await csv.text()).trimEnd().split('\r\n');
    expect(
      lines[0]?.endsWith(
        ',csat_score_pct,csat_responses,csat_asked,csat_response_rate_pct,csat_not_asked',
      ),
    ).toBe(true);
    expect(lines[1]?.endsWith(',50,4,5,80,1')).toBe(true);
    expect(lines.find((l) => l.startsWith('channel,WhatsApp,'))?.endsWith(',33.3,3,4,75,0')).toBe(
      true,
    );
    expect(lines.find((l) => l.startsWith('team,Care,'))?.endsWith(',50,4,5,80,1')).toBe(true);
  });
});
