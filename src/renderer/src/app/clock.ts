import { useSyncExternalStore } from 'react';

/**
 * The app's one clock. Every timer on screen reads it, so they all tick together; it ticks once
 * a second only while something is subscribed, and re-reads the system time at each tick, so it
 * stays right after sleep, wake and system clock changes (a page coming back into view ticks at
 * once rather than waiting for a throttled interval). `skewMs` is the hub's time minus ours (set
 * when the hub says hello).
 */
const listeners = new Set<() => void>();
let skewMs = 0;
let current = Date.now();
let timer: ReturnType<typeof setInterval> | null = null;

function tick(): void {
  current = Date.now() + skewMs;
  for (const listener of listeners) listener();
}

function onWake(): void {
  if (typeof document === 'undefined' || document.visibilityState === 'visible') tick();
}

/** Subscribe to the clock's ticks (once a second while anything listens). */
export function subscribeClock(listener: () => void): () => void {
  listeners.add(listener);
  if (timer === null) {
    tick();
    timer = setInterval(tick, 1000);
    if (typeof document !== 'undefined') document.addEventListener('visibilitychange', onWake);
    if (typeof window !== 'undefined') window.addEventListener('focus', onWake);
  }
  return () => {
    listeners.delete(listener);
    if (listeners.size === 0 && timer !== null) {
      clearInterval(timer);
      timer = null;
      if (typeof document !== 'undefined') document.removeEventListener('visibilitychange', onWake);
      if (typeof window !== 'undefined') window.removeEventListener('focus', onWake);
    }
  };
}

/** The corrected time of the last tick, in epoch ms. */
export const readClock = (): number => current;

/** The corrected time right now (between ticks), in epoch ms. */
export const clockNow = (): number => Date.now() + skewMs;

/** The corrected current time in epoch ms, re-rendering the caller every second. */
export function useNow(): number {
  return useSyncExternalStore(subscribeClock, readClock, readClock);
}

/**
 * A value derived from the clock that re-renders the caller only when it changes (a window's
 * state, not its remaining seconds). `derive` must return a primitive.
 */
export function useClockDerived<T extends string | number | boolean | null>(
  derive: (now: number) => T,
): T {
  const read = (): T => derive(readClock());
  return useSyncExternalStore(subscribeClock, read, read);
}

/** Record the hub's clock so every timer follows the hub, not this machine. */
export function setHubTime(hubNow: number, localNow: number = Date.now()): void {
  skewMs = hubNow - localNow;
  tick();
}
