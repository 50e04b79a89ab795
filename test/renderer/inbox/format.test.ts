import { describe, expect, it } from 'vitest';
import {
  formatCount,
  formatLastActivity,
  formatUnread,
  initialsOf,
} from '../../../src/renderer/src/features/inbox/inbox-format';

const NOW = Date.parse('2026-11-21T12:00:00Z');
const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

describe('inbox row labels', () => {
  it('says how long ago the last message came, rounded down', () => {
    expect(formatLastActivity(NOW - 20_000, NOW)).toBe('now');
    expect(formatLastActivity(NOW - 12 * MINUTE - 59_000, NOW)).toBe('12m');
    expect(formatLastActivity(NOW - 3 * HOUR, NOW)).toBe('3h');
    expect(formatLastActivity(NOW - 4 * DAY, NOW)).toBe('4d');
  });

  it('gives the date after a week, with the year only when it is not this one', () => {
    expect(formatLastActivity(Date.parse('2026-11-02T12:00:00Z'), NOW, 'en-GB')).toBe('2 Nov');
    expect(formatLastActivity(Date.parse('2025-11-02T12:00:00Z'), NOW, 'en-GB')).toBe('2 Nov 2025');
  });

  it('makes initials from first and last names', () => {
    expect(initialsOf('Ana María López')).toBe('AL');
    expect(initialsOf('ana')).toBe('A');
    expect(initialsOf('  ')).toBe('?');
    expect(initialsOf('Øyvind Ærø')).toBe('ØÆ');
  });

  it('keeps counts and unread badges short', () => {
    expect(formatCount(7, 'en')).toBe('7');
    expect(formatCount(1204, 'en')).toBe('1,204');
    expect(formatCount(12_345, 'en')).toBe('12k');
    expect(formatUnread(5)).toBe('5');
    expect(formatUnread(120)).toBe('99+');
  });
});
