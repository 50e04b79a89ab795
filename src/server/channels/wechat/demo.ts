import { createHash } from 'node:crypto';
import type { DemoDelivery } from '../connector';
import type { InboundMessage } from '../types';
import { encryptMessage } from './crypto';
import { wechatSignature } from './signature';

/** The demo Official Account's server configuration: its pushes are signed and encrypted. */
export const DEMO_WECHAT_SETTINGS = {
  appId: 'wx5d1e6f0a9b8c7d6e',
  token: 'replydeskdemo',
  encodingAESKey: 'abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG',
} as const;

const cdata = (text: string): string => `<![CDATA[${text.split(']]>').join(']]]]><![CDATA[>')}]]>`;

/**
 * A demo customer's text message as WeChat pushes it in safe mode (CHANNEL-API.md §7.2, §7.6):
 * the XML encrypted into `<Encrypt>`, the URL signed with `signature` and `msg_signature`, so the
 * demo goes through the connector's verification, decryption and mapping. The delivery's `url`
 * carries the signed query (WeChat signs the URL, not the body). `MsgId` is a 64-bit number: the
 * demo's id becomes one (the first 8 bytes of its SHA-256, so a repeated demo message is still
 * deduplicated). Payments and entry points are not in WeChat's message XML: those stay on the
 * demo's own path, as do files (their `media/get` would need WeChat).
 */
export function wechatDemoDelivery(event: InboundMessage): DemoDelivery | null {
  if (event.content.type !== 'text' || event.payment || event.entryPoint) return null;
  const digest = createHash('sha256').update(event.externalId).digest();
  const msgId = /^\d{1,20}$/.test(event.externalId)
    ? event.externalId
    : (digest.readBigUInt64BE(0) | (1n << 62n)).toString();
  const createTime = Math.floor(event.sentAt / 1000);
  const xml =
    `<xml><ToUserName>${cdata(event.channelAccountId)}</ToUserName>` +
    `<FromUserName>${cdata(event.customer.externalId)}</FromUserName>` +
    `<CreateTime>${createTime}</CreateTime><MsgType><![CDATA[text]]></MsgType>` +
    `<Content>${cdata(event.content.body)}</Content><MsgId>${msgId}</MsgId></xml>`;
  const { appId, token, encodingAESKey } = DEMO_WECHAT_SETTINGS;
  const encrypted = encryptMessage(xml, encodingAESKey, appId, digest.subarray(8, 24));
  const timestamp = String(createTime);
  const nonce = String(digest.readUInt32BE(24));
  const url = new URL('http://demo.invalid/webhooks/wechat');
  url.searchParams.set('signature', wechatSignature([token, timestamp, nonce]));
  url.searchParams.set('timestamp', timestamp);
  url.searchParams.set('nonce', nonce);
  url.searchParams.set('openid', event.customer.externalId);
  url.searchParams.set('encrypt_type', 'aes');
  url.searchParams.set('msg_signature', wechatSignature([token, timestamp, nonce, encrypted]));
  const raw = Buffer.from(
    `<xml><ToUserName>${cdata(event.channelAccountId)}</ToUserName><Encrypt>${cdata(encrypted)}</Encrypt></xml>`,
  );
  const delivery = {
    raw,
    headers: { 'content-type': 'text/xml' },
    settings: { ...DEMO_WECHAT_SETTINGS },
    url,
  };
  return delivery;
}
