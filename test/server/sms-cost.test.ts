import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningHub } from '../../src/server/hub';
import type { Message } from '../../src/shared/domain/model';
import { api, login, messagesNamed, sendText, startTestHub } from '../support/hub';

/**
 * The cost the hub records on a sent SMS (issue #16 item 3): segments × the rate card's
 * per-segment price of the country of the customer's number (libphonenumber), not the country
 * field. The example card's 2026-07-01 EUR period: DE 0.07, US 0.0075, others 0.06.
 */

const AT = Date.parse('2026-12-04T10:00:00Z');
let hub: RunningHub;
let token: string;

beforeAll(async () => {
  hub = await startTestHub({ now: () => AT });
  token = await login(hub.url);
  const customers = [
    // The number says Germany; the record's country (from elsewhere) says the Netherlands.
    { externalId: '+4915112345678', name: 'Jonas Weber', phone: '+4915112345678', country: 'NL' },
    { externalId: '+14155550123', name: 'Amy Chen', phone: '+14155550123', country: null },
    { externalId: '+999123', name: 'Nobody Known', phone: '+999123', country: null },
  ];
  for (const [i, customer] of customers.entries()) {
    await hub.ingestor.ingest({
      kind: 'message',
      channel: 'sms',
      channelAccountId: '+4930123456',
      externalId: `sms-in-${i}`,
      customer,
      sentAt: AT - 60_000,
      content: { type: 'text', body: 'Hello?' },
    });
  }
});

afterAll(async () => {
  await hub.close();
});

let sends = 0;

async function sentCost(name: string, body: string): Promise<Message['cost']> {
  const conversation = (
    await api<{ conversations: { id: string; customer: { name: string } }[] }>(
      hub.url,
      token,
      '/api/conversations?channel=sms',
    )
  ).body.conversations.find((c) => c.customer.name === name);
  expect(await sendText(hub.url, token, `sms-cost-${++sends}`, conversation?.id, body)).toBe(200);
  const messages = await messagesNamed(hub.url, token, 'sms', name);
  const sent = messages.filter((m) => m.direction === 'outbound').at(-1);
  return sent?.cost ?? null;
}

describe('the cost recorded on a sent SMS', () => {
  it.each([
    ['Jonas Weber', 'A'.repeat(160), 0.07],
    ['Jonas Weber', 'A'.repeat(161), 0.14],
    ['Jonas Weber', '€'.repeat(81), 0.14],
    ['Amy Chen', 'á'.repeat(71), 0.015],
    ['Amy Chen', 'Thanks 😀', 0.0075],
    ['Nobody Known', 'A'.repeat(307), 0.18],
  ] as const)('%s: %#', async (name, body, amount) => {
    expect(await sentCost(name, body)).toEqual({ amount, currency: 'EUR', category: 'sms' });
  });
});
