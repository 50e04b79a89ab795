import { describe, expect, it } from 'vitest';
import { DAY_MS, HOUR_MS, MINUTE_MS } from '../../src/shared/domain/channels';
import {
  describeAllowance,
  formatDuration,
  formatWindowTimer,
} from '../../src/shared/reply-window/format';
import type { ReplyWindow } from '../../src/shared/reply-window/types';

const NOW = Date.parse('2026-11-21T12:00:00Z');

function window(overrides: Partial<ReplyWindow>): ReplyWindow {
  return {
    channel: 'whatsapp',
    state: 'open',
    closesAt: NOW + HOUR_MS,
    remainingMs: HOUR_MS,
    allowed: { kind: 'free_form', billable: false },
    messagesRemaining: null,
    freeEntryPoint: false,
    basis: 'test',
    ...overrides,
  };
}

describe('formatDuration', () => {
  it.each([
    [23 * HOUR_MS + 12 * MINUTE_MS + 59_999, '23h 12m'],
    [41 * MINUTE_MS + 30_000, '41m'],
    [59_999, '59s'],
    [HOUR_MS, '1h 0m'],
    [2 * DAY_MS + 4 * HOUR_MS + 59 * MINUTE_MS, '2d 4h'],
    [7 * DAY_MS, '7d'],
    [-5, '0s'],
  ])('shows %i ms as %s, rounding down', (ms, label) => {
    expect(formatDuration(ms)).toBe(label);
  });
});

describe('formatWindowTimer', () => {
  it('shows the remaining time of an open or closing window', () => {
    const closing = window({ state: 'closing', remainingMs: 41 * MINUTE_MS });
    expect(formatWindowTimer(closing, NOW)).toBe('41m');
  });

  it('shows the messages left beside the time where the window counts them (WeChat)', () => {
    const wechat = window({
      channel: 'wechat',
      state: 'open',
      remainingMs: 41 * HOUR_MS + 20 * MINUTE_MS,
      messagesRemaining: 3,
      messageLimit: 5,
    });
    expect(formatWindowTimer(wechat, NOW)).toBe('1d 17h · 3 of 5 left');
    // LINE's single free reply is a countdown alone.
    const line = { ...wechat, remainingMs: 42_000, messagesRemaining: 1, messageLimit: 1 };
    expect(formatWindowTimer(line, NOW)).toBe('42s');
  });

  it('shows how long ago a window closed', () => {
    const closed = window({
      state: 'closed',
      closesAt: NOW - 2 * HOUR_MS - 5 * MINUTE_MS,
      remainingMs: 0,
      allowed: { kind: 'template_only' },
    });
    expect(formatWindowTimer(closed, NOW)).toBe('closed 2h 5m ago');
    expect(formatWindowTimer({ ...closed, closesAt: NOW - 10_000 }, NOW)).toBe('closed just now');
  });

  it('shows no window on channels without one', () => {
    const unlimited = window({ state: 'unlimited', closesAt: null, remainingMs: null });
    expect(formatWindowTimer(unlimited, NOW)).toBe('no window');
  });

  it('distinguishes a customer who never wrote from a used-up WeChat allowance', () => {
    const never = window({
      state: 'closed',
      closesAt: null,
      remainingMs: null,
      allowed: { kind: 'template_only' },
    });
    expect(formatWindowTimer(never, NOW)).toBe('no message yet');
    const usedUp = { ...never, allowed: { kind: 'none', reason: 'x' } as const };
    expect(formatWindowTimer(usedUp, NOW)).toBe('closed');
    // Still in time, the 5 messages sent: the count, not a bare "closed".
    expect(formatWindowTimer({ ...usedUp, messagesRemaining: 0, messageLimit: 5 }, NOW)).toBe(
      '5 of 5 sent',
    );
  });
});

describe('describeAllowance', () => {
  it.each([
    [{ kind: 'free_form', billable: false } as const, 'Any message'],
    [{ kind: 'free_form', billable: true } as const, 'Any message (charged)'],
    [{ kind: 'template_only' } as const, 'Approved templates only'],
    [{ kind: 'none', reason: 'x' } as const, 'Nothing until the customer writes'],
    [
      { kind: 'tag_only', tag: 'HUMAN_AGENT', until: NOW + 3 * DAY_MS } as const,
      'Only with the HUMAN_AGENT tag, for 3d',
    ],
  ])('describes %j', (allowed, text) => {
    expect(describeAllowance(allowed, NOW)).toBe(text);
  });
});
