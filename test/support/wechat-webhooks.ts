import { createCipheriv, createDecipheriv, createHash, randomBytes } from 'node:crypto';

/**
 * WeChat pushes shaped like the Official Account docs (CHANNEL-API.md §7.2): XML with strings in
 * CDATA and numbers bare, signed in the URL's query as WeChat signs them (`signature` over the
 * sorted Token, timestamp and nonce), and in safe or compatible mode encrypted the way the
 * official WXBizMsgCrypt samples do it (§7.6) — written out again here, not taken from the
 * connector, so the tests do not check the connector's crypto with itself.
 */

export const WECHAT = {
  appId: 'wx1f2e3d4c5b6a7980',
  appSecret: '5f4dcc3b5aa765d61d8327deb882cf99',
  token: 'replydeskToken42',
  encodingAESKey: 'jWmYm7qr5nMoAUwZRjGtBxmz3KA1tkAj3ykkR6q2B2C',
  /** The Official Account's original ID (`ToUserName`): its conversations are filed under it. */
  account: 'gh_7f083739789a',
};

/** Settings as a hub is given them (env-only ones included). */
export function wechatSettings(
  apiUrl: string,
  extra: Record<string, string> = {},
): Record<string, string> {
  return {
    appId: WECHAT.appId,
    appSecret: WECHAT.appSecret,
    token: WECHAT.token,
    encodingAESKey: WECHAT.encodingAESKey,
    apiBaseUrl: apiUrl,
    ...extra,
  };
}

/** Text written bare, not in CDATA (64-bit ids, which a JS number would round). */
export class Bare {
  constructor(readonly text: string) {}
}
export const bare = (text: string): Bare => new Bare(text);

export type XmlField = string | number | Bare | { readonly [name: string]: XmlField };

const cdata = (text: string): string => `<![CDATA[${text.split(']]>').join(']]]]><![CDATA[>')}]]>`;

function fieldXml(name: string, value: XmlField): string {
  if (typeof value === 'number') return `<${name}>${value}</${name}>`;
  if (value instanceof Bare) return `<${name}>${value.text}</${name}>`;
  if (typeof value === 'string') return `<${name}>${cdata(value)}</${name}>`;
  return `<${name}>${Object.entries(value)
    .map(([k, v]) => fieldXml(k, v))
    .join('')}</${name}>`;
}

/** `<xml>` with the fields in order, as WeChat writes them (one per line). */
export function pushXml(fields: Readonly<Record<string, XmlField>>): string {
  return `<xml>\n${Object.entries(fields)
    .map(([k, v]) => `  ${fieldXml(k, v)}`)
    .join('\n')}\n</xml>`;
}

/** The envelope every push has: to the Official Account, from the customer's OpenID. */
export const envelope = (from: string, createTime: number, msgType: string) => ({
  ToUserName: WECHAT.account,
  FromUserName: from,
  CreateTime: createTime,
  MsgType: msgType,
});

export const textPush = (from: string, at: number, msgId: string, content: string): string =>
  pushXml({ ...envelope(from, at, 'text'), Content: content, MsgId: bare(msgId) });

export const eventPush = (
  from: string,
  at: number,
  event: string,
  extra: Readonly<Record<string, XmlField>> = {},
): string => pushXml({ ...envelope(from, at, 'event'), Event: event, ...extra });

// --- Signing and encryption ------------------------------------------------------------------

export const sha1Signature = (parts: readonly string[]): string =>
  createHash('sha1')
    .update([...parts].sort().join(''))
    .digest('hex');

/** WXBizMsgCrypt's `encrypt`: random(16) + htonl(len) + msg + appid, PKCS#7 to 32, AES-256-CBC. */
export function wxEncrypt(
  message: string,
  encodingAESKey = WECHAT.encodingAESKey,
  appId = WECHAT.appId,
  random: Buffer = randomBytes(16),
): string {
  const key = Buffer.from(`${encodingAESKey}=`, 'base64');
  const msg = Buffer.from(message, 'utf8');
  const len = Buffer.alloc(4);
  len.writeUInt32BE(msg.length);
  const text = Buffer.concat([random, len, msg, Buffer.from(appId)]);
  const amount = 32 - (text.length % 32);
  const padded = Buffer.concat([text, Buffer.alloc(amount, amount)]);
  const cipher = createCipheriv('aes-256-cbc', key, key.subarray(0, 16)).setAutoPadding(false);
  return Buffer.concat([cipher.update(padded), cipher.final()]).toString('base64');
}

/** WXBizMsgCrypt's `decrypt`, for checking what the connector encrypts. */
export function wxDecrypt(
  encrypted: string,
  encodingAESKey = WECHAT.encodingAESKey,
): { message: string; appId: string } {
  const key = Buffer.from(`${encodingAESKey}=`, 'base64');
  const decipher = createDecipheriv('aes-256-cbc', key, key.subarray(0, 16)).setAutoPadding(false);
  const plain = Buffer.concat([
    decipher.update(Buffer.from(encrypted, 'base64')),
    decipher.final(),
  ]);
  const content = plain.subarray(16, plain.length - (plain.at(-1) ?? 0));
  const len = content.readUInt32BE(0);
  return {
    message: content.subarray(4, 4 + len).toString('utf8'),
    appId: content.subarray(4 + len).toString('utf8'),
  };
}

export type PushMode = 'plain' | 'safe' | 'compatible';

export interface SignedPush {
  /** `?signature=…&timestamp=…&nonce=…&openid=…` (and `encrypt_type`, `msg_signature`). */
  readonly query: string;
  readonly body: string;
}

/**
 * `xml` as WeChat POSTs it in `mode`: plaintext; safe (`<xml><ToUserName/><Encrypt/></xml>`);
 * compatible (the plaintext fields and `<Encrypt>`). `encrypted` replaces the ciphertext (a
 * tampered one, say), signed as given; `token`, `appId` and the key sign or encrypt as another
 * account would.
 */
export function signedPush(
  xml: string,
  options: {
    readonly mode?: PushMode;
    readonly token?: string;
    readonly timestamp?: string;
    readonly nonce?: string;
    readonly openid?: string;
    readonly appId?: string;
    readonly encodingAESKey?: string;
    readonly encrypted?: string;
  } = {},
): SignedPush {
  const mode = options.mode ?? 'plain';
  const token = options.token ?? WECHAT.token;
  const timestamp = options.timestamp ?? '1764763200';
  const nonce = options.nonce ?? '1320562132';
  const query = new URLSearchParams({
    signature: sha1Signature([token, timestamp, nonce]),
    timestamp,
    nonce,
    openid: options.openid ?? 'oUSER_OPENID',
  });
  if (mode === 'plain') return { query: `?${query.toString()}`, body: xml };
  const encrypted =
    options.encrypted ??
    wxEncrypt(xml, options.encodingAESKey ?? WECHAT.encodingAESKey, options.appId ?? WECHAT.appId);
  query.set('encrypt_type', 'aes');
  query.set('msg_signature', sha1Signature([token, timestamp, nonce, encrypted]));
  const body =
    mode === 'safe'
      ? `<xml>\n  <ToUserName>${cdata(WECHAT.account)}</ToUserName>\n  <Encrypt>${cdata(encrypted)}</Encrypt>\n</xml>`
      : xml.replace('\n</xml>', `\n  <Encrypt>${cdata(encrypted)}</Encrypt>\n</xml>`);
  return { query: `?${query.toString()}`, body };
}
