import { describe, expect, it } from 'vitest';
import { buildContentSecurityPolicy } from '../../src/shared/security/csp';

/** One directive's sources, in order. */
const sources = (policy: string, directive: string): string[] =>
  new RegExp(`(?:^|; )${directive} ([^;]*)`).exec(policy)?.[1]?.split(' ') ?? [];

describe('the Content-Security-Policy (issue #13, item 9)', () => {
  it('loads images from the app, its hubs, data: and blob: only, never any https: host', () => {
    const policy = buildContentSecurityPolicy({
      hubOrigins: ['http://127.0.0.1:4477', 'https://hub.shop.example'],
    });
    expect(sources(policy, 'img-src')).toEqual([
      "'self'",
      'http://127.0.0.1:4477',
      'https://hub.shop.example',
      'data:',
      'blob:',
    ]);
    expect(sources(policy, 'media-src')).toEqual([
      "'self'",
      'http://127.0.0.1:4477',
      'https://hub.shop.example',
      'blob:',
    ]);
  });

  it('names no hub for a page served by the hub itself', () => {
    const policy = buildContentSecurityPolicy({ hubOrigins: [] });
    expect(sources(policy, 'img-src')).toEqual(["'self'", 'data:', 'blob:']);
    expect(sources(policy, 'media-src')).toEqual(["'self'", 'blob:']);
    expect(policy).not.toMatch(/(^|[ ;])https?:(;|\s|$)/);
  });
});
