import { z } from 'zod';
import type { MessageContent } from '../../../shared/domain/model';
import type { EntryPoint } from '../../../shared/reply-window/types';
import {
  settingOf,
  WebhookPayloadError,
  type ChannelSettings,
  type ParsedDelivery,
  type Refusal,
  type WebhookDelivery,
} from '../connector';
import { checkedContent, unsupported } from '../content';
import type { InboundCustomer, InboundEvent, InboundMessage } from '../types';
import { decryptMessage, WechatCryptoError } from './crypto';
import { signatureMatches } from './signature';
import { parseWechatXml, WechatXmlError, type XmlFields } from './xml';

/**
 * WeChat pushes (CHANNEL-API.md §7.1–7.3, §7.6): one XML message or event per POST, to the URL
 * configured on the Official Accounts Platform, with `signature`, `timestamp` and `nonce` in the
 * query (safe mode adds `encrypt_type=aes` and `msg_signature`).
 *
 * - `handshake`: the GET URL check, answered with `echostr` verbatim when `signature` matches.
 * - `verify`: every POST's `signature` (and in safe mode `msg_signature`, which covers the body's
 *   `Encrypt`), constant-time; a refusal is 401 and nothing is stored.
 * - `decode`: safe and compatible mode decrypted (crypto.ts), the XML read safely (xml.ts).
 * - `parse`: zod on the fields, then messages (deduplicated on `MsgId`) and events (named by
 *   `FromUserName` + `CreateTime` + `Event`, WeChat's own dedupe key plus the event, so a retry is
 *   the same and two events in one second are not).
 * - `answer`: `success` at once; replies go through the customer-service API (sender.ts).
 */

// --- Verification ----------------------------------------------------------------------------

const refusal = (reason: string, message: string): Refusal => ({ ok: false, reason, message });

/** The signed query parameters, when each is present once and plausible. */
function signedQuery(url: URL): { timestamp: string; nonce: string; signature: string } | null {
  const one = (name: string): string | null => {
    const all = url.searchParams.getAll(name);
    const [value] = all;
    return all.length === 1 && value && value.length <= 128 ? value : null;
  };
  const timestamp = one('timestamp');
  const nonce = one('nonce');
  const signature = one('signature');
  if (timestamp === null || nonce === null || signature === null) return null;
  if (!/^\d{1,12}$/.test(timestamp)) return null;
  return { timestamp, nonce, signature };
}

/** The GET URL check: `echostr` when `signature` is the Token's over the query's timestamp and nonce. */
export function wechatHandshake(
  url: URL,
  settings: ChannelSettings,
): { ok: true; body: string } | Refusal {
  const query = signedQuery(url);
  const echostr = url.searchParams.get('echostr');
  if (!query || echostr === null || echostr === '' || echostr.length > 1000)
    return refusal(
      'A URL check without signature, timestamp, nonce and echostr was refused.',
      'signature, timestamp, nonce and echostr are required.',
    );
  const token = settingOf(settings, 'token');
  if (token === '' || !signatureMatches(query.signature, [token, query.timestamp, query.nonce]))
    return refusal(
      'A URL check with a wrong signature was refused (forged, or the Token on the Official Accounts Platform differs from the hub’s).',
      'The signature does not match.',
    );
  return { ok: true, body: echostr };
}

/** Safe mode's `Encrypt` from the outer body, or null. */
function encryptedOf(raw: Buffer): string | null {
  try {
    const encrypted = parseWechatXml(raw.toString('utf8'))['Encrypt'];
    return typeof encrypted === 'string' && encrypted !== '' ? encrypted : null;
  } catch {
    return null;
  }
}

const isSafeMode = (url: URL): boolean => url.searchParams.get('encrypt_type') === 'aes';

export function wechatVerify(
  delivery: WebhookDelivery,
  settings: ChannelSettings,
): { ok: true } | Refusal {
  const { url } = delivery;
  const query = signedQuery(url);
  if (!query)
    return refusal(
      'A push without signature, timestamp and nonce was refused.',
      'signature, timestamp and nonce are required.',
    );
  const token = settingOf(settings, 'token');
  if (token === '' || !signatureMatches(query.signature, [token, query.timestamp, query.nonce]))
    return refusal(
      'A push with a wrong signature was refused (forged, or signed with another Token).',
      'The signature does not match.',
    );
  const mode = url.searchParams.get('encrypt_type');
  if (mode !== null && mode !== 'aes' && mode !== 'raw')
    return refusal(
      `A push with encrypt_type "${mode.slice(0, 20)}" was refused.`,
      'Unknown encrypt_type.',
    );
  if (mode !== 'aes') return { ok: true };
  if (settingOf(settings, 'encodingAESKey') === '')
    return refusal(
      'An encrypted push (safe or compatible mode) arrived, but no EncodingAESKey is set: save it on the Channels page.',
      'The hub cannot decrypt this push.',
    );
  const encrypted = encryptedOf(delivery.raw);
  const msgSignature = url.searchParams.getAll('msg_signature');
  if (encrypted === null || msgSignature.length !== 1)
    return refusal(
      'An encrypted push without msg_signature or Encrypt was refused.',
      'msg_signature and Encrypt are required in safe mode.',
    );
  if (!signatureMatches(msgSignature[0] ?? null, [token, query.timestamp, query.nonce, encrypted]))
    return refusal(
      'An encrypted push with a wrong msg_signature was refused (forged or altered).',
      'The msg_signature does not match.',
    );
  return { ok: true };
}

// --- Decoding --------------------------------------------------------------------------------

/**
 * A verified push's fields: decrypted first in safe or compatible mode (the inner message wins
 * over compatible mode's plaintext copy).
 * @throws WebhookPayloadError for a body that is not a WeChat message, or does not decrypt.
 */
export function decodeWechatPush(delivery: WebhookDelivery, settings: ChannelSettings): XmlFields {
  try {
    const outer = parseWechatXml(delivery.raw.toString('utf8'));
    if (!isSafeMode(delivery.url)) return outer;
    const encrypted = outer['Encrypt'];
    if (typeof encrypted !== 'string')
      throw new WebhookPayloadError('An encrypted push without <Encrypt>.', 'xml.Encrypt');
    const inner = decryptMessage(
      encrypted,
      settingOf(settings, 'encodingAESKey'),
      settingOf(settings, 'appId'),
    );
    return parseWechatXml(inner);
  } catch (error) {
    if (error instanceof WechatCryptoError)
      throw new WebhookPayloadError(`Not a WeChat message: ${error.message}`, 'xml.Encrypt');
    if (error instanceof WechatXmlError)
      throw new WebhookPayloadError(`Not a WeChat message: ${error.message}`, 'xml');
    throw error;
  }
}

/** WeChat waits 5 s for the answer; `success` tells it not to retry and to show nothing (§7.3). */
export const SUCCESS_ANSWER = {
  status: 200,
  contentType: 'text/plain; charset=utf-8',
  body: 'success',
} as const;

// --- Schemas ---------------------------------------------------------------------------------

const text = (max: number) => z.string().max(max);
const id = z.string().min(1).max(200);
const seconds = z.string().regex(/^\d{1,12}$/, 'seconds since 1970, as digits');
const msgId = z.string().regex(/^\d{1,20}$/, 'a 64-bit MsgId, as digits');
const degrees = (limit: number) =>
  z
    .string()
    .regex(/^-?\d{1,3}(\.\d{1,12})?$/, 'decimal degrees')
    .transform(Number)
    .pipe(z.number().min(-limit).max(limit));

const envelopeSchema = z
  .object({
    ToUserName: id,
    FromUserName: id,
    CreateTime: seconds,
    MsgType: z.string().min(1).max(50),
  })
  .passthrough();

const messageSchemas = {
  text: z.object({ MsgId: msgId, Content: text(65_536) }).passthrough(),
  image: z.object({ MsgId: msgId, MediaId: id, PicUrl: text(2048).optional() }).passthrough(),
  voice: z
    .object({
      MsgId: msgId,
      MediaId: id,
      Format: text(20).optional(),
      Recognition: text(4096).optional(),
    })
    .passthrough(),
  video: z.object({ MsgId: msgId, MediaId: id, ThumbMediaId: text(200).optional() }).passthrough(),
  location: z
    .object({
      MsgId: msgId,
      Location_X: degrees(90),
      Location_Y: degrees(180),
      Scale: text(20).optional(),
      Label: text(1000).optional(),
    })
    .passthrough(),
  link: z
    .object({
      MsgId: msgId,
      Title: text(1000).optional(),
      Description: text(4096).optional(),
      Url: text(2048),
    })
    .passthrough(),
} as const;

const eventSchema = z
  .object({
    Event: z.string().min(1).max(100),
    EventKey: text(1000).optional(),
    Ticket: text(1000).optional(),
  })
  .passthrough();
const locationEventSchema = z
  .object({
    Latitude: degrees(90),
    Longitude: degrees(180),
    Precision: z.string().max(30).optional(),
  })
  .passthrough();
const scanCodeSchema = z
  .object({ ScanCodeInfo: z.object({ ScanResult: text(1000).optional() }).passthrough() })
  .passthrough();

// --- Mapping ---------------------------------------------------------------------------------

const issueText = (error: z.ZodError): string =>
  error.issues
    .slice(0, 3)
    .map((issue) => `${issue.path.join('.') || '(body)'}: ${issue.message}`)
    .join('; ');

/** WeChat's voice formats (amr, speex; mp3 from some clients) as MIME types. */
const VOICE_MIME: Readonly<Record<string, string>> = {
  amr: 'audio/amr',
  speex: 'audio/speex',
  mp3: 'audio/mpeg',
};

/** A message's content, or the problem that keeps it from being read. */
function messageContent(
  type: string,
  fields: XmlFields,
): { ok: true; msgId: string; content: MessageContent } | { ok: false; problem: string } {
  switch (type) {
    case 'text': {
      const m = messageSchemas.text.safeParse(fields);
      if (!m.success) return { ok: false, problem: issueText(m.error) };
      return { ok: true, msgId: m.data.MsgId, content: { type: 'text', body: m.data.Content } };
    }
    case 'image': {
      const m = messageSchemas.image.safeParse(fields);
      if (!m.success) return { ok: false, problem: issueText(m.error) };
      return {
        ok: true,
        msgId: m.data.MsgId,
        content: {
          type: 'image',
          media: { mediaId: m.data.MediaId, ...(m.data.PicUrl ? { url: m.data.PicUrl } : {}) },
        },
      };
    }
    case 'voice': {
      const m = messageSchemas.voice.safeParse(fields);
      if (!m.success) return { ok: false, problem: issueText(m.error) };
      const mimeType = VOICE_MIME[(m.data.Format ?? '').toLowerCase()];
      // Speech recognition's text (when the account has it on) is kept as the caption, so the
      // agent can read what was said before playing it.
      const recognition = m.data.Recognition?.trim();
      return {
        ok: true,
        msgId: m.data.MsgId,
        content: {
          type: 'audio',
          media: {
            mediaId: m.data.MediaId,
            voice: true,
            ...(mimeType ? { mimeType } : {}),
            ...(recognition ? { caption: recognition } : {}),
          },
        },
      };
    }
    case 'video':
    case 'shortvideo': {
      const m = messageSchemas.video.safeParse(fields);
      if (!m.success) return { ok: false, problem: issueText(m.error) };
      return {
        ok: true,
        msgId: m.data.MsgId,
        content: { type: 'video', media: { mediaId: m.data.MediaId, mimeType: 'video/mp4' } },
      };
    }
    case 'location': {
      const m = messageSchemas.location.safeParse(fields);
      if (!m.success) return { ok: false, problem: issueText(m.error) };
      return {
        ok: true,
        msgId: m.data.MsgId,
        content: {
          type: 'location',
          latitude: m.data.Location_X,
          longitude: m.data.Location_Y,
          ...(m.data.Label ? { address: m.data.Label } : {}),
        },
      };
    }
    case 'link': {
      const m = messageSchemas.link.safeParse(fields);
      if (!m.success) return { ok: false, problem: issueText(m.error) };
      // A shared article: its title, description and address as the text the agent reads.
      const body = [m.data.Title, m.data.Description, m.data.Url]
        .map((part) => part?.trim() ?? '')
        .filter((part) => part !== '')
        .join('\n');
      return { ok: true, msgId: m.data.MsgId, content: { type: 'text', body } };
    }
    default: {
      const m = z.object({ MsgId: msgId }).passthrough().safeParse(fields);
      if (!m.success) return { ok: false, problem: issueText(m.error) };
      return { ok: true, msgId: m.data.MsgId, content: unsupported(type) };
    }
  }
}

/** The menu events that open the 3-in-1-minute allowance (CHANNEL-API.md §7.4). */
const MENU_SCAN_EVENTS = ['scancode_push', 'scancode_waitmsg'];

/** Map one verified, decoded WeChat push to events. */
export function parseWechatPush(body: unknown, _settings: ChannelSettings): ParsedDelivery {
  const envelope = envelopeSchema.safeParse(body);
  if (!envelope.success)
    throw new WebhookPayloadError(
      `Not a WeChat message: ${issueText(envelope.error)}`,
      `xml.${envelope.error.issues[0]?.path.join('.') ?? ''}`,
    );
  const e = envelope.data;
  const fields = body as XmlFields;
  const events: InboundEvent[] = [];
  const problems: string[] = [];
  const lost: string[] = [];
  const at = Number(e.CreateTime) * 1000;
  const base = { channel: 'wechat', channelAccountId: e.ToUserName } as const;
  const customer: InboundCustomer = { externalId: e.FromUserName, name: null, phone: null };

  if (e.MsgType !== 'event') {
    const read = messageContent(e.MsgType, fields);
    if (!read.ok) {
      lost.push(`xml (${e.MsgType}): ${read.problem}`);
      return { events, problems, lost };
    }
    events.push({
      ...base,
      kind: 'message',
      externalId: read.msgId,
      customer,
      sentAt: at,
      content: checkedContent(
        read.content,
        `xml (${e.MsgType} ${read.msgId})`,
        problems,
        e.MsgType,
      ),
    });
    return { events, problems, lost };
  }

  const ev = eventSchema.safeParse(body);
  if (!ev.success) {
    problems.push(`xml (event): ${issueText(ev.error)}; nothing stored.`);
    return { events, problems, lost };
  }
  const { Event: event, EventKey: key } = ev.data;
  const externalId = `${e.FromUserName}:${e.CreateTime}:${event}`;
  /** An interaction without words: its entry point counts, it opens no 48 h window. */
  const interaction = (
    source: string,
    ref: string | undefined,
    entryPoint?: EntryPoint,
  ): InboundMessage => ({
    ...base,
    kind: 'message',
    externalId,
    customer,
    sentAt: at,
    content: checkedContent(
      { type: 'referral', source, ...(ref ? { ref: ref.slice(0, 1000) } : {}) },
      `xml (event ${event})`,
      problems,
      'event',
    ),
    ...(entryPoint ? { entryPoint } : {}),
  });

  switch (event) {
    case 'subscribe': {
      // From a QR code: EventKey `qrscene_<scene>` and a Ticket.
      const scene = key?.startsWith('qrscene_') ? key.slice('qrscene_'.length) : null;
      events.push(
        scene !== null
          ? interaction('QR code', scene, 'qr_scan')
          : interaction('follow', undefined, 'follow'),
        // Following again after unfollowing: no longer blocked.
        { ...base, kind: 'block', externalId, customer, blocked: false, at },
      );
      break;
    }
    case 'unsubscribe':
      // WeChat refuses customer-service messages to someone who unfollowed (45015).
      events.push({ ...base, kind: 'block', externalId, customer, blocked: true, at });
      break;
    case 'SCAN':
      events.push(interaction('QR code', key, 'qr_scan'));
      break;
    case 'CLICK':
      events.push(interaction('menu', key, 'menu_click'));
      break;
    case 'VIEW':
      // A menu link opened: not one of the actions that allow customer-service messages.
      events.push(interaction('menu', key));
      break;
    case 'LOCATION': {
      // Reported on entering the chat when the customer allows it: no message, no window.
      const loc = locationEventSchema.safeParse(body);
      if (!loc.success) {
        problems.push(`xml (event LOCATION): ${issueText(loc.error)}; nothing stored.`);
        break;
      }
      const precision = loc.data.Precision ? ` (±${loc.data.Precision} m)` : '';
      events.push(
        interaction('location', `${loc.data.Latitude},${loc.data.Longitude}${precision}`),
      );
      break;
    }
    default:
      if (MENU_SCAN_EVENTS.includes(event)) {
        const scan = scanCodeSchema.safeParse(body);
        const result = scan.success ? scan.data.ScanCodeInfo.ScanResult : undefined;
        events.push(
          interaction('menu', [key, result].filter((p) => p).join(': ') || undefined, 'menu_click'),
        );
        break;
      }
      problems.push(
        `xml (event): "${event.slice(0, 100)}" is not one Replydesk reads; nothing stored.`,
      );
  }
  return { events, problems, lost };
}
