import { describe, expect, it } from 'vitest';
import type { InboundEvent, InboundMessage } from '../../src/server/channels/types';
import { signWebhookBody, verifyWebhookSignature } from '../../src/server/channels/meta/signature';
import { answerSubscription, MAX_CHALLENGE_LENGTH } from '../../src/server/channels/meta/verify';
import {
  parseWhatsAppWebhook,
  WebhookPayloadError,
} from '../../src/server/channels/whatsapp/webhook';
import type { MessageContent } from '../../src/shared/domain/model';
import {
  audioMessage,
  buttonMessage,
  buttonReplyMessage,
  combineWebhooks,
  contactsMessage,
  documentMessage,
  imageMessage,
  listReplyMessage,
  locationMessage,
  messagesWebhook,
  orderMessage,
  rawMessage,
  reactionMessage,
  signedWebhook,
  statusesWebhook,
  statusUpdate,
  stickerMessage,
  TEST_BUSINESS,
  TEST_CUSTOMER,
  textMessage,
  unsupportedMessage,
  videoMessage,
  type InboundFixture,
  type WaChangeValue,
  type WhatsAppWebhookPayload,
} from '../support/whatsapp-webhooks';

const APP_SECRET = 'test-app-secret';
const VERIFY_TOKEN = 'test-verify-token';
/** 2025-06-08T20:59:43Z, the timestamp in Meta's text-message example. */
const T = 1_749_416_383;
const WAMID = 'wamid.HBgLMTY1MDM4Nzk0MzkVAgASGBQzQTRBNjU5OUFFRTAzODEwMTQ0RgA=';
const SHA = 'HgLPa1Kp0JYYt4X5qyD+HlEMz1kq1d3Obxx1QDQUR2c=';
const MEDIA_ID = '1479537139650973';

const customer = {
  externalId: TEST_CUSTOMER.waId,
  name: TEST_CUSTOMER.name,
  phone: `+${TEST_CUSTOMER.waId}`,
};

function expected(
  content: MessageContent,
  extra: Partial<InboundMessage> = {},
  externalId = WAMID,
): InboundMessage {
  return {
    kind: 'message',
    channel: 'whatsapp',
    channelAccountId: TEST_BUSINESS.phoneNumberId,
    externalId,
    customer,
    sentAt: T * 1000,
    content,
    ...extra,
  };
}

/** Parses a one-message webhook and returns its single event, asserting nothing was skipped. */
function parseOne(fixture: InboundFixture): InboundEvent | undefined {
  const { events, problems } = parseWhatsAppWebhook(messagesWebhook(fixture));
  expect(problems).toEqual([]);
  expect(events).toHaveLength(1);
  return events[0];
}

function changesOf(
  body: WhatsAppWebhookPayload,
): WhatsAppWebhookPayload['entry'][number]['changes'] {
  const entry = body.entry[0];
  if (!entry) throw new Error('no entry');
  return entry.changes;
}

function valueOf(body: WhatsAppWebhookPayload): WaChangeValue {
  const change = changesOf(body)[0];
  if (!change) throw new Error('no change');
  return change.value;
}

const at = { id: WAMID, timestamp: T };
const media = { mediaId: MEDIA_ID, sha256: SHA };

describe('webhook signature (X-Hub-Signature-256)', () => {
  const body = Buffer.from(JSON.stringify(messagesWebhook(textMessage('Hi', at))), 'utf8');
  const valid = signWebhookBody(body, APP_SECRET);

  it('accepts the HMAC-SHA256 of the raw body keyed with the App Secret', () => {
    expect(valid).toMatch(/^sha256=[0-9a-f]{64}$/);
    expect(verifyWebhookSignature(body, valid, APP_SECRET)).toBe(true);
  });

  it('rejects a body changed after signing (forged)', () => {
    const forged = Buffer.from(body.toString('utf8').replace('Hi', 'Ho'), 'utf8');
    expect(verifyWebhookSignature(forged, valid, APP_SECRET)).toBe(false);
  });

  it('rejects a signature made with another secret', () => {
    expect(verifyWebhookSignature(body, signWebhookBody(body, 'other-secret'), APP_SECRET)).toBe(
      false,
    );
  });

  it('rejects a missing header and an empty configured secret', () => {
    expect(verifyWebhookSignature(body, undefined, APP_SECRET)).toBe(false);
    expect(verifyWebhookSignature(body, '', APP_SECRET)).toBe(false);
    expect(verifyWebhookSignature(body, signWebhookBody(body, ''), '')).toBe(false);
  });

  it('rejects malformed headers without throwing', () => {
    const hex = valid.slice('sha256='.length);
    for (const header of [
      hex, // no prefix
      `sha1=${hex}`,
      `SHA256=${hex}`,
      `sha256=${hex.slice(0, 63)}z`, // not hex
      'sha256=',
      `sha256= ${hex}`,
      `sha256=${hex},sha256=${hex}`,
    ]) {
      expect(verifyWebhookSignature(body, header, APP_SECRET), header).toBe(false);
    }
  });

  it('rejects digests of a different length', () => {
    const hex = valid.slice('sha256='.length);
    expect(verifyWebhookSignature(body, `sha256=${hex.slice(0, 62)}`, APP_SECRET)).toBe(false);
    expect(verifyWebhookSignature(body, `sha256=${hex}00`, APP_SECRET)).toBe(false);
  });

  it('accepts upper-case hex and surrounding whitespace', () => {
    const hex = valid.slice('sha256='.length);
    expect(verifyWebhookSignature(body, `sha256=${hex.toUpperCase()}`, APP_SECRET)).toBe(true);
    expect(verifyWebhookSignature(body, ` ${valid} `, APP_SECRET)).toBe(true);
  });

  it('signedWebhook signs exactly the bytes it returns', () => {
    const signed = signedWebhook(messagesWebhook(textMessage('Hello')), APP_SECRET);
    expect(signed.headers['content-type']).toBe('application/json');
    expect(
      verifyWebhookSignature(
        Buffer.from(signed.body, 'utf8'),
        signed.headers['x-hub-signature-256'],
        APP_SECRET,
      ),
    ).toBe(true);
  });
});

describe('webhook verification handshake', () => {
  const query = (params: Record<string, string>): URLSearchParams => new URLSearchParams(params);

  it('echoes the challenge when mode is subscribe and the token matches', () => {
    expect(
      answerSubscription(
        query({
          'hub.mode': 'subscribe',
          'hub.verify_token': VERIFY_TOKEN,
          'hub.challenge': '1158201444',
        }),
        VERIFY_TOKEN,
      ),
    ).toEqual({ ok: true, challenge: '1158201444' });
  });

  it('refuses a wrong token (the HTTP layer answers 403)', () => {
    for (const token of ['wrong', `${VERIFY_TOKEN}x`, VERIFY_TOKEN.slice(0, -1), '']) {
      expect(
        answerSubscription(
          query({ 'hub.mode': 'subscribe', 'hub.verify_token': token, 'hub.challenge': '42' }),
          VERIFY_TOKEN,
        ),
      ).toEqual({ ok: false });
    }
  });

  it('refuses missing parameters or another mode', () => {
    const full = {
      'hub.mode': 'subscribe',
      'hub.verify_token': VERIFY_TOKEN,
      'hub.challenge': '42',
    };
    for (const key of Object.keys(full)) {
      const partial = Object.fromEntries(Object.entries(full).filter(([k]) => k !== key));
      expect(answerSubscription(query(partial), VERIFY_TOKEN), key).toEqual({ ok: false });
    }
    expect(answerSubscription(query({ ...full, 'hub.mode': 'unsubscribe' }), VERIFY_TOKEN)).toEqual(
      { ok: false },
    );
  });

  it('limits the challenge to a short, safe string', () => {
    const ok = (challenge: string) =>
      answerSubscription(
        query({
          'hub.mode': 'subscribe',
          'hub.verify_token': VERIFY_TOKEN,
          'hub.challenge': challenge,
        }),
        VERIFY_TOKEN,
      ).ok;
    expect(ok('9'.repeat(MAX_CHALLENGE_LENGTH))).toBe(true);
    expect(ok('9'.repeat(MAX_CHALLENGE_LENGTH + 1))).toBe(false);
    expect(ok('')).toBe(false);
    expect(ok('<script>alert(1)</script>')).toBe(false);
    expect(ok('12\r\nSet-Cookie: x=1')).toBe(false);
  });

  it('never matches when no verify token is configured', () => {
    expect(
      answerSubscription(
        query({ 'hub.mode': 'subscribe', 'hub.verify_token': '', 'hub.challenge': '42' }),
        '',
      ),
    ).toEqual({ ok: false });
  });
});

describe('inbound messages → InboundMessage', () => {
  it('text', () => {
    expect(parseOne(textMessage('Does it come in another color?', at))).toStrictEqual(
      expected({ type: 'text', body: 'Does it come in another color?' }),
    );
  });

  it('image with caption', () => {
    expect(parseOne(imageMessage({ ...at, ...media, caption: 'The dent' }))).toStrictEqual(
      expected({
        type: 'image',
        media: { mediaId: MEDIA_ID, mimeType: 'image/jpeg', sha256: SHA, caption: 'The dent' },
      }),
    );
  });

  it('video without caption', () => {
    expect(parseOne(videoMessage({ ...at, ...media }))).toStrictEqual(
      expected({ type: 'video', media: { mediaId: MEDIA_ID, mimeType: 'video/mp4', sha256: SHA } }),
    );
  });

  it('audio: voice note and audio file', () => {
    expect(parseOne(audioMessage({ ...at, ...media }))).toStrictEqual(
      expected({
        type: 'audio',
        media: { mediaId: MEDIA_ID, mimeType: 'audio/ogg; codecs=opus', sha256: SHA, voice: true },
      }),
    );
    expect(parseOne(audioMessage({ ...at, ...media, voice: false }))).toStrictEqual(
      expected({
        type: 'audio',
        media: { mediaId: MEDIA_ID, mimeType: 'audio/mpeg', sha256: SHA, voice: false },
      }),
    );
  });

  it('document with filename and caption', () => {
    expect(
      parseOne(documentMessage({ ...at, ...media, filename: 'receipt.pdf', caption: 'Receipt' })),
    ).toStrictEqual(
      expected({
        type: 'document',
        media: {
          mediaId: MEDIA_ID,
          mimeType: 'application/pdf',
          sha256: SHA,
          caption: 'Receipt',
          filename: 'receipt.pdf',
        },
      }),
    );
  });

  it('sticker (animated flag)', () => {
    expect(parseOne(stickerMessage({ ...at, ...media, animated: true }))).toStrictEqual(
      expected({
        type: 'sticker',
        media: { mediaId: MEDIA_ID, mimeType: 'image/webp', sha256: SHA, animated: true },
      }),
    );
  });

  it('location with name, address and url', () => {
    expect(
      parseOne(
        locationMessage({
          ...at,
          latitude: 37.44216251868683,
          longitude: -122.16153582049394,
          name: 'Philz Coffee',
          address: '101 Forest Ave, Palo Alto, CA 94301',
          url: 'https://philzcoffee.com',
        }),
      ),
    ).toStrictEqual(
      expected({
        type: 'location',
        latitude: 37.44216251868683,
        longitude: -122.16153582049394,
        name: 'Philz Coffee',
        address: '101 Forest Ave, Palo Alto, CA 94301',
        url: 'https://philzcoffee.com',
      }),
    );
  });

  it('bare location (a pin without name)', () => {
    expect(
      parseOne(locationMessage({ ...at, latitude: -33.8688, longitude: 151.2093 })),
    ).toStrictEqual(expected({ type: 'location', latitude: -33.8688, longitude: 151.2093 }));
  });

  it('contacts: formatted name, phones, emails, organization', () => {
    expect(
      parseOne(
        contactsMessage(
          [
            {
              name: { formatted_name: 'Barbara J. Johnson', first_name: 'Barbara' },
              phones: [
                { phone: '+1 (415) 555-0123', type: 'CELL', wa_id: '14155550123' },
                { phone: '+1 (415) 555-0100', type: 'WORK' },
              ],
              emails: [{ email: 'bjohnson@example.com', type: 'WORK' }],
              org: { company: 'Lucky Shrub', title: 'Manager' },
              birthday: '1999-01-23',
            },
            { name: { formatted_name: 'Ana', first_name: 'Ana' } },
          ],
          at,
        ),
      ),
    ).toStrictEqual(
      expected({
        type: 'contacts',
        contacts: [
          {
            name: 'Barbara J. Johnson',
            phones: ['+1 (415) 555-0123', '+1 (415) 555-0100'],
            emails: ['bjohnson@example.com'],
            organization: 'Lucky Shrub',
          },
          { name: 'Ana', phones: [], emails: [] },
        ],
      }),
    );
  });

  it('interactive button_reply and list_reply → interactive_reply', () => {
    expect(
      parseOne(buttonReplyMessage({ id: 'change-button', title: 'Change' }, at)),
    ).toStrictEqual(
      expected({ type: 'interactive_reply', replyId: 'change-button', title: 'Change' }),
    );
    expect(
      parseOne(
        listReplyMessage(
          {
            id: 'priority_express',
            title: 'Priority Mail Express',
            description: 'Next day to 2 days',
          },
          at,
        ),
      ),
    ).toStrictEqual(
      expected({
        type: 'interactive_reply',
        replyId: 'priority_express',
        title: 'Priority Mail Express',
        description: 'Next day to 2 days',
      }),
    );
  });

  it('template quick-reply button → button_reply, with the template as reply target', () => {
    const template = 'wamid.HBgLMTY1MDM4Nzk0MzkVAgARGBI0QjgyQTc4RkE3QjhDQkZCNDEA';
    expect(
      parseOne(
        buttonMessage(
          { payload: 'STOP_PROMOS', text: 'Stop promotions' },
          { ...at, replyTo: template },
        ),
      ),
    ).toStrictEqual(
      expected(
        { type: 'button_reply', payload: 'STOP_PROMOS', text: 'Stop promotions' },
        { replyToExternalId: template },
      ),
    );
  });

  it('reaction, and a removed reaction (no emoji)', () => {
    const target = 'wamid.HBgLMTY1MDM4Nzk0MzkVAgARGBJDQjZCMzlEQUE4OTJBMTE4RTUA';
    expect(parseOne(reactionMessage({ messageId: target, emoji: '👍' }, at))).toStrictEqual(
      expected({ type: 'reaction', emoji: '👍', targetExternalId: target }),
    );
    expect(parseOne(reactionMessage({ messageId: target }, at))).toStrictEqual(
      expected({ type: 'reaction', emoji: '', targetExternalId: target }),
    );
  });

  it('order: catalog, items and the text as note', () => {
    expect(
      parseOne(
        orderMessage(
          {
            catalogId: '194836987003835',
            text: 'Gift wrap please',
            items: [
              { product_retailer_id: 'di9ozbzfi4', quantity: 2, item_price: 30, currency: 'USD' },
              { product_retailer_id: 'nqryix03ez', quantity: 1, item_price: 25.5, currency: 'USD' },
            ],
          },
          at,
        ),
      ),
    ).toStrictEqual(
      expected({
        type: 'order',
        catalogId: '194836987003835',
        items: [
          { productRetailerId: 'di9ozbzfi4', quantity: 2, itemPrice: 30, currency: 'USD' },
          { productRetailerId: 'nqryix03ez', quantity: 1, itemPrice: 25.5, currency: 'USD' },
        ],
        note: 'Gift wrap please',
      }),
    );
  });

  it('order with numeric strings (older payloads) and no text', () => {
    const fixture = rawMessage(
      'order',
      {
        order: {
          catalog_id: 'c1',
          product_items: [
            { product_retailer_id: 'sku', quantity: '3', item_price: '9.99', currency: 'EUR' },
          ],
        },
      },
      at,
    );
    expect(parseOne(fixture)).toStrictEqual(
      expected({
        type: 'order',
        catalogId: 'c1',
        items: [{ productRetailerId: 'sku', quantity: 3, itemPrice: 9.99, currency: 'EUR' }],
      }),
    );
  });

  it('context.id → replyToExternalId (a reply to one of our messages)', () => {
    const ours = 'wamid.HBgLMTY1MDM4Nzk0MzkVAgARGBI1RjQyNUE3NEYxMzAzMzQ5MkEA';
    expect(parseOne(textMessage('Yes, that one', { ...at, replyTo: ours }))).toStrictEqual(
      expected({ type: 'text', body: 'Yes, that one' }, { replyToExternalId: ours }),
    );
  });

  it('a forwarded message has a context without id: no reply target', () => {
    const fixture = textMessage('fwd', at);
    const forwarded = { ...fixture, message: { ...fixture.message, context: { forwarded: true } } };
    expect(parseOne(forwarded)).toStrictEqual(expected({ type: 'text', body: 'fwd' }));
  });

  it('referral (click-to-WhatsApp ad) → entryPoint ad_referral', () => {
    expect(parseOne(textMessage('I saw your ad', { ...at, referral: true }))).toStrictEqual(
      expected({ type: 'text', body: 'I saw your ad' }, { entryPoint: 'ad_referral' }),
    );
    expect(
      parseOne(imageMessage({ ...at, ...media, referral: { source_type: 'post' } })),
    ).toMatchObject({ entryPoint: 'ad_referral' });
  });

  it('types we do not model → unsupported with the original type', () => {
    const cases: Array<[InboundFixture, string]> = [
      [unsupportedMessage(at), 'unsupported'],
      [rawMessage('unknown', {}, at), 'unknown'],
      [
        rawMessage(
          'system',
          {
            system: {
              body: 'User A changed from 16505551234 to 16505550000',
              wa_id: '16505550000',
              type: 'customer_changed_number',
            },
          },
          at,
        ),
        'system',
      ],
      [rawMessage('request_welcome', {}, at), 'request_welcome'],
      [
        rawMessage(
          'interactive',
          { interactive: { type: 'nfm_reply', nfm_reply: { name: 'flow' } } },
          at,
        ),
        'interactive.nfm_reply',
      ],
      [rawMessage('hologram', { hologram: { id: 'x' } }, at), 'hologram'],
    ];
    for (const [fixture, originalType] of cases) {
      const { events } = parseWhatsAppWebhook(messagesWebhook(fixture));
      expect(events).toStrictEqual([expected({ type: 'unsupported', originalType })]);
    }
  });

  it('unsupported with a named subtype keeps the subtype; its error is reported', () => {
    const { events, problems } = parseWhatsAppWebhook(
      messagesWebhook(unsupportedMessage({ ...at, unsupportedType: 'poll_creation' })),
    );
    expect(events).toStrictEqual([
      expected({ type: 'unsupported', originalType: 'poll_creation' }),
    ]);
    expect(problems).toEqual([
      'entry[0].changes[0].value.messages[0].errors[0]: WhatsApp error 131051 Message type unknown (Message type is currently not supported.)',
    ]);
  });

  it('customer without a profile name, or from another sender', () => {
    const fixture = textMessage('hi', { ...at, from: '447700900123' });
    const body = messagesWebhook(fixture);
    const withoutContacts = {
      ...body,
      entry: [
        {
          ...body.entry[0],
          changes: [
            { field: 'messages', value: { ...body.entry[0]?.changes[0]?.value, contacts: [] } },
          ],
        },
      ],
    };
    expect(parseWhatsAppWebhook(withoutContacts).events[0]).toMatchObject({
      customer: { externalId: '447700900123', name: null, phone: '+447700900123' },
    });
    expect(parseWhatsAppWebhook(body).events[0]).toMatchObject({
      customer: { externalId: '447700900123', name: 'Customer 0123', phone: '+447700900123' },
    });
  });

  it('a username-only sender (business-scoped user id, no phone) is kept', () => {
    const body = {
      object: 'whatsapp_business_account',
      entry: [
        {
          id: TEST_BUSINESS.wabaId,
          changes: [
            {
              field: 'messages',
              value: {
                messaging_product: 'whatsapp',
                metadata: {
                  display_phone_number: TEST_BUSINESS.displayPhoneNumber,
                  phone_number_id: TEST_BUSINESS.phoneNumberId,
                },
                contacts: [{ profile: { name: 'Maria' }, user_id: 'BR.1502576394655843' }],
                messages: [
                  {
                    from_user_id: 'BR.1502576394655843',
                    id: WAMID,
                    timestamp: String(T),
                    type: 'text',
                    text: { body: 'oi' },
                  },
                ],
              },
            },
          ],
        },
      ],
    };
    expect(parseWhatsAppWebhook(body).events).toStrictEqual([
      {
        ...expected({ type: 'text', body: 'oi' }),
        customer: { externalId: 'BR.1502576394655843', name: 'Maria', phone: null },
      },
    ]);
  });
});

describe('statuses → InboundStatus', () => {
  const ours = 'wamid.HBgLMTY1MDM4Nzk0MzkVAgARGBI3N0EyQUJDRDc0RjY5NzA3MjIA';

  it('sent / delivered / read with per-message pricing', () => {
    const { events, problems } = parseWhatsAppWebhook(
      statusesWebhook([
        statusUpdate('sent', { id: ours, timestamp: T }),
        statusUpdate('delivered', {
          id: ours,
          timestamp: T + 1,
          pricing: { category: 'utility', type: 'regular' },
        }),
        statusUpdate('read', { id: ours, timestamp: T + 60, pricing: null }),
      ]),
    );
    expect(problems).toEqual([]);
    const common = {
      kind: 'status',
      channel: 'whatsapp',
      channelAccountId: TEST_BUSINESS.phoneNumberId,
      externalId: ours,
      recipientId: TEST_CUSTOMER.waId,
    } as const;
    expect(events).toStrictEqual([
      {
        ...common,
        status: 'sent',
        at: T * 1000,
        pricing: { billable: false, category: 'service', model: 'PMP' },
      },
      {
        ...common,
        status: 'delivered',
        at: (T + 1) * 1000,
        pricing: { billable: true, category: 'utility', model: 'PMP' },
      },
      { ...common, status: 'read', at: (T + 60) * 1000 },
    ]);
  });

  it('failed with error 131047: code, title and details', () => {
    const { events } = parseWhatsAppWebhook(
      statusesWebhook(statusUpdate('failed', { id: ours, timestamp: T })),
    );
    expect(events).toStrictEqual([
      {
        kind: 'status',
        channel: 'whatsapp',
        channelAccountId: TEST_BUSINESS.phoneNumberId,
        externalId: ours,
        status: 'failed',
        at: T * 1000,
        recipientId: TEST_CUSTOMER.waId,
        error: {
          code: '131047',
          title: 'Re-engagement message',
          detail:
            'Message failed to send because more than 24 hours have passed since the customer last replied to this number.',
        },
      },
    ]);
  });

  it('failed with an error without details uses its message; pricing kept when present', () => {
    const { events } = parseWhatsAppWebhook(
      statusesWebhook(
        statusUpdate('failed', {
          id: ours,
          timestamp: T,
          error: {
            code: 131026,
            title: 'Message undeliverable',
            message: 'Message Undeliverable.',
          },
          pricing: { category: 'marketing', billable: true, type: 'regular' },
        }),
      ),
    );
    expect(events[0]).toMatchObject({
      status: 'failed',
      error: { code: '131026', title: 'Message undeliverable', detail: 'Message Undeliverable.' },
      pricing: { billable: true, category: 'marketing', model: 'PMP' },
    });
  });

  it('the legacy conversation-based pricing shape still maps', () => {
    const status = {
      id: ours,
      status: 'sent',
      timestamp: String(T),
      recipient_id: TEST_CUSTOMER.waId,
      conversation: {
        id: 'CONVERSATION_ID',
        expiration_timestamp: String(T + 86_400),
        origin: { type: 'service' },
      },
      pricing: { billable: true, pricing_model: 'CBP', category: 'service' },
    };
    expect(parseWhatsAppWebhook(statusesWebhook(status)).events[0]).toMatchObject({
      pricing: { billable: true, category: 'service', model: 'CBP' },
    });
  });

  it('statuses we do not track are skipped with a problem', () => {
    const { events, problems } = parseWhatsAppWebhook(
      statusesWebhook([
        statusUpdate('played', { id: ours, timestamp: T }),
        statusUpdate('read', { id: ours, timestamp: T }),
      ]),
    );
    expect(events.map((e) => (e.kind === 'status' ? e.status : e.kind))).toEqual(['read']);
    expect(problems).toEqual([
      'entry[0].changes[0].value.statuses[0].status: "played" is not tracked (status skipped)',
    ]);
  });
});

describe('batches, order and tolerance', () => {
  it('returns every message and status of every entry and change, in order', () => {
    const a = textMessage('first', { id: 'wamid.A', timestamp: T });
    const b = imageMessage({ id: 'wamid.B', timestamp: T + 1, ...media });
    const c = textMessage('other number', {
      id: 'wamid.C',
      timestamp: T + 2,
      from: '5511987654321',
    });
    const body = combineWebhooks(
      messagesWebhook([a, b]),
      statusesWebhook(statusUpdate('delivered', { id: 'wamid.OUT', timestamp: T + 3 })),
      messagesWebhook(c, { phoneNumberId: '222222222222222', wabaId: '333' }),
    );
    const { events, problems } = parseWhatsAppWebhook(body);
    expect(problems).toEqual([]);
    expect(events.map((e) => [e.kind, e.externalId, e.channelAccountId])).toEqual([
      ['message', 'wamid.A', TEST_BUSINESS.phoneNumberId],
      ['message', 'wamid.B', TEST_BUSINESS.phoneNumberId],
      ['status', 'wamid.OUT', TEST_BUSINESS.phoneNumberId],
      ['message', 'wamid.C', '222222222222222'],
    ]);
    expect(events[3]).toMatchObject({
      customer: { externalId: '5511987654321', name: 'Customer 4321', phone: '+5511987654321' },
    });
  });

  it('several changes in one entry, including a non-messages field', () => {
    const first = messagesWebhook(textMessage('one', { id: 'wamid.1', timestamp: T }));
    const second = messagesWebhook(textMessage('two', { id: 'wamid.2', timestamp: T }));
    const body = {
      object: 'whatsapp_business_account',
      entry: [
        {
          id: TEST_BUSINESS.wabaId,
          changes: [
            ...changesOf(first),
            { field: 'account_update', value: { event: 'VERIFIED_ACCOUNT' } },
            ...changesOf(second),
          ],
        },
      ],
    };
    const { events, problems } = parseWhatsAppWebhook(body);
    expect(events.map((e) => e.externalId)).toEqual(['wamid.1', 'wamid.2']);
    expect(problems).toEqual([
      'entry[0].changes[1].field: "account_update" is not handled (change ignored)',
    ]);
  });

  it('ignores unknown extra fields everywhere', () => {
    const fixture = textMessage('hi', at);
    const body = messagesWebhook({
      ...fixture,
      message: { ...fixture.message, text: { body: 'hi', extra: 1 }, brand_new_field: { x: 1 } },
    });
    const noisy = {
      ...body,
      unexpected: true,
      entry: body.entry.map((e) => ({
        ...e,
        time: T,
        changes: e.changes.map((c) => ({ ...c, v: 2 })),
      })),
    };
    expect(parseWhatsAppWebhook(noisy)).toStrictEqual({
      events: [expected({ type: 'text', body: 'hi' })],
      problems: [],
    });
  });

  it('converts the unix-seconds string timestamp to epoch ms', () => {
    const event = parseOne(
      textMessage('t', { id: WAMID, timestamp: new Date('2026-11-03T10:15:30Z') }),
    );
    expect(event).toMatchObject({ sentAt: Date.parse('2026-11-03T10:15:30Z') });
  });

  it('skips a message whose id, sender or timestamp is unusable, keeping the others', () => {
    const good = textMessage('kept', { id: 'wamid.GOOD', timestamp: T });
    const badTimestamp = { ...textMessage('x', at).message, timestamp: T };
    const noId = { ...textMessage('y', at).message, id: undefined };
    const body = messagesWebhook(good);
    const value = valueOf(body);
    const mixed = {
      ...body,
      entry: [
        {
          ...body.entry[0],
          changes: [
            {
              field: 'messages',
              value: { ...value, messages: [badTimestamp, good.message, noId] },
            },
          ],
        },
      ],
    };
    const { events, problems } = parseWhatsAppWebhook(mixed);
    expect(events.map((e) => e.externalId)).toEqual(['wamid.GOOD']);
    expect(problems).toHaveLength(2);
    expect(problems[0]).toMatch(
      /^entry\[0\]\.changes\[0\]\.value\.messages\[0\]\.timestamp: .*\(message skipped\)$/,
    );
    expect(problems[1]).toMatch(
      /^entry\[0\]\.changes\[0\]\.value\.messages\[2\]\.id: .*\(message skipped\)$/,
    );
  });

  it('keeps a message with unreadable content as unsupported and says where', () => {
    const fixture = imageMessage({ ...at, ...media });
    const broken = { ...fixture, message: { ...fixture.message, image: { caption: 'no id' } } };
    const { events, problems } = parseWhatsAppWebhook(messagesWebhook(broken));
    expect(events).toStrictEqual([expected({ type: 'unsupported', originalType: 'image' })]);
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatch(
      /^entry\[0\]\.changes\[0\]\.value\.messages\[0\]\.image\.id: .*kept as unsupported\)$/,
    );
  });

  it('keeps content outside our model bounds as unsupported', () => {
    const { events, problems } = parseWhatsAppWebhook(
      messagesWebhook(locationMessage({ ...at, latitude: 123, longitude: 10 })),
    );
    expect(events).toStrictEqual([expected({ type: 'unsupported', originalType: 'location' })]);
    expect(problems[0]).toMatch(
      /messages\[0\]: location content is outside our model \(latitude: /,
    );
  });

  it('skips a change without metadata.phone_number_id and reports value errors', () => {
    const ok = messagesWebhook(textMessage('ok', { id: 'wamid.OK', timestamp: T }));
    const body = {
      object: 'whatsapp_business_account',
      entry: [
        {
          id: TEST_BUSINESS.wabaId,
          changes: [
            {
              field: 'messages',
              value: { messaging_product: 'whatsapp', metadata: {}, messages: [] },
            },
            {
              field: 'messages',
              value: {
                ...valueOf(ok),
                errors: [
                  {
                    code: 131000,
                    title: 'Something went wrong',
                    message: 'Something went wrong',
                    error_data: { details: 'Unknown error' },
                  },
                ],
              },
            },
          ],
        },
      ],
    };
    const { events, problems } = parseWhatsAppWebhook(body);
    expect(events.map((e) => e.externalId)).toEqual(['wamid.OK']);
    expect(problems).toEqual([
      expect.stringMatching(
        /^entry\[0\]\.changes\[0\]\.value\.metadata\.phone_number_id: .*\(change skipped\)$/,
      ),
      'entry[0].changes[1].value.errors[0]: WhatsApp error 131000 Something went wrong (Unknown error)',
    ]);
  });

  it('a webhook with no events is fine', () => {
    expect(parseWhatsAppWebhook({ object: 'whatsapp_business_account', entry: [] })).toStrictEqual({
      events: [],
      problems: [],
    });
  });
});

describe('bodies that are not WhatsApp webhooks', () => {
  const cases: Array<[string, unknown, RegExp]> = [
    ['null', null, /^Not a WhatsApp Cloud API webhook: \(root\): /],
    ['an array', [], /\(root\): /],
    ['a string', 'whatsapp_business_account', /\(root\): /],
    ['a Page webhook', { object: 'page', entry: [] }, /: object: /],
    ['no entry', { object: 'whatsapp_business_account' }, /: entry: /],
    [
      'changes not an array',
      { object: 'whatsapp_business_account', entry: [{ id: '1', changes: {} }] },
      /: entry\[0\]\.changes: /,
    ],
    [
      'a change without field',
      { object: 'whatsapp_business_account', entry: [{ id: '1', changes: [{ value: {} }] }] },
      /: entry\[0\]\.changes\[0\]\.field: /,
    ],
  ];

  it.each(cases)('%s → WebhookPayloadError naming the path', (_name, body, message) => {
    let caught: unknown;
    try {
      parseWhatsAppWebhook(body);
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(WebhookPayloadError);
    expect((caught as WebhookPayloadError).message).toMatch(message);
    expect((caught as WebhookPayloadError).name).toBe('WebhookPayloadError');
  });

  it('exposes the failing path on the error', () => {
    expect(() =>
      parseWhatsAppWebhook({ object: 'whatsapp_business_account', entry: [{ changes: 'x' }] }),
    ).toThrowError(expect.objectContaining({ path: 'entry[0].changes' }));
  });
});
