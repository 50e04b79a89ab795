import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  WebhookPayloadError,
  type ParsedDelivery,
  type Refusal,
} from '../../src/server/channels/connector';
import {
  ChannelMediaError,
  type InboundMessage,
  type OutboundRequest,
} from '../../src/server/channels/types';
import { wechatConnector } from '../../src/server/channels/wechat';
import { decryptMessage, encryptMessage } from '../../src/server/channels/wechat/crypto';
import { wechatDemoDelivery } from '../../src/server/channels/wechat/demo';
import { wechatSignature } from '../../src/server/channels/wechat/signature';
import { CONNECTORS } from '../../src/server/channels/registry';
import { createDemoWorld } from '../../src/server/demo/simulator';
import { throughConnector } from '../../src/server/demo/through-connector';
import { storableText } from '../../src/server/http/untrusted-text';
import { startFakeWechatApi, type FakeWechatApi } from '../support/fake-wechat-api';
import { until } from '../support/until';
import {
  bare,
  envelope,
  eventPush,
  pushXml,
  sha1Signature,
  signedPush,
  textPush,
  WECHAT,
  wechatSettings,
  wxDecrypt,
  wxEncrypt,
  type PushMode,
} from '../support/wechat-webhooks';

/**
 * The WeChat Official Account connector on its own (CHANNEL-API.md §7): the URL check and push
 * signatures (with the computed vector of §7.1 and the official WXBizMsgCrypt sample), safe and
 * compatible mode, the XML read safely, every message and event mapped, customer-service sends
 * with WeChat's errcodes and the access token, and temporary media, against the local fake.
 */

let fake: FakeWechatApi;
let settings: Record<string, string>;
/** 2025-12-03T12:00:00Z, in WeChat's seconds. */
const T = 1_764_763_200;
const OPENID = 'oUSER_2f8kQm1x9Zc3Vb7Nd4Lp0Hs6';
const CUSTOMER = { externalId: OPENID, name: null, phone: null };
const BASE = { channel: 'wechat', channelAccountId: WECHAT.account } as const;

beforeAll(async () => {
  fake = await startFakeWechatApi({ appId: WECHAT.appId, appSecret: WECHAT.appSecret });
  settings = wechatSettings(fake.url);
});
afterAll(async () => {
  await fake.close();
});

const urlOf = (query: string): URL => new URL(`http://hub.example/webhooks/wechat${query}`);

/** What the HTTP layer does: verify on the bytes and the URL, decode, make storable, parse. */
function deliver(
  xml: string,
  options: Parameters<typeof signedPush>[1] = {},
  using: Record<string, string> = settings,
): Refusal | ParsedDelivery {
  const push = signedPush(xml, options);
  const delivery = { headers: {}, raw: Buffer.from(push.body), url: urlOf(push.query) };
  const verdict = wechatConnector.verify(delivery, using);
  if (!verdict.ok) return verdict;
  const decoded = wechatConnector.decode?.(delivery, using);
  return wechatConnector.parse(storableText(decoded), using);
}

const MODES: readonly PushMode[] = ['plain', 'safe', 'compatible'];

describe('WeChat signatures', () => {
  it('matches the computed vector of CHANNEL-API.md §7.1 and answers the URL check', () => {
    expect(wechatSignature(['AAAAA', '1714037059', '486452656'])).toBe(
      '899cf89e464efb63f54ddac96b0a0a235f53aa78',
    );
    const answer = wechatConnector.handshake?.(
      new URL(
        'http://hub.example/webhooks/wechat?signature=899cf89e464efb63f54ddac96b0a0a235f53aa78&timestamp=1714037059&nonce=486452656&echostr=7139212340291570%2B%3D',
      ),
      { token: 'AAAAA' },
    );
    // echostr verbatim (URL-decoded once, as WeChat sent it).
    expect(answer).toEqual({ ok: true, body: '7139212340291570+=' });
  });

  it('refuses a URL check with a wrong, short or missing signature', () => {
    const check = (query: string) =>
      wechatConnector.handshake?.(urlOf(query), { token: 'AAAAA' })?.ok;
    const good = 'timestamp=1714037059&nonce=486452656&echostr=abc';
    expect(check(`?signature=899cf89e464efb63f54ddac96b0a0a235f53aa79&${good}`)).toBe(false);
    expect(check(`?signature=899cf89e464efb63f54ddac96b0a0a235f53aa&${good}`)).toBe(false);
    expect(check(`?signature=not-hex-at-all-not-hex-at-all-not-hex-at&${good}`)).toBe(false);
    expect(check(`?${good}`)).toBe(false);
    expect(
      check(
        '?signature=899cf89e464efb63f54ddac96b0a0a235f53aa78&timestamp=1714037059&nonce=486452656',
      ),
    ).toBe(false);
    expect(
      wechatConnector.handshake?.(
        urlOf(`?signature=899cf89e464efb63f54ddac96b0a0a235f53aa78&${good}`),
        { token: 'BBBBB' },
      ),
    ).toEqual({
      ok: false,
      reason:
        'A URL check with a wrong signature was refused (forged, or the Token on the Official Accounts Platform differs from the hub’s).',
      message: 'The signature does not match.',
    });
  });

  it('verifies every push from its query, and refuses forged, missing and foreign ones', () => {
    const xml = textPush(OPENID, T, '6054768590064713728', 'hi');
    expect(deliver(xml)).toMatchObject({ events: [{ externalId: '6054768590064713728' }] });
    expect(deliver(xml, { token: 'someoneElse' })).toEqual({
      ok: false,
      reason: 'A push with a wrong signature was refused (forged, or signed with another Token).',
      message: 'The signature does not match.',
    });
    const unsigned = wechatConnector.verify(
      { headers: {}, raw: Buffer.from(xml), url: urlOf('?timestamp=1&nonce=2') },
      settings,
    );
    expect(unsigned).toEqual({
      ok: false,
      reason: 'A push without signature, timestamp and nonce was refused.',
      message: 'signature, timestamp and nonce are required.',
    });
    // The same signature twice in the query is not one signature.
    const push = signedPush(xml);
    const doubled = wechatConnector.verify(
      {
        headers: {},
        raw: Buffer.from(push.body),
        url: urlOf(
          `${push.query}&signature=${sha1Signature([WECHAT.token, '1764763200', '1320562132'])}`,
        ),
      },
      settings,
    );
    expect(doubled.ok).toBe(false);
    // An empty Token would let anyone sign.
    expect(deliver(xml, { token: '' }, { ...settings, token: '' })).toMatchObject({ ok: false });
  });
});

describe('WeChat safe mode', () => {
  /** The official WXBizMsgCrypt sample (Python/PHP/Go samples alike). */
  const SAMPLE = {
    token: 'spamtest',
    encodingAESKey: 'abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG',
    appId: 'wx2c2769f8efd9abc2',
    timestamp: '1409735669',
    nonce: '1320562132',
    msgSignature: '5d197aaffba7e9b25a30732f161a50dee96bd5fa',
    signature: '16120ec1b8dbb870f510d87ce6bc2463eae6ca1a',
    encrypt:
      'hyzAe4OzmOMbd6TvGdIOO6uBmdJoD0Fk53REIHvxYtJlE2B655HuD0m8KUePWB3+LrPXo87wzQ1QLvbeUgmBM4x6F8PGHQHFVAFmOD2LdJF9FrXpbUAh0B5GIItb52sn896wVsMSHGuPE328HnRGBcrS7C41IzDWyWNlZkyyXwon8T332jisa+h6tEDYsVticbSnyU8dKOIbgU6ux5VTjg3yt+WGzjlpKn6NPhRjpA912xMezR4kw6KWwMrCVKSVCZciVGCgavjIQ6X8tCOp3yZbGpy0VxpAe+77TszTfRd5RJSVO/HTnifJpXgCSUdUue1v6h0EIBYYI1BD1DlD+C0CR8e6OewpusjZ4uBl9FyJvnhvQl+q5rv1ixrcpCumEPo5MJSgM9ehVsNPfUM669WuMyVWQLCzpu9GhglF2PE=',
  };

  it('verifies and decrypts the official WXBizMsgCrypt sample', () => {
    const sampleSettings = {
      token: SAMPLE.token,
      encodingAESKey: SAMPLE.encodingAESKey,
      appId: SAMPLE.appId,
    };
    const delivery = {
      headers: {},
      raw: Buffer.from(
        `<xml><ToUserName><![CDATA[gh_10f6c3c3ac5a]]></ToUserName><Encrypt><![CDATA[${SAMPLE.encrypt}]]></Encrypt></xml>`,
      ),
      url: urlOf(
        `?signature=${SAMPLE.signature}&timestamp=${SAMPLE.timestamp}&nonce=${SAMPLE.nonce}&encrypt_type=aes&msg_signature=${SAMPLE.msgSignature}`,
      ),
    };
    expect(wechatConnector.verify(delivery, sampleSettings)).toEqual({ ok: true });
    expect(decryptMessage(SAMPLE.encrypt, SAMPLE.encodingAESKey, SAMPLE.appId)).toBe(
      '<xml><ToUserName><![CDATA[gh_10f6c3c3ac5a]]></ToUserName>\n<FromUserName><![CDATA[oyORnuP8q7ou2gfYjqLzSIWZf0rs]]></FromUserName>\n<CreateTime>1409735668</CreateTime>\n<MsgType><![CDATA[text]]></MsgType>\n<Content><![CDATA[abcdteT]]></Content>\n<MsgId>6054768590064713728</MsgId>\n</xml>',
    );
    const parsed = wechatConnector.parse(
      wechatConnector.decode?.(delivery, sampleSettings),
      sampleSettings,
    );
    expect(parsed).toEqual({
      events: [
        {
          channel: 'wechat',
          channelAccountId: 'gh_10f6c3c3ac5a',
          kind: 'message',
          externalId: '6054768590064713728',
          customer: { externalId: 'oyORnuP8q7ou2gfYjqLzSIWZf0rs', name: null, phone: null },
          sentAt: 1_409_735_668_000,
          content: { type: 'text', body: 'abcdteT' },
        },
      ],
      problems: [],
      lost: [],
    });
  });

  it('round-trips with WXBizMsgCrypt’s layout both ways (32-byte padding, AppId at the end)', () => {
    const message = textPush(OPENID, T, '6054768590064713729', '你好, where is order #1042? 📦');
    const fromSample = wxEncrypt(message);
    expect(decryptMessage(fromSample, WECHAT.encodingAESKey, WECHAT.appId)).toBe(message);
    const ours = encryptMessage(message, WECHAT.encodingAESKey, WECHAT.appId);
    expect(Buffer.from(ours, 'base64').length % 32).toBe(0);
    expect(wxDecrypt(ours)).toEqual({ message, appId: WECHAT.appId });
    // Exactly a multiple of 32 gets a whole block of padding (32 × 0x20), as PKCS#7 wants.
    const filler = 'x'.repeat(96 - 20 - WECHAT.appId.length);
    expect(
      Buffer.from(encryptMessage(filler, WECHAT.encodingAESKey, WECHAT.appId), 'base64').length,
    ).toBe(128);
    expect(decryptMessage(wxEncrypt(filler), WECHAT.encodingAESKey, WECHAT.appId)).toBe(filler);
  });

  it('maps a push the same in plaintext, safe and compatible mode', () => {
    const xml = textPush(OPENID, T, '6054768590064713730', 'Same in every mode');
    const results = MODES.map((mode) => deliver(xml, { mode }));
    const expected = {
      events: [
        {
          ...BASE,
          kind: 'message',
          externalId: '6054768590064713730',
          customer: CUSTOMER,
          sentAt: T * 1000,
          content: { type: 'text', body: 'Same in every mode' },
        },
      ],
      problems: [],
      lost: [],
    };
    expect(results).toEqual([expected, expected, expected]);
  });

  it('takes the encrypted message over compatible mode’s plaintext copy', () => {
    const inner = textPush(OPENID, T, '6054768590064713731', 'the real words');
    const push = signedPush(inner, { mode: 'compatible' });
    const forgedCopy = push.body.replace('the real words', 'words changed in transit');
    const delivery = { headers: {}, raw: Buffer.from(forgedCopy), url: urlOf(push.query) };
    expect(wechatConnector.verify(delivery, settings)).toEqual({ ok: true });
    const parsed = wechatConnector.parse(wechatConnector.decode?.(delivery, settings), settings);
    expect(parsed.events.map((e) => (e.kind === 'message' ? e.content : null))).toEqual([
      { type: 'text', body: 'the real words' },
    ]);
  });

  it('refuses a message encrypted for another AppID, and a tampered ciphertext', () => {
    const xml = textPush(OPENID, T, '6054768590064713732', 'hi');
    const decodeOf = (options: Parameters<typeof signedPush>[1]) => {
      const push = signedPush(xml, { mode: 'safe', ...options });
      const delivery = { headers: {}, raw: Buffer.from(push.body), url: urlOf(push.query) };
      const verdict = wechatConnector.verify(delivery, settings);
      if (!verdict.ok) return verdict;
      try {
        return wechatConnector.decode?.(delivery, settings);
      } catch (error) {
        return error instanceof WebhookPayloadError ? error.message : error;
      }
    };
    expect(decodeOf({ appId: 'wx0000000000000000' })).toBe(
      'Not a WeChat message: The decrypted message is for another AppID (or the EncodingAESKey is wrong).',
    );
    // Changed after signing: msg_signature no longer matches, 401 before anything is decrypted.
    const encrypted = wxEncrypt(xml);
    const bytes = Buffer.from(encrypted, 'base64');
    bytes[bytes.length - 1] = (bytes.at(-1) ?? 0) ^ 0x01;
    const tampered = bytes.toString('base64');
    const push = signedPush(xml, { mode: 'safe', encrypted });
    const altered = push.body.replace(encrypted, tampered);
    expect(
      wechatConnector.verify(
        { headers: {}, raw: Buffer.from(altered), url: urlOf(push.query) },
        settings,
      ),
    ).toEqual({
      ok: false,
      reason: 'An encrypted push with a wrong msg_signature was refused (forged or altered).',
      message: 'The msg_signature does not match.',
    });
    // Signed over the tampered bytes (by someone holding the Token): the padding gives it away.
    expect(decodeOf({ encrypted: tampered })).toBe(
      'Not a WeChat message: The decrypted message has no valid padding.',
    );
    // The middle of the last block changed: padding survives, the AppId does not.
    const middle = Buffer.from(encrypted, 'base64');
    middle[middle.length - 20] = (middle.at(-20) ?? 0) ^ 0x01;
    expect(decodeOf({ encrypted: middle.toString('base64') })).toMatch(
      /^Not a WeChat message: The decrypted message (is for another AppID|has no valid padding)/,
    );
    expect(decodeOf({ encrypted: 'bm90IGJsb2Nrcw==' })).toBe(
      'Not a WeChat message: Encrypt is not a whole number of 32-byte blocks.',
    );
  });

  it('refuses an encrypted push the hub has no key for, or without msg_signature', () => {
    const xml = textPush(OPENID, T, '6054768590064713733', 'hi');
    const { encodingAESKey: _key, ...noKey } = settings;
    expect(deliver(xml, { mode: 'safe' }, noKey)).toEqual({
      ok: false,
      reason:
        'An encrypted push (safe or compatible mode) arrived, but no EncodingAESKey is set: save it on the Channels page.',
      message: 'The hub cannot decrypt this push.',
    });
    const push = signedPush(xml, { mode: 'safe' });
    const query = push.query.replace(/&msg_signature=[0-9a-f]+/, '');
    expect(
      wechatConnector.verify(
        { headers: {}, raw: Buffer.from(push.body), url: urlOf(query) },
        settings,
      ),
    ).toMatchObject({ ok: false, message: 'msg_signature and Encrypt are required in safe mode.' });
  });
});

describe('WeChat XML, read safely', () => {
  const decodeText = (body: string) => {
    const push = signedPush(body);
    const delivery = { headers: {}, raw: Buffer.from(push.body), url: urlOf(push.query) };
    expect(wechatConnector.verify(delivery, settings)).toEqual({ ok: true });
    try {
      return wechatConnector.decode?.(delivery, settings);
    } catch (error) {
      return error instanceof WebhookPayloadError ? `400: ${error.message}` : error;
    }
  };

  it('refuses a DOCTYPE or ENTITY declaration (no entity expansion at all)', () => {
    const laughs =
      '<?xml version="1.0"?><!DOCTYPE xml [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;">]>' +
      `<xml><ToUserName>gh</ToUserName><FromUserName>o</FromUserName><CreateTime>1</CreateTime><MsgType>text</MsgType><Content>&lol2;</Content><MsgId>1</MsgId></xml>`;
    expect(decodeText(laughs)).toBe(
      '400: Not a WeChat message: The body declares a DOCTYPE or ENTITY; WeChat never does.',
    );
    const external =
      '<!doctype xml SYSTEM "file:///etc/passwd"><xml><Content>&xxe;</Content></xml>';
    expect(decodeText(external)).toBe(
      '400: Not a WeChat message: The body declares a DOCTYPE or ENTITY; WeChat never does.',
    );
  });

  it('refuses malformed XML, another root, and JSON', () => {
    expect(decodeText('<xml><Content>hi</xml>')).toMatch(
      /^400: Not a WeChat message: The body is not well-formed XML/,
    );
    expect(decodeText('<message><Content>hi</Content></message>')).toBe(
      '400: Not a WeChat message: The body is not a WeChat <xml> message.',
    );
    expect(decodeText('{"object":"page","entry":[]}')).toMatch(/^400: Not a WeChat message: /);
    expect(decodeText('<xml><__proto__>1</__proto__></xml>')).toMatch(
      /^400: Not a WeChat message: The body could not be read as XML/,
    );
  });

  it('keeps CDATA verbatim, decodes plain text’s predefined entities, and values as strings', () => {
    const body =
      '<xml><ToUserName><![CDATA[gh_7f083739789a]]></ToUserName><FromUserName>o&amp;1</FromUserName>' +
      '<CreateTime>1764763200</CreateTime><MsgType>text</MsgType>' +
      '<Content><![CDATA[  <b>bold</b> &amp; stays  ]]></Content><MsgId>18446744073709551615</MsgId>' +
      '<Extra>&#x4E2D;&#25991; &lt;&gt; &unknown;</Extra></xml>';
    expect(decodeText(body)).toEqual({
      ToUserName: 'gh_7f083739789a',
      FromUserName: 'o&1',
      CreateTime: '1764763200',
      MsgType: 'text',
      Content: '  <b>bold</b> &amp; stays  ',
      MsgId: '18446744073709551615',
      Extra: '中文 <> &unknown;',
    });
  });

  it('refuses a body that is XML but not a WeChat push (400), and keeps what it cannot read', () => {
    expect(() => wechatConnector.parse({ ToUserName: 'gh', MsgType: 'text' }, settings)).toThrow(
      WebhookPayloadError,
    );
    // A text message without MsgId: kept as a dead letter, not stored.
    expect(deliver(pushXml({ ...envelope(OPENID, T, 'text'), Content: 'no id' }))).toEqual({
      events: [],
      problems: [],
      lost: ['xml (text): MsgId: Invalid input: expected string, received undefined'],
    });
  });
});

describe('WeChat messages and events', () => {
  const message = (msgId: string, content: unknown, extra: Record<string, unknown> = {}) => ({
    events: [
      {
        ...BASE,
        kind: 'message',
        externalId: msgId,
        customer: CUSTOMER,
        sentAt: T * 1000,
        content,
        ...extra,
      },
    ],
    problems: [],
    lost: [],
  });

  it('maps text with its 64-bit MsgId exact; a retried push is the same event', () => {
    const xml = textPush(OPENID, T, '18446744073709551615', 'Where is my order?');
    const first = deliver(xml, { mode: 'safe' });
    expect(first).toEqual(
      message('18446744073709551615', { type: 'text', body: 'Where is my order?' }),
    );
    expect(deliver(xml, { mode: 'safe', nonce: '99' })).toEqual(first);
  });

  it('maps image, voice (with its recognition), video, shortvideo, location and link', () => {
    const at = envelope;
    expect(
      deliver(
        pushXml({
          ...at(OPENID, T, 'image'),
          PicUrl: 'http://mmbiz.qpic.cn/mmbiz_jpg/abc/0',
          MsgId: bare('24000000000000001'),
          MediaId: 'media_image_1',
        }),
      ),
    ).toEqual(
      message('24000000000000001', {
        type: 'image',
        media: { mediaId: 'media_image_1', url: 'http://mmbiz.qpic.cn/mmbiz_jpg/abc/0' },
      }),
    );
    expect(
      deliver(
        pushXml({
          ...at(OPENID, T, 'voice'),
          MediaId: 'media_voice_1',
          Format: 'amr',
          Recognition: '我的包裹在哪里',
          MsgId: bare('24000000000000002'),
        }),
      ),
    ).toEqual(
      message('24000000000000002', {
        type: 'audio',
        media: {
          mediaId: 'media_voice_1',
          voice: true,
          mimeType: 'audio/amr',
          caption: '我的包裹在哪里',
        },
      }),
    );
    expect(
      deliver(
        pushXml({
          ...at(OPENID, T, 'voice'),
          MediaId: 'media_voice_2',
          Format: 'speex',
          Recognition: '',
          MsgId: bare('24000000000000003'),
        }),
      ),
    ).toEqual(
      message('24000000000000003', {
        type: 'audio',
        media: { mediaId: 'media_voice_2', voice: true, mimeType: 'audio/speex' },
      }),
    );
    for (const [type, id] of [
      ['video', '24000000000000004'],
      ['shortvideo', '24000000000000005'],
    ] as const) {
      expect(
        deliver(
          pushXml({
            ...at(OPENID, T, type),
            MediaId: `media_${type}`,
            ThumbMediaId: 'thumb_1',
            MsgId: bare(id),
          }),
        ),
      ).toEqual(
        message(id, { type: 'video', media: { mediaId: `media_${type}`, mimeType: 'video/mp4' } }),
      );
    }
    expect(
      deliver(
        pushXml({
          ...at(OPENID, T, 'location'),
          Location_X: bare('23.134521'),
          Location_Y: bare('113.358803'),
          Scale: bare('20'),
          Label: '广州市天河区体育西路',
          MsgId: bare('24000000000000006'),
        }),
      ),
    ).toEqual(
      message('24000000000000006', {
        type: 'location',
        latitude: 23.134521,
        longitude: 113.358803,
        address: '广州市天河区体育西路',
      }),
    );
    expect(
      deliver(
        pushXml({
          ...at(OPENID, T, 'link'),
          Title: 'Return policy',
          Description: 'How to send an item back',
          Url: 'https://shop.example/returns',
          MsgId: bare('24000000000000007'),
        }),
      ),
    ).toEqual(
      message('24000000000000007', {
        type: 'text',
        body: 'Return policy\nHow to send an item back\nhttps://shop.example/returns',
      }),
    );
    expect(
      deliver(
        pushXml({
          ...at(OPENID, T, 'miniprogrampage'),
          Title: 'x',
          MsgId: bare('24000000000000008'),
        }),
      ),
    ).toEqual(
      message('24000000000000008', { type: 'unsupported', originalType: 'miniprogrampage' }),
    );
    // A location outside the globe is lost, not stored as nonsense.
    expect(
      deliver(
        pushXml({
          ...at(OPENID, T, 'location'),
          Location_X: bare('123.1'),
          Location_Y: bare('1'),
          MsgId: bare('24000000000000009'),
        }),
      ),
    ).toMatchObject({
      events: [],
      lost: ['xml (location): Location_X: Too big: expected number to be <=90'],
    });
  });

  it('maps follow, QR-code follow, SCAN and CLICK to their entry points, and unsubscribe to a block', () => {
    const id = (event: string) => `${OPENID}:${T}:${event}`;
    const interaction = (event: string, content: unknown, entryPoint?: string) => ({
      ...BASE,
      kind: 'message',
      externalId: id(event),
      customer: CUSTOMER,
      sentAt: T * 1000,
      content,
      ...(entryPoint ? { entryPoint } : {}),
    });
    const unblock = (event: string) => ({
      ...BASE,
      kind: 'block',
      externalId: id(event),
      customer: CUSTOMER,
      blocked: false,
      at: T * 1000,
    });
    expect(deliver(eventPush(OPENID, T, 'subscribe', { EventKey: '' }))).toEqual({
      events: [
        interaction('subscribe', { type: 'referral', source: 'follow' }, 'follow'),
        unblock('subscribe'),
      ],
      problems: [],
      lost: [],
    });
    expect(
      deliver(
        eventPush(OPENID, T, 'subscribe', { EventKey: 'qrscene_spring-sale', Ticket: 'TICKET1' }),
      ),
    ).toEqual({
      events: [
        interaction(
          'subscribe',
          { type: 'referral', source: 'QR code', ref: 'spring-sale' },
          'qr_scan',
        ),
        unblock('subscribe'),
      ],
      problems: [],
      lost: [],
    });
    expect(deliver(eventPush(OPENID, T, 'SCAN', { EventKey: '123', Ticket: 'TICKET2' }))).toEqual({
      events: [interaction('SCAN', { type: 'referral', source: 'QR code', ref: '123' }, 'qr_scan')],
      problems: [],
      lost: [],
    });
    expect(
      deliver(eventPush(OPENID, T, 'CLICK', { EventKey: 'ORDER_STATUS' }), { mode: 'safe' }),
    ).toEqual({
      events: [
        interaction(
          'CLICK',
          { type: 'referral', source: 'menu', ref: 'ORDER_STATUS' },
          'menu_click',
        ),
      ],
      problems: [],
      lost: [],
    });
    expect(
      deliver(
        eventPush(OPENID, T, 'scancode_waitmsg', {
          EventKey: 'SCAN_PARCEL',
          ScanCodeInfo: { ScanType: 'qrcode', ScanResult: 'PARCEL-778' },
        }),
      ),
    ).toEqual({
      events: [
        interaction(
          'scancode_waitmsg',
          { type: 'referral', source: 'menu', ref: 'SCAN_PARCEL: PARCEL-778' },
          'menu_click',
        ),
      ],
      problems: [],
      lost: [],
    });
    expect(deliver(eventPush(OPENID, T, 'unsubscribe', { EventKey: '' }))).toEqual({
      events: [
        {
          ...BASE,
          kind: 'block',
          externalId: id('unsubscribe'),
          customer: CUSTOMER,
          blocked: true,
          at: T * 1000,
        },
      ],
      problems: [],
      lost: [],
    });
  });

  it('maps VIEW and LOCATION without an entry point, and stores nothing for other events', () => {
    const id = (event: string) => `${OPENID}:${T}:${event}`;
    expect(
      deliver(eventPush(OPENID, T, 'VIEW', { EventKey: 'https://shop.example/orders' })),
    ).toEqual({
      events: [
        {
          ...BASE,
          kind: 'message',
          externalId: id('VIEW'),
          customer: CUSTOMER,
          sentAt: T * 1000,
          content: { type: 'referral', source: 'menu', ref: 'https://shop.example/orders' },
        },
      ],
      problems: [],
      lost: [],
    });
    expect(
      deliver(
        eventPush(OPENID, T, 'LOCATION', {
          Latitude: bare('23.137466'),
          Longitude: bare('113.352425'),
          Precision: bare('119.385040'),
        }),
      ),
    ).toEqual({
      events: [
        {
          ...BASE,
          kind: 'message',
          externalId: id('LOCATION'),
          customer: CUSTOMER,
          sentAt: T * 1000,
          content: {
            type: 'referral',
            source: 'location',
            ref: '23.137466,113.352425 (±119.385040 m)',
          },
        },
      ],
      problems: [],
      lost: [],
    });
    expect(deliver(eventPush(OPENID, T, 'TEMPLATESENDJOBFINISH', { Status: 'success' }))).toEqual({
      events: [],
      problems: [
        'xml (event): "TEMPLATESENDJOBFINISH" is not one Replydesk reads; nothing stored.',
      ],
      lost: [],
    });
  });

  it('answers WeChat `success` as text/plain', async () => {
    const parsed = { events: [], problems: [], lost: [] };
    expect(await wechatConnector.answer?.({}, parsed, settings, { now: () => 0 })).toEqual({
      status: 200,
      contentType: 'text/plain; charset=utf-8',
      body: 'success',
    });
  });
});

describe('WeChat customer-service messages', () => {
  const sender = () => wechatConnector.createSender({ settings: () => settings, timeoutMs: 500 });
  const request = (
    content: OutboundRequest['content'],
    to = OPENID,
    messageId = 'msg_1',
  ): OutboundRequest => ({
    messageId,
    channel: 'wechat',
    channelAccountId: WECHAT.account,
    to,
    content,
  });
  const lastSend = () =>
    fake.requests.filter((r) => r.path === '/cgi-bin/message/custom/send').at(-1);

  it('fetches the access token once, caches it, and sends text named by our id', async () => {
    const calls = fake.tokenCalls();
    const first = await sender().send(request({ type: 'text', body: 'Your parcel ships today.' }));
    const second = await sender().send(
      request({ type: 'text', body: 'Tracking: 1Z999' }, OPENID, 'msg_2'),
    );
    expect([first, second, fake.tokenCalls() - calls]).toEqual([
      { ok: true, externalId: 'cs:msg_1' },
      { ok: true, externalId: 'cs:msg_2' },
      calls === 0 ? 1 : 0,
    ]);
    const token = fake.requests.find((r) => r.path === '/cgi-bin/token');
    expect(token?.query).toEqual({
      grant_type: 'client_credential',
      appid: WECHAT.appId,
      secret: WECHAT.appSecret,
    });
    expect([lastSend()?.query['access_token'], lastSend()?.body]).toEqual([
      fake.sent.at(-1)?.token,
      { touser: OPENID, msgtype: 'text', text: { content: 'Tracking: 1Z999' } },
    ]);
  });

  it('uploads a picture, voice and video as temporary media and sends each by media_id', async () => {
    const media = wechatConnector.createMedia?.({ settings: () => settings });
    if (!media) throw new Error('no media part');
    const signal = AbortSignal.timeout(2000);
    const jpeg = Buffer.from('ffd8ffe000104a464946000101ffd9', 'hex');
    const image = await media.upload(
      { bytes: jpeg, mimeType: 'image/jpeg', filename: 'box.jpg' },
      WECHAT.account,
      signal,
    );
    const voice = await media.upload(
      { bytes: Buffer.from('#!AMR\n....'), mimeType: 'audio/amr', filename: 'note.amr' },
      WECHAT.account,
      signal,
    );
    const video = await media.upload(
      { bytes: Buffer.alloc(64, 7), mimeType: 'video/mp4', filename: 'unboxing.mp4' },
      WECHAT.account,
      signal,
    );
    expect([image, voice, video]).toEqual([
      { channelMediaId: fake.uploads.at(-3)?.mediaId },
      { channelMediaId: fake.uploads.at(-2)?.mediaId },
      { channelMediaId: fake.uploads.at(-1)?.mediaId },
    ]);
    expect(
      fake.uploads.slice(-3).map((u) => [u.type, u.filename, u.contentType, u.bytes.length]),
    ).toEqual([
      ['image', 'box.jpg', 'image/jpeg', jpeg.length],
      ['voice', 'note.amr', 'audio/amr', 10],
      ['video', 'unboxing.mp4', 'video/mp4', 64],
    ]);
    const s = sender();
    expect(
      await s.send(request({ type: 'image', media: { mediaId: image.channelMediaId } })),
    ).toEqual({
      ok: true,
      externalId: 'cs:msg_1',
    });
    expect(lastSend()?.body).toEqual({
      touser: OPENID,
      msgtype: 'image',
      image: { media_id: image.channelMediaId },
    });
    await s.send(request({ type: 'audio', media: { mediaId: voice.channelMediaId, voice: true } }));
    expect(lastSend()?.body).toEqual({
      touser: OPENID,
      msgtype: 'voice',
      voice: { media_id: voice.channelMediaId },
    });
    await s.send(
      request({ type: 'video', media: { mediaId: video.channelMediaId, caption: 'Unboxing' } }),
    );
    expect(lastSend()?.body).toEqual({
      touser: OPENID,
      msgtype: 'video',
      video: { media_id: video.channelMediaId, description: 'Unboxing' },
    });
  });

  it('refuses files WeChat does not take before uploading, and what it cannot send', async () => {
    const media = wechatConnector.createMedia?.({ settings: () => settings });
    if (!media) throw new Error('no media part');
    const before = fake.uploads.length;
    const signal = AbortSignal.timeout(2000);
    await expect(
      media.upload(
        { bytes: Buffer.alloc(10), mimeType: 'application/pdf', filename: 'a.pdf' },
        WECHAT.account,
        signal,
      ),
    ).rejects.toMatchObject({
      retryable: false,
      code: 'unsupported_type',
      message:
        'WeChat sends pictures (JPEG, PNG, GIF), voice (AMR, MP3) and videos (MP4) only; this file is application/pdf.',
    });
    await expect(
      media.upload(
        { bytes: Buffer.alloc(2 * 1024 * 1024 + 1), mimeType: 'audio/mpeg', filename: 'a.mp3' },
        WECHAT.account,
        signal,
      ),
    ).rejects.toMatchObject({
      code: 'too_large',
      message: 'WeChat takes voice messages up to 2 MB; this one is 2.0 MB.',
    });
    expect(fake.uploads.length).toBe(before);
    expect(
      await sender().send(
        request({ type: 'document', media: { mediaId: 'x', filename: 'a.pdf' } }),
      ),
    ).toEqual({
      ok: false,
      retryable: false,
      code: 'unsupported_outbound',
      reason:
        'Replydesk cannot send document messages on WeChat; only text, pictures, voice and video.',
    });
  });

  it('maps WeChat’s errcodes to clear reasons (45015, 45047, 43019 blocked, …, -1 retried)', async () => {
    const cases: [number, string, Record<string, unknown>][] = [
      [
        45015,
        'response out of time limit or subscription is canceled',
        {
          retryable: false,
          code: 'wechat_45015',
          reason:
            'WeChat refused it: out of the 48-hour window or the customer unfollowed (errcode 45015). You can write again when the customer writes.',
        },
      ],
      [
        45047,
        'out of response count limit',
        {
          retryable: false,
          code: 'wechat_45047',
          reason:
            'WeChat refused it: 5 messages already sent since the customer last wrote (errcode 45047). Wait for the customer to write again.',
        },
      ],
      [
        43019,
        'require remove blacklist',
        {
          retryable: false,
          code: 'blocked',
          reason:
            'The customer is on the Official Account’s blacklist (errcode 43019): remove them from it on the Official Accounts Platform to write to them.',
        },
      ],
      [
        40003,
        'invalid openid',
        {
          retryable: false,
          code: 'wechat_40003',
          reason:
            'WeChat does not know this customer’s OpenID for this Official Account (errcode 40003) (invalid openid).',
        },
      ],
      [
        48001,
        'api unauthorized',
        {
          retryable: false,
          code: 'wechat_48001',
          reason:
            'WeChat refused it: this Official Account may not send customer-service messages (errcode 48001, api unauthorized; it needs a verified service account).',
        },
      ],
      [
        45009,
        'reach max api daily quota limit',
        {
          retryable: false,
          code: 'wechat_45009',
          reason:
            'WeChat refused it: the Official Account’s daily API quota is used up (errcode 45009). Send it again tomorrow.',
        },
      ],
      [
        -1,
        'system error',
        {
          retryable: true,
          code: 'wechat_-1',
          reason: 'WeChat is busy (errcode -1) (system error); will retry.',
        },
      ],
      [
        44002,
        'empty post data',
        {
          retryable: false,
          code: 'wechat_44002',
          reason: 'WeChat refused it: empty post data (errcode 44002).',
        },
      ],
    ];
    const results = [];
    for (const [errcode, errmsg] of cases) {
      fake.failNext('send', { errcode, errmsg });
      results.push(await sender().send(request({ type: 'text', body: 'Hello' })));
    }
    expect(results).toEqual(cases.map(([, , expected]) => ({ ok: false, ...expected })));
    // A media_id WeChat no longer has (temporary media lasts 3 days).
    expect(
      await sender().send(request({ type: 'image', media: { mediaId: 'expired-media' } })),
    ).toEqual({
      ok: false,
      retryable: false,
      code: 'wechat_40007',
      reason:
        'WeChat no longer has the file (invalid media_id, errcode 40007): temporary files last 3 days. Attach it again.',
    });
    fake.failNext('send', { http: 502 });
    expect(await sender().send(request({ type: 'text', body: 'Hello' }))).toEqual({
      ok: false,
      retryable: true,
      code: 'http_502',
      reason: 'the WeChat API is temporarily unavailable (HTTP 502); will retry.',
    });
    fake.failNext('send', { hang: true });
    expect(await sender().send(request({ type: 'text', body: 'Hello' }))).toEqual({
      ok: false,
      retryable: false,
      uncertain: true,
      code: 'timeout',
      reason:
        'The WeChat API did not answer within 500 ms; waiting for WeChat to confirm whether it was sent.',
    });
  });

  it('refreshes an expired token once for concurrent sends, and sends each message once', async () => {
    await sender().send(request({ type: 'text', body: 'warm up' }));
    fake.expireTokens();
    const calls = fake.tokenCalls();
    const sentBefore = fake.sent.length;
    const release = fake.holdTokens();
    const s = sender();
    const sends = Array.from({ length: 6 }, (_, i) =>
      s.send(request({ type: 'text', body: `message ${i}` }, `oCUSTOMER_${i}`, `msg_c${i}`)),
    );
    // Every send has met 42001 and waits for the one refresh before it is let through.
    const waiting = await until(
      () => Promise.resolve([fake.tokenCalls() - calls, waitingOn42001()]),
      ([refreshes, refused]) => refreshes === 1 && refused === 6,
    );
    expect(waiting).toEqual([1, 6]);
    release();
    const results = await Promise.all(sends);
    expect(results).toEqual(
      Array.from({ length: 6 }, (_, i) => ({ ok: true, externalId: `cs:msg_c${i}` })),
    );
    expect(fake.tokenCalls() - calls).toBe(1);
    const delivered = fake.sent.slice(sentBefore);
    expect(delivered.map((m) => m.touser).sort()).toEqual(
      Array.from({ length: 6 }, (_, i) => `oCUSTOMER_${i}`),
    );
    expect(new Set(delivered.map((m) => m.token)).size).toBe(1);

    function waitingOn42001(): number {
      return fake.requests.filter(
        (r) =>
          r.path === '/cgi-bin/message/custom/send' &&
          r.response?.text.includes('"errcode":42001') &&
          typeof r.body === 'object' &&
          r.body !== null &&
          String((r.body as { touser?: unknown }).touser).startsWith('oCUSTOMER_'),
      ).length;
    }
  });

  it('says why when WeChat gives no token, without the AppSecret', async () => {
    const wrong = { ...settings, appSecret: '0123456789abcdef0123456789abcdef' };
    const result = await wechatConnector
      .createSender({ settings: () => wrong, timeoutMs: 500 })
      .send(request({ type: 'text', body: 'Hello' }));
    expect(result).toEqual({
      ok: false,
      retryable: false,
      code: 'wechat_40125',
      reason:
        'WeChat refused the AppSecret (invalid appsecret): check it on the Channels page (a reset AppSecret ends the old one).',
    });
    fake.failNext('token', {
      errcode: 40164,
      errmsg: `invalid ip 203.0.113.7, not in whitelist, secret=${WECHAT.appSecret}`,
    });
    // Another API host is another token (the cache is per host, AppID and AppSecret).
    const other = { ...settings, apiBaseUrl: fake.url.replace('127.0.0.1', 'localhost') };
    const ip = await wechatConnector
      .createSender({ settings: () => other, timeoutMs: 500 })
      .send(request({ type: 'text', body: 'Hello' }));
    expect(ip).toEqual({
      ok: false,
      retryable: false,
      code: 'wechat_40164',
      reason:
        'WeChat refused the token request from this address (invalid ip 203.0.113.7, not in whitelist, secret=[redacted]): add the hub’s public IP to the IP whitelist on the Official Accounts Platform.',
    });
    const down = { ...settings, apiBaseUrl: 'http://127.0.0.1:1' };
    const unreachable = await wechatConnector
      .createSender({ settings: () => down, timeoutMs: 500 })
      .send(request({ type: 'text', body: 'Hello' }));
    expect(unreachable).toMatchObject({ ok: false, retryable: true, code: 'network_error' });
    expect(JSON.stringify(unreachable)).not.toContain(WECHAT.appSecret);
  });
});

describe('WeChat media downloads', () => {
  const media = () => {
    const part = wechatConnector.createMedia?.({ settings: () => settings });
    if (!part) throw new Error('no media part');
    return part;
  };
  const signal = () => AbortSignal.timeout(2000);

  it('downloads a picture and a voice message through media/get, and a video through its URL', async () => {
    const jpeg = Buffer.from('ffd8ffe000104a46494600010100000100010000ffd9', 'hex');
    fake.serveMedia('media_image_9', jpeg, 'image/jpeg', 'photo.jpg');
    expect(await media().download({ mediaId: 'media_image_9' }, WECHAT.account, signal())).toEqual({
      bytes: jpeg,
      mimeType: 'image/jpeg',
      filename: 'photo.jpg',
    });
    const amr = Buffer.from('#!AMR\n\u0004\u0000');
    fake.serveMedia('media_voice_9', amr, 'audio/amr', 'voice.amr');
    expect(
      await media().download(
        { mediaId: 'media_voice_9', mimeType: 'audio/amr', voice: true },
        WECHAT.account,
        signal(),
      ),
    ).toEqual({ bytes: amr, mimeType: 'audio/amr', filename: 'voice.amr' });
    const mp4 = Buffer.alloc(48, 3);
    fake.serveVideo('media_video_9', mp4);
    expect(
      await media().download(
        { mediaId: 'media_video_9', mimeType: 'video/mp4' },
        WECHAT.account,
        signal(),
      ),
    ).toEqual({
      bytes: mp4,
      mimeType: 'video/mp4',
    });
  });

  it('says a file is gone after 3 days, stops past maxBytes, and refreshes an expired token', async () => {
    await expect(media().download({ mediaId: 'gone' }, WECHAT.account, signal())).rejects.toEqual(
      new ChannelMediaError(
        'WeChat no longer has this file (invalid media_id, errcode 40007): it keeps temporary files 3 days.',
        false,
        'wechat_40007',
      ),
    );
    fake.serveMedia('media_big', Buffer.alloc(5000, 1), 'image/png', 'big.png');
    await expect(
      media().download({ mediaId: 'media_big' }, WECHAT.account, signal(), { maxBytes: 4096 }),
    ).rejects.toMatchObject({ retryable: false, code: 'too_large' });
    fake.expireTokens();
    const calls = fake.tokenCalls();
    const png = Buffer.from('89504e470d0a1a0a', 'hex');
    fake.serveMedia('media_png', png, 'image/png', 'p.png');
    expect(
      (await media().download({ mediaId: 'media_png' }, WECHAT.account, signal())).bytes,
    ).toEqual(png);
    expect(fake.tokenCalls() - calls).toBe(1);
    const urls = fake.requests
      .filter((r) => r.path === '/cgi-bin/media/get')
      .map((r) => r.query['media_id']);
    expect(urls.slice(-2)).toEqual(['media_png', 'media_png']);
  });
});

describe('WeChat connection test', () => {
  it('says the AppID and AppSecret give a token, and why not when WeChat refuses them', async () => {
    const test = wechatConnector.testConnection;
    if (!test) throw new Error('no testConnection');
    expect(await test(settings, {})).toEqual({
      ok: true,
      detail: `WeChat accepts AppID ${WECHAT.appId} and its AppSecret: an access token was issued.`,
    });
    const refused = await test({ ...settings, appSecret: 'not-the-app-secret-0000000000000' }, {});
    expect(refused.ok).toBe(false);
    expect(refused).toEqual({
      ok: false,
      reason: expect.stringMatching(/^WeChat refused the AppSecret/),
      message: expect.stringMatching(/^WeChat refused the AppSecret/),
    });
    expect(JSON.stringify(refused)).not.toContain('not-the-app-secret');
  });
});

describe('WeChat demo', () => {
  const event = {
    kind: 'message' as const,
    channel: 'wechat' as const,
    channelAccountId: 'demo-wechat',
    externalId: 'demo.7.1.42',
    customer: { externalId: 'oDEMO_customer_000000000001', name: 'Li Wei', phone: null },
    sentAt: T * 1000 + 250,
    content: { type: 'text' as const, body: '你好, is order #1042 shipped? ]]> <b>' },
  };

  it('delivers the demo’s message as a signed safe-mode push its own verify, decode and parse accept', () => {
    const delivery = wechatDemoDelivery(event);
    expect(delivery?.raw.toString('utf8')).toMatch(
      /^<xml><ToUserName><!\[CDATA\[demo-wechat\]\]><\/ToUserName><Encrypt>/,
    );
    expect(throughConnector([wechatConnector], event)).toEqual([
      { ...event, externalId: expect.stringMatching(/^\d{19,20}$/) as string, sentAt: T * 1000 },
    ]);
    // The same demo message is the same MsgId (deduplicated on a repeat).
    expect(throughConnector([wechatConnector], event)).toEqual(
      throughConnector([wechatConnector], event),
    );
  });

  it('maps every WeChat text message of a demo world through the connector', () => {
    const world = createDemoWorld({ seed: 7, now: Date.parse('2026-12-01T12:00:00Z') });
    const texts = world.backfill.filter(
      (e): e is InboundMessage =>
        e.kind === 'message' &&
        e.channel === 'wechat' &&
        e.content.type === 'text' &&
        !e.payment &&
        !e.entryPoint,
    );
    // Seed 7's WeChat texts (payments and entry points stay on the demo's path).
    expect(texts.length).toBe(302);
    for (const demo of texts) {
      const [mapped, ...rest] = throughConnector(CONNECTORS, demo);
      expect([mapped, rest]).toEqual([
        {
          ...demo,
          externalId: expect.stringMatching(/^\d{19,20}$/) as string,
          sentAt: Math.floor(demo.sentAt / 1000) * 1000,
        },
        [],
      ]);
    }
  });

  it('leaves payments, entry points and files on the demo’s own path', () => {
    expect(wechatDemoDelivery({ ...event, payment: true })).toBe(null);
    expect(wechatDemoDelivery({ ...event, entryPoint: 'menu_click' })).toBe(null);
    expect(
      wechatDemoDelivery({
        ...event,
        content: { type: 'image', media: { mediaId: 'demo-media.1' } },
      }),
    ).toBe(null);
  });
});
