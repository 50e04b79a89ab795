import { PRESENCE, type PresencePerson } from '../../shared/protocol/realtime';

/**
 * Who is viewing or typing in which conversation (issue 12, item 13: two agents answered the
 * same customer without knowing). Ephemeral and in memory: one entry per socket, which views at
 * most one conversation, so the whole is bounded by the number of sockets. Nothing here is
 * written to the event log. Every change answers the conversations whose people changed, and
 * which users changed in each, so the socket server tells only those to whom it is news.
 */

export interface PresenceUser {
  readonly id: string;
  readonly name: string;
}

interface Entry {
  readonly user: PresenceUser;
  conversationId: string;
  viewingUntil: number;
  typingUntil: number | null;
}

export interface PresenceChange {
  readonly conversationId: string;
  /** Everyone there now, the receiving user included (the server leaves them out). */
  readonly people: readonly PresencePerson[];
  /** Users whose presence in this conversation changed: news to everyone else. */
  readonly changedUserIds: ReadonlySet<string>;
}

export interface PresenceTracker<K> {
  viewing(key: K, user: PresenceUser, conversationId: string | null): PresenceChange[];
  typing(key: K, user: PresenceUser, conversationId: string): PresenceChange[];
  /** The socket sent its reply: it is no longer typing. */
  stopTyping(key: K): PresenceChange[];
  /** The socket closed (or its user was disabled). */
  remove(key: K): PresenceChange[];
  /** Drop what was not refreshed in time. */
  expire(): PresenceChange[];
  /** Conversations with anyone in them, and who (for a socket that just connected). */
  all(): PresenceChange[];
}

export function createPresenceTracker<K>(options: {
  readonly now: () => number;
  readonly viewingTtlMs?: number;
  readonly typingTtlMs?: number;
}): PresenceTracker<K> {
  const { now } = options;
  const viewingTtl = options.viewingTtlMs ?? PRESENCE.viewingTtlMs;
  const typingTtl = options.typingTtlMs ?? PRESENCE.typingTtlMs;
  const entries = new Map<K, Entry>();

  /** One row per user (several windows of one agent count once; typing in any wins). */
  function peopleIn(conversationId: string): PresencePerson[] {
    const byUser = new Map<string, PresencePerson>();
    for (const entry of entries.values()) {
      if (entry.conversationId !== conversationId) continue;
      const activity = entry.typingUntil !== null ? 'typing' : 'viewing';
      const known = byUser.get(entry.user.id);
      if (!known || activity === 'typing') {
        byUser.set(entry.user.id, { userId: entry.user.id, name: entry.user.name, activity });
      }
    }
    return [...byUser.values()].sort(
      (a, b) => a.name.localeCompare(b.name) || a.userId.localeCompare(b.userId),
    );
  }

  /** Run `mutate`, then compare the people of the conversations it may have touched. */
  function track(touched: Iterable<string>, mutate: () => void): PresenceChange[] {
    const ids = [...new Set(touched)];
    const before = new Map(ids.map((id) => [id, peopleIn(id)]));
    mutate();
    const changes: PresenceChange[] = [];
    for (const id of ids) {
      const people = peopleIn(id);
      const previous = new Map((before.get(id) ?? []).map((p) => [p.userId, p.activity]));
      const changedUserIds = new Set<string>();
      for (const person of people) {
        if (previous.get(person.userId) !== person.activity) changedUserIds.add(person.userId);
        previous.delete(person.userId);
      }
      for (const gone of previous.keys()) changedUserIds.add(gone);
      if (changedUserIds.size > 0) changes.push({ conversationId: id, people, changedUserIds });
    }
    return changes;
  }

  function view(key: K, user: PresenceUser, conversationId: string, typing: boolean) {
    const at = now();
    const entry = entries.get(key);
    const touched = [conversationId, ...(entry ? [entry.conversationId] : [])];
    return track(touched, () => {
      const typingUntil = typing
        ? at + typingTtl
        : entry && entry.conversationId === conversationId
          ? entry.typingUntil
          : null;
      entries.set(key, {
        user,
        conversationId,
        viewingUntil: at + viewingTtl,
        typingUntil,
      });
    });
  }

  return {
    viewing(key, user, conversationId) {
      if (conversationId === null) return this.remove(key);
      return view(key, user, conversationId, false);
    },
    typing(key, user, conversationId) {
      return view(key, user, conversationId, true);
    },
    stopTyping(key) {
      const entry = entries.get(key);
      if (!entry || entry.typingUntil === null) return [];
      return track([entry.conversationId], () => {
        entry.typingUntil = null;
      });
    },
    remove(key) {
      const entry = entries.get(key);
      if (!entry) return [];
      return track([entry.conversationId], () => entries.delete(key));
    },
    expire() {
      const at = now();
      const touched = [...entries.values()]
        .filter((e) => e.viewingUntil <= at || (e.typingUntil !== null && e.typingUntil <= at))
        .map((e) => e.conversationId);
      if (touched.length === 0) return [];
      return track(touched, () => {
        for (const [key, entry] of entries) {
          if (entry.viewingUntil <= at) entries.delete(key);
          else if (entry.typingUntil !== null && entry.typingUntil <= at) entry.typingUntil = null;
        }
      });
    },
    all() {
      const ids = new Set([...entries.values()].map((entry) => entry.conversationId));
      return [...ids].map((conversationId) => {
        const people = peopleIn(conversationId);
        return {
          conversationId,
          people,
          changedUserIds: new Set(people.map((p) => p.userId)),
        };
      });
    },
  };
}
