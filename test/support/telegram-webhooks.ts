/**
 * Telegram Updates shaped like the Bot API reference (core.telegram.org/bots/api#update,
 * CHANNEL-API.md §4.2), written out here rather than built by the code under test, and the
 * header Telegram sends with each (`X-Telegram-Bot-Api-Secret-Token`).
 */

export const TELEGRAM = {
  botToken: '7312345678:AAHdqTcvCH1vGWJxfSeofSAs0K5PALDsaw0',
  botId: '7312345678',
  webhookSecret: 'test-telegram-webhook-secret_123',
};

/** Settings as a hub is given them (env-only ones included). */
export function telegramSettings(apiUrl: string): Record<string, string> {
  return { botToken: TELEGRAM.botToken, webhookSecret: TELEGRAM.webhookSecret, apiUrl };
}

export interface Person {
  readonly id: number;
  readonly first_name: string;
  readonly last_name?: string;
  readonly username?: string;
  readonly language_code?: string;
}

export const user = (person: Person) => ({ is_bot: false, ...person });
export const privateChat = (person: Person) => ({
  id: person.id,
  type: 'private',
  first_name: person.first_name,
  ...(person.last_name ? { last_name: person.last_name } : {}),
  ...(person.username ? { username: person.username } : {}),
});

/** A `message` from `person` in their private chat with the bot; `fields` is its content. */
export function message(
  person: Person,
  messageId: number,
  date: number,
  fields: Record<string, unknown>,
): Record<string, unknown> {
  return {
    message_id: messageId,
    from: user(person),
    chat: privateChat(person),
    date,
    ...fields,
  };
}

export const update = (updateId: number, fields: Record<string, unknown>) => ({
  update_id: updateId,
  ...fields,
});

/** The bytes and headers Telegram would POST for `body`. */
export function telegramDelivery(
  body: unknown,
  secret: string | null = TELEGRAM.webhookSecret,
): { body: string; headers: Record<string, string> } {
  return {
    body: typeof body === 'string' ? body : JSON.stringify(body),
    headers: {
      'content-type': 'application/json',
      ...(secret === null ? {} : { 'x-telegram-bot-api-secret-token': secret }),
    },
  };
}

/** POSTs an Update to a hub's `/webhooks/telegram`. */
export async function postUpdate(
  hubUrl: string,
  body: unknown,
  secret: string | null = TELEGRAM.webhookSecret,
): Promise<{ status: number; body: Record<string, unknown> }> {
  const delivery = telegramDelivery(body, secret);
  const res = await fetch(`${hubUrl}/webhooks/telegram`, {
    method: 'POST',
    headers: delivery.headers,
    body: delivery.body,
  });
  const text = await res.text();
  return { status: res.status, body: (text ? JSON.parse(text) : {}) as Record<string, unknown> };
}
