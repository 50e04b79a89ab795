import http, { type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * A local stand-in for the Telegram Bot API (CHANNEL-API.md §4; core.telegram.org/bots/api),
 * over real HTTP on 127.0.0.1: `POST /bot<token>/<method>` for sendMessage, sendPhoto,
 * sendDocument, sendVoice, sendVideo, sendAudio, sendChatAction, answerCallbackQuery, getFile,
 * setWebhook and getWebhookInfo, with JSON
 * or multipart/form-data bodies, and `GET /file/bot<token>/<file_path>` for downloads.
 *
 * It answers as documented: `{"ok":true,"result":…}`, or `{"ok":false,"error_code",
 * "description","parameters"?}` — 401 Unauthorized for another token, 404 for an unknown method,
 * 400 "Bad Request: chat not found" for a chat that never started the bot, "message text is
 * empty" / "message is too long" (4096) / "message caption is too long" (1024), "wrong file
 * identifier" for an unknown file_id, 403 "Forbidden: bot was blocked by the user" for a chat
 * the test blocked, 400 "Bad Request: message to be replied not found" for `reply_parameters`
 * naming a message the chat does not hold (unless `allow_sending_without_reply`), 400 "Bad
 * Request: query is too old and response timeout expired or query ID is invalid" for an answer
 * to a callback query the test did not issue (`addCallbackQuery`), expired, or answered before.
 * A file sent by multipart is kept under new file ids (a photo in two sizes)
 * that later sends and getFile accept. Tests script the next send's answer (`failNext`) and read
 * every request with its arrival time (`requests`).
 */

export interface RecordedFile {
  readonly field: string;
  readonly filename: string;
  readonly type: string;
  readonly bytes: Buffer;
}

export interface RecordedTelegramRequest {
  readonly method: string;
  /** The path with the token replaced by `<token>`. */
  readonly path: string;
  readonly headers: IncomingHttpHeaders;
  /** The JSON body, or the multipart form's text fields. */
  readonly params: Record<string, unknown>;
  readonly files: readonly RecordedFile[];
  /** `performance.now()` when the request arrived. */
  readonly at: number;
  response: { readonly status: number; readonly body: unknown } | null;
}

export interface TelegramFailure {
  readonly status: number;
  readonly description: string;
  readonly retryAfter?: number;
}

export interface FakeTelegramApi {
  readonly url: string;
  readonly requests: RecordedTelegramRequest[];
  /** Messages the fake accepted, in order: `{chat_id, method, message_id}`. */
  readonly sent: { readonly chatId: number; readonly method: string; readonly messageId: number }[];
  /** The bot's id (the token's numeric part). */
  readonly botId: number;
  /** A chat that has started the bot (sends to others are 400 chat not found). */
  addChat(chatId: number): void;
  /** The user blocked the bot: sends are 403 until `unblock`. */
  block(chatId: number): void;
  unblock(chatId: number): void;
  /** A file Telegram holds (an inbound one), served by getFile and `/file/bot<token>/<path>`. */
  addFile(
    fileId: string,
    bytes: Buffer,
    options: { readonly filePath: string; readonly declaredSize?: number | null },
  ): void;
  /** The next valid send (send*) gets this error (queued, one per call). */
  failNext(failure: TelegramFailure): void;
  /** The next valid send is accepted but never answered (a lost answer). */
  acceptAndHang(): void;
  /**
   * A button tap Telegram delivered (its `callback_query.id`): answerable once, until `expire`.
   */
  addCallbackQuery(id: string): void;
  /** The query's answer time ran out: answers are refused from now on. */
  expireCallbackQuery(id: string): void;
  /** Callback queries answered (accepted), in order, with the notification text if any. */
  readonly answeredCallbacks: { readonly id: string; readonly text: string | null }[];
  /** A message the chat holds (a customer's), which `reply_parameters` may name. */
  addMessage(chatId: number, messageId: number): void;
  /** What setWebhook last set. */
  readonly webhook: { url: string; secretToken: string | null; allowedUpdates: unknown } | null;
  /** Updates getWebhookInfo reports as pending. */
  pendingUpdates: number;
  close(): Promise<void>;
}

const SEND_METHODS: Readonly<Record<string, string>> = {
  sendPhoto: 'photo',
  sendDocument: 'document',
  sendVoice: 'voice',
  sendVideo: 'video',
  sendAudio: 'audio',
};
const KNOWN = new Set([
  'sendMessage',
  ...Object.keys(SEND_METHODS),
  'getFile',
  'sendChatAction',
  'answerCallbackQuery',
  'setWebhook',
  'getWebhookInfo',
]);

async function readForm(
  raw: Buffer,
  contentType: string,
): Promise<{ params: Record<string, unknown>; files: RecordedFile[] }> {
  // undici's multipart parser (the one behind fetch's Response#formData).
  const form = await new Response(new Uint8Array(raw), {
    headers: { 'content-type': contentType },
  }).formData();
  const params: Record<string, unknown> = {};
  const files: RecordedFile[] = [];
  for (const [field, value] of form.entries()) {
    if (typeof value === 'string') params[field] = value;
    else
      files.push({
        field,
        filename: value.name,
        type: value.type,
        bytes: Buffer.from(await value.arrayBuffer()),
      });
  }
  return { params, files };
}

export async function startFakeTelegramApi(options: {
  readonly botToken: string;
}): Promise<FakeTelegramApi> {
  const botId = Number(options.botToken.split(':')[0]);
  const requests: RecordedTelegramRequest[] = [];
  const sent: FakeTelegramApi['sent'] = [];
  const failures: TelegramFailure[] = [];
  const chats = new Set<number>();
  const blocked = new Set<number>();
  const files = new Map<
    string,
    { bytes: Buffer; filePath: string; declaredSize: number | null; kind: string }
  >();
  /** Callback queries still answerable (issued, not yet answered or expired). */
  const openQueries = new Set<string>();
  const answeredCallbacks: FakeTelegramApi['answeredCallbacks'] = [];
  /** `<chat>:<message_id>` of messages the chats hold (the customer's and the bot's own). */
  const messages = new Set<string>();
  let hangs = 0;
  let counter = 0;
  let messageIds = 100;
  const state: { webhook: FakeTelegramApi['webhook']; pending: number } = {
    webhook: null,
    pending: 0,
  };

  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      void handle(req, res, Buffer.concat(chunks));
    });
  });

  async function handle(req: http.IncomingMessage, res: http.ServerResponse, raw: Buffer) {
    const at = performance.now();
    const url = req.url ?? '';
    const path = url.split(options.botToken).join('<token>');
    const answer = (status: number, body: unknown, record?: RecordedTelegramRequest) => {
      if (record) record.response = { status, body };
      res.writeHead(status, { 'content-type': 'application/json' });
      res.end(JSON.stringify(body));
    };
    const error = (
      record: RecordedTelegramRequest | undefined,
      status: number,
      description: string,
      parameters?: object,
    ) =>
      answer(
        status,
        { ok: false, error_code: status, description, ...(parameters ? { parameters } : {}) },
        record,
      );

    // Downloads: GET /file/bot<token>/<file_path>.
    const download = /^\/file\/bot([^/]+)\/(.+)$/.exec(url);
    if (req.method === 'GET' && download) {
      const record: RecordedTelegramRequest = {
        method: 'download',
        path,
        headers: req.headers,
        params: {},
        files: [],
        at,
        response: null,
      };
      requests.push(record);
      if (download[1] !== options.botToken) return error(record, 401, 'Unauthorized');
      const filePath = decodeURIComponent(download[2] ?? '');
      const file = [...files.values()].find((f) => f.filePath === filePath);
      if (!file) return error(record, 404, 'Not Found');
      record.response = { status: 200, body: null };
      res.writeHead(200, {
        'content-type': 'application/octet-stream',
        'content-length': file.bytes.length,
      });
      return res.end(file.bytes);
    }

    const match = /^\/bot([^/]+)\/([A-Za-z]+)$/.exec(url.split('?')[0] ?? '');
    const method = match?.[2] ?? '';
    let params: Record<string, unknown> = {};
    let sentFiles: RecordedFile[] = [];
    const contentType = req.headers['content-type'] ?? '';
    try {
      if (contentType.startsWith('multipart/form-data')) {
        ({ params, files: sentFiles } = await readForm(raw, contentType));
      } else if (raw.length > 0) {
        params = JSON.parse(raw.toString('utf8')) as Record<string, unknown>;
      }
    } catch {
      params = {};
    }
    const record: RecordedTelegramRequest = {
      method,
      path,
      headers: req.headers,
      params,
      files: sentFiles,
      at,
      response: null,
    };
    requests.push(record);
    if (req.method !== 'POST' || !match) return error(record, 404, 'Not Found');
    if (match[1] !== options.botToken) return error(record, 401, 'Unauthorized');
    if (!KNOWN.has(method)) return error(record, 404, 'Not Found');

    if (method === 'getFile') {
      const id = params['file_id'];
      const file = typeof id === 'string' ? files.get(id) : undefined;
      if (!file) return error(record, 400, 'Bad Request: invalid file_id');
      if (file.bytes.length > 20 * 1024 * 1024)
        return error(record, 400, 'Bad Request: file is too big');
      return answer(
        200,
        {
          ok: true,
          result: {
            file_id: id,
            file_unique_id: `u${String(id).slice(-8)}`,
            ...(file.declaredSize === null ? {} : { file_size: file.declaredSize }),
            file_path: file.filePath,
          },
        },
        record,
      );
    }
    if (method === 'answerCallbackQuery') {
      const id = params['callback_query_id'];
      const text = params['text'];
      if (typeof id !== 'string' || id === '')
        return error(record, 400, 'Bad Request: QUERY_ID_INVALID');
      if (text !== undefined && (typeof text !== 'string' || text.length > 200))
        return error(record, 400, 'Bad Request: MESSAGE_TOO_LONG');
      if (!openQueries.has(id))
        return error(
          record,
          400,
          'Bad Request: query is too old and response timeout expired or query ID is invalid',
        );
      openQueries.delete(id);
      answeredCallbacks.push({ id, text: typeof text === 'string' ? text : null });
      return answer(200, { ok: true, result: true }, record);
    }
    if (method === 'setWebhook') {
      const hook = String(params['url'] ?? '');
      const secret = params['secret_token'];
      if (hook !== '' && !hook.startsWith('https://'))
        return error(
          record,
          400,
          'Bad Request: bad webhook: An HTTPS URL must be provided for webhook',
        );
      if (secret !== undefined && !/^[A-Za-z0-9_-]{1,256}$/.test(String(secret)))
        return error(record, 400, 'Bad Request: secret token contains unallowed characters');
      state.webhook = {
        url: hook,
        secretToken: secret === undefined ? null : String(secret),
        allowedUpdates: params['allowed_updates'] ?? null,
      };
      return answer(200, { ok: true, result: true, description: 'Webhook was set' }, record);
    }
    if (method === 'getWebhookInfo') {
      return answer(
        200,
        {
          ok: true,
          result: {
            url: state.webhook?.url ?? '',
            has_custom_certificate: false,
            pending_update_count: state.pending,
            ...(state.webhook?.allowedUpdates
              ? { allowed_updates: state.webhook.allowedUpdates }
              : {}),
          },
        },
        record,
      );
    }

    // Sends.
    const chatId = Number(params['chat_id']);
    if (!Number.isSafeInteger(chatId) || !chats.has(chatId))
      return error(record, 400, 'Bad Request: chat not found');
    if (method === 'sendChatAction') {
      if (params['action'] !== 'typing')
        return error(record, 400, 'Bad Request: wrong parameter action in request');
      return answer(200, { ok: true, result: true }, record);
    }
    // reply_parameters: JSON, or a JSON-serialised field in a multipart form.
    type ReplyParameters = { message_id?: unknown; allow_sending_without_reply?: unknown };
    let replyTo: ReplyParameters | null = null;
    const rawReply = params['reply_parameters'];
    if (rawReply !== undefined) {
      try {
        replyTo = (
          typeof rawReply === 'string' ? JSON.parse(rawReply) : rawReply
        ) as ReplyParameters | null;
      } catch {
        return error(record, 400, "Bad Request: can't parse reply parameters JSON object");
      }
      if (typeof replyTo?.message_id !== 'number')
        return error(record, 400, 'Bad Request: field "message_id" must be of type Integer');
      if (
        !messages.has(`${chatId}:${replyTo.message_id}`) &&
        replyTo.allow_sending_without_reply !== true
      )
        return error(record, 400, 'Bad Request: message to be replied not found');
    }
    let content: Record<string, unknown>;
    if (method === 'sendMessage') {
      const text = params['text'];
      if (typeof text !== 'string' || text.trim() === '')
        return error(record, 400, 'Bad Request: message text is empty');
      if (text.length > 4096) return error(record, 400, 'Bad Request: message is too long');
      if (params['parse_mode'] !== undefined)
        return error(record, 400, 'Bad Request: this fake takes plain text only');
      content = { text };
    } else {
      const field = SEND_METHODS[method] as string;
      const caption = params['caption'];
      if (typeof caption === 'string' && caption.length > 1024)
        return error(record, 400, 'Bad Request: message caption is too long');
      const upload = sentFiles.find((f) => f.field === field);
      let fileId: string;
      let bytes: Buffer;
      if (upload) {
        counter += 1;
        fileId = `${field}-file-${counter}`;
        bytes = upload.bytes;
        files.set(fileId, {
          bytes,
          filePath: `${field}s/file_${counter}`,
          declaredSize: bytes.length,
          kind: field,
        });
      } else {
        const named = params[field];
        const known = typeof named === 'string' ? files.get(named) : undefined;
        if (!known || typeof named !== 'string')
          return error(record, 400, 'Bad Request: wrong file identifier/HTTP URL specified');
        fileId = named;
        bytes = known.bytes;
      }
      const size = { file_unique_id: `u${counter}`, file_size: bytes.length };
      content =
        field === 'photo'
          ? {
              photo: [
                // Telegram answers every size it made, smallest first.
                { file_id: `${fileId}-thumb`, width: 90, height: 90, ...size },
                { file_id: fileId, width: 800, height: 800, ...size },
              ],
            }
          : { [field]: { file_id: fileId, ...size } };
      if (typeof caption === 'string' && caption !== '') content['caption'] = caption;
    }
    if (blocked.has(chatId)) return error(record, 403, 'Forbidden: bot was blocked by the user');
    const failure = failures.shift();
    if (failure) {
      return error(
        record,
        failure.status,
        failure.description,
        failure.retryAfter === undefined ? undefined : { retry_after: failure.retryAfter },
      );
    }
    messageIds += 1;
    sent.push({ chatId, method, messageId: messageIds });
    messages.add(`${chatId}:${messageIds}`);
    const quoted =
      replyTo && messages.has(`${chatId}:${String(replyTo.message_id)}`)
        ? {
            reply_to_message: {
              message_id: replyTo.message_id,
              chat: { id: chatId, type: 'private' },
              date: 0,
            },
          }
        : {};
    if (hangs > 0) {
      hangs -= 1;
      return undefined;
    }
    return answer(
      200,
      {
        ok: true,
        result: {
          message_id: messageIds,
          from: { id: botId, is_bot: true, first_name: 'Shop bot', username: 'shop_bot' },
          chat: { id: chatId, type: 'private' },
          date: Math.floor(Date.now() / 1000),
          ...quoted,
          ...content,
        },
      },
      record,
    );
  }

  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    sent,
    botId,
    addChat: (chatId) => void chats.add(chatId),
    block: (chatId) => void blocked.add(chatId),
    unblock: (chatId) => void blocked.delete(chatId),
    addFile: (fileId, bytes, { filePath, declaredSize }) =>
      void files.set(fileId, {
        bytes,
        filePath,
        declaredSize: declaredSize === undefined ? bytes.length : declaredSize,
        kind: 'inbound',
      }),
    failNext: (failure) => void failures.push(failure),
    addCallbackQuery: (id) => void openQueries.add(id),
    expireCallbackQuery: (id) => void openQueries.delete(id),
    answeredCallbacks,
    addMessage: (chatId, messageId) => void messages.add(`${chatId}:${messageId}`),
    acceptAndHang: () => {
      hangs += 1;
    },
    get webhook() {
      return state.webhook;
    },
    get pendingUpdates() {
      return state.pending;
    },
    set pendingUpdates(n: number) {
      state.pending = n;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
