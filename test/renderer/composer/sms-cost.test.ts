import { createElement } from 'react';
import { renderToStaticMarkup } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import exampleJson from '../../../resources/pricing/rate-card.example.json';
import {
  replaceLookalikes,
  smsCostView,
  type SmsCostInput,
} from '../../../src/renderer/src/features/composer/sms-cost';
import { SmsCostLine } from '../../../src/renderer/src/features/composer/SmsCostLine';
import { parseRateCard } from '../../../src/shared/pricing';
import { computeReplyWindow } from '../../../src/shared/reply-window';

/**
 * Issue #16 item 3: the SMS composer's live line. The example card's 2026-07-01 EUR period:
 * DE €0.07 per segment, others €0.06.
 */
const card = parseRateCard(exampleJson);
const AT = Date.parse('2026-12-04T10:00:00Z');
const window = computeReplyWindow('sms', { lastInboundAt: AT - 60_000 }, AT);

const view = (text: string, overrides: Partial<SmsCostInput> = {}) =>
  smsCostView({
    text,
    window,
    rateCard: card,
    recipientCountry: 'DE',
    at: AT,
    locale: 'en-US',
    ...overrides,
  });

/** What the agent reads: the line's text, without markup. */
const shown = (text: string) =>
  renderToStaticMarkup(createElement(SmsCostLine, { view: view(text) }))
    .replace(/<[^>]+>/g, '')
    .replace(/&quot;/g, '"');

describe('the SMS cost line', () => {
  it('GSM-7: one segment, what is left, the price', () => {
    const text = 'Your parcel left our warehouse today.';
    expect(view(text).line).toBe('GSM-7 · 1 segment · 123 left · €0.07');
    expect(shown(text)).toBe('GSM-7 · 1 segment · 123 left · €0.07 (example)');
  });

  it('UCS-2 names the character that forced it and where it is in the text', () => {
    const text = '  Thanks 😀';
    const v = view(text);
    expect(v).toMatchObject({ encoding: 'UCS-2', forcedBy: '😀', forcedAt: 9, segments: 1 });
    expect(v.line).toBe('UCS-2 (because of “😀”) · 1 segment · 61 left · €0.07');
    expect(shown(text)).toBe('UCS-2 (because of “😀”) · 1 segment · 61 left · €0.07 (example)');
  });

  it('prices every segment: 161 × A is 2 segments, 81 × € too (76 + 5)', () => {
    expect(view('A'.repeat(161)).line).toBe('GSM-7 · 2 segments · 145 left · €0.14');
    expect(view('€'.repeat(81)).line).toBe('GSM-7 · 2 segments · 143 left · €0.14');
    expect(view('á'.repeat(71)).line).toBe('UCS-2 (because of “á”) · 2 segments · 63 left · €0.14');
  });

  it('counts the body as sent: trimmed, as the hub trims it', () => {
    expect(view(`  ${'A'.repeat(160)}  \n`).line).toBe('GSM-7 · 1 segment · 0 left · €0.07');
  });

  it('shows the price per segment for the empty box, the default rate for an unknown country', () => {
    expect(view('').line).toBe('GSM-7 · €0.07 per segment');
    expect(view('Hi', { recipientCountry: null }).line).toBe(
      'GSM-7 · 1 segment · 158 left · €0.06',
    );
  });

  it('says the price is unknown without a card', () => {
    expect(view('Hi', { rateCard: null })).toMatchObject({
      line: 'GSM-7 · 1 segment · 158 left · Price unknown',
      priced: false,
    });
  });

  it('offers plain quotes when only look-alikes forced UCS-2, saying what that gives', () => {
    const text = `It’s “ready” – pick it up… ${'x'.repeat(60)}`;
    const v = view(text);
    expect(v.line).toBe('UCS-2 (because of “’”) · 2 segments · 47 left · €0.14');
    expect(v.lookalikes).toMatchObject({
      count: 5,
      fixed: `It's "ready" - pick it up... ${'x'.repeat(60)}`,
      after: { encoding: 'gsm7', segments: 1 },
    });
    expect(view(v.lookalikes?.fixed ?? '').line).toBe('GSM-7 · 1 segment · 71 left · €0.07');
    // An emoji stays: the look-alikes alone do not make it GSM-7.
    expect(view('It’s 😀').lookalikes?.after.encoding).toBe('ucs2');
    expect(view('No look-alikes 😀').lookalikes).toBe(null);
  });

  it('replaceLookalikes leaves GSM-7 text alone', () => {
    expect(replaceLookalikes('Plain text, 100% GSM.')).toEqual({
      text: 'Plain text, 100% GSM.',
      count: 0,
    });
  });
});
