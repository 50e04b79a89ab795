import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WebhookPayloadError, type ChannelConnector } from '../../src/server/channels/connector';
import { CONNECTORS } from '../../src/server/channels/registry';
import type { RunningHub } from '../../src/server/hub';
import { api, login, startTestHub } from '../support/hub';
import {
  createTestConnector,
  signTestBody,
  TEST_CHANNEL,
  withTestConnector,
} from '../support/test-connector';

/**
 * The two webhook hooks of issue #16: `decode` (a body that is not JSON — WeChat's XML) and
 * `answer` (what the platform reads in the HTTP answer — WeChat's `success`, Viber's welcome
 * message). The test connector reads lines `id|from|text` and answers `ok <stored>` as text, or
 * throws when a message says `fail the answer`.
 */
const SECRET = 'test-signing-secret-2';
const AT = Date.parse('2026-11-21T12:00:00Z');
const base = createTestConnector();
const answeredWith: { body: unknown; stored: number; now: number }[] = [];
const connector: ChannelConnector = {
  ...base,
  decode({ raw, headers }) {
    if (headers['content-type'] !== 'text/plain')
      throw new WebhookPayloadError('Not a line delivery.', 'content-type');
    const messages = raw
      .toString('utf8')
      .split('\n')
      .filter((line) => line !== '')
      .map((line) => {
        const [id = '', from = '', text = ''] = line.split('|');
        return { id, from, name: `Line ${from}`, text, at: AT - 1000 };
      });
    return { messages };
  },
  answer(body, parsed, _settings, tools) {
    const texts = (body as { messages: { text: string }[] }).messages.map((m) => m.text);
    if (texts.includes('fail the answer')) throw new Error('The welcome text is missing.');
    answeredWith.push({ body, stored: parsed.events.length, now: tools.now() });
    return { status: 200, contentType: 'text/plain; charset=utf-8', body: 'success' };
  },
};

let hub: RunningHub;
let admin: string;

beforeAll(async () => {
  hub = await startTestHub({ connectors: withTestConnector(CONNECTORS, connector), now: () => AT });
  admin = await login(hub.url);
  const saved = await api(hub.url, admin, `/api/admin/channels/${TEST_CHANNEL}`, {
    method: 'PUT',
    body: { signingSecret: SECRET, accountId: 'acct-7' },
  });
  expect(saved.status).toBe(200);
});
afterAll(() => hub.close());

async function post(
  body: string,
  contentType = 'text/plain',
): Promise<{ status: number; type: string | null; text: string }> {
  const res = await fetch(`${hub.url}/webhooks/${TEST_CHANNEL}`, {
    method: 'POST',
    headers: { 'content-type': contentType, 'x-test-signature': signTestBody(body, SECRET) },
    body,
  });
  return { status: res.status, type: res.headers.get('content-type'), text: await res.text() };
}

const stored = async (): Promise<string[]> =>
  (
    await hub.db.query<{ body: string }>(
      "select content->>'body' as body from messages where channel = $1 order by external_id",
      [TEST_CHANNEL],
    )
  ).rows.map((r) => r.body);

describe('a connector’s own body format and answer', () => {
  it('decodes a body that is not JSON, stores it, and answers what the connector says', async () => {
    const res = await post('l-1|cust-1|Bonjour\nl-2|cust-1|Ça va ?\n');
    expect(res).toEqual({ status: 200, type: 'text/plain; charset=utf-8', text: 'success' });
    expect(await stored()).toEqual(['Bonjour', 'Ça va ?']);
    expect(answeredWith).toEqual([
      {
        body: {
          messages: [
            { id: 'l-1', from: 'cust-1', name: 'Line cust-1', text: 'Bonjour', at: AT - 1000 },
            { id: 'l-2', from: 'cust-1', name: 'Line cust-1', text: 'Ça va ?', at: AT - 1000 },
          ],
        },
        stored: 2,
        now: AT,
      },
    ]);
  });

  it('makes decoded text storable before parse sees it', async () => {
    const res = await post('l-3|cust-1|nul\u0000here\n');
    expect(res.status).toBe(200);
    expect(await stored()).toEqual(['Bonjour', 'Ça va ?', 'nul\uFFFDhere']);
  });

  it('answers 400 when decode refuses the bytes, and stores nothing', async () => {
    const res = await post('{"messages":[]}', 'application/json');
    expect([res.status, JSON.parse(res.text)]).toEqual([
      400,
      { error: 'bad_request', message: 'Not a line delivery.' },
    ]);
    expect(await stored()).toHaveLength(3);
  });

  it('keeps the events when the answer fails: the counts are answered, the error recorded', async () => {
    const res = await post('l-4|cust-2|fail the answer\n');
    expect([res.status, JSON.parse(res.text)]).toEqual([
      200,
      { received: 1, stored: 1, duplicates: 0, deadLettered: 0 },
    ]);
    expect(await stored()).toEqual(['Bonjour', 'Ça va ?', 'nul\uFFFDhere', 'fail the answer']);
    const channels = await api<{ channels: { id: string; lastError: unknown }[] }>(
      hub.url,
      admin,
      '/api/admin/channels',
    );
    expect(channels.body.channels.find((c) => c.id === TEST_CHANNEL)?.lastError).toEqual({
      message: 'Answering a delivery failed: The welcome text is missing.',
      at: AT,
    });
  });
});
