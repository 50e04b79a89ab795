import { describe, expect, it } from 'vitest';
import {
  budgetOptions,
  MEDIA_BUDGET_CHOICES,
  usageLine,
} from '../../../src/renderer/src/features/settings/MediaCacheSection';
import {
  DEFAULT_MEDIA_BUDGET_BYTES,
  MAX_MEDIA_BUDGET_BYTES,
  MIN_MEDIA_BUDGET_BYTES,
} from '../../../src/renderer/src/data/media-cache';

const MB = 1024 * 1024;

describe('Settings: media cache budget', () => {
  it('offers budgets within the cache range, the default among them', () => {
    expect(budgetOptions(DEFAULT_MEDIA_BUDGET_BYTES).map((o) => o.label)).toEqual([
      '100 MB',
      '250 MB',
      '500 MB',
      '1 GB',
      '2 GB',
      '5 GB',
      '10 GB',
    ]);
    expect(MEDIA_BUDGET_CHOICES.every((b) => b >= MIN_MEDIA_BUDGET_BYTES)).toBe(true);
    expect(MEDIA_BUDGET_CHOICES.every((b) => b <= MAX_MEDIA_BUDGET_BYTES)).toBe(true);
    expect(budgetOptions(DEFAULT_MEDIA_BUDGET_BYTES)[2]).toEqual({
      value: String(500 * MB),
      label: '500 MB',
    });
  });

  it('keeps a budget set to another value selectable, in order', () => {
    expect(budgetOptions(300 * MB).map((o) => o.label)).toEqual([
      '100 MB',
      '250 MB',
      '300 MB',
      '500 MB',
      '1 GB',
      '2 GB',
      '5 GB',
      '10 GB',
    ]);
  });

  it('says what is used of the budget', () => {
    expect(usageLine(123.4 * MB, 500 * MB, 42)).toBe('123 MB of 500 MB · 42 files');
    expect(usageLine(0, 1024 * MB, 0)).toBe('0 bytes of 1 GB · 0 files');
    expect(usageLine(2048, 100 * MB, 1)).toBe('2 KB of 100 MB · 1 file');
  });
});
