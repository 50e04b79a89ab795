import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { InboundMessage } from '../../src/server/channels/types';
import type { RunningHub } from '../../src/server/hub';
import { SEARCH_MIGRATIONS } from '../../src/server/search/schema';
import type { ChannelKind } from '../../src/shared/domain/channels';
import type { MessageContent } from '../../src/shared/domain/model';
import type { AdminUser } from '../../src/shared/protocol/admin';
import type { SearchAnswer } from '../../src/shared/protocol/search';
import { api, login, startTestHub } from '../support/hub';

/**
 * Searching the hub (issue #20 item 4): every message and customer, by the stems of English,
 * Dutch, German, French and Italian, with filters, ranked, marked, and only what the signed-in
 * user may see.
 */

const NOW = Date.parse('2026-12-01T12:00:00Z');
const DAY = 86_400_000;
const PASSWORD = 'a long enough password';

let hub: RunningHub;
let admin: string;
let agent: string;
let agentId: string;
const ids: Record<string, { conversationId: string; messageId: string }> = {};

async function write(
  key: string,
  channel: ChannelKind,
  customer: { externalId: string; name: string; phone?: string; language?: string },
  content: MessageContent,
  sentAt: number,
): Promise<void> {
  const event: InboundMessage = {
    kind: 'message',
    channel,
    channelAccountId: `${channel}-account`,
    externalId: `ext-${key}`,
    customer: {
      externalId: customer.externalId,
      name: customer.name,
      phone: customer.phone ?? null,
      language: customer.language ?? null,
    },
    sentAt,
    content,
  };
  const result = await hub.ingestor.ingest(event);
  if (result.kind !== 'message') throw new Error('not stored');
  const { rows } = await hub.db.query<{ conversation_id: string }>(
    'select conversation_id from messages where id = $1',
    [result.messageId],
  );
  ids[key] = { conversationId: rows[0]?.conversation_id ?? '', messageId: result.messageId };
}

const text = (body: string): MessageContent => ({ type: 'text', body });

async function command(clientId: string, body: Record<string, unknown>): Promise<void> {
  const res = await api(hub.url, admin, '/api/commands', {
    method: 'POST',
    body: { clientId, command: body },
  });
  expect(res.status).toBe(200);
}

async function search(
  query: Record<string, string>,
  token = admin,
): Promise<{ status: number; body: SearchAnswer }> {
  return api<SearchAnswer>(hub.url, token, `/api/search?${new URLSearchParams(query)}`);
}

/** The keys (as written above) of the messages a search finds, in the answer's order. */
async function found(query: Record<string, string>, token = admin): Promise<string[]> {
  const res = await search(query, token);
  expect(res.status).toBe(200);
  const byId = new Map(Object.entries(ids).map(([key, value]) => [value.messageId, key]));
  return res.body.messages.map((hit) => byId.get(hit.messageId) ?? hit.messageId);
}

const JONAS = { externalId: '4915112345678', name: 'Jonas Becker', phone: '+49 151 12345678' };
const SANNE = { externalId: 'sanne', name: 'Sanne de Wit', language: 'nl' };
const CAMILLE = { externalId: 'camille', name: 'Camille Martin' };
const GIULIA = { externalId: 'giulia', name: 'Giulia Romano' };
const EMMA = { externalId: 'emma', name: 'Emma Clarke' };

beforeAll(async () => {
  hub = await startTestHub({ now: () => NOW });
  admin = await login(hub.url);
  const created = await api<{ user: AdminUser }>(hub.url, admin, '/api/admin/users', {
    method: 'POST',
    body: { email: 'agent@shop.example', name: 'Agent Ada', role: 'agent', password: PASSWORD },
  });
  expect(created.status).toBe(201);
  agentId = created.body.user.id;
  agent = await login(hub.url, { email: 'agent@shop.example', password: PASSWORD });

  // Six months ago, in German, from a customer whose language the channel never said.
  await write('german', 'whatsapp', JONAS, text('Die Lieferungen kamen nicht an'), NOW - 182 * DAY);
  await write('german2', 'whatsapp', JONAS, text('Danke, alles gut jetzt'), NOW - 181 * DAY);
  await write('dutch', 'telegram', SANNE, text('De leveringen kwamen niet aan'), NOW - 30 * DAY);
  await write(
    'french',
    'messenger',
    CAMILLE,
    text('Les livraisons sont arrivées en retard'),
    NOW - 20 * DAY,
  );
  await write('italian', 'viber', GIULIA, text('Le consegne non sono arrivate'), NOW - 10 * DAY);
  await write('english', 'instagram', EMMA, text('The deliveries did not arrive'), NOW - 5 * DAY);
  await write(
    'caption',
    'whatsapp',
    JONAS,
    {
      type: 'image',
      media: {
        mediaId: 'media-1',
        mimeType: 'image/jpeg',
        caption: 'Der Lampenschirm ist zerbrochen',
      },
    },
    NOW - 2 * DAY,
  );
  await write(
    'english2',
    'instagram',
    EMMA,
    text('One delivery came, the other delivery did not, and the delivery note is missing'),
    NOW - 4 * DAY,
  );

  // Emma's conversation: resolved, assigned to the agent, labelled.
  const emma = ids['english']?.conversationId;
  await command('c_search_status_1', {
    type: 'set_status',
    conversationId: emma,
    status: 'resolved',
  });
  await command('c_search_assign_1', { type: 'assign', conversationId: emma, assigneeId: agentId });
  await command('c_search_labels_1', {
    type: 'set_labels',
    conversationId: emma,
    labels: ['shipping'],
  });
});

afterAll(async () => {
  await hub.close();
});

describe('stems', () => {
  it('finds a six-month-old German message by the stem of a word in it, and marks the word', async () => {
    const res = await search({ q: 'Lieferung' });
    expect(res.status).toBe(200);
    expect(res.body.messages).toEqual([
      {
        messageId: ids['german']?.messageId,
        conversationId: ids['german']?.conversationId,
        channel: 'whatsapp',
        direction: 'inbound',
        contentType: 'text',
        customer: { id: expect.any(String), name: 'Jonas Becker' },
        sentAt: NOW - 182 * DAY,
        rank: expect.any(Number),
        snippet: { text: 'Die Lieferungen kamen nicht an', ranges: [[4, 15]] },
      },
    ]);
    expect(res.body.nextCursor).toBe(null);
  });

  it.each([
    ['Dutch', 'levering', 'dutch', { text: 'De leveringen kwamen niet aan', ranges: [[3, 13]] }],
    [
      'French',
      'livraison',
      'french',
      { text: 'Les livraisons sont arrivées en retard', ranges: [[4, 14]] },
    ],
    [
      'Italian',
      'consegna',
      'italian',
      { text: 'Le consegne non sono arrivate', ranges: [[3, 11]] },
    ],
  ])('finds a %s message by its stem (%s)', async (_language, q, key, snippet) => {
    const res = await search({ q });
    expect(res.status).toBe(200);
    expect(res.body.messages.map((hit) => [hit.messageId, hit.snippet])).toEqual([
      [ids[key]?.messageId, snippet],
    ]);
  });

  it('finds English by its stem, the message naming it most often first', async () => {
    expect(await found({ q: 'delivery' })).toEqual(['english2', 'english']);
    const res = await search({ q: 'delivery' });
    expect(res.body.messages.map((hit) => hit.snippet.ranges)).toEqual([
      [
        [4, 12],
        [29, 37],
        [55, 63],
      ],
      [[4, 14]],
    ]);
  });

  it("finds a file's caption", async () => {
    const res = await search({ q: 'lampenschirm' });
    expect(res.body.messages.map((hit) => [hit.messageId, hit.contentType, hit.snippet])).toEqual([
      [
        ids['caption']?.messageId,
        'image',
        { text: 'Der Lampenschirm ist zerbrochen', ranges: [[4, 16]] },
      ],
    ]);
  });

  it('finds any content with a text, such as an internal note', async () => {
    const conversationId = ids['dutch']?.conversationId;
    await hub.db.query(
      `insert into messages (id, conversation_id, channel, direction, content, status, sent_at, updated_at)
       values ('msg_note_1', $1, 'telegram', 'outbound', $2, 'sent', $3, $3)`,
      [
        conversationId,
        { type: 'note', text: 'Ask the warehouse about the Paketschein', mentions: [] },
        NOW - DAY,
      ],
    );
    ids['note'] = { conversationId: conversationId ?? '', messageId: 'msg_note_1' };
    const res = await search({ q: 'Paketschein' });
    expect(res.body.messages.map((hit) => [hit.messageId, hit.contentType, hit.snippet])).toEqual([
      [
        'msg_note_1',
        'note',
        { text: 'Ask the warehouse about the Paketschein', ranges: [[28, 39]] },
      ],
    ]);
  });

  it('indexes the messages already stored when the migration runs (backfill)', async () => {
    // The migration run again over the messages above, as it ran over a hub's existing ones.
    await hub.db.exec(`drop index messages_search_idx; drop index customers_search_idx;
      drop function replydesk_search_vector(text); drop function replydesk_search_text(jsonb);
      drop function replydesk_search_query(text); drop function replydesk_customer_vector(text, text);`);
    await hub.db.exec(SEARCH_MIGRATIONS[0]?.sql ?? '');
    const plan = await hub.db.transaction(async (tx) => {
      await tx.query('set local enable_seqscan = off');
      const { rows } = await tx.query<{ 'QUERY PLAN': string }>(
        `explain select id from messages m
         where replydesk_search_vector(replydesk_search_text(m.content)) @@ replydesk_search_query('Lieferung')`,
      );
      return rows.map((row) => row['QUERY PLAN']).join('\n');
    });
    expect(plan).toContain('Bitmap Index Scan on messages_search_idx');
    expect(await found({ q: 'Lieferung' })).toEqual(['german']);
  });
});

describe('filters', () => {
  it('each filter narrows to exactly the messages it names', async () => {
    // Equal ranks: newest first.
    expect(await found({ q: 'arrive' })).toEqual(['english', 'italian', 'french']);
    expect(await found({ q: 'arrive', channel: 'viber' })).toEqual(['italian']);
    expect(await found({ q: 'arrive', status: 'resolved' })).toEqual(['english']);
    expect(await found({ q: 'arrive', status: 'open' })).toEqual(['italian', 'french']);
    expect(await found({ q: 'arrive', assignee: agentId })).toEqual(['english']);
    expect(await found({ q: 'arrive', assignee: 'me' }, agent)).toEqual(['english']);
    expect(await found({ q: 'arrive', assignee: 'me' })).toEqual([]);
    expect(await found({ q: 'arrive', assignee: 'unassigned' })).toEqual(['italian', 'french']);
    expect(await found({ q: 'arrive', label: 'shipping' })).toEqual(['english']);
    expect(await found({ q: 'arrive', label: 'refund' })).toEqual([]);
    // From is inclusive, to exclusive; epoch ms or ISO dates.
    expect(await found({ q: 'arrive', from: String(NOW - 10 * DAY) })).toEqual([
      'english',
      'italian',
    ]);
    expect(await found({ q: 'arrive', to: String(NOW - 10 * DAY) })).toEqual(['french']);
    expect(
      await found({
        q: 'arrive',
        from: new Date(NOW - 25 * DAY).toISOString(),
        to: new Date(NOW - 6 * DAY).toISOString().slice(0, 10),
      }),
    ).toEqual(['italian', 'french']);
  });

  it('pages through the results with before, each once, in the same order', async () => {
    const first = await search({ q: 'arrive', limit: '2' });
    expect(first.body.messages.length).toBe(2);
    expect(first.body.customers).toEqual([]);
    const second = await search({ q: 'arrive', limit: '2', before: first.body.nextCursor ?? '' });
    expect(second.body.nextCursor).toBe(null);
    expect([...first.body.messages, ...second.body.messages].map((hit) => hit.messageId)).toEqual(
      ['english', 'italian', 'french'].map((key) => ids[key]?.messageId),
    );
  });
});

describe('customers', () => {
  it('finds customers by the start of a word of their name, as their own group', async () => {
    const res = await search({ q: 'beck' });
    expect(res.body.messages).toEqual([]);
    expect(res.body.customers).toEqual([
      {
        id: expect.any(String),
        name: { text: 'Jonas Becker', ranges: [[6, 10]] },
        phone: '+49 151 12345678',
        email: null,
        conversationIds: [ids['german']?.conversationId],
      },
    ]);
  });

  it('finds a customer by the digits of a phone number typed with spaces', async () => {
    const res = await search({ q: '0151 1234' });
    expect(res.body.customers.map((customer) => customer.name.text)).toEqual(['Jonas Becker']);
  });

  it('narrows customers by the filters of their conversations', async () => {
    expect((await search({ q: 'emma', status: 'resolved' })).body.customers.length).toBe(1);
    expect((await search({ q: 'emma', status: 'open' })).body.customers).toEqual([]);
  });
});

describe('who sees what', () => {
  it('answers an agent what the conversation list shows an agent: every conversation of the workspace', async () => {
    const list = await api<{ conversations: { id: string }[] }>(
      hub.url,
      agent,
      '/api/conversations?limit=500&status=resolved',
    );
    expect(list.body.conversations.map((c) => c.id)).toEqual([ids['english']?.conversationId]);
    expect(await found({ q: 'arrive' }, agent)).toEqual(await found({ q: 'arrive' }));
  });

  it('answers 401 without a session, and finds nothing of another workspace', async () => {
    const res = await api(hub.url, null, '/api/search?q=Lieferung');
    expect(res.status).toBe(401);
    // A workspace is a hub's database: a message stored in another hub's is not here.
    expect(await found({ q: 'Fremdlieferung' })).toEqual([]);
  });
});

describe('refusals', () => {
  it.each([
    [{}, 'q', 'q: Required'],
    [{ q: '   ' }, 'q', 'q: Type something to search for'],
    [{ q: 'x'.repeat(201) }, 'q', 'q: At most 200 characters'],
    [{ q: 'parcel', limit: '0' }, 'limit', null],
    [{ q: 'parcel', channel: 'fax' }, 'channel', null],
    [
      { q: 'parcel', from: 'last tuesday' },
      'from',
      'from: Expected epoch milliseconds or an ISO 8601 date',
    ],
    [{ q: 'parcel', from: '2026-12-01', to: '2026-11-01' }, 'to', 'to: must be after from.'],
    [{ q: 'parcel', before: 'not-a-cursor' }, 'before', null],
  ])('refuses %j with 400 naming %s', async (query, field, message) => {
    const res = await api<{
      error: string;
      message: string;
      details: { fields: { path: string }[] };
    }>(hub.url, admin, `/api/search?${new URLSearchParams(query as Record<string, string>)}`);
    expect(res.status).toBe(400);
    expect(res.body.error).toBe('bad_request');
    expect(res.body.details.fields.map((f) => f.path)).toEqual([field]);
    if (message !== null) expect(res.body.message).toBe(message);
  });

  it('treats search syntax and markup as words: nothing fails, nothing is HTML', async () => {
    for (const q of ['"unclosed', 'a & | ! (', '<b>x</b>', "'; drop table messages; --"]) {
      expect((await search({ q })).status).toBe(200);
    }
    expect(await found({ q: '"Lieferungen kamen" -retour' })).toEqual(['german']);
  });
});
