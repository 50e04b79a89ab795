import { describe, expect, it } from 'vitest';
import {
  createMediaCache,
  MediaDb,
  MIN_MEDIA_BUDGET_BYTES,
} from '../../../src/renderer/src/data/media-cache';
import { formatBytes, formatDuration, fileTypeLabel } from '../../../src/renderer/src/format/files';
import { newIndexedDb } from './support';

const MB = 1024 * 1024;
const file = (megabytes: number) => new Blob([new Uint8Array(megabytes * MB)]);

describe('media cache', () => {
  it('keeps files within the budget, evicting the least recently used first', async () => {
    let now = 1_000_000;
    const cache = createMediaCache(new MediaDb('media-lru', newIndexedDb()), () => now);
    expect(await cache.setBudget(MIN_MEDIA_BUDGET_BYTES)).toBe(50 * MB);
    await cache.put('a'.repeat(64), file(20), 'image/jpeg');
    now += 120_000;
    await cache.put('b'.repeat(64), file(20), 'image/jpeg');
    now += 120_000;
    // Reading `a` makes it the most recent: `b` is the one to go.
    expect((await cache.get('a'.repeat(64)))?.size).toBe(20 * MB);
    now += 120_000;
    await cache.put('c'.repeat(64), file(20), 'audio/ogg');
    expect(await cache.get('b'.repeat(64))).toBeNull();
    expect((await cache.get('c'.repeat(64)))?.size).toBe(20 * MB);
    expect(await cache.usage()).toEqual({ bytes: 40 * MB, files: 2, budget: 50 * MB });
    cache.close();
  });

  it('a smaller budget evicts at once; clearing keeps files waiting to be sent', async () => {
    const cache = createMediaCache(new MediaDb('media-clear', newIndexedDb()), () => 5);
    await cache.setBudget(100 * MB);
    await cache.put('a'.repeat(64), file(30), 'image/png');
    await cache.put('b'.repeat(64), file(30), 'image/png');
    await cache.keepOutgoing({
      clientId: 'c_1',
      blob: file(1),
      filename: 'label.pdf',
      mimeType: 'application/pdf',
    });
    await cache.setBudget(50 * MB);
    expect((await cache.usage()).files).toBe(1);
    await cache.clear();
    expect(await cache.usage()).toEqual({ bytes: 0, files: 0, budget: 50 * MB });
    expect((await cache.outgoing('c_1'))?.filename).toBe('label.pdf');
    cache.close();
  });
});

describe('file formats', () => {
  it('names sizes, lengths and kinds', () => {
    expect(formatBytes(5 * MB)).toBe('5 MB');
    expect(formatBytes(245_760)).toBe('240 KB');
    expect(formatBytes(1)).toBe('1 byte');
    expect(formatDuration(7.4)).toBe('0:07');
    expect(formatDuration(3729)).toBe('1:02:09');
    expect(formatDuration(Infinity)).toBe('--:--');
    expect(fileTypeLabel('application/pdf', 'returns-label.pdf')).toBe('PDF');
    expect(fileTypeLabel(null, 'invoice.xlsx')).toBe('XLSX');
  });
});
