import { z } from 'zod';
import type { MessageContent } from '../../../shared/domain/model';
import { settingOf, type ChannelSettings } from '../connector';
import type { ChannelSender, OutboundRequest, SendResult } from '../types';
import { OUR_METADATA_PREFIX } from './messaging';
import { HUMAN_AGENT_GRANTED } from './settings';
import { failure, retryAfterMs, transportFailure, uncertain, type Failure } from './transport';

/**
 * The Send API of Messenger and Instagram Direct (CHANNEL-API.md §1.4, §2.3):
 * `POST {graph}/{version}/{PAGE_ID}/messages` with the Page access token as a bearer token and
 * `{"recipient":{"id"},"messaging_type","tag"?,"message":{…}}` → `{"recipient_id","message_id"}`.
 *
 * - `messaging_type` is `RESPONSE` inside the 24 h window and `MESSAGE_TAG` with
 *   `tag: "HUMAN_AGENT"` after it (the hub decides, from the reply-window engine, and refuses it
 *   with 409 before it gets here when the Page lacks the permission; refused here too).
 * - Messenger's `message.metadata` carries `replydesk:<our message id>`: Meta echoes it back, so
 *   the echo of our own send is recognised (never stored as a second message), and it names a
 *   send whose answer was lost.
 * - Meta's errors become reasons an agent can act on; rate limits (4, 17, 32, 613, HTTP 429) and
 *   temporary errors are retried by the queue with backoff; a timeout is uncertain, never retried.
 */

export const DEFAULT_SEND_TIMEOUT_MS = 15_000;
const MAX_REASON_LENGTH = 1000;

export interface MetaSenderOptions {
  readonly channel: 'messenger' | 'instagram';
  /** "Messenger", "Instagram". */
  readonly label: string;
  /** Text limit: Messenger 2,000 characters; Instagram 1,000 bytes of UTF-8. */
  readonly textLimit: { readonly max: number; readonly unit: 'characters' | 'bytes' };
  /** Whether `message.metadata` is sent (documented for Messenger's echoes). */
  readonly metadata: boolean;
  readonly settings: () => ChannelSettings;
  readonly fetch?: typeof fetch;
  readonly timeoutMs?: number;
}

const graphErrorSchema = z.object({
  error: z.object({
    message: z.string().optional(),
    type: z.string().optional(),
    code: z.number().int().optional(),
    error_subcode: z.number().int().optional(),
    fbtrace_id: z.string().optional(),
  }),
});
const sendSuccessSchema = z.object({
  recipient_id: z.string().optional(),
  message_id: z.string().min(1),
});

/** Graph throttling (Meta's rate-limiting page): app 4, user 17, Page 32, custom 613. */
export const RATE_LIMIT_CODES = new Set([4, 17, 32, 613]);
/** Temporary: 1 unknown, 2 service, 1200 temporary send error. */
export const TRANSIENT_CODES = new Set([1, 2, 1200]);
/** Outside the window: code 10 with subcode 2018278 (Messenger), 2534022 (Instagram). */
export const OUTSIDE_WINDOW_SUBCODES = new Set([2018278, 2534022]);

const ATTACHMENT_TYPES: Partial<Record<MessageContent['type'], string>> = {
  image: 'image',
  video: 'video',
  audio: 'audio',
  document: 'file',
};

function messageOf(
  options: MetaSenderOptions,
  request: OutboundRequest,
): { ok: true; message: Record<string, unknown> } | { ok: false; result: Failure } {
  const { content } = request;
  const { label } = options;
  switch (content.type) {
    case 'text': {
      const { max, unit } = options.textLimit;
      const size =
        unit === 'bytes' ? Buffer.byteLength(content.body, 'utf8') : [...content.body].length;
      if (size > max) {
        return {
          ok: false,
          result: failure(
            false,
            'text_too_long',
            `${label} text messages are limited to ${max} ${unit}; this one has ${size}.`,
          ),
        };
      }
      // Reply buttons: Meta's quick replies, the button's id as the payload the tap sends back.
      const buttons = content.replyButtons ?? [];
      return {
        ok: true,
        message: {
          text: content.body,
          ...(buttons.length > 0
            ? {
                quick_replies: buttons.map((button) => ({
                  content_type: 'text',
                  title: button.title,
                  payload: button.id,
                })),
              }
            : {}),
        },
      };
    }
    case 'image':
    case 'video':
    case 'audio':
    case 'document': {
      const type = ATTACHMENT_TYPES[content.type] as string;
      // A file the hub uploaded has Meta's attachment id; one on the web is sent by its URL.
      const payload = content.media.url
        ? { url: content.media.url, is_reusable: true }
        : { attachment_id: content.media.mediaId };
      return { ok: true, message: { attachment: { type, payload } } };
    }
    default:
      return {
        ok: false,
        result: failure(
          false,
          'unsupported_outbound',
          `Replydesk cannot send ${content.type} messages on ${label}; only text and files.`,
        ),
      };
  }
}

export function createMetaSender(options: MetaSenderOptions): ChannelSender {
  const { channel, label } = options;
  const api = `the ${label} API`;
  const fetchImpl = options.fetch ?? fetch;
  const timeoutMs = options.timeoutMs ?? DEFAULT_SEND_TIMEOUT_MS;

  function classify(status: number, text: string, headers: Headers, scrub: (t: string) => string) {
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch {
      json = undefined;
    }
    const parsed = graphErrorSchema.safeParse(json);
    const error = parsed.success ? parsed.data.error : undefined;
    const code = error?.code;
    const subcode = error?.error_subcode;
    const codeText =
      code === undefined ? `http_${status}` : subcode ? `${code}/${subcode}` : String(code);
    const said = error?.message ? ` (${scrub(error.message)})` : '';
    const wait = retryAfterMs(headers.get('retry-after'), Date.now());

    if (subcode !== undefined && OUTSIDE_WINDOW_SUBCODES.has(subcode)) {
      return failure(
        false,
        codeText,
        `${label} refused it: more than 24 hours have passed since the customer last wrote (7 days with the HUMAN_AGENT tag where the Page has that permission). Error ${codeText}.`,
      );
    }
    if (code === 551 || subcode === 1545041) {
      return failure(
        false,
        codeText,
        `This person isn't available right now on ${label} (they may have blocked the Page or left). Error ${codeText}.`,
      );
    }
    if (subcode === 2018001) {
      return failure(
        false,
        codeText,
        `${label} found no matching user: the customer's id is not valid for this Page. Error ${codeText}.`,
      );
    }
    if (status === 429 || (code !== undefined && RATE_LIMIT_CODES.has(code))) {
      return failure(true, codeText, `${label} rate limit reached${said}; will retry.`, wait);
    }
    if (status >= 500 || status === 408 || (code !== undefined && TRANSIENT_CODES.has(code))) {
      return failure(
        true,
        codeText,
        `${api} is temporarily unavailable (HTTP ${status})${said}; will retry.`,
        wait,
      );
    }
    if (code === 190) {
      return failure(
        false,
        codeText,
        `${label} refused the Page access token (expired or revoked); save a new one on the Channels page. Error ${codeText}.`,
      );
    }
    if (code === 10 || code === 200 || code === 230) {
      return failure(
        false,
        codeText,
        `${label} refused it for lack of a permission${said}. Error ${codeText}.`,
      );
    }
    return failure(
      false,
      codeText,
      error?.message ? scrub(error.message) : `${api} refused the message (HTTP ${status}).`,
    );
  }

  return {
    channel,
    async send(request: OutboundRequest): Promise<SendResult> {
      if (request.channel !== channel) {
        return failure(
          false,
          'wrong_channel',
          `A ${request.channel} message cannot go through ${label}.`,
        );
      }
      const settings = options.settings();
      const token = settingOf(settings, 'pageAccessToken');
      const scrub = (value: string): string => {
        const clean = token.length > 0 ? value.split(token).join('[redacted]') : value;
        return clean.length > MAX_REASON_LENGTH
          ? `${clean.slice(0, MAX_REASON_LENGTH - 1)}…`
          : clean;
      };
      if (request.tag && request.tag !== 'HUMAN_AGENT') {
        return failure(
          false,
          'tag_not_supported',
          `Replydesk sends only the HUMAN_AGENT tag on ${label}.`,
        );
      }
      if (request.tag && settingOf(settings, 'humanAgent') !== HUMAN_AGENT_GRANTED) {
        return failure(
          false,
          'tag_not_permitted',
          `This Page has no Human Agent permission on ${label}: the HUMAN_AGENT tag cannot be used.`,
        );
      }
      const built = messageOf(options, request);
      if (!built.ok) return built.result;
      const version = settingOf(settings, 'apiVersion');
      if (!/^v\d+\.\d+$/.test(version)) {
        return failure(
          false,
          'bad_config',
          `${label} Graph API version must look like "v23.0", got "${version}".`,
        );
      }
      const base = settingOf(settings, 'graphUrl').replace(/\/+$/, '');
      const url = `${base}/${version}/${encodeURIComponent(settingOf(settings, 'pageId'))}/messages`;
      const message = options.metadata
        ? { ...built.message, metadata: `${OUR_METADATA_PREFIX}${request.messageId}` }
        : built.message;
      const body = {
        recipient: { id: request.to },
        messaging_type: request.tag ? 'MESSAGE_TAG' : 'RESPONSE',
        ...(request.tag ? { tag: request.tag } : {}),
        message,
      };

      let status: number;
      let headers: Headers;
      let text: string;
      try {
        const response = await fetchImpl(url, {
          method: 'POST',
          headers: {
            Authorization: `Bearer ${token}`,
            'Content-Type': 'application/json',
            Accept: 'application/json',
          },
          body: JSON.stringify(body),
          signal: AbortSignal.timeout(timeoutMs),
        });
        status = response.status;
        headers = response.headers;
        text = await response.text();
      } catch (error) {
        return transportFailure(error, api, label, timeoutMs, scrub);
      }
      if (status < 200 || status >= 300) return classify(status, text, headers, scrub);
      let json: unknown;
      try {
        json = JSON.parse(text);
      } catch {
        json = undefined;
      }
      const ok = sendSuccessSchema.safeParse(json);
      if (!ok.success) {
        return uncertain(
          'bad_response',
          `${api} answered HTTP ${status} without a message id; waiting for ${label} to confirm whether it was sent.`,
        );
      }
      return { ok: true, externalId: ok.data.message_id };
    },
  };
}
