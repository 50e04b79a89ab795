import { describe, expect, it } from 'vitest';
import { gsm7Septets, smsDestinationCountry, smsSegments } from '../../src/shared/sms';

/**
 * CHANNEL-API.md §9.3: GSM-7 160 / 153 septets, UCS-2 70 / 67 units, greedy packing that never
 * splits an escape pair or a surrogate pair. The first block is the section's computed vectors,
 * verbatim; the rest are edge cases of the same rules.
 */

const A = 'A';
const EURO = '€';
const GRIN = '😀';

interface Row {
  readonly name: string;
  readonly text: string;
  readonly encoding: 'gsm7' | 'ucs2';
  readonly units: number;
  readonly segments: number;
  readonly remaining: number;
  readonly forcedBy?: string;
  readonly forcedAt?: number;
}

const vectors: readonly Row[] = [
  { name: '160 × A', text: A.repeat(160), encoding: 'gsm7', units: 160, segments: 1, remaining: 0 },
  {
    name: '161 × A',
    text: A.repeat(161),
    encoding: 'gsm7',
    units: 161,
    segments: 2,
    remaining: 145,
  },
  {
    name: '80 × € (160 septets)',
    text: EURO.repeat(80),
    encoding: 'gsm7',
    units: 160,
    segments: 1,
    remaining: 0,
  },
  // 76 € = 152 septets in segment 1 (a 77th would need 154), 5 € = 10 septets in segment 2.
  {
    name: '81 × € (76 + 5)',
    text: EURO.repeat(81),
    encoding: 'gsm7',
    units: 162,
    segments: 2,
    remaining: 143,
  },
  {
    name: '160 × é (in GSM-7)',
    text: 'é'.repeat(160),
    encoding: 'gsm7',
    units: 160,
    segments: 1,
    remaining: 0,
  },
  {
    name: '70 × á',
    text: 'á'.repeat(70),
    encoding: 'ucs2',
    units: 70,
    segments: 1,
    remaining: 0,
    forcedBy: 'á',
    forcedAt: 0,
  },
  {
    name: '71 × á (67 + 4)',
    text: 'á'.repeat(71),
    encoding: 'ucs2',
    units: 71,
    segments: 2,
    remaining: 63,
    forcedBy: 'á',
    forcedAt: 0,
  },
  {
    name: '1 × 😀 = 2 units',
    text: GRIN,
    encoding: 'ucs2',
    units: 2,
    segments: 1,
    remaining: 68,
    forcedBy: GRIN,
    forcedAt: 0,
  },
];

const edges: readonly Row[] = [
  {
    name: 'empty text: nothing to send',
    text: '',
    encoding: 'gsm7',
    units: 0,
    segments: 0,
    remaining: 160,
  },
  {
    name: 'LF and CR are basic characters',
    text: 'a\nb\r\nc',
    encoding: 'gsm7',
    units: 6,
    segments: 1,
    remaining: 154,
  },
  {
    name: 'form feed is an escape pair',
    text: 'a\fb',
    encoding: 'gsm7',
    units: 4,
    segments: 1,
    remaining: 156,
  },
  {
    name: 'every extension character costs 2',
    text: '\f^{}\\[~]|€',
    encoding: 'gsm7',
    units: 20,
    segments: 1,
    remaining: 140,
  },
  { name: 'Ç is GSM-7', text: 'Ça va', encoding: 'gsm7', units: 5, segments: 1, remaining: 155 },
  {
    name: 'ç (lower case) forces UCS-2',
    text: 'Merci, ça va',
    encoding: 'ucs2',
    units: 12,
    segments: 1,
    remaining: 58,
    forcedBy: 'ç',
    forcedAt: 7,
  },
  {
    name: 'a curly apostrophe forces UCS-2',
    text: 'It’s here',
    encoding: 'ucs2',
    units: 9,
    segments: 1,
    remaining: 61,
    forcedBy: '’',
    forcedAt: 2,
  },
  {
    name: 'the first offender is named, not a later one',
    text: 'ok ñ á 😀',
    encoding: 'ucs2',
    units: 9,
    segments: 1,
    remaining: 61,
    forcedBy: 'á',
    forcedAt: 5,
  },
  {
    name: '153 septets: still one message',
    text: A.repeat(153),
    encoding: 'gsm7',
    units: 153,
    segments: 1,
    remaining: 7,
  },
  {
    name: '154 septets',
    text: A.repeat(154),
    encoding: 'gsm7',
    units: 154,
    segments: 1,
    remaining: 6,
  },
  {
    name: '306 septets = 2 full segments',
    text: A.repeat(306),
    encoding: 'gsm7',
    units: 306,
    segments: 2,
    remaining: 0,
  },
  {
    name: '307 septets = 3 segments',
    text: A.repeat(307),
    encoding: 'gsm7',
    units: 307,
    segments: 3,
    remaining: 152,
  },
  // 152 A then € (2): would end at 154 > 153, so the escape pair moves whole to segment 2.
  {
    name: 'escape pair at a segment boundary moves whole',
    text: A.repeat(152) + EURO + A.repeat(10),
    encoding: 'gsm7',
    units: 164,
    segments: 2,
    remaining: 141,
  },
  {
    name: 'escape pair that just fits',
    text: A.repeat(151) + EURO + A.repeat(10),
    encoding: 'gsm7',
    units: 163,
    segments: 2,
    remaining: 143,
  },
  {
    name: '69 units + emoji = 71: two segments',
    text: 'á' + 'a'.repeat(68) + GRIN,
    encoding: 'ucs2',
    units: 71,
    segments: 2,
    remaining: 63,
    forcedBy: 'á',
    forcedAt: 0,
  },
  // 66 units then 😀 (2) would end at 68 > 67: the pair moves whole to segment 2.
  {
    name: 'emoji at a segment boundary is never split',
    text: 'a'.repeat(66) + GRIN + 'a'.repeat(10),
    encoding: 'ucs2',
    units: 78,
    segments: 2,
    remaining: 55,
    forcedBy: GRIN,
    forcedAt: 66,
  },
  {
    name: '35 emoji = 70 units: one message',
    text: GRIN.repeat(35),
    encoding: 'ucs2',
    units: 70,
    segments: 1,
    remaining: 0,
    forcedBy: GRIN,
    forcedAt: 0,
  },
  // 33 emoji = 66 units per segment (a 34th would need 68): 36 emoji = 33 + 3.
  {
    name: '36 emoji = 33 + 3',
    text: GRIN.repeat(36),
    encoding: 'ucs2',
    units: 72,
    segments: 2,
    remaining: 61,
    forcedBy: GRIN,
    forcedAt: 0,
  },
  {
    name: '134 UCS-2 units = 2 full segments',
    text: 'á'.repeat(134),
    encoding: 'ucs2',
    units: 134,
    segments: 2,
    remaining: 0,
    forcedBy: 'á',
    forcedAt: 0,
  },
  {
    name: '135 UCS-2 units = 3',
    text: 'á'.repeat(135),
    encoding: 'ucs2',
    units: 135,
    segments: 3,
    remaining: 66,
    forcedBy: 'á',
    forcedAt: 0,
  },
  {
    name: 'a lone surrogate is one unit and named',
    text: 'ab\ud83d',
    encoding: 'ucs2',
    units: 3,
    segments: 1,
    remaining: 67,
    forcedBy: '\ud83d',
    forcedAt: 2,
  },
];

describe('smsSegments: the computed vectors of CHANNEL-API.md §9.3', () => {
  it.each(vectors)('$name', (row) => {
    expect(smsSegments(row.text)).toEqual(expected(row));
  });
});

describe('smsSegments: edge cases', () => {
  it.each(edges)('$name', (row) => {
    expect(smsSegments(row.text)).toEqual(expected(row));
  });

  it('counts a 2,000-character text quickly and exactly', () => {
    const text = 'Hello, your order has shipped. '.repeat(65).slice(0, 2000);
    const started = performance.now();
    for (let i = 0; i < 100; i++) smsSegments(text);
    const elapsed = (performance.now() - started) / 100;
    expect(smsSegments(text)).toEqual(
      expected({ name: '', text, encoding: 'gsm7', units: 2000, segments: 14, remaining: 142 }),
    );
    // Well under a frame per keystroke; generous for a loaded CI machine.
    expect(elapsed).toBeLessThan(2);
  });
});

describe('gsm7Septets', () => {
  it('is 1 for the basic set, 2 for the extension table, undefined otherwise', () => {
    expect(['@', 'é', 'Δ', '\n', 'ß'].map(gsm7Septets)).toEqual([1, 1, 1, 1, 1]);
    expect(['€', '|', '\f'].map(gsm7Septets)).toEqual([2, 2, 2]);
    expect(['ç', 'á', '’', GRIN, '\u001b'].map(gsm7Septets)).toEqual([
      undefined,
      undefined,
      undefined,
      undefined,
      undefined,
    ]);
  });
});

describe('smsDestinationCountry', () => {
  it.each([
    ['+14155550123', null, 'US'],
    ['+16135550123', null, 'CA'],
    ['+4915112345678', 'NL', 'DE'],
    ['4915112345678', null, 'DE'],
    ['+31612345678', null, 'NL'],
    ['+821012345678', null, 'KR'],
    ['+999123', 'fr', 'FR'],
    [null, 'GB', 'GB'],
    [null, null, null],
    ['garbage', null, null],
  ] as const)('%s (recorded %s) → %s', (phone, country, want) => {
    expect(smsDestinationCountry({ phone, country })).toBe(want);
  });
});

function expected(row: Row) {
  const single = row.encoding === 'gsm7' ? 160 : 70;
  const concatenated = row.encoding === 'gsm7' ? 153 : 67;
  return {
    encoding: row.encoding,
    forcedBy: row.forcedBy ?? null,
    forcedAt: row.forcedAt ?? null,
    units: row.units,
    segments: row.segments,
    perSegment: row.units <= single ? single : concatenated,
    remaining: row.remaining,
  };
}
