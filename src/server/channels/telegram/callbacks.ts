import { settingOf, type ChannelConnector } from '../connector';
import { callBotApi } from './bot-api';
import { scrubber } from './settings';
import { CALLBACK_PREFIX } from './webhook';

/** answerCallbackQuery's `text`: 0–200 characters (core.telegram.org/bots/api#answercallbackquery). */
export const CALLBACK_TEXT_LIMIT = 200;

/**
 * Every button tap (`callback_query`) must be answered with `answerCallbackQuery
 * {callback_query_id}`, or the customer's button keeps spinning until Telegram gives up. Called
 * by the hub once the taps are stored, with only the newly stored ones (a redelivered update
 * answers nothing more), in the background. The answer shows the account's `callbackAnswerText`
 * as a brief notification, or nothing when it is empty. Each query is answered once, never
 * retried: Telegram refuses an answer after a few seconds ("query is too old…"). Refusals are
 * thrown together, without the token.
 */
export const answerTelegramCallbacks: NonNullable<ChannelConnector['afterStored']> = async (
  stored,
  settings,
  deps,
) => {
  const ids = stored.flatMap((event) =>
    event.kind === 'message' && event.externalId.startsWith(CALLBACK_PREFIX)
      ? [event.externalId.slice(CALLBACK_PREFIX.length)]
      : [],
  );
  if (ids.length === 0) return;
  const text = settingOf(settings, 'callbackAnswerText').slice(0, CALLBACK_TEXT_LIMIT);
  const scrub = scrubber(settings, 300);
  const failures = await Promise.all(
    ids.map(async (id): Promise<string | null> => {
      try {
        const answer = await callBotApi(
          settings,
          'answerCallbackQuery',
          { callback_query_id: id, ...(text === '' ? {} : { text }) },
          { fetch: deps.fetch ?? fetch, signal: AbortSignal.timeout(deps.timeoutMs ?? 10_000) },
        );
        if (answer.ok) return null;
        return `HTTP ${answer.status}${answer.error ? `: ${answer.error.description}` : ''}`;
      } catch (error) {
        return error instanceof Error ? error.message : String(error);
      }
    }),
  );
  const refused = failures.flatMap((failure, i) => (failure === null ? [] : [[ids[i], failure]]));
  if (refused.length > 0)
    throw new Error(
      scrub(
        `Telegram did not take the answer to ${refused.length === 1 ? 'a button tap' : `${refused.length} button taps`} (${refused
          .map(([id, why]) => `${id}: ${why}`)
          .join('; ')}); the customer's button may spin until Telegram gives up.`,
      ),
    );
};
