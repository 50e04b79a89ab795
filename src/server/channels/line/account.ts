import { z } from 'zod';
import type { ChannelSettings, SendQuota, WebhookRegistration } from '../connector';
import { lineCall, lineErrorText, scrubber, transportDetail, type LineCallDeps } from './client';

/**
 * The LINE account's own calls (CHANNEL-API.md §5.3, §5.6): the monthly push quota, the loading
 * indicator an agent's typing may show, and the Channels page's "register webhook".
 */

/** `{ limit, used, left }`: `limit` and `left` are null when the plan sets no limit. */
export type LineQuota = SendQuota;

const quotaSchema = z.union([
  z.object({ type: z.literal('none') }),
  z.object({ type: z.literal('limited'), value: z.number().int().nonnegative() }),
]);
const consumptionSchema = z.object({ totalUsage: z.number().int().nonnegative() });
const webhookTestSchema = z.object({
  success: z.boolean(),
  timestamp: z.string().optional(),
  statusCode: z.number().int().optional(),
  reason: z.string().max(500).optional(),
  detail: z.string().max(2000).optional(),
});

/** An error of these calls, its message free of the token. */
export class LineApiError extends Error {
  override readonly name = 'LineApiError';
  constructor(
    message: string,
    readonly status: number | null,
  ) {
    super(message);
  }
}

async function getJson<T>(
  settings: ChannelSettings,
  deps: LineCallDeps,
  path: string,
  schema: z.ZodType<T>,
): Promise<T> {
  const scrub = scrubber(settings);
  let answer;
  try {
    answer = await lineCall(settings, deps, 'GET', path);
  } catch (error) {
    throw new LineApiError(scrub(`Could not reach LINE (${transportDetail(error)}).`), null);
  }
  if (answer.status !== 200) {
    const said = lineErrorText(answer.json);
    throw new LineApiError(
      scrub(`LINE answered ${path} with HTTP ${answer.status}${said ? `: ${said}` : ''}.`),
      answer.status,
    );
  }
  const parsed = schema.safeParse(answer.json);
  if (!parsed.success)
    throw new LineApiError(`LINE answered ${path} with a body Replydesk cannot read.`, 200);
  return parsed.data;
}

/** What this month's pushes counted so far: `GET /v2/bot/message/quota/consumption`. */
export async function readLineConsumption(
  settings: ChannelSettings,
  deps: LineCallDeps = {},
): Promise<number> {
  const consumption = await getJson(
    settings,
    deps,
    '/v2/bot/message/quota/consumption',
    consumptionSchema,
  );
  return consumption.totalUsage;
}

/**
 * This month's push quota: `GET /v2/bot/message/quota` and `/v2/bot/message/quota/consumption`.
 * @throws LineApiError when LINE cannot be asked or refuses.
 */
export async function readLineQuota(
  settings: ChannelSettings,
  deps: LineCallDeps = {},
): Promise<LineQuota> {
  const [quota, consumption] = await Promise.all([
    getJson(settings, deps, '/v2/bot/message/quota', quotaSchema),
    getJson(settings, deps, '/v2/bot/message/quota/consumption', consumptionSchema),
  ]);
  const used = consumption.totalUsage;
  if (quota.type === 'none') return { limit: null, used, left: null };
  return { limit: quota.value, used, left: Math.max(0, quota.value - used) };
}

/**
 * Shows the "…" loading animation in a one-to-one chat for `seconds` (rounded up to LINE's
 * multiples of 5, between 5 and 60), or until the next message arrives there:
 * `POST /v2/bot/chat/loading/start {chatId, loadingSeconds}` → 202.
 */
export async function startLineLoading(
  settings: ChannelSettings,
  deps: LineCallDeps,
  chatId: string,
  seconds: number,
): Promise<{ ok: true; loadingSeconds: number } | { ok: false; reason: string }> {
  const loadingSeconds = Math.min(60, Math.max(5, Math.ceil(seconds / 5) * 5));
  const scrub = scrubber(settings);
  try {
    const answer = await lineCall(settings, deps, 'POST', '/v2/bot/chat/loading/start', {
      chatId,
      loadingSeconds,
    });
    if (answer.status === 202 || answer.status === 200) return { ok: true, loadingSeconds };
    const said = lineErrorText(answer.json);
    return {
      ok: false,
      reason: scrub(
        `LINE refused the loading indicator (HTTP ${answer.status})${said ? `: ${said}` : ''}.`,
      ),
    };
  } catch (error) {
    return { ok: false, reason: scrub(`Could not reach LINE (${transportDetail(error)}).`) };
  }
}

/**
 * The Channels page's "register webhook": `PUT /v2/bot/channel/webhook/endpoint {endpoint}`,
 * then `POST /v2/bot/channel/webhook/test {endpoint}`, in which LINE sends the hub a signed
 * delivery without events and reports what the hub answered.
 */
export async function registerLineWebhook(
  webhookUrl: string,
  settings: ChannelSettings,
  deps: LineCallDeps,
): Promise<WebhookRegistration> {
  const scrub = scrubber(settings);
  const refusal = (reason: string, message = reason): WebhookRegistration => ({
    ok: false,
    reason: scrub(reason),
    message: scrub(message),
  });
  try {
    const set = await lineCall(settings, deps, 'PUT', '/v2/bot/channel/webhook/endpoint', {
      endpoint: webhookUrl,
    });
    if (set.status !== 200) {
      const said = lineErrorText(set.json);
      return refusal(
        `LINE refused the webhook URL (HTTP ${set.status})${said ? `: ${said}` : ''}.`,
      );
    }
    const test = await lineCall(settings, deps, 'POST', '/v2/bot/channel/webhook/test', {
      endpoint: webhookUrl,
    });
    if (test.status !== 200) {
      const said = lineErrorText(test.json);
      return refusal(
        `LINE saved the webhook URL but could not test it (HTTP ${test.status})${said ? `: ${said}` : ''}.`,
      );
    }
    const result = webhookTestSchema.safeParse(test.json);
    if (!result.success)
      return refusal(
        'LINE saved the webhook URL but answered its test with a body Replydesk cannot read.',
      );
    const { success, statusCode, reason, detail } = result.data;
    if (success) return { ok: true, detail: `LINE reached the webhook (${statusCode ?? 200}).` };
    const why = [reason, detail].filter(Boolean).join(': ');
    return refusal(
      `LINE saved the webhook URL, but its test delivery failed${statusCode ? ` (HTTP ${statusCode})` : ''}${why ? `: ${why}` : ''}.`,
    );
  } catch (error) {
    return refusal(`Could not reach LINE (${transportDetail(error)}).`);
  }
}

const profileSchema = z.object({
  displayName: z.string().max(200).optional(),
  language: z.string().max(20).optional(),
});

const groupSummarySchema = z.object({ groupName: z.string().max(200).optional() });

/** LINE's ids: a user `U…`, a group `C…`, a room (multi-person chat) `R…`, 32 hex digits each. */
const LINE_ID = /^[UCR][0-9a-f]{32}$/;

/**
 * The customer of a LINE conversation, named: a user's display name and language, `GET
 * /v2/bot/profile/{userId}` (friends of the account only); a group's name, `GET
 * /v2/bot/group/{groupId}/summary`; a room has no name (null).
 * @throws LineApiError when LINE cannot be asked or refuses (404: not a friend, not in the group).
 */
export async function readLineProfile(
  userId: string,
  settings: ChannelSettings,
  deps: LineCallDeps = {},
): Promise<{ name: string | null; language: string | null }> {
  if (!LINE_ID.test(userId)) throw new LineApiError('Not a LINE user, group or room id.', null);
  if (userId.startsWith('R')) return { name: null, language: null };
  if (userId.startsWith('C')) {
    const group = await getJson(
      settings,
      deps,
      `/v2/bot/group/${userId}/summary`,
      groupSummarySchema,
    );
    return { name: group.groupName?.trim() || null, language: null };
  }
  const profile = await getJson(settings, deps, `/v2/bot/profile/${userId}`, profileSchema);
  return { name: profile.displayName?.trim() || null, language: profile.language ?? null };
}

/**
 * A group or room member's display name: `GET /v2/bot/group/{groupId}/member/{userId}` or `GET
 * /v2/bot/room/{roomId}/member/{userId}` (members who are not friends of the account too).
 * @throws LineApiError when LINE cannot be asked or refuses (404: no longer in the chat).
 */
export async function readLineMemberName(
  chatId: string,
  userId: string,
  settings: ChannelSettings,
  deps: LineCallDeps = {},
): Promise<string | null> {
  if (!/^[CR][0-9a-f]{32}$/.test(chatId) || !/^U[0-9a-f]{32}$/.test(userId))
    throw new LineApiError('Not a LINE group or room and member id.', null);
  const kind = chatId.startsWith('C') ? 'group' : 'room';
  const member = await getJson(
    settings,
    deps,
    `/v2/bot/${kind}/${chatId}/member/${userId}`,
    profileSchema,
  );
  return member.displayName?.trim() || null;
}
