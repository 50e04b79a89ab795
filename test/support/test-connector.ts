import { createHmac, timingSafeEqual } from 'node:crypto';
import { z } from 'zod';
import {
  settingOf,
  WebhookPayloadError,
  type ChannelConnector,
} from '../../src/server/channels/connector';
import type { InboundMessage, OutboundRequest } from '../../src/server/channels/types';

/**
 * A test-only connector (never in the production registry): it proves the hub mounts, verifies,
 * ingests, configures and sends through any connector the same way, without naming it. Its
 * webhook is `{ messages: [{ id, from, name, text, at }] }` signed with HMAC-SHA256 of the raw
 * body in `x-test-signature`; its handshake answers `challenge` when `token` is the secret.
 */
export const TEST_CHANNEL = 'telegram' as const;

export function signTestBody(raw: string, secret: string): string {
  return createHmac('sha256', secret).update(raw).digest('hex');
}

const deliverySchema = z.object({
  messages: z.array(
    z.object({
      id: z.string().min(1),
      from: z.string().min(1),
      name: z.string(),
      text: z.string(),
      at: z.number().int(),
    }),
  ),
});

export interface TestConnector extends ChannelConnector {
  /** What the hub asked its sender to deliver, with the settings in force at the time. */
  readonly sent: { request: OutboundRequest; accountId: string }[];
}

export function createTestConnector(): TestConnector {
  const sent: TestConnector['sent'] = [];
  return {
    sent,
    channel: TEST_CHANNEL,
    name: 'Test channel',
    provider: 'test_provider',
    settings: [
      {
        name: 'signingSecret',
        label: 'Signing secret',
        secret: true,
        required: true,
        env: 'TEST_CHANNEL_SECRET',
        help: 'Checks x-test-signature.',
      },
      {
        name: 'accountId',
        label: 'Account id',
        secret: false,
        required: true,
        env: 'TEST_CHANNEL_ACCOUNT',
        pattern: { source: '^acct-\\d+$', message: '“acct-” and digits' },
      },
      {
        name: 'baseUrl',
        label: 'Base URL',
        secret: false,
        required: false,
        default: 'http://127.0.0.1:9',
        envOnly: true,
      },
    ],
    receives: (settings) => settingOf(settings, 'signingSecret') !== '',
    handshake(url, settings) {
      return url.searchParams.get('token') === settingOf(settings, 'signingSecret')
        ? { ok: true, body: url.searchParams.get('challenge') ?? '' }
        : { ok: false, reason: 'Test handshake refused.', message: 'Wrong token.' };
    },
    verify({ headers, raw }, settings) {
      const given = Buffer.from(String(headers['x-test-signature'] ?? ''));
      const wanted = Buffer.from(
        signTestBody(raw.toString('utf8'), settingOf(settings, 'signingSecret')),
      );
      return given.length === wanted.length && timingSafeEqual(given, wanted)
        ? { ok: true }
        : { ok: false, reason: 'Test signature refused.', message: 'Bad x-test-signature.' };
    },
    parse(body, settings) {
      const parsed = deliverySchema.safeParse(body);
      if (!parsed.success) throw new WebhookPayloadError('Not a test delivery.', 'messages');
      // An empty text stands for what a real connector cannot store: it goes to dead letters.
      const lost = parsed.data.messages.flatMap((m, i) =>
        m.text === '' ? [`messages[${i}]: empty text (message skipped)`] : [],
      );
      const events = parsed.data.messages
        .filter((m) => m.text !== '')
        .map((m): InboundMessage => ({
          kind: 'message',
          channel: TEST_CHANNEL,
          channelAccountId: settingOf(settings, 'accountId'),
          externalId: m.id,
          customer: { externalId: m.from, name: m.name, phone: null },
          sentAt: m.at,
          content: { type: 'text', body: m.text },
        }));
      return { events, problems: lost, lost };
    },
    createSender: ({ settings }) => ({
      channel: TEST_CHANNEL,
      async send(request) {
        sent.push({ request, accountId: settingOf(settings(), 'accountId') });
        return { ok: true, externalId: `test-out-${request.messageId}` };
      },
    }),
  };
}

/**
 * The production connectors with the test connector in place of the real one of its channel
 * (the hub takes one connector per channel).
 */
export function withTestConnector(
  connectors: readonly ChannelConnector[],
  ...tests: ChannelConnector[]
): ChannelConnector[] {
  return [...connectors.filter((c) => c.channel !== TEST_CHANNEL), ...tests];
}
