import type { IncomingMessage } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createLoginLimiter,
  SlidingWindowCounter,
  type LoginLimits,
} from '../../src/server/auth/login-limiter';
import {
  createClientAddressResolver,
  parseTrustedProxies,
} from '../../src/server/http/client-address';
import { readHubConfig } from '../../src/server/config';
import type { RunningHub } from '../../src/server/hub';
import { ADMIN, startTestHub } from '../support/hub';

const LIMITS: LoginLimits = { perAccount: 3, perAddress: 5, windowMs: 60_000, maxKeys: 100 };

function request(remoteAddress: string, forwardedFor?: string): IncomingMessage {
  return {
    socket: { remoteAddress },
    headers: forwardedFor === undefined ? {} : { 'x-forwarded-for': forwardedFor },
  } as unknown as IncomingMessage;
}

describe('SlidingWindowCounter', () => {
  it('forgets the key touched longest ago when full, one at a time, never all', () => {
    const counter = new SlidingWindowCounter(60_000, 3);
    counter.hit('a', 0);
    counter.hit('b', 1);
    counter.hit('c', 2);
    counter.hit('a', 3); // a is now the most recently touched
    counter.hit('d', 4); // evicts b
    expect(counter.size).toBe(3);
    expect(counter.count('a', 5)).toBe(2);
    expect(counter.count('b', 5)).toBe(0);
    expect(counter.count('c', 5)).toBe(1);
    expect(counter.count('d', 5)).toBe(1);
  });

  it('counts only the hits within the window', () => {
    const counter = new SlidingWindowCounter(1_000, 10);
    counter.hit('a', 0);
    counter.hit('a', 500);
    expect(counter.hit('a', 1_000)).toBe(2); // the hit at 0 has left the window
    expect(counter.count('a', 1_600)).toBe(1); // only the hit at 1,000 is left
  });
});

describe('createLoginLimiter', () => {
  it('limits failures per account whatever address they come from', () => {
    const limiter = createLoginLimiter(() => 0, LIMITS);
    for (const address of ['10.0.0.1', '10.0.0.2', '10.0.0.3']) {
      expect(limiter.admit('Ana@Shop.example', address)).toBeNull();
      limiter.settle('ana@shop.example', false);
    }
    expect(limiter.admit(' ana@shop.example ', '10.0.0.4')).toBe('account');
    expect(limiter.admit('ben@shop.example', '10.0.0.4')).toBeNull();
  });

  it('a successful sign-in clears the account failures', () => {
    const limiter = createLoginLimiter(() => 0, LIMITS);
    limiter.settle('ana@shop.example', false);
    limiter.settle('ana@shop.example', false);
    limiter.settle('ana@shop.example', true);
    limiter.settle('ana@shop.example', false);
    limiter.settle('ana@shop.example', false);
    expect(limiter.admit('ana@shop.example', '10.0.0.1')).toBeNull();
  });

  it('limits attempts per address across accounts', () => {
    const limiter = createLoginLimiter(() => 0, LIMITS);
    const verdicts = Array.from({ length: 6 }, (_, i) =>
      limiter.admit(`user${i}@shop.example`, '10.0.0.9'),
    );
    expect(verdicts).toEqual([null, null, null, null, null, 'address']);
    expect(limiter.admit('user0@shop.example', '10.0.0.10')).toBeNull();
  });

  it('a flood of new addresses does not reset the count of an active one', () => {
    let t = 0;
    const limiter = createLoginLimiter(() => t, LIMITS);
    for (let i = 0; i < 5; i += 1) limiter.admit('victim@shop.example', '10.0.0.9');
    // 150 other addresses fill the table (100 keys) past its bound.
    for (let i = 0; i < 150; i += 1) {
      t += 1;
      limiter.admit('x@shop.example', `192.0.2.${i % 250}-${i}`);
      if (i % 40 === 0) limiter.admit('victim@shop.example', '10.0.0.9');
    }
    expect(limiter.admit('victim@shop.example', '10.0.0.9')).toBe('address');
  });
});

describe('client address behind a trusted proxy', () => {
  const { list } = parseTrustedProxies('127.0.0.1, 10.0.0.0/8, fd00::/8');
  const resolve = createClientAddressResolver(list);

  it('looks through trusted proxies only, from the nearest hop', () => {
    expect(resolve(request('::ffff:127.0.0.1', '203.0.113.7'))).toBe('203.0.113.7');
    // The client prepended a forged address: the proxy appended the real one.
    expect(resolve(request('127.0.0.1', '198.51.100.1, 203.0.113.7'))).toBe('203.0.113.7');
    expect(resolve(request('127.0.0.1', '203.0.113.7, 10.1.2.3'))).toBe('203.0.113.7');
    expect(resolve(request('127.0.0.1'))).toBe('127.0.0.1');
    expect(resolve(request('127.0.0.1', 'not-an-address'))).toBe('127.0.0.1');
  });

  it('ignores the header from a peer that is not a trusted proxy', () => {
    expect(resolve(request('203.0.113.9', '198.51.100.1'))).toBe('203.0.113.9');
    expect(createClientAddressResolver(null)(request('127.0.0.1', '198.51.100.1'))).toBe(
      '127.0.0.1',
    );
  });

  it('the configuration refuses entries that are not addresses or ranges', () => {
    expect(parseTrustedProxies('10.0.0.0/33, proxy.local, ::1, 10.0.0.0/8/1').problems).toEqual([
      '"10.0.0.0/33" is not an IP address or CIDR range',
      '"proxy.local" is not an IP address or CIDR range',
      '"10.0.0.0/8/1" is not an IP address or CIDR range',
    ]);
    expect(() => readHubConfig({ REPLYDESK_TRUSTED_PROXIES: 'proxy.local' }, '/')).toThrow(
      'REPLYDESK_TRUSTED_PROXIES: "proxy.local" is not an IP address or CIDR range.',
    );
  });
});

describe('sign-in limits on a hub behind a proxy', () => {
  let hub: RunningHub;
  beforeAll(async () => {
    hub = await startTestHub({ trustedProxies: '127.0.0.1' });
  });
  afterAll(() => hub.close());

  const attempt = async (password: string, forwardedFor: string, email = ADMIN.email) =>
    (
      await fetch(`${hub.url}/api/auth/login`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-forwarded-for': forwardedFor },
        body: JSON.stringify({ email, password }),
      })
    ).status;

  // 33 sign-ins, each an scrypt hash: slow on a loaded 2-core machine.
  it(
    'each client behind the proxy has its own address limit; the account has its own',
    { timeout: 120_000 },
    async () => {
      // 20 attempts from one client (for unknown accounts) use up that client's limit only.
      const spray = [];
      for (let i = 0; i < 21; i += 1)
        spray.push(await attempt('wrong password', '203.0.113.7', `nobody${i}@shop.example`));
      expect(spray.slice(0, 20)).toEqual(Array.from({ length: 20 }, () => 401));
      expect(spray[20]).toBe(429);
      // A colleague behind the same proxy signs in.
      expect(await attempt(ADMIN.password, '203.0.113.8')).toBe(200);
      // Ten failures for the admin account from ten addresses lock the account, not the team.
      for (let i = 0; i < 10; i += 1) expect(await attempt('wrong', `198.51.100.${i}`)).toBe(401);
      expect(await attempt(ADMIN.password, '198.51.100.99')).toBe(429);
      expect(await attempt('wrong', '198.51.100.99', 'someone@shop.example')).toBe(401);
    },
  );
});
