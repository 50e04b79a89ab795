/**
 * Telegram's flood limits (CHANNEL-API.md §4.5, the Bot FAQ): avoid more than one message per
 * second in a chat, and about 30 per second for the bot as a whole; past them it answers 429.
 * The sender paces itself instead: each send takes the next free slot of its chat (1 s apart)
 * and of the bot (1000/30 ms from any other of its sends, so no second ever holds more than
 * 30), and waits for it.
 * A wait longer than `maxWaitMs` is not slept through: the sender hands the send back to the
 * durable queue with that delay. In memory, per hub: a second hub sending for the same bot is
 * kept in line by Telegram's own 429s.
 */

export interface PacingOptions {
  readonly perChatMs?: number;
  readonly perBotMs?: number;
  readonly maxWaitMs?: number;
  readonly now?: () => number;
  readonly sleep?: (ms: number) => Promise<void>;
}

export interface Pacer {
  /**
   * Takes the next slot for a send to `chat` and waits for it: `{ waited }` in ms, or
   * `{ later }` (nothing taken) when the slot is further off than `maxWaitMs`.
   */
  take(chat: string): Promise<{ readonly waited: number } | { readonly later: number }>;
}

export const PER_CHAT_MS = 1000;
export const PER_BOT_MS = Math.ceil(1000 / 30);
export const MAX_WAIT_MS = 5000;
/** Chats remembered before the ones whose slot has passed are forgotten. */
const PRUNE_AT = 1000;

export function createPacer(options: PacingOptions = {}): Pacer {
  const perChatMs = options.perChatMs ?? PER_CHAT_MS;
  const perBotMs = options.perBotMs ?? PER_BOT_MS;
  const maxWaitMs = options.maxWaitMs ?? MAX_WAIT_MS;
  const now = options.now ?? Date.now;
  const sleep =
    options.sleep ?? ((ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)));
  /** When each chat may next be sent to. */
  const chatFree = new Map<string, number>();
  /** The bot's slots taken and still to come (or just gone), in order. */
  let botSlots: number[] = [];

  /** The first instant from `from` on that is `perBotMs` away from every slot the bot took. */
  function botSlotFrom(from: number): number {
    let slot = from;
    for (const taken of botSlots) {
      if (slot <= taken - perBotMs) break;
      if (slot < taken + perBotMs) slot = taken + perBotMs;
    }
    return slot;
  }

  return {
    async take(chat) {
      const at = now();
      botSlots = botSlots.filter((taken) => taken > at - perBotMs);
      // A chat waiting for its second leaves the bot's other chats free to go in between.
      const slot = botSlotFrom(Math.max(at, chatFree.get(chat) ?? 0));
      if (slot - at > maxWaitMs) return { later: slot - at };
      // Taken synchronously, so concurrent sends get distinct slots.
      chatFree.set(chat, slot + perChatMs);
      botSlots.push(slot);
      botSlots.sort((a, b) => a - b);
      if (chatFree.size > PRUNE_AT) {
        for (const [key, free] of chatFree) if (free <= at) chatFree.delete(key);
      }
      if (slot > at) await sleep(slot - at);
      return { waited: slot - at };
    },
  };
}
