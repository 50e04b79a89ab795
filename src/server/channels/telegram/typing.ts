import type { ChannelConnector } from '../connector';
import { callBotApi } from './bot-api';

/** How long Telegram shows "typing…" after `sendChatAction` (the Bot API: 5 s or less). */
export const TELEGRAM_TYPING_MS = 5_000;

/**
 * "typing…" in the customer's chat while an agent writes: `sendChatAction {chat_id, action:
 * "typing"}`. A refusal (the bot blocked, the chat gone) is thrown without the token.
 */
export const showTelegramTyping: NonNullable<ChannelConnector['showTyping']> = async (
  to,
  settings,
  deps,
) => {
  const answer = await callBotApi(
    settings,
    'sendChatAction',
    { chat_id: Number(to), action: 'typing' },
    { fetch: deps.fetch ?? fetch, signal: AbortSignal.timeout(deps.timeoutMs ?? 10_000) },
  );
  if (!answer.ok)
    throw new Error(
      `Telegram refused sendChatAction (HTTP ${answer.status}${answer.error ? `: ${answer.error.description}` : ''}).`,
    );
  return TELEGRAM_TYPING_MS;
};
