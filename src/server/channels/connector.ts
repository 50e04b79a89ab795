import type { IncomingHttpHeaders } from 'node:http';
import type { ChannelKind } from '../../shared/domain/channels';
import type { Order } from '../../shared/domain/model';
import type { WindowOptions } from '../../shared/reply-window/types';
import type { ChannelMedia, ChannelSender, InboundEvent, InboundMessage } from './types';

/**
 * The one shape every channel has (issue #14, "adding a channel" in docs/). A channel is one
 * folder under `src/server/channels/<name>/` whose `index.ts` exports a `ChannelConnector`;
 * `registry.ts` lists them, and the HTTP layer, the hub and the admin Channels API read only
 * this interface, never a channel's name.
 */

/** One setting a connector needs: configured from its env variable or on the Channels page. */
export interface SettingSpec {
  /** Key in `ChannelSettings` and in the admin API's body, e.g. `appSecret`. */
  readonly name: string;
  /** What the Channels page shows. */
  readonly label: string;
  /** Written only: never answered back, logged or put in an event (`{ set: true }` only). */
  readonly secret: boolean;
  /** The channel counts as configured only when every required setting has a value. */
  readonly required: boolean;
  /** The environment variable that sets it when no admin has saved a value. */
  readonly env?: string;
  /** Used when neither an admin nor the environment gives a value. */
  readonly default?: string;
  /** Only from the environment (a base URL for fakes, a pinned version): not on the page. */
  readonly envOnly?: boolean;
  /** A regular expression (source) a saved value must match, and what to say when not. */
  readonly pattern?: { readonly source: string; readonly message: string };
  readonly help?: string;
  /** Several lines (a PEM key, a welcome text): a text area on the Channels page. */
  readonly multiline?: boolean;
  /** Longest value accepted; 1,000 characters when not given. */
  readonly maxLength?: number;
}

/** The values in force, by setting name: the admin's, else the environment's, else the default. */
export type ChannelSettings = Readonly<Record<string, string>>;

/** A refusal: `reason` goes on the channel's status for the admin, `message` to the caller. */
export interface Refusal {
  readonly ok: false;
  readonly reason: string;
  readonly message: string;
}

export interface WebhookDelivery {
  readonly headers: IncomingHttpHeaders;
  /** The exact bytes received: signatures are checked on these, before any parsing. */
  readonly raw: Buffer;
  readonly url: URL;
}

export interface ParsedDelivery {
  readonly events: InboundEvent[];
  /** Human-readable notes on what was skipped or degraded, each naming its path in the body. */
  readonly problems: string[];
  /**
   * The problems after which something the customer sent is not stored: the HTTP layer keeps
   * the delivery as a dead letter before it answers 200.
   */
  readonly lost: string[];
}

/** The HTTP answer a platform expects to a delivery (WeChat `success`, Viber's welcome message). */
export interface WebhookAnswer {
  readonly status: number;
  readonly contentType: string;
  readonly body: string;
}

/** Which orders a connector's automated answer asks about (`WebhookTools.ordersOf`). */
export interface OrderLookup {
  readonly channel: ChannelKind;
  readonly channelAccountId: string;
  /** The customer on the channel (as in `InboundCustomer.externalId`). */
  readonly customerExternalId: string;
  /** An order number the customer gave (`1001`): orders with it; null: the customer's own. */
  readonly number: string | null;
}

/** What the hub lends a connector's `answer`. */
export interface WebhookTools {
  /** The hub's clock (a test's fake clock). */
  readonly now: () => number;
  /**
   * Orders from the hub's order store, newest first (the Kakao skill's order-status answer): by
   * number, or the customer's own by the phone and e-mail the hub knows for them (none: []).
   */
  readonly ordersOf?: (lookup: OrderLookup) => Promise<readonly Order[]>;
}

/** Thrown by `parse` when the body is not this channel's webhook at all (answered 400). */
export class WebhookPayloadError extends Error {
  override readonly name = 'WebhookPayloadError';
  /** Where in the body the first problem is, e.g. `entry[0].changes`. */
  readonly path: string;

  constructor(message: string, path: string) {
    super(message);
    this.path = path;
  }
}

/** A demo customer's message as the platform would deliver it, signed (`demoDelivery`). */
export interface DemoDelivery {
  readonly raw: Buffer;
  readonly headers: IncomingHttpHeaders;
  /** The demo account's settings its `verify` and `parse` run with. */
  readonly settings: ChannelSettings;
  /** The URL it arrives at, for platforms that sign the query (WeChat). */
  readonly url?: URL;
}

export interface SenderDeps {
  /** The settings in force at the time of each send (an admin may change them while running). */
  readonly settings: () => ChannelSettings;
  readonly timeoutMs?: number;
  readonly fetch?: typeof fetch;
  /**
   * For channels that take files by URL only (LINE, Viber): the hub serves the file at an
   * unguessable HTTPS URL under its public address (`REPLYDESK_PUBLIC_URL`) and answers it.
   * Throws a non-retryable `ChannelMediaError` (code `no_public_url`) when the hub has no public
   * address.
   */
  readonly publishFile?: (file: {
    readonly bytes: Buffer;
    readonly mimeType: string;
    readonly filename: string;
  }) => Promise<string>;
}

/** What a channel's plan still lets the business push this month (LINE's message quota). */
export interface SendQuota {
  /** Messages a month; null when the plan sets no limit. */
  readonly limit: number | null;
  /** Counted this month. */
  readonly used: number;
  /** Left this month; null without a limit. */
  readonly left: number | null;
}

/** The platform's answer to "register webhook" on the Channels page. */
export type WebhookRegistration = { readonly ok: true; readonly detail: string } | Refusal;

export interface ChannelConnector {
  /** The channel, and the route: `/webhooks/<channel>`. */
  readonly channel: ChannelKind;
  /** What the admin sees, e.g. "WhatsApp Cloud API". */
  readonly name: string;
  /** The provider's id on the admin API (`whatsapp_cloud`). */
  readonly provider: string;
  readonly settings: readonly SettingSpec[];
  /** Whether webhooks can be received with these settings (else `/webhooks/<channel>` is 404). */
  receives(settings: ChannelSettings): boolean;
  /** The subscription handshake (GET), when the platform has one: the body to answer 200. */
  handshake?(url: URL, settings: ChannelSettings): { ok: true; body: string } | Refusal;
  /** The delivery's signature, on the raw bytes: a refusal is answered 401, nothing stored. */
  verify(delivery: WebhookDelivery, settings: ChannelSettings): { ok: true } | Refusal;
  /**
   * Map a verified delivery (JSON-parsed, text already made storable) to events.
   * @throws WebhookPayloadError when the body is not this channel's webhook.
   */
  parse(body: unknown, settings: ChannelSettings): ParsedDelivery;
  /**
   * Turn a verified delivery's raw bytes into the body `parse` maps (WeChat: decrypt safe mode,
   * read the XML). Absent: JSON. The result is made storable before `parse` sees it.
   * @throws WebhookPayloadError when the bytes are not this channel's webhook (answered 400).
   */
  decode?(delivery: WebhookDelivery, settings: ChannelSettings): unknown;
  /**
   * The answer once the delivery's events are committed (or kept as dead letters), for platforms
   * that read it (WeChat wants `success`; Viber takes a welcome message in the answer to
   * `conversation_started`). `body` is what `parse` was given. Absent or null: the hub's JSON
   * counts. A throw is logged on the channel's status and answered with the counts: the events
   * are stored already, so the platform must not deliver them again for it.
   */
  answer?(
    body: unknown,
    parsed: ParsedDelivery,
    settings: ChannelSettings,
    tools: WebhookTools,
  ): Promise<WebhookAnswer | null> | WebhookAnswer | null;
  /**
   * What the platform wants done once a delivery's events are committed, beyond the HTTP answer
   * (Telegram: `answerCallbackQuery` for each button tap, or the customer's button keeps
   * spinning). Given only the events this delivery newly stored (never a redelivery's
   * duplicates). Runs in the background: the delivery is answered without waiting for it, and
   * nothing stored depends on it. A throw is logged and put on the channel's status (its message
   * must not hold a secret); it is not retried.
   */
  afterStored?(
    stored: readonly InboundEvent[],
    settings: ChannelSettings,
    deps: Pick<SenderDeps, 'fetch' | 'timeoutMs'>,
  ): Promise<void>;
  createSender(deps: SenderDeps): ChannelSender;
  /** Media download and upload (channels/types.ts), made from the same deps as the sender. */
  createMedia?(deps: SenderDeps): ChannelMedia;
  /**
   * What the account's settings change in the reply window (Messenger / Instagram: whether the
   * Page holds the Human Agent permission for the 7-day HUMAN_AGENT tag). The hub refuses with
   * 409 what these options do not allow.
   */
  windowOptions?(settings: ChannelSettings): WindowOptions;
  /**
   * The Channels page's "register webhook": tell the platform to deliver to `webhookUrl`
   * (Telegram `setWebhook` with the secret token, Viber `set_webhook`, LINE's endpoint test).
   */
  registerWebhook?(
    webhookUrl: string,
    settings: ChannelSettings,
    deps: Pick<SenderDeps, 'fetch' | 'timeoutMs'>,
  ): Promise<WebhookRegistration>;
  /**
   * The Channels page's "Test connection": one harmless call with the saved credentials that
   * says whose account they open (Viber `get_account_info`, WeChat's access token), or the
   * platform's reason when they do not.
   */
  testConnection?(
    settings: ChannelSettings,
    deps: Pick<SenderDeps, 'fetch' | 'timeoutMs'>,
  ): Promise<WebhookRegistration>;
  /**
   * The customer's profile, for channels whose webhooks carry only an id (LINE: `GET
   * /v2/bot/profile/{userId}`): asked once for a customer the hub knows only by that id.
   */
  customerProfile?(
    externalId: string,
    settings: ChannelSettings,
    deps: Pick<SenderDeps, 'fetch' | 'timeoutMs'>,
  ): Promise<{ readonly name: string | null; readonly language?: string | null }>;
  /**
   * A group chat member's display name (LINE: `GET /v2/bot/group/{groupId}/member/{userId}`, or
   * the room's), for the messages `InboundMessage.sender` names in the chat `chatExternalId`
   * (the conversation's customer id); null when the platform has none. Asked once per member
   * and chat per hub run, by the leader.
   */
  memberName?(
    chatExternalId: string,
    memberExternalId: string,
    settings: ChannelSettings,
    deps: Pick<SenderDeps, 'fetch' | 'timeoutMs'>,
  ): Promise<string | null>;
  /**
   * Show the customer that an agent is typing (Telegram `sendChatAction typing`, LINE's loading
   * animation), to the customer `to` (`OutboundRequest.to`). Resolves with how long the platform
   * shows it (ms): the hub asks again after that while the agent still types.
   */
  showTyping?(
    to: string,
    settings: ChannelSettings,
    deps: Pick<SenderDeps, 'fetch' | 'timeoutMs'>,
  ): Promise<number>;
  /**
   * The agent ends the customer's session on the platform (KakaoTalk consultation talk: the
   * dealer's end-session call, CHANNEL-API.md §8.2), for the customer `to`. Once it resolves ok
   * the hub marks the conversation blocked, as the customer ending it would; `retryable` says
   * whether trying again later may help.
   */
  endSession?(
    to: string,
    settings: ChannelSettings,
    deps: Pick<SenderDeps, 'fetch' | 'timeoutMs'>,
  ): Promise<
    | { readonly ok: true }
    | { readonly ok: false; readonly retryable: boolean; readonly reason: string }
  >;
  /**
   * The account's monthly send quota, when the platform counts messages against one (LINE
   * pushes): read from the platform; the hub caches it briefly and the app shows what is left.
   */
  sendQuota?(
    settings: ChannelSettings,
    deps: Pick<SenderDeps, 'fetch' | 'timeoutMs'>,
  ): Promise<SendQuota>;
  /**
   * The demo simulator's customer message as this platform delivers it (a signed webhook), so
   * demo traffic goes through `verify` and `parse` like a real delivery; null for what the demo
   * hands to ingestion directly.
   */
  demoDelivery?(event: InboundMessage): DemoDelivery | null;
}

/** The value in force, '' when unset. */
export const settingOf = (settings: ChannelSettings, name: string): string => settings[name] ?? '';

/** Every required setting has a value. */
export const isConfigured = (connector: ChannelConnector, settings: ChannelSettings): boolean =>
  connector.settings.every((spec) => !spec.required || settingOf(settings, spec.name) !== '');

/**
 * The connector's settings from the environment (with defaults), and a problem when only some
 * of its required variables are set: half a channel is a typo, not a choice.
 */
export function settingsFromEnv(
  connector: ChannelConnector,
  env: Record<string, string | undefined>,
): { settings: Record<string, string>; problem: string | null } {
  const settings: Record<string, string> = {};
  for (const spec of connector.settings) {
    const value = (spec.env ? env[spec.env] : undefined) ?? spec.default;
    if (value !== undefined && value !== '') settings[spec.name] = value;
  }
  const required = connector.settings.filter((spec) => spec.required && spec.env);
  const missing = required.filter((spec) => !env[spec.env ?? '']);
  const problem =
    missing.length > 0 && missing.length < required.length
      ? `${connector.name} needs all of ${required.map((s) => s.env).join(', ')}; missing ${missing
          .map((s) => s.env)
          .join(', ')}.`
      : null;
  return { settings, problem };
}
