import type { ChannelKind } from '../../shared/domain/channels';
import { isConfigured, type ChannelConnector, type ChannelSettings } from '../channels/connector';
import type { Db } from '../store/db';

/**
 * Agents' typing, shown to the customer where the channel can (Telegram "typing…", LINE's
 * loading animation; issue #15). The realtime server reports each typing frame; this asks the
 * channel at most once per period the platform shows it (`showTyping` says how long), per
 * conversation, and never for demo accounts, blocked customers or unconfigured channels. A
 * refusal is dropped: the indicator is a courtesy, and the next frame tries again after a pause.
 */
export function createTypingRelay(options: {
  readonly db: Db;
  readonly now: () => number;
  readonly connectorOf: (channel: ChannelKind) => ChannelConnector | null;
  readonly settingsOf: (channel: ChannelKind) => ChannelSettings;
}): { typing(conversationId: string): Promise<void> } {
  const { db, now } = options;
  /** Until when each conversation's indicator is showing (or the last try is cooling off). */
  const showing = new Map<string, number>();
  const RETRY_AFTER_FAILURE_MS = 30_000;

  /** The request to the channel each conversation is waiting on, if one is out. */
  const asking = new Map<string, Promise<void>>();

  /** Ask the channel to show the indicator from `at`; how long it shows counts from `at`. */
  async function show(conversationId: string, at: number): Promise<void> {
    showing.set(conversationId, at + RETRY_AFTER_FAILURE_MS);
    const { rows } = await db.query<{
      channel: ChannelKind;
      channel_account_id: string;
      customer_external_id: string;
      blocked_at: number | null;
    }>(
      `select channel, channel_account_id, customer_external_id, blocked_at
       from conversations where id = $1`,
      [conversationId],
    );
    const row = rows[0];
    const connector = row ? options.connectorOf(row.channel) : null;
    if (
      !row ||
      !connector?.showTyping ||
      row.blocked_at !== null ||
      row.channel_account_id.startsWith('demo-')
    )
      return;
    const settings = options.settingsOf(row.channel);
    if (!isConfigured(connector, settings)) return;
    try {
      const lasts = await connector.showTyping(row.customer_external_id, settings, {
        timeoutMs: 10_000,
      });
      showing.set(conversationId, at + lasts);
    } catch {
      // Refused or unreachable: tried again after RETRY_AFTER_FAILURE_MS.
    }
  }

  return {
    async typing(conversationId) {
      // The frame's own time: one that arrives while a request is out waits for its answer and
      // is then judged by when it came, not by when the answer did.
      const at = now();
      for (let out = asking.get(conversationId); out; out = asking.get(conversationId)) await out;
      if ((showing.get(conversationId) ?? 0) > at + 1_000) return;
      if (showing.size > 10_000)
        for (const [id, until] of showing) if (until <= at) showing.delete(id);
      const ask = show(conversationId, at).finally(() => asking.delete(conversationId));
      asking.set(conversationId, ask);
      await ask;
    },
  };
}
