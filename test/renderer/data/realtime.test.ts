import { describe, expect, it } from 'vitest';
import { conversation, updated } from '../fixtures';
import {
  MAX_RETRY_MS,
  parseServerFrame,
  realtimeUrl,
  retryDelay,
} from '../../../src/renderer/src/data/realtime';

describe('retryDelay', () => {
  it('doubles from 1 s up to 30 s', () => {
    const middle = () => 0.5;
    expect([1, 2, 3, 4, 5, 6, 7, 20].map((n) => retryDelay(n, middle))).toEqual([
      1_000, 2_000, 4_000, 8_000, 16_000, 30_000, 30_000, 30_000,
    ]);
  });

  it('jitters by at most 20 % and never leaves 1 s – 30 s', () => {
    expect(retryDelay(3, () => 0)).toBe(3_200);
    expect(retryDelay(3, () => 0.999_999)).toBe(4_800);
    expect(retryDelay(1, () => 0)).toBe(1_000);
    expect(retryDelay(10, () => 0.999_999)).toBe(MAX_RETRY_MS);
  });
});

describe('realtimeUrl', () => {
  it('turns the hub origin into the WebSocket address with since', () => {
    expect(realtimeUrl('http://127.0.0.1:4477', 42)).toBe('ws://127.0.0.1:4477/ws?since=42');
    expect(realtimeUrl('https://hub.shop.example', 0)).toBe('wss://hub.shop.example/ws?since=0');
  });
});

describe('parseServerFrame', () => {
  it('accepts frames of the shared schema', () => {
    const frame = { type: 'events', events: [updated(1, conversation('a'))] };
    expect(parseServerFrame(JSON.stringify(frame))).toEqual({ ok: true, frame });
  });

  it('refuses binary, non-JSON and malformed frames with a reason', () => {
    expect(parseServerFrame(new ArrayBuffer(4))).toEqual({ ok: false, error: 'a binary frame' });
    expect(parseServerFrame('{nope')).toEqual({ ok: false, error: 'a frame that is not JSON' });
    const bad = parseServerFrame(JSON.stringify({ type: 'events', events: [{ seq: -1 }] }));
    expect(bad.ok).toBe(false);
  });

  it('keeps the seq of an event type from a newer hub, in order, and nothing else of it', () => {
    const frame = {
      type: 'events',
      events: [
        updated(1, conversation('a')),
        { seq: 2, at: 5, event: { type: 'queue.paused', reason: 'a later feature' } },
        updated(3, conversation('b')),
      ],
    };
    expect(parseServerFrame(JSON.stringify(frame))).toEqual({
      ok: true,
      frame: {
        type: 'events',
        events: [
          updated(1, conversation('a')),
          { seq: 2, at: 5, event: { type: 'unknown', name: 'queue.paused' } },
          updated(3, conversation('b')),
        ],
      },
    });
  });

  it('still refuses a frame with a malformed event of a known type', () => {
    const frame = {
      type: 'events',
      events: [
        { seq: 1, at: 5, event: { type: 'conversation.updated', conversation: { id: 'a' } } },
        { seq: 2, at: 5, event: { type: 'queue.paused' } },
      ],
    };
    expect(parseServerFrame(JSON.stringify(frame)).ok).toBe(false);
  });
});
