import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningHub } from '../../src/server/hub';
import { HOUR_MS } from '../../src/shared/domain/channels';
import type { RateCard } from '../../src/shared/pricing';
import type { FieldError } from '../../src/shared/protocol/field-errors';
import { DEFAULT_CALENDAR } from '../../src/shared/sla';
import { api, login, startTestHub } from '../support/hub';

/**
 * Issue 12, item 9: the hub names each refused field with a path and a sentence
 * (`details.fields`), so the admin forms put the message beside the field instead of a banner
 * with raw paths ("weeklyHours.mon.0: …") or zod's defaults ("Too small: expected string…").
 */

type Refusal = { error: string; message: string; details: { fields: FieldError[] } };

const POLICY = {
  name: 'WhatsApp',
  channel: 'whatsapp',
  priority: null,
  firstResponseMs: HOUR_MS,
  nextResponseMs: null,
  resolutionMs: null,
  hours: 'always',
  enabled: true,
};

describe('field errors from the hub', () => {
  let hub: RunningHub;
  let admin: string;

  beforeAll(async () => {
    hub = await startTestHub();
    admin = await login(hub.url);
  });
  afterAll(async () => {
    await hub.close();
  });

  it('names the business hours that are wrong, in words', async () => {
    const res = await api<Refusal>(hub.url, admin, '/api/sla/calendar', {
      method: 'PUT',
      body: {
        ...DEFAULT_CALENDAR,
        weeklyHours: {
          ...DEFAULT_CALENDAR.weeklyHours,
          mon: [{ start: '17:00', end: '09:00' }],
          tue: [
            { start: '09:00', end: '17:00' },
            { start: '13:00', end: '18:00' },
          ],
        },
      },
    });
    expect(res.status).toBe(400);
    expect(res.body.error).toBe('bad_request');
    expect(res.body.details.fields).toEqual([
      { path: 'weeklyHours.mon.0', message: 'Opening time must be before closing time' },
      { path: 'weeklyHours.tue', message: 'Tuesday: 09:00–17:00 overlaps 13:00–18:00' },
    ]);
    const zone = await api<Refusal>(hub.url, admin, '/api/sla/calendar', {
      method: 'PUT',
      body: { ...DEFAULT_CALENDAR, timeZone: 'Mars/Olympus' },
    });
    expect(zone.body.details.fields).toEqual([
      {
        path: 'timeZone',
        message: 'Unknown time zone: use an IANA name such as Europe/Amsterdam',
      },
    ]);
  });

  it('names the policy fields that are wrong, and the clashing scope beside its channel', async () => {
    const empty = await api<Refusal>(hub.url, admin, '/api/sla/policies', {
      method: 'POST',
      body: { ...POLICY, name: ' ', firstResponseMs: 1000 },
    });
    expect(empty.status).toBe(400);
    expect(empty.body.details.fields).toEqual([
      { path: 'name', message: 'Give the policy a name' },
      { path: 'firstResponseMs', message: 'A target is at least 1 minute' },
    ]);
    const missing = await api<Refusal>(hub.url, admin, '/api/sla/policies', {
      method: 'POST',
      body: { ...POLICY, hours: undefined },
    });
    expect(missing.body.details.fields).toEqual([{ path: 'hours', message: 'Required' }]);

    expect(
      (await api(hub.url, admin, '/api/sla/policies', { method: 'POST', body: POLICY })).status,
    ).toBe(201);
    const clash = await api<Refusal>(hub.url, admin, '/api/sla/policies', {
      method: 'POST',
      body: { ...POLICY, name: 'Second' },
    });
    expect(clash.status).toBe(409);
    expect(clash.body.details.fields).toEqual([
      {
        path: 'channel',
        message:
          'Policy "WhatsApp" already covers WhatsApp, any priority: disable or change it first.',
      },
    ]);
  });

  it('answers an empty quick reply with "Required" per field and a taken shortcut beside the shortcut', async () => {
    const reply = {
      kind: 'quick_reply',
      name: 'ETA',
      shortcut: 'eta',
      body: 'Soon.',
      channels: ['whatsapp'],
    };
    const empty = await api<Refusal>(hub.url, admin, '/api/templates', {
      method: 'POST',
      body: { ...reply, name: '', body: '' },
    });
    expect(empty.status).toBe(400);
    expect(empty.body.details.fields).toEqual([
      { path: 'name', message: 'Required' },
      { path: 'body', message: 'Required' },
    ]);
    expect(empty.body.message).not.toMatch(/Too small/);

    expect(
      (await api(hub.url, admin, '/api/templates', { method: 'POST', body: reply })).status,
    ).toBe(201);
    const taken = await api<Refusal>(hub.url, admin, '/api/templates', {
      method: 'POST',
      body: { ...reply, name: 'Delivery time' },
    });
    expect(taken.status).toBe(409);
    expect(taken.body.details.fields).toEqual([
      { path: 'shortcut', message: 'Shortcut /eta is already used by ‘ETA’' },
    ]);
  });

  it('refuses a negative price with 400 naming its cell, and keeps the card', async () => {
    const before = (await api<{ rateCard: RateCard }>(hub.url, admin, '/api/rate-card')).body
      .rateCard;
    const index = before.periods.findIndex((p) => p.channel === 'sms');
    const periods = before.periods.map((period, i) =>
      i === index ? { ...period, rates: { default: { segment: -0.05 } } } : period,
    );
    const res = await api<Refusal>(hub.url, admin, '/api/admin/rate-card', {
      method: 'PUT',
      body: { rateCard: { ...before, periods } },
    });
    expect(res.status).toBe(400);
    expect(res.body.details.fields).toEqual([
      { path: `periods.${index}.rates.default.segment`, message: 'A price cannot be negative' },
    ]);
    expect((await api(hub.url, admin, '/api/rate-card')).body).toEqual({ rateCard: before });
  });
});
