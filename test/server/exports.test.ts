import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { InboundMessage } from '../../src/server/channels/types';
import type { RunningHub } from '../../src/server/hub';
import { MINUTE_MS } from '../../src/shared/domain/channels';
import type { Conversation } from '../../src/shared/domain/model';
import { api, login, startTestHub } from '../support/hub';
import { createTeamUser } from '../support/team-users';
import { until } from '../support/until';

/**
 * Exports (issue #20 item 6): conversations and customers as CSV for a date range, leads and
 * admins only, streamed a keyset page at a time, recorded in the audit log.
 */

const T0 = Date.parse('2026-12-07T09:00:00Z');
let clock = T0;
let hub: RunningHub;
let admin: string;
let lead: { id: string; token: string };
let agent: string;
let counter = 0;

function inbound(customer: string, body: string): InboundMessage {
  counter += 1;
  return {
    kind: 'message',
    channel: 'telegram',
    channelAccountId: 'bot-export',
    externalId: `exp.${counter}`,
    customer: { externalId: `tg-${customer}`, name: customer, phone: null },
    sentAt: clock,
    content: { type: 'text', body },
  };
}

async function reply(token: string, conversationId: string) {
  counter += 1;
  const sent = await api(hub.url, token, `/api/conversations/${conversationId}/messages`, {
    method: 'POST',
    body: { clientId: `exp-reply-${counter}`, content: { type: 'text', body: 'On it' } },
  });
  expect(sent.status).toBe(202);
}

async function command(token: string, body: Record<string, unknown>) {
  counter += 1;
  const res = await api(hub.url, token, '/api/commands', {
    method: 'POST',
    body: { clientId: `exp-command-${counter}`, command: body },
  });
  expect(res.status).toBe(200);
}

const createUser = (name: string, role: 'agent' | 'lead') =>
  createTeamUser(hub.url, admin, name, role);

async function csv(token: string, path: string) {
  const res = await fetch(`${hub.url}${path}`, { headers: { authorization: `Bearer ${token}` } });
  const bytes = new Uint8Array(await res.arrayBuffer());
  // Kept as sent: a byte-order mark first (fetch's text() would drop it).
  const text = new TextDecoder('utf-8', { ignoreBOM: true }).decode(bytes);
  return { status: res.status, type: res.headers.get('content-type'), text };
}

let first: Conversation;
let second: Conversation;

beforeAll(async () => {
  hub = await startTestHub({ now: () => clock });
  admin = await login(hub.url);
  lead = await createUser('Lena Lead', 'lead');
  agent = (await createUser('Ana Agent', 'agent')).token;
  await api(hub.url, admin, '/api/sla/policies', {
    method: 'POST',
    body: {
      name: 'Telegram',
      channel: 'telegram',
      priority: null,
      firstResponseMs: 30 * MINUTE_MS,
      nextResponseMs: null,
      resolutionMs: null,
      hours: 'always',
      enabled: true,
    },
  });
  // Sheena: writes at T0, answered 2 min later, writes again at +10, answered at +14, resolved.
  await hub.ingestor.ingest(inbound('Sheena Patel', 'Where is my order?'));
  const list = async () =>
    (await api<{ conversations: Conversation[] }>(hub.url, admin, '/api/conversations')).body
      .conversations;
  first = (await list()).find((c) => c.customer.name === 'Sheena Patel') as Conversation;
  clock = T0 + 2 * MINUTE_MS;
  await reply(lead.token, first.id);
  clock = T0 + 10 * MINUTE_MS;
  await hub.ingestor.ingest(inbound('Sheena Patel', 'Thanks, and "=1+1"?'));
  clock = T0 + 14 * MINUTE_MS;
  await reply(lead.token, first.id);
  await command(lead.token, {
    type: 'set_labels',
    conversationId: first.id,
    labels: ['refund', 'vip'],
  });
  clock = T0 + 15 * MINUTE_MS;
  await command(lead.token, { type: 'set_status', conversationId: first.id, status: 'resolved' });
  // =Bram: writes at +20 and is never answered (his name is made inert in the file).
  clock = T0 + 20 * MINUTE_MS;
  await hub.ingestor.ingest(inbound('=Bram, "B"', 'Hello?'));
  second = (await list()).find((c) => c.customer.name === '=Bram, "B"') as Conversation;
  clock = T0 + 60 * MINUTE_MS;
  await command(lead.token, { type: 'mark_read', conversationId: second.id });
  // The SLA evaluator records Bram's missed first response.
  await until(
    async () => (await hub.db.query('select 1 from sla_breaches')).rows.length,
    (n) => n > 0,
  );
});

afterAll(async () => {
  await hub?.close();
});

const range = `from=${T0}&to=${T0 + 3_600_000}`;

describe('exports', () => {
  it('writes the conversations of the range as exact CSV rows', async () => {
    const res = await csv(lead.token, `/api/exports/conversations.csv?${range}`);
    expect(res.status).toBe(200);
    expect(res.type).toBe('text/csv; charset=utf-8');
    expect(res.text.split('\r\n')).toEqual([
      '\uFEFFid,channel,customer,status,assignee,team,labels,priority,created_at,resolved_at,first_response_s,next_response_avg_s,average_response_s,responses,sla_first_response,sla_next_response,sla_resolution,csat_score,csat_comment,messages_inbound,messages_outbound',
      `${first.id},telegram,Sheena Patel,resolved,Lena Lead,,refund; vip,normal,2026-12-07T09:00:00.000Z,2026-12-07T09:15:00.000Z,120,240,180,2,met,,,,,2,2`,
      `${second.id},telegram,"'=Bram, ""B""",open,,,,normal,2026-12-07T09:20:00.000Z,,,,,0,missed,,,,,1,0`,
      '',
    ]);
  });

  it("carries the conversation's latest CSAT rating and comment", async () => {
    const csat = (id: string, rating: number, comment: string | null, answeredAt: number) =>
      hub.db.query(
        `insert into csat_requests (id, conversation_id, channel, state, scale, resolved_at, due_at,
           rating, satisfied, answered_at, comment, created_at)
         values ($1, $2, 'telegram', 'answered', 'five', $3, $3, $4, $5, $6, $7, $3)`,
        [id, first.id, T0 + 15 * MINUTE_MS, rating, rating >= 4, answeredAt, comment],
      );
    await csat('csat-old', 2, null, T0 + 30 * MINUTE_MS);
    await csat('csat-new', 5, 'Quick, thanks', T0 + 40 * MINUTE_MS);
    const res = await csv(lead.token, `/api/exports/conversations.csv?${range}`);
    const rows = res.text.split('\r\n');
    expect(rows[1]).toBe(
      `${first.id},telegram,Sheena Patel,resolved,Lena Lead,,refund; vip,normal,2026-12-07T09:00:00.000Z,2026-12-07T09:15:00.000Z,120,240,180,2,met,,,5,"Quick, thanks",2,2`,
    );
    expect(rows[2]).toBe(
      `${second.id},telegram,"'=Bram, ""B""",open,,,,normal,2026-12-07T09:20:00.000Z,,,,,0,missed,,,,,1,0`,
    );
  });

  it('writes the customers of the range', async () => {
    const res = await csv(admin, `/api/exports/customers.csv?${range}`);
    expect(res.status).toBe(200);
    const lines = res.text.split('\r\n');
    expect(lines[0]).toBe(
      '\uFEFFid,name,phone,email,country,language,channels,conversations,first_seen,last_seen',
    );
    expect(lines.slice(1)).toEqual([
      `${first.customer.id},Sheena Patel,,,,,telegram,1,2026-12-07T09:00:00.000Z,2026-12-07T09:10:00.000Z`,
      `${second.customer.id},"'=Bram, ""B""",,,,,telegram,1,2026-12-07T09:20:00.000Z,2026-12-07T09:20:00.000Z`,
      '',
    ]);
  });

  it('refuses agents, and records each export in the audit log', async () => {
    expect((await csv(agent, `/api/exports/conversations.csv?${range}`)).status).toBe(403);
    expect((await csv(agent, `/api/exports/customers.csv?${range}`)).status).toBe(403);
    expect((await csv(lead.token, `/api/exports/customers.csv?from=5&to=5`)).status).toBe(400);
    const { rows } = await hub.db.query<{ action: string; actor_name: string; detail: string }>(
      `select action, actor_name, detail from audit_log where action like 'export.%' order by at, id`,
    );
    // The conversations were exported twice (with and without the CSAT ratings), then customers.
    expect(rows).toEqual([
      {
        action: 'export.conversations',
        actor_name: 'Lena Lead',
        detail: 'from 2026-12-07T09:00:00.000Z to 2026-12-07T10:00:00.000Z',
      },
      {
        action: 'export.conversations',
        actor_name: 'Lena Lead',
        detail: 'from 2026-12-07T09:00:00.000Z to 2026-12-07T10:00:00.000Z',
      },
      {
        action: 'export.customers',
        actor_name: 'Administrator',
        detail: 'from 2026-12-07T09:00:00.000Z to 2026-12-07T10:00:00.000Z',
      },
    ]);
  });
});
