import { describe, expect, it } from 'vitest';
import { checkHub, normaliseHubUrl } from '../../../src/renderer/src/features/session/session';
import { fakeHub, healthy, json, TEAM_HUB } from './fake-hub';

describe('the hub address an agent types', () => {
  it.each([
    ['https://hub.shop.example', 'https://hub.shop.example'],
    ['  HTTPS://Hub.Shop.Example:443/  ', 'https://hub.shop.example'],
    ['hub.shop.example', 'https://hub.shop.example'],
    ['hub.shop.example:8443', 'https://hub.shop.example:8443'],
    ['localhost:4477', 'http://localhost:4477'],
    ['127.0.0.1:4477/', 'http://127.0.0.1:4477'],
    ['[::1]:4477', 'http://[::1]:4477'],
    ['http://10.0.0.5:80', 'http://10.0.0.5'],
    ['https://hub.shop.example/#/inbox', 'https://hub.shop.example'],
    ['https://bücher.example', 'https://xn--bcher-kva.example'],
  ])('normalises %j to %s', (typed, origin) => {
    expect(normaliseHubUrl(typed)).toEqual({ ok: true, url: origin });
  });

  it.each([
    ['', /Enter the address/],
    ['   ', /Enter the address/],
    ['javascript:alert(1)', /only http and https/i],
    ['file:///etc/passwd', /not file:/],
    ['ftp://hub.shop.example', /not ftp:/],
    ['mailto:anna@shop.example', /not mailto:/],
    ['https://anna:secret@hub.shop.example', /user name and password/],
    ['anna@hub.shop.example', /user name and password/],
    ['https://hub.shop.example/replydesk', /no path or query: use https:\/\/hub\.shop\.example/],
    ['https://hub.shop.example/?token=1', /no path or query/],
    ['https://hub.shop.example:99999', /not a valid address/],
    ['https://', /not a valid address/],
  ])('refuses %j with a sentence', (typed, message) => {
    const check = normaliseHubUrl(typed);
    expect(check.ok).toBe(false);
    if (!check.ok) expect(check.message).toMatch(message);
  });
});

describe('checking the hub (GET /healthz)', () => {
  it('accepts a Replydesk hub', async () => {
    const { fetch, calls } = fakeHub({ 'GET /healthz': healthy() });
    expect(await checkHub(TEAM_HUB, fetch)).toEqual({ ok: true });
    expect(calls).toEqual([`GET /healthz ${TEAM_HUB}`]);
  });

  it('says so when nothing answers', async () => {
    const { fetch } = fakeHub({ 'GET /healthz': new TypeError('Failed to fetch') });
    expect(await checkHub(TEAM_HUB, fetch)).toEqual({
      ok: false,
      message:
        'Nothing answers at hub.shop.example. Check the address and your connection, and that the hub is running.',
    });
  });

  it.each([
    ['a web page', new Response('<!doctype html><title>Shop</title>', { status: 200 })],
    ['a 404', json(404, { error: 'not_found' })],
    ['another JSON health answer', json(200, { healthy: true })],
  ])('says %s is not a Replydesk hub', async (_name, answer) => {
    const { fetch } = fakeHub({ 'GET /healthz': answer });
    expect(await checkHub(TEAM_HUB, fetch)).toEqual({
      ok: false,
      message: 'hub.shop.example answered, but it is not a Replydesk hub. Check the address.',
    });
  });

  it("passes on the hub's reason when it refuses this app", async () => {
    const { fetch } = fakeHub({
      'GET /healthz': json(403, {
        error: 'forbidden',
        message: 'Host "hub.shop.example" is not this hub.',
      }),
    });
    expect(await checkHub(TEAM_HUB, fetch)).toEqual({
      ok: false,
      message:
        'The hub at hub.shop.example refused this app: Host "hub.shop.example" is not this hub.',
    });
  });
});
