import { describe, expect, it } from 'vitest';
import {
  hubBadgeView,
  hubToPoll,
  type HubStatus,
} from '../../../src/renderer/src/app/useHubStatus';
import type { SessionState } from '../../../src/renderer/src/features/session/session-controller';

const HUB = 'http://127.0.0.1:4477';
const online: HubStatus = { kind: 'online', url: HUB };
const offline: HubStatus = { kind: 'offline', url: HUB, retryAt: Date.UTC(2026, 11, 2, 9, 30) };
const checking: HubStatus = { kind: 'checking' };

const starting: SessionState = { kind: 'starting', hubUrl: HUB, notice: null };
const unreachable: SessionState = {
  kind: 'unreachable',
  hubUrl: HUB,
  message: 'Nothing answers at 127.0.0.1:4477.',
};
const signedOut: SessionState = { kind: 'signed_out', hubUrl: HUB, notice: null };

describe('the hub badge says what the page says', () => {
  it('is "checking" while the page checks the hub, whatever a health poll found', () => {
    // The page said "Checking the hub…" beside a badge saying "Hub connected".
    expect(hubBadgeView(starting, true, online)).toEqual({ kind: 'checking' });
    expect(hubToPoll(starting, true, false)).toBeNull();
  });

  it("is unreachable, with the page's reason, when the page says the hub cannot be reached", () => {
    expect(hubBadgeView(unreachable, true, online)).toEqual({
      kind: 'offline',
      detail: 'Nothing answers at 127.0.0.1:4477.',
    });
    expect(hubToPoll(unreachable, true, false)).toBeNull();
  });

  it('is connected on the sign-in page (the hub answered to get there) until a poll fails', () => {
    expect(hubToPoll(signedOut, true, false)).toBe(HUB);
    expect(hubBadgeView(signedOut, true, checking)).toEqual({ kind: 'online' });
    expect(hubBadgeView(signedOut, true, online)).toEqual({ kind: 'online' });
    const view = hubBadgeView(signedOut, true, offline);
    expect(view.kind).toBe('offline');
    expect(view.kind === 'offline' && view.detail.startsWith('Retrying at ')).toBe(true);
  });

  it('follows the health poll on the Reply windows page, which shows no session', () => {
    expect(hubToPoll(starting, false, false)).toBe(HUB);
    expect(hubBadgeView(starting, false, checking)).toEqual({ kind: 'checking' });
    expect(hubBadgeView(starting, false, online)).toEqual({ kind: 'online' });
    expect(hubBadgeView(starting, false, offline).kind).toBe('offline');
  });

  it('leaves it to the data layer once signed in, and shows nothing without a hub', () => {
    const signedIn: SessionState = {
      kind: 'signed_in',
      hubUrl: HUB,
      session: {
        token: 't',
        embedded: false,
        user: { id: 'u1', name: 'Ana', email: 'ana@shop.example', role: 'agent' },
      },
    } as SessionState;
    expect(hubToPoll(signedIn, true, true)).toBeNull();
    expect(hubBadgeView(signedIn, true, online)).toEqual({ kind: 'checking' });
    expect(hubBadgeView({ kind: 'no_hub' }, true, online)).toEqual({ kind: 'hidden' });
    expect(hubToPoll({ kind: 'no_hub' }, false, false)).toBeNull();
  });
});
