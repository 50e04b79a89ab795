import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { allDemoFiles } from '../../src/server/demo/demo-files';
import { matchesDeclaredType } from '../../src/server/media/sniff';

describe('the demo files', () => {
  it('resources/demo holds exactly what the hub makes (npm run demo:media)', () => {
    const files = allDemoFiles();
    expect(readdirSync(path.resolve('resources/demo')).sort()).toEqual(
      files.map((f) => f.name).sort(),
    );
    for (const file of files)
      expect(readFileSync(path.resolve('resources/demo', file.name)).equals(file.bytes)).toBe(true);
  });

  it('are what they claim to be, and small', () => {
    for (const file of allDemoFiles()) {
      expect(matchesDeclaredType(file.bytes, file.mimeType)).toBe(true);
      expect(file.bytes.length).toBeLessThan(64 * 1024);
    }
    const wav = allDemoFiles().find((f) => f.mimeType === 'audio/wav');
    // 2.4 s of 8 kHz 16-bit mono after the 44-byte header.
    expect(wav?.bytes.length).toBe(44 + 2.4 * 8000 * 2);
  });
});
