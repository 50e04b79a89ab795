import { z } from 'zod';
import type { MessageContent } from '../../../shared/domain/model';
import type { ChannelSender, OutboundRequest, SendResult } from '../types';
import {
  failure,
  retryAfterMs,
  transportFailure as metaTransportFailure,
  uncertain,
  type Failure,
} from '../meta/transport';
import { DEFAULT_GRAPH_VERSION } from './settings';

/**
 * Sends messages through the WhatsApp Cloud API:
 * `POST {graph}/{version}/{PHONE_NUMBER_ID}/messages` with a bearer token (CHANNELS.md).
 *
 * Every outcome becomes a SendResult; nothing throws. `retryable` decides whether the durable
 * outbound queue tries again: rate limits, 5xx, timeouts and network errors are transient; a
 * rejected request (bad template, closed window, bad token) fails the message with a reason the
 * agent can act on. The access token is only ever put in the Authorization header: it is never
 * logged, and it is scrubbed from anything the API echoes back.
 */

/** The pinned version (settings.ts), when none is configured. */
export const DEFAULT_GRAPH_API_VERSION = DEFAULT_GRAPH_VERSION;
export const DEFAULT_SEND_TIMEOUT_MS = 15_000;
/** Meta's limit for `text.body`. */
export const TEXT_BODY_MAX_LENGTH = 4096;

export const REENGAGEMENT_REASON =
  'More than 24 hours have passed since the customer last replied; only a template can be sent (WhatsApp error 131047, re-engagement message).';

export interface WhatsAppSenderOptions {
  /** Graph API base, e.g. `https://graph.facebook.com` (a fake server in tests). */
  readonly graphUrl: string | (() => string);
  /** Pinned so a new Graph default never changes payloads under us. */
  readonly apiVersion?: string | (() => string);
  /** The bearer token, or a function answering the one in force (admins may replace it). */
  readonly accessToken: string | (() => string);
  /** Maps our channel account to Meta's phone number id; by default they are the same. */
  readonly phoneNumberIdFor?: (channelAccountId: string) => string;
  readonly fetch?: typeof fetch;
  readonly timeoutMs?: number;
}

/**
 * Graph error codes that mean "too many, slow down" (Meta's error-codes reference): 4 app-level
 * call limit, 80007 WABA rate limit, 130429 Cloud API throughput, 131056 business→customer pair
 * rate limit. The request was fine; sending it later will work.
 */
const RATE_LIMIT_CODES = new Set([4, 80007, 130429, 131056]);
/** Documented as temporary: 2 API service downtime, 131016 service unavailable, 133004 server
 * temporarily unavailable. */
const TRANSIENT_CODES = new Set([2, 131016, 133004]);
const REENGAGEMENT_CODE = 131047;
const MAX_REASON_LENGTH = 1000;

const graphErrorSchema = z.object({
  error: z.object({
    message: z.string().optional(),
    type: z.string().optional(),
    code: z.number().int().optional(),
    error_subcode: z.number().int().optional(),
    error_data: z.unknown().optional(),
    fbtrace_id: z.string().optional(),
  }),
});

const sendSuccessSchema = z.object({
  messaging_product: z.literal('whatsapp'),
  contacts: z
    .array(z.object({ input: z.string().optional(), wa_id: z.string().optional() }))
    .optional(),
  messages: z.array(z.object({ id: z.string().min(1) })).min(1),
});

/** The JSON body Meta documents for each content type we send. */
function graphBody(
  request: OutboundRequest,
): { ok: true; body: Record<string, unknown> } | { ok: false; result: Failure } {
  const content: MessageContent = request.content;
  const envelope = {
    messaging_product: 'whatsapp',
    recipient_type: 'individual',
    to: request.to,
    // Echoed in every status webhook of the message: how a send whose answer was lost (a timeout,
    // a hub killed mid-call) is recognised, instead of being sent again.
    biz_opaque_callback_data: request.messageId,
    // A reply to one of the customer's messages, shown quoted above it (a reaction names its
    // message itself).
    ...(request.replyToExternalId && content.type !== 'reaction'
      ? { context: { message_id: request.replyToExternalId } }
      : {}),
  };
  switch (content.type) {
    case 'text':
      if (content.body.length > TEXT_BODY_MAX_LENGTH) {
        return {
          ok: false,
          result: failure(
            false,
            'text_too_long',
            `WhatsApp text messages are limited to ${TEXT_BODY_MAX_LENGTH} characters; this one has ${content.body.length}.`,
          ),
        };
      }
      if (content.replyButtons && content.replyButtons.length > 0) {
        return interactiveBody(envelope, content.body, content.replyButtons);
      }
      return {
        ok: true,
        // preview_url false: a link preview is fetched by Meta from the URL, which agents did not
        // ask for and which can leak that the message was sent.
        body: { ...envelope, type: 'text', text: { preview_url: false, body: content.body } },
      };
    case 'template': {
      const template: Record<string, unknown> = {
        name: content.name,
        language: { code: content.language },
      };
      // Meta rejects an empty parameters list; a template without variables has no components.
      const components: Record<string, unknown>[] = [];
      if (content.parameters.length > 0) {
        components.push({
          type: 'body',
          parameters: content.parameters.map((text) => ({ type: 'text', text })),
        });
      }
      // Quick-reply buttons answer with the payload given here (a tap's `button.payload`).
      for (const [index, payload] of (content.buttonPayloads ?? []).entries()) {
        components.push({
          type: 'button',
          sub_type: 'quick_reply',
          index: String(index),
          parameters: [{ type: 'payload', payload }],
        });
      }
      if (components.length > 0) template['components'] = components;
      return { ok: true, body: { ...envelope, type: 'template', template } };
    }
    case 'reaction':
      return {
        ok: true,
        body: {
          ...envelope,
          type: 'reaction',
          reaction: { message_id: content.targetExternalId, emoji: content.emoji },
        },
      };
    case 'image':
    case 'video':
    case 'audio':
    case 'document': {
      // By the id the outbound queue got from POST /{phone-number-id}/media (CHANNEL-API.md
      // §3.4); audio takes no caption, a document takes its filename.
      const { mediaId, caption, filename } = content.media;
      const media: Record<string, unknown> = { id: mediaId };
      if (caption && content.type !== 'audio') media['caption'] = caption;
      if (filename && content.type === 'document') media['filename'] = filename;
      return { ok: true, body: { ...envelope, type: content.type, [content.type]: media } };
    }
    default:
      return {
        ok: false,
        result: failure(
          false,
          'unsupported_outbound',
          `Replydesk cannot send ${content.type} messages on WhatsApp yet; only text, templates, reactions and files.`,
        ),
      };
  }
}

/** Interactive reply buttons' limits (Meta, "Interactive reply buttons messages"). */
const INTERACTIVE_BODY_MAX = 1024;
const REPLY_BUTTONS_MAX = 3;
const LIST_ROWS_MAX = 10;

/**
 * Text with reply buttons as an interactive message: up to 3 as reply buttons (titles ≤ 20), more
 * (up to 10) as a list whose rows the customer picks from behind one button. A tap comes back as
 * `interactive.button_reply` / `list_reply` with the button's id.
 */
function interactiveBody(
  envelope: Record<string, unknown>,
  body: string,
  buttons: readonly { id: string; title: string }[],
): { ok: true; body: Record<string, unknown> } | { ok: false; result: Failure } {
  if (body.length > INTERACTIVE_BODY_MAX || buttons.length > LIST_ROWS_MAX) {
    return {
      ok: false,
      result: failure(
        false,
        'interactive_too_large',
        `WhatsApp interactive messages take at most ${INTERACTIVE_BODY_MAX} characters and ${LIST_ROWS_MAX} options; this one has ${body.length} and ${buttons.length}.`,
      ),
    };
  }
  const interactive =
    buttons.length <= REPLY_BUTTONS_MAX
      ? {
          type: 'button',
          body: { text: body },
          action: {
            buttons: buttons.map((b) => ({ type: 'reply', reply: { id: b.id, title: b.title } })),
          },
        }
      : {
          type: 'list',
          body: { text: body },
          action: {
            button: 'Choose',
            sections: [
              { title: 'Options', rows: buttons.map((b) => ({ id: b.id, title: b.title })) },
            ],
          },
        };
  return { ok: true, body: { ...envelope, type: 'interactive', interactive } };
}

function detailsOf(errorData: unknown): string | undefined {
  if (typeof errorData !== 'object' || errorData === null) return undefined;
  const details = (errorData as Record<string, unknown>)['details'];
  return typeof details === 'string' && details.length > 0 ? details : undefined;
}

export function createWhatsAppSender(options: WhatsAppSenderOptions): ChannelSender {
  // Functions when read from the settings in force at each send; a wrong version is refused
  // at once when it is given as a value.
  const valueOf = (value: string | (() => string) | undefined): string =>
    typeof value === 'function' ? value() : (value ?? '');
  const versionOf = (): string => {
    const version = valueOf(options.apiVersion) || DEFAULT_GRAPH_API_VERSION;
    if (!/^v\d+\.\d+$/.test(version)) {
      throw new Error(`WhatsApp Graph API version must look like "v23.0", got "${version}".`);
    }
    return version;
  };
  if (typeof options.apiVersion !== 'function') versionOf();
  const baseOf = (): string => valueOf(options.graphUrl).replace(/\/+$/, '');
  const tokenOf = options.accessToken;
  const currentToken = (): string => (typeof tokenOf === 'string' ? tokenOf : tokenOf());
  const fetchImpl = options.fetch ?? fetch;
  const timeoutMs = options.timeoutMs ?? DEFAULT_SEND_TIMEOUT_MS;
  const phoneNumberIdFor = options.phoneNumberIdFor ?? ((id: string) => id);

  /** Whatever Graph or the network says goes to agents and logs: never with the token in it. */
  const scrub = (text: string): string => {
    const token = currentToken();
    const clean = token.length > 0 ? text.split(token).join('[redacted]') : text;
    return clean.length > MAX_REASON_LENGTH ? `${clean.slice(0, MAX_REASON_LENGTH - 1)}…` : clean;
  };

  const transportFailure = (error: unknown): Failure =>
    metaTransportFailure(error, 'the WhatsApp API', 'WhatsApp', timeoutMs, scrub);

  const classifyError = (status: number, text: string, headers: Headers): Failure => {
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch {
      json = undefined;
    }
    const parsed = graphErrorSchema.safeParse(json);
    const graphError = parsed.success ? parsed.data.error : undefined;
    const code = graphError?.code;
    const codeText = code === undefined ? `http_${status}` : String(code);
    const wait = retryAfterMs(headers.get('retry-after'), Date.now());
    const apiMessage = graphError?.message;
    const details = detailsOf(graphError?.error_data);

    if (code === REENGAGEMENT_CODE) return failure(false, codeText, REENGAGEMENT_REASON);
    if (status === 429 || (code !== undefined && RATE_LIMIT_CODES.has(code))) {
      return failure(
        true,
        codeText,
        scrub(`WhatsApp rate limit reached${apiMessage ? ` (${apiMessage})` : ''}; will retry.`),
        wait,
      );
    }
    if (status >= 500 || status === 408 || (code !== undefined && TRANSIENT_CODES.has(code))) {
      return failure(
        true,
        codeText,
        scrub(
          `The WhatsApp API is temporarily unavailable (HTTP ${status}${apiMessage ? `: ${apiMessage}` : ''}); will retry.`,
        ),
        wait,
      );
    }
    if (apiMessage) {
      const reason =
        details && !apiMessage.includes(details) ? `${apiMessage}: ${details}` : apiMessage;
      return failure(false, codeText, scrub(reason));
    }
    return failure(false, codeText, `The WhatsApp API refused the message (HTTP ${status}).`);
  };

  return {
    channel: 'whatsapp',
    async send(request: OutboundRequest): Promise<SendResult> {
      if (request.channel !== 'whatsapp') {
        return failure(
          false,
          'wrong_channel',
          `A ${request.channel} message cannot go through WhatsApp.`,
        );
      }
      const built = graphBody(request);
      if (!built.ok) return built.result;

      const phoneNumberId = phoneNumberIdFor(request.channelAccountId);
      let url: string;
      try {
        url = `${baseOf()}/${versionOf()}/${encodeURIComponent(phoneNumberId)}/messages`;
      } catch (error) {
        // A version saved wrong: the message fails with why, nothing is sent.
        return failure(false, 'bad_config', error instanceof Error ? error.message : String(error));
      }

      let status: number;
      let headers: Headers;
      let text: string;
      try {
        // One signal covers connecting, the response headers and reading the body.
        const response = await fetchImpl(url, {
          method: 'POST',
          headers: {
            Authorization: `Bearer ${currentToken()}`,
            'Content-Type': 'application/json',
            Accept: 'application/json',
          },
          body: JSON.stringify(built.body),
          signal: AbortSignal.timeout(timeoutMs),
        });
        status = response.status;
        headers = response.headers;
        text = await response.text();
      } catch (error) {
        return transportFailure(error);
      }

      if (status < 200 || status >= 300) return classifyError(status, text, headers);

      let json: unknown;
      try {
        json = JSON.parse(text);
      } catch {
        json = undefined;
      }
      const ok = sendSuccessSchema.safeParse(json);
      const first = ok.success ? ok.data.messages[0] : undefined;
      if (!first) {
        // Meta may or may not have sent it: retrying could send it twice.
        return uncertain(
          'bad_response',
          `The WhatsApp API answered HTTP ${status} without a message id; waiting for WhatsApp to confirm whether it was sent.`,
        );
      }
      return { ok: true, externalId: first.id };
    },
  };
}
