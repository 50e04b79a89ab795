import { describe, expect, it } from 'vitest';
import { isShellFile, shellManifestOf } from '../../scripts/shell-worker-plugin';

describe("the offline shell's manifest", () => {
  const build = [
    { file: 'index.html', content: '<script src="./assets/index-a1.js"></script>' },
    { file: 'assets/index-a1.js', content: 'console.log(1)' },
    { file: 'favicon.svg', content: '<svg/>' },
  ];

  it('lists the files in order and names a version from them', () => {
    const manifest = shellManifestOf(build);
    expect(manifest.files).toEqual(['assets/index-a1.js', 'favicon.svg', 'index.html']);
    expect(manifest.version).toMatch(/^[0-9a-f]{16}$/);
    expect(shellManifestOf([...build].reverse())).toEqual(manifest);
  });

  it('has a new version when any file changes, even one whose name does not (the icon)', () => {
    const before = shellManifestOf(build).version;
    const icon = build.map((f) => (f.file === 'favicon.svg' ? { ...f, content: '<svg />' } : f));
    expect(shellManifestOf(icon).version).not.toBe(before);
  });

  it('keeps neither the worker itself nor source maps', () => {
    expect(['sw.js', 'assets/index-a1.js.map', 'index.html'].filter(isShellFile)).toEqual([
      'index.html',
    ]);
  });
});
