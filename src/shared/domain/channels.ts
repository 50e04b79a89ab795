import { z } from 'zod';

/**
 * Every messaging channel Replydesk knows. The reply-window rules for each live in
 * `src/shared/reply-window/rules.ts` as data; display facts live here.
 */
export const CHANNEL_KINDS = [
  'whatsapp',
  'messenger',
  'instagram',
  'telegram',
  'wechat',
  'viber',
  'line',
  'sms',
  'kakao',
] as const;

export const channelKindSchema = z.enum(CHANNEL_KINDS);
export type ChannelKind = z.infer<typeof channelKindSchema>;

export interface ChannelInfo {
  readonly kind: ChannelKind;
  /** Human name shown in the inbox and settings. */
  readonly label: string;
  /**
   * Why nothing can be sent while the conversation is blocked (`blockedAt`), when on this channel
   * that state is not the customer blocking the business: KakaoTalk keeps an ended consultation
   * session there (rules.ts `kakao`). Absent: "<name> blocked this account on <label>".
   */
  readonly blockedReason?: (customerName: string) => string;
  /**
   * The state in a word or two where that reason does not fit (the inbox row, the header, the
   * closed composer), e.g. "Session ended". Absent: "Blocked".
   */
  readonly blockedLabel?: string;
  /**
   * Reply buttons the agent may put under a text message (Messenger and Instagram
   * `message.quick_replies`: up to 13, each a title of at most 20 characters and a payload of at
   * most 1,000). Absent: the channel offers none, and the hub refuses them.
   */
  readonly replyButtons?: { readonly max: number; readonly titleMax: number };
  /**
   * An agent's reply can name the customer's message it answers, and the customer sees it quoted
   * (Telegram `reply_parameters`, WhatsApp `context`): the timeline offers "Reply" on customers'
   * messages. Elsewhere a `replyTo` is ignored and the message goes out without a quote.
   */
  readonly quotesReplies?: boolean;
}

/** Meta's quick replies (Messenger Platform, "Quick replies"; Instagram the same shape). */
const META_REPLY_BUTTONS = { max: 13, titleMax: 20 } as const;

export const CHANNEL_INFO: Readonly<Record<ChannelKind, ChannelInfo>> = {
  whatsapp: { kind: 'whatsapp', label: 'WhatsApp', quotesReplies: true },
  messenger: { kind: 'messenger', label: 'Messenger', replyButtons: META_REPLY_BUTTONS },
  instagram: { kind: 'instagram', label: 'Instagram', replyButtons: META_REPLY_BUTTONS },
  telegram: { kind: 'telegram', label: 'Telegram', quotesReplies: true },
  wechat: { kind: 'wechat', label: 'WeChat' },
  viber: { kind: 'viber', label: 'Viber' },
  line: { kind: 'line', label: 'LINE' },
  sms: { kind: 'sms', label: 'SMS' },
  kakao: {
    kind: 'kakao',
    label: 'KakaoTalk',
    blockedLabel: 'Session ended',
    blockedReason: (name) =>
      `The KakaoTalk consultation session with ${name} has ended (closed by the agent, or the customer left or blocked the channel): messages cannot reach them until they write again`,
  },
};

export const HOUR_MS = 3_600_000;
export const MINUTE_MS = 60_000;
export const DAY_MS = 24 * HOUR_MS;
