import type { ChannelSettings, ParsedDelivery, WebhookRegistration } from '../connector';
import type { SendResult } from '../types';

/**
 * The seam between the KakaoTalk channel and a BizMessage consultation-talk dealer (상담톡 딜러사,
 * CHANNEL-API.md §8.2). Kakao offers real agent chat only through these dealers, each with its own
 * REST API and webhook; the channel (sender, media, webhook, skill) speaks to them only through
 * this interface, so another dealer is one adapter more (`DEALERS` below, the `dealer` setting).
 */

/** One message for the customer `userKey`, as the dealer sends it. */
export interface DealerMessage {
  /** Our message id: the dealer's `serial_number` (its idempotency and reference key). */
  readonly serial: string;
  readonly userKey: string;
  readonly content:
    | { readonly type: 'text'; readonly text: string }
    | { readonly type: 'image'; readonly url: string }
    | { readonly type: 'file'; readonly url: string; readonly filename: string };
}

/** What every dealer call is made with: the settings in force at the time of the call. */
export interface DealerContext {
  readonly settings: ChannelSettings;
  readonly fetch: typeof fetch;
  readonly timeoutMs: number;
  /** The caller's abort (the outbound queue's upload timeout); else `timeoutMs`. */
  readonly signal?: AbortSignal;
}

/** A file for the dealer's upload API (Kakao's servers take files only after an upload). */
export interface DealerFile {
  readonly bytes: Buffer;
  readonly mimeType: string;
  readonly filename: string;
}

export type EndSessionResult =
  | { readonly ok: true }
  | { readonly ok: false; readonly retryable: boolean; readonly reason: string };

export interface KakaoDealer {
  /** The `dealer` setting's value. */
  readonly id: string;
  /** What agents and admins read: "HappyTalk". */
  readonly name: string;
  /** Send one message; the dealer's refusals mapped to reasons (`blocked`: no open session). */
  send(message: DealerMessage, context: DealerContext): Promise<SendResult>;
  /**
   * Upload a file for an image or file message; its URL on Kakao's server.
   * @throws ChannelMediaError (too large, wrong type: not retryable; 5xx: retryable)
   */
  upload(file: DealerFile, kind: 'image' | 'file', context: DealerContext): Promise<string>;
  /** End the customer's consultation session (the agent's "end session"). */
  endSession(userKey: string, context: DealerContext): Promise<EndSessionResult>;
  /**
   * The Channels page's "Test connection": one harmless read with the client id and secret that
   * names the sender profile the sender key opens (its name and status), or the dealer's reason.
   */
  testConnection(context: DealerContext): Promise<WebhookRegistration>;
  /** Map the dealer's webhook to events (message, session start and end). */
  parseWebhook(body: unknown, settings: ChannelSettings): ParsedDelivery;
}
