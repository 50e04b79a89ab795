import { PRESENCE, type PresencePerson, type ServerFrame } from '../../../shared/protocol/realtime';
import type { Timers } from './realtime';

/**
 * Presence in the app (issue 12, item 13; docs/protocol.md, "Presence"): what this agent tells
 * the hub (the conversation open, typing in it) and what the hub says of the others. Nothing is
 * cached: it lives as long as the socket. Framework-free, with timers and the clock injected.
 */

export type PresenceServerFrame = Extract<ServerFrame, { type: 'presence' }>;

/** What the sync engine tells presence about the socket (as it does the outbox). */
export interface PresenceLink {
  /** The socket is live (after its hello): frames may go through `send`. */
  connected(send: (data: string) => boolean): void;
  /** The socket is gone: what others showed is no longer known. */
  disconnected(): void;
  received(frame: PresenceServerFrame): void;
}

export interface Presence extends PresenceLink {
  /** The conversation on screen, `null` for none. Kept fresh at the hub while it stays open. */
  view(conversationId: string | null): void;
  /** A keystroke in the reply to `conversationId` (throttled here). */
  typed(conversationId: string): void;
  /** The others viewing or typing in a conversation; the same array until it changes. */
  peopleIn(conversationId: string): readonly PresencePerson[];
  subscribe(listener: () => void): () => void;
  stop(): void;
}

const NOBODY: readonly PresencePerson[] = [];

export function createPresence(options: {
  readonly me: { readonly id: string };
  readonly timers: Timers;
  readonly now: () => number;
}): Presence {
  const { timers, now, me } = options;
  let send: ((data: string) => boolean) | null = null;
  let viewing: string | null = null;
  let refreshTimer: unknown = null;
  let lastTyping: { conversationId: string; at: number } | null = null;
  const people = new Map<string, readonly PresencePerson[]>();
  const listeners = new Set<() => void>();

  const changed = (): void => {
    for (const listener of [...listeners]) listener();
  };

  function sendFrame(frame: object): void {
    send?.(JSON.stringify(frame));
  }

  function armRefresh(): void {
    if (refreshTimer !== null) timers.clearTimeout(refreshTimer);
    refreshTimer = null;
    if (viewing === null || send === null) return;
    refreshTimer = timers.setTimeout(() => {
      refreshTimer = null;
      sendFrame({ type: 'viewing', conversationId: viewing });
      armRefresh();
    }, PRESENCE.viewingRefreshMs);
  }

  return {
    connected(sender) {
      send = sender;
      // The hub forgot this socket's presence with the last one: say it again.
      if (viewing !== null) sendFrame({ type: 'viewing', conversationId: viewing });
      lastTyping = null;
      armRefresh();
    },
    disconnected() {
      send = null;
      armRefresh();
      if (people.size === 0) return;
      people.clear();
      changed();
    },
    received(frame) {
      const others = frame.people.filter((person) => person.userId !== me.id);
      if (others.length === 0) {
        if (!people.delete(frame.conversationId)) return;
      } else people.set(frame.conversationId, others);
      changed();
    },
    view(conversationId) {
      if (conversationId === viewing) return;
      viewing = conversationId;
      lastTyping = null;
      sendFrame({ type: 'viewing', conversationId });
      armRefresh();
    },
    typed(conversationId) {
      const at = now();
      const recent =
        lastTyping !== null &&
        lastTyping.conversationId === conversationId &&
        at - lastTyping.at < PRESENCE.typingThrottleMs;
      if (recent || send === null) return;
      lastTyping = { conversationId, at };
      sendFrame({ type: 'typing', conversationId });
    },
    peopleIn: (conversationId) => people.get(conversationId) ?? NOBODY,
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    stop() {
      send = null;
      viewing = null;
      armRefresh();
      people.clear();
    },
  };
}
