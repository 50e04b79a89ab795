import { signViberBody } from '../../src/server/channels/viber/signature';

/**
 * Viber callbacks shaped like the REST Bot API's reference (CHANNEL-API.md §6.2), written out
 * here as raw JSON text (so 64-bit `message_token`s stay bare, exact JSON numbers as Viber writes
 * them) and signed as Viber signs them (`X-Viber-Content-Signature` over the exact bytes).
 */

export const VIBER = {
  authToken: '4453b6ac12345678-e02c5f12174805f9-daec9cbb5448c51f',
  senderName: 'Replydesk Shop',
  /** What `VIBER_ACCOUNT_ID` is set to in the hub tests. */
  accountId: 'replydeskshop',
};

/** Settings as a hub is given them (env-only ones included: no defaults are added then). */
export function viberSettings(apiUrl: string): Record<string, string> {
  return {
    authToken: VIBER.authToken,
    senderName: VIBER.senderName,
    accountId: VIBER.accountId,
    apiUrl,
  };
}

export interface ViberUser {
  readonly id: string;
  readonly name?: string;
  readonly country?: string;
  readonly language?: string;
}

const userJson = (user: ViberUser): string =>
  JSON.stringify({
    id: user.id,
    ...(user.name === undefined ? {} : { name: user.name }),
    avatar: 'https://media-direct.cdn.viber.com/download_photo?dlid=abc&fltp=jpg&imsz=0000',
    ...(user.country === undefined ? {} : { country: user.country }),
    ...(user.language === undefined ? {} : { language: user.language }),
    api_version: 10,
  });

/** `message_token` is a decimal string here, written as a bare JSON number. */
export function messageCallback(
  token: string,
  at: number,
  sender: ViberUser,
  message: Record<string, unknown>,
): string {
  return `{"event":"message","timestamp":${at},"chat_hostname":"SN-CHAT-02_","message_token":${token},"sender":${userJson(sender)},"message":${JSON.stringify(message)},"silent":false}`;
}

export function statusCallback(
  event: 'delivered' | 'seen' | 'failed',
  token: string,
  at: number,
  userId: string,
  desc?: string,
): string {
  return `{"event":"${event}","timestamp":${at},"chat_hostname":"SN-CHAT-05_","message_token":${token},"user_id":${JSON.stringify(userId)}${desc === undefined ? '' : `,"desc":${JSON.stringify(desc)}`}}`;
}

export function subscribedCallback(token: string, at: number, user: ViberUser): string {
  return `{"event":"subscribed","timestamp":${at},"chat_hostname":"SN-CHAT-03_","user":${userJson(user)},"message_token":${token}}`;
}

export function unsubscribedCallback(token: string, at: number, userId: string): string {
  return `{"event":"unsubscribed","timestamp":${at},"chat_hostname":"SN-CHAT-03_","user_id":${JSON.stringify(userId)},"message_token":${token}}`;
}

export function conversationStartedCallback(
  token: string,
  at: number,
  user: ViberUser,
  context: string,
  subscribed = false,
): string {
  return `{"event":"conversation_started","timestamp":${at},"chat_hostname":"SN-CHAT-01_","message_token":${token},"type":"open","context":${JSON.stringify(context)},"user":${userJson(user)},"subscribed":${subscribed}}`;
}

export function webhookCheckCallback(token: string, at: number): string {
  return `{"event":"webhook","timestamp":${at},"chat_hostname":"SN-platform-1","message_token":${token}}`;
}

/** The headers Viber would POST `raw` with. */
export function signedViber(
  raw: string,
  authToken: string = VIBER.authToken,
): { body: string; headers: Record<string, string> } {
  return {
    body: raw,
    headers: {
      'content-type': 'application/json',
      'x-viber-content-signature': signViberBody(raw, authToken),
    },
  };
}
