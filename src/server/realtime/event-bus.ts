import type { SequencedEvent } from '../../shared/protocol/events';

/**
 * Committed events fan out to subscribers (the WebSocket server) in seq order. In one hub this
 * is in-process; the scale-out issue replaces the transport with PostgreSQL LISTEN/NOTIFY.
 */
export interface EventBus {
  publish(events: readonly SequencedEvent[]): void;
  subscribe(listener: (events: readonly SequencedEvent[]) => void): () => void;
}

export function createEventBus(): EventBus {
  const listeners = new Set<(events: readonly SequencedEvent[]) => void>();
  return {
    publish(events) {
      if (events.length === 0) return;
      for (const listener of listeners) {
        try {
          listener(events);
        } catch (error) {
          console.error(
            'hub: event listener failed:',
            error instanceof Error ? error.message : error,
          );
        }
      }
    },
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };
}
