import { describe, expect, it } from 'vitest';
import {
  bucketIndex,
  csvCell,
  dailyBuckets,
  hourlyBuckets,
  isValidTimeZone,
  percentile,
  readTimelines,
  startOfZonedDay,
  startOfZonedHour,
  summarize,
  toCsv,
  wasLateReply,
  type TimelineMessage,
} from '../../src/shared/dashboard';

const H = 3_600_000;
const t = (iso: string): number => Date.parse(iso);

describe('percentile', () => {
  it('is null for no values and the value itself for one', () => {
    expect(percentile([], 50)).toBeNull();
    expect(percentile([42], 90)).toBe(42);
  });
  it('takes the usual median: the middle value, or the mean of the two middle ones', () => {
    expect(percentile([5, 1, 3], 50)).toBe(3);
    expect(percentile([4, 1, 3, 2], 50)).toBe(3);
  });
  it('interpolates the 90th between closest ranks, in whole ms', () => {
    expect(percentile([1, 2, 3, 4, 5], 90)).toBe(5);
    expect(percentile([100, 200], 90)).toBe(190);
    expect(percentile([0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10], 90)).toBe(9);
  });
  it('summarizes count, median and p90 without reordering its input', () => {
    const values = [30, 10, 20];
    expect(summarize(values)).toEqual({ count: 3, medianMs: 20, p90Ms: 28 });
    expect(values).toEqual([30, 10, 20]);
  });
});

describe('readTimelines', () => {
  const msg = (
    conversationId: string,
    direction: 'inbound' | 'outbound',
    at: number,
    authorId: string | null = direction === 'outbound' ? 'ana' : null,
    tag: string | null = null,
  ): TimelineMessage => ({
    conversationId,
    channel: 'whatsapp',
    direction,
    authorId,
    at,
    tag,
    cost: null,
  });

  it('times a response from the first unanswered customer message', () => {
    const { responses } = readTimelines([
      msg('c1', 'inbound', 0),
      msg('c1', 'inbound', 60_000),
      msg('c1', 'outbound', 300_000),
      msg('c1', 'outbound', 400_000),
      msg('c1', 'inbound', 500_000),
      msg('c1', 'outbound', 560_000),
    ]);
    expect(responses.map((r) => [r.kind, r.waitMs])).toEqual([
      ['first', 300_000],
      ['next', 60_000],
    ]);
  });
  it('lets no automatic message answer, and starts over with each conversation', () => {
    const { responses, replies } = readTimelines([
      msg('c1', 'inbound', 0),
      msg('c1', 'outbound', 10, null),
      msg('c2', 'outbound', 20),
      msg('c2', 'inbound', 30),
      msg('c2', 'outbound', 90),
    ]);
    expect(responses).toEqual([
      expect.objectContaining({ conversationId: 'c2', kind: 'first', waitMs: 60 }),
    ]);
    expect(replies.map((r) => r.conversationId)).toEqual(['c2', 'c2']);
  });
  it('marks a reply late once the window had closed at its sending', () => {
    const { replies } = readTimelines([
      msg('c1', 'inbound', 0),
      msg('c1', 'outbound', 24 * H - 1),
      msg('c1', 'outbound', 24 * H),
    ]);
    expect(replies.map((r) => r.late)).toEqual([false, true]);
  });
});

describe('wasLateReply', () => {
  it('follows each channel’s window and counts tagged messages as late', () => {
    expect(wasLateReply('whatsapp', 0, 23 * H, null)).toBe(false);
    expect(wasLateReply('whatsapp', null, 5, null)).toBe(true);
    expect(wasLateReply('telegram', 0, 1000 * H, null)).toBe(false);
    expect(wasLateReply('messenger', 0, 30 * H, 'HUMAN_AGENT')).toBe(true);
  });
});

describe('time buckets in a time zone', () => {
  it('knows IANA zones and refuses anything else', () => {
    expect(isValidTimeZone('Europe/Paris')).toBe(true);
    expect(isValidTimeZone('UTC')).toBe(true);
    expect(isValidTimeZone('Mars/Olympus')).toBe(false);
    expect(isValidTimeZone('')).toBe(false);
  });
  it('starts a local day at local midnight', () => {
    expect(startOfZonedDay(t('2026-11-21T03:00:00Z'), 'America/New_York')).toBe(
      t('2026-11-20T05:00:00Z'),
    );
    expect(startOfZonedDay(t('2026-11-21T23:30:00Z'), 'Asia/Tokyo')).toBe(
      t('2026-11-21T15:00:00Z'),
    );
  });
  it('makes the days around a DST change 23 and 25 hours long', () => {
    // Paris: 2026-03-29 02:00 → 03:00, 2026-10-25 03:00 → 02:00.
    const spring = dailyBuckets(t('2026-03-30T12:00:00Z'), 'Europe/Paris', 3);
    expect(spring.starts).toEqual([
      t('2026-03-27T23:00:00Z'),
      t('2026-03-28T23:00:00Z'),
      t('2026-03-29T22:00:00Z'),
    ]);
    expect(spring.end).toBe(t('2026-03-30T22:00:00Z'));
    const autumn = dailyBuckets(t('2026-10-26T12:00:00Z'), 'Europe/Paris', 2);
    expect((autumn.starts[1] ?? 0) - (autumn.starts[0] ?? 0)).toBe(25 * H);
  });
  it('starts a local hour at the zone’s own minute (Kathmandu is UTC+5:45)', () => {
    expect(startOfZonedHour(t('2026-11-21T10:20:30.250Z'), 'Asia/Kathmandu')).toBe(
      t('2026-11-21T10:15:00Z'),
    );
    const hours = hourlyBuckets(t('2026-11-21T10:20:00Z'), 'UTC', 24);
    expect(hours.starts).toHaveLength(24);
    expect(hours.starts[23]).toBe(t('2026-11-21T10:00:00Z'));
    expect(hours.end).toBe(t('2026-11-21T11:00:00Z'));
  });
  it('finds the bucket of an instant, or -1 outside', () => {
    const buckets = { starts: [0, 10, 20], end: 30 };
    expect([-1, 0, 9, 10, 29, 30].map((at) => bucketIndex(buckets, at))).toEqual([
      -1, 0, 0, 1, 2, -1,
    ]);
  });
});

describe('CSV', () => {
  it('quotes commas, quotes and line breaks, and defuses formulas', () => {
    expect(csvCell('Ana')).toBe('Ana');
    expect(csvCell('Support, EU')).toBe('"Support, EU"');
    expect(csvCell('say "hi"')).toBe('"say ""hi"""');
    expect(csvCell('two\nlines')).toBe('"two\nlines"');
    expect(csvCell('=HYPERLINK("x")')).toBe('"\'=HYPERLINK(""x"")"');
    expect(csvCell(-1.5)).toBe('-1.5');
    expect(csvCell(null)).toBe('');
  });
  it('ends every row with CRLF', () => {
    expect(
      toCsv([
        ['a', 1],
        ['b', null],
      ]),
    ).toBe('a,1\r\nb,\r\n');
  });
});
