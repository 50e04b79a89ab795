import { useEffect, useState } from 'react';
import type { SessionState } from '../features/session/session-controller';
import { formatPreciseTime } from '../format/dates';
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
  // Kept with the hub it is about: an answer from before a pause is never shown as current.
  const [polled, setPolled] = useState<{ readonly hubUrl: string; readonly status: HubStatus }>();
  useEffect(() => {
    if (!hubUrl) return undefined;
    const setStatus = (status: HubStatus): void => setPolled({ hubUrl, status });
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
  if (!hubUrl) return { kind: 'none' };
  return polled?.hubUrl === hubUrl ? polled.status : { kind: 'checking' };
}

/** What the header's hub badge says while no data layer reports on the hub (not signed in). */
export type HubBadgeView =
  | { readonly kind: 'hidden' }
  | { readonly kind: 'checking' }
  | { readonly kind: 'online' }
  | { readonly kind: 'offline'; readonly detail: string };

/**
 * The badge follows the page. The badge once polled the hub's health on its own while the page
 * showed the session controller's state, so it said "Hub connected" beside "Checking the hub…"
 * (the controller still waiting for its session), and beside "The hub cannot be reached" when the
 * health check answered but the sign-in did not. Now whatever the page says about the hub, the
 * badge says too; only where the page says nothing (the sign-in page, where the hub has answered,
 * and the Reply windows page, which needs no session) does the health poll speak.
 *
 * `sessionShown`: the page shows the session's state (every page but Reply windows).
 * `polled`: `useHubStatus(hubToPoll(...))`.
 */
export function hubBadgeView(
  session: SessionState,
  sessionShown: boolean,
  polled: HubStatus,
): HubBadgeView {
  if (session.kind === 'no_hub') return { kind: 'hidden' };
  if (sessionShown) {
    switch (session.kind) {
      case 'starting':
        return { kind: 'checking' };
      case 'unreachable':
        return { kind: 'offline', detail: session.message };
      case 'signed_in':
        // Until its data layer exists, whose badge then takes over.
        return { kind: 'checking' };
      case 'signed_out':
        // The controller reached the hub to get here: it is online until a poll says otherwise.
        return polled.kind === 'offline' ? offline(polled) : { kind: 'online' };
    }
  }
  switch (polled.kind) {
    case 'none':
      return { kind: 'hidden' };
    case 'checking':
      return { kind: 'checking' };
    case 'online':
      return { kind: 'online' };
    case 'offline':
      return offline(polled);
  }
}

function offline(status: { readonly retryAt: number }): HubBadgeView {
  return {
    kind: 'offline',
    detail: `Retrying at ${formatPreciseTime(status.retryAt)}`,
  };
}

/** The hub whose health the badge needs polled, if any: only where `hubBadgeView` reads it. */
export function hubToPoll(
  session: SessionState,
  sessionShown: boolean,
  hasDataLayer: boolean,
): string | null {
  if (hasDataLayer || session.kind === 'no_hub') return null;
  return !sessionShown || session.kind === 'signed_out' ? session.hubUrl : null;
}
