import type { SequencedEvent } from '../../shared/protocol/events';

/**
 * Committed events fan out to subscribers (the WebSocket server) in seq order. In one hub this
 * is in-process; the scale-out issue replaces the transport with PostgreSQL LISTEN/NOTIFY.
 */
export interface EventBus {
  publish(events: readonly SequencedEvent[]): void;
  subscribe(listener: (events: readonly SequencedEvent[]) => void): () => void;
}

/** Hand `events` to every listener; one that throws is logged and does not stop the others. */
export function notifyListeners(
  listeners: Iterable<(events: readonly SequencedEvent[]) => void>,
  events: readonly SequencedEvent[],
): void {
  for (const listener of listeners) {
    try {
      listener(events);
    } catch (error) {
      console.error('hub: event listener failed:', error instanceof Error ? error.message : error);
    }
  }
}

export function createEventBus(): EventBus {
  const listeners = new Set<(events: readonly SequencedEvent[]) => void>();
  return {
    publish(events) {
      if (events.length === 0) return;
      notifyListeners(listeners, events);
    },
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };
}
