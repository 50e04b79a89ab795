import type { IncomingMessage } from 'node:http';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import {
  createLoginLimiter,
  type LoginLimiter,
  type LoginLimits,
} from '../../src/server/auth/login-limiter';
import { openPglite, type Db } from '../../src/server/store/db';
import { migrate } from '../../src/server/store/migrations';
import {
  createClientAddressResolver,
  parseTrustedProxies,
} from '../../src/server/http/client-address';
import { readHubConfig } from '../../src/server/config';
import type { RunningHub } from '../../src/server/hub';
import { ADMIN, startTestHub } from '../support/hub';

const LIMITS: LoginLimits = { perAccount: 3, perAddress: 5, windowMs: 60_000 };

function request(remoteAddress: string, forwardedFor?: string): IncomingMessage {
  return {
    socket: { remoteAddress },
    headers: forwardedFor === undefined ? {} : { 'x-forwarded-for': forwardedFor },
  } as unknown as IncomingMessage;
}

describe('createLoginLimiter', () => {
  let db: Db;
  let t = 0;
  let limiter: LoginLimiter;
  beforeAll(async () => {
    db = await openPglite(null);
    await migrate(db);
  });
  afterAll(() => db.close());
  beforeEach(async () => {
    await db.query('delete from login_attempts');
    t = 0;
    limiter = createLoginLimiter(db, () => t, LIMITS);
  });

  it('limits failures per account whatever address they come from', async () => {
    for (const address of ['10.0.0.1', '10.0.0.2', '10.0.0.3']) {
      expect(await limiter.admit('Ana@Shop.example', address)).toBeNull();
      await limiter.settle('ana@shop.example', false);
    }
    expect(await limiter.admit(' ana@shop.example ', '10.0.0.4')).toBe('account');
    expect(await limiter.admit('ben@shop.example', '10.0.0.4')).toBeNull();
  });

  it('a successful sign-in clears the account failures', async () => {
    await limiter.settle('ana@shop.example', false);
    await limiter.settle('ana@shop.example', false);
    await limiter.settle('ana@shop.example', true);
    await limiter.settle('ana@shop.example', false);
    await limiter.settle('ana@shop.example', false);
    expect(await limiter.admit('ana@shop.example', '10.0.0.1')).toBeNull();
  });

  it('limits attempts per address across accounts', async () => {
    const verdicts = [];
    for (let i = 0; i < 6; i++)
      verdicts.push(await limiter.admit(`user${i}@shop.example`, '10.0.0.9'));
    expect(verdicts).toEqual([null, null, null, null, null, 'address']);
    expect(await limiter.admit('user0@shop.example', '10.0.0.10')).toBeNull();
  });

  it('counts only the attempts within the window, and deletes the older ones', async () => {
    for (let i = 0; i < 5; i++) await limiter.admit('x@shop.example', '10.0.0.9');
    expect(await limiter.admit('x@shop.example', '10.0.0.9')).toBe('address');
    t = 59_999;
    expect(await limiter.admit('x@shop.example', '10.0.0.9')).toBe('address');
    t = 60_000; // the first six have left the window
    expect(await limiter.admit('x@shop.example', '10.0.0.9')).toBeNull();
    const { rows } = await db.query<{ at: number }>('select at from login_attempts order by at');
    expect(rows.map((row) => Number(row.at))).toEqual([59_999, 60_000]);
  });

  it('a flood of new addresses does not reset the count of an active one', async () => {
    for (let i = 0; i < 5; i += 1) await limiter.admit('victim@shop.example', '10.0.0.9');
    for (let i = 0; i < 150; i += 1) {
      t += 1;
      await limiter.admit('x@shop.example', `192.0.2.${i % 250}-${i}`);
    }
    expect(await limiter.admit('victim@shop.example', '10.0.0.9')).toBe('address');
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
