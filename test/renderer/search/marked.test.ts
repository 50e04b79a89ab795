import { describe, expect, it } from 'vitest';
import { markedParts } from '../../../src/renderer/src/features/search/marked';

describe("the hub's marked text as parts", () => {
  it('marks each range and keeps the text around it plain', () => {
    expect(
      markedParts({
        text: '…send the invoice for order 1043',
        ranges: [
          [10, 17],
          [28, 32],
        ],
      }),
    ).toEqual([
      { text: '…send the ', match: false },
      { text: 'invoice', match: true },
      { text: ' for order ', match: false },
      { text: '1043', match: true },
    ]);
  });

  it('clamps ranges past the end, overlapping or empty instead of trusting them', () => {
    expect(
      markedParts({
        text: 'abcdef',
        ranges: [
          [1, 3],
          [2, 4],
          [5, 5],
          [5, 99],
        ],
      }),
    ).toEqual([
      { text: 'a', match: false },
      { text: 'bc', match: true },
      { text: 'd', match: true },
      { text: 'e', match: false },
      { text: 'f', match: true },
    ]);
  });

  it('is the whole text, plain, without ranges', () => {
    expect(markedParts({ text: '<b>hi</b>', ranges: [] })).toEqual([
      { text: '<b>hi</b>', match: false },
    ]);
  });
});
