import { useEffect, useState } from 'react';
import { setHubTime } from './clock';

export type HubStatus =
  | { readonly kind: 'checking' }
  | { readonly kind: 'online'; readonly url: string }
  | { readonly kind: 'offline'; readonly url: string; readonly retryAt: number }
  | { readonly kind: 'none' };

/** The hub serving this page, if any: in a browser that is the page's own origin. */
export function hubUrlOf(location: { protocol: string; origin: string }): string | null {
  return location.protocol === 'http:' || location.protocol === 'https:' ? location.origin : null;
}

/**
 * Poll the hub's health endpoint; back off up to 30 s while it is unreachable. The hub's time
 * in the answer corrects the app clock.
 */
export function useHubStatus(hubUrl: string | null): HubStatus {
  const [status, setStatus] = useState<HubStatus>(hubUrl ? { kind: 'checking' } : { kind: 'none' });
  useEffect(() => {
    if (!hubUrl) return undefined;
    let cancelled = false;
    let timeout: ReturnType<typeof setTimeout> | undefined;
    let delay = 2_000;
    const check = async (): Promise<void> => {
      try {
        const sentAt = Date.now();
        const response = await fetch(`${hubUrl}/healthz`, { cache: 'no-store' });
        if (!response.ok) throw new Error(`HTTP ${response.status}`);
        const body = (await response.json()) as { time?: string };
        const hubTime = body.time ? Date.parse(body.time) : Number.NaN;
        // Assume the answer was stamped halfway through the round trip.
        if (Number.isFinite(hubTime)) setHubTime(hubTime, (sentAt + Date.now()) / 2);
        if (cancelled) return;
        setStatus({ kind: 'online', url: hubUrl });
        delay = 2_000;
        timeout = setTimeout(check, 15_000);
      } catch {
        if (cancelled) return;
        delay = Math.min(delay * 2, 30_000);
        setStatus({ kind: 'offline', url: hubUrl, retryAt: Date.now() + delay });
        timeout = setTimeout(check, delay);
      }
    };
    void check();
    return () => {
      cancelled = true;
      if (timeout !== undefined) clearTimeout(timeout);
    };
  }, [hubUrl]);
  return status;
}
