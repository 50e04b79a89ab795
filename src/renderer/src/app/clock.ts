import { useSyncExternalStore } from 'react';

/**
 * The app's one clock. Every timer on screen reads it, so they all tick together; it ticks once
 * a second only while something is subscribed, and re-reads the system time at each tick, so it
 * stays right after sleep, wake and system clock changes. `skewMs` is the hub's time minus ours
 * (set when the hub says hello).
 */
const listeners = new Set<() => void>();
let skewMs = 0;
let current = Date.now();
let timer: ReturnType<typeof setInterval> | null = null;

function tick(): void {
  current = Date.now() + skewMs;
  for (const listener of listeners) listener();
}

function subscribe(listener: () => void): () => void {
  listeners.add(listener);
  if (timer === null) {
    tick();
    // Align ticks to whole seconds so countdowns change together with the wall clock.
    timer = setInterval(tick, 1000);
  }
  return () => {
    listeners.delete(listener);
    if (listeners.size === 0 && timer !== null) {
      clearInterval(timer);
      timer = null;
    }
  };
}

const snapshot = (): number => current;

/** The corrected current time in epoch ms, re-rendering the caller every second. */
export function useNow(): number {
  return useSyncExternalStore(subscribe, snapshot, snapshot);
}

/** Record the hub's clock so every timer follows the hub, not this machine. */
export function setHubTime(hubNow: number, localNow: number = Date.now()): void {
  skewMs = hubNow - localNow;
  tick();
}
