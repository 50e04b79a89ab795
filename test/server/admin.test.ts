import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { nextInRotation } from '../../src/server/admin/assignment';
import type { InboundMessage } from '../../src/server/channels/types';
import type { RunningHub } from '../../src/server/hub';
import type { Conversation } from '../../src/shared/domain/model';
import type { RateCard } from '../../src/shared/pricing';
import type {
  AdminUser,
  ChannelConnection,
  SetupToken,
  Team,
} from '../../src/shared/protocol/admin';
import { api, login, startTestHub, WHATSAPP } from '../support/hub';
import { connectClient, type TestClient } from '../support/realtime-client';
import { messagesWebhook, signedWebhook, textMessage } from '../support/whatsapp-webhooks';

const PASSWORD = 'a long enough password';
const START = Date.parse('2026-11-21T12:00:00Z');
let clock = START;
let counter = 0;

function inbound(channel: InboundMessage['channel'], customer: string): InboundMessage {
  counter += 1;
  return {
    kind: 'message',
    channel,
    channelAccountId: `${channel}-account`,
    externalId: `${channel}.${counter}`,
    customer: { externalId: customer, name: customer, phone: null },
    sentAt: clock,
    content: { type: 'text', body: `Hello ${counter}` },
  };
}

async function createUser(
  hubUrl: string,
  admin: string,
  input: { email: string; name: string; role: 'agent' | 'lead' | 'admin'; password?: string },
): Promise<{ user: AdminUser; setup: SetupToken | null }> {
  const res = await api<{ user: AdminUser; setup: SetupToken | null }>(
    hubUrl,
    admin,
    '/api/admin/users',
    { method: 'POST', body: input },
  );
  expect(res.status).toBe(201);
  return res.body;
}

async function assigneeOf(hubUrl: string, token: string, customer: string): Promise<string | null> {
  const { body } = await api<{ conversations: Conversation[] }>(
    hubUrl,
    token,
    `/api/conversations?q=${encodeURIComponent(customer)}`,
  );
  expect(body.conversations).toHaveLength(1);
  return body.conversations[0]?.assigneeId ?? null;
}

describe('the round-robin rotation', () => {
  it('takes the next member after the last one, wrapping, and the first when the last is gone', () => {
    expect(nextInRotation([], null)).toBeNull();
    expect(nextInRotation(['a', 'b', 'c'], null)).toBe('a');
    expect(nextInRotation(['a', 'b', 'c'], 'a')).toBe('b');
    expect(nextInRotation(['a', 'b', 'c'], 'c')).toBe('a');
    // The last assignee went away (or left the team): the one after their place is next.
    expect(nextInRotation(['a', 'c'], 'b')).toBe('c');
  });
});

describe('users, invites and teams', () => {
  let hub: RunningHub;
  let admin: string;

  beforeAll(async () => {
    hub = await startTestHub({ now: () => clock });
    admin = await login(hub.url);
  });
  afterAll(async () => {
    await hub.close();
  });
  afterEach(() => {
    clock = START;
  });

  it('creates a user with a password who signs in at once, and lists them with their teams', async () => {
    const { user, setup } = await createUser(hub.url, admin, {
      email: 'Ana@Shop.example',
      name: 'Ana',
      role: 'agent',
      password: PASSWORD,
    });
    expect(setup).toBeNull();
    expect(user).toMatchObject({
      email: 'ana@shop.example',
      role: 'agent',
      disabled: false,
      availability: 'available',
      invitePending: false,
      teamIds: [],
    });
    expect(JSON.stringify(user)).not.toMatch(/scrypt|password/i);
    await login(hub.url, { email: 'ana@shop.example', password: PASSWORD });
    const duplicate = await api(hub.url, admin, '/api/admin/users', {
      method: 'POST',
      body: { email: 'ana@shop.example', name: 'Ana 2', role: 'agent', password: PASSWORD },
    });
    expect(duplicate.status).toBe(409);
  });

  it('invites a user with a one-time link that expires: accepting sets the password and signs in', async () => {
    const { user, setup } = await createUser(hub.url, admin, {
      email: 'ben@shop.example',
      name: 'Ben',
      role: 'lead',
    });
    expect(user.invitePending).toBe(true);
    expect(setup?.purpose).toBe('invite');
    expect(setup?.expiresAt).toBe(START + 3 * 24 * 3_600_000);
    const token = setup?.token ?? '';
    // Not signed in before accepting, whatever they try.
    await expect(login(hub.url, { email: 'ben@shop.example', password: '' })).rejects.toThrow();

    const accepted = await api<{ token: string; user: { id: string } }>(
      hub.url,
      null,
      '/api/auth/accept-invite',
      { method: 'POST', body: { token, password: PASSWORD } },
    );
    expect(accepted.status).toBe(200);
    expect(accepted.body.user.id).toBe(user.id);
    expect((await api(hub.url, accepted.body.token, '/api/me')).status).toBe(200);
    await login(hub.url, { email: 'ben@shop.example', password: PASSWORD });
    // Once only.
    const again = await api(hub.url, null, '/api/auth/accept-invite', {
      method: 'POST',
      body: { token, password: 'another long password' },
    });
    expect(again.status).toBe(401);
    const listed = await api<{ users: AdminUser[] }>(hub.url, admin, '/api/admin/users');
    expect(listed.body.users.find((u) => u.id === user.id)?.invitePending).toBe(false);

    // An invite not used within 3 days is refused.
    const late = await createUser(hub.url, admin, {
      email: 'late@shop.example',
      name: 'Late',
      role: 'agent',
    });
    clock = START + 3 * 24 * 3_600_000 + 1;
    const expired = await api(hub.url, null, '/api/auth/accept-invite', {
      method: 'POST',
      body: { token: late.setup?.token, password: PASSWORD },
    });
    expect(expired.status).toBe(401);
  });

  it('stores only a hash of invite tokens', async () => {
    const { setup } = await createUser(hub.url, admin, {
      email: 'hash@shop.example',
      name: 'Hash',
      role: 'agent',
    });
    const { rows } = await hub.db.query<{ token_hash: string }>(
      'select token_hash from user_setup_tokens',
    );
    expect(rows.length).toBeGreaterThan(0);
    expect(rows.map((row) => row.token_hash)).not.toContain(setup?.token);
  });

  it('resets a password: a temporary one or a reset link, and every session of the user ends', async () => {
    await createUser(hub.url, admin, {
      email: 'cleo@shop.example',
      name: 'Cleo',
      role: 'agent',
      password: PASSWORD,
    });
    const session = await login(hub.url, { email: 'cleo@shop.example', password: PASSWORD });
    const id = (await api<{ user: { id: string } }>(hub.url, session, '/api/me')).body.user.id;
    const socket = await connectClient(hub.url, session);
    await socket.waitFor((frame) => frame.type === 'hello');
    const closed = new Promise<void>((resolve) => socket.socket.once('close', () => resolve()));

    const temporary = await api<{ setup: null }>(
      hub.url,
      admin,
      `/api/admin/users/${id}/password`,
      {
        method: 'POST',
        body: { password: 'temporary password 1' },
      },
    );
    expect(temporary.status).toBe(200);
    await closed;
    expect((await api(hub.url, session, '/api/me')).status).toBe(401);
    await expect(
      login(hub.url, { email: 'cleo@shop.example', password: PASSWORD }),
    ).rejects.toThrow();
    const second = await login(hub.url, {
      email: 'cleo@shop.example',
      password: 'temporary password 1',
    });

    const link = await api<{ setup: SetupToken }>(
      hub.url,
      admin,
      `/api/admin/users/${id}/password`,
      {
        method: 'POST',
        body: {},
      },
    );
    expect(link.body.setup.purpose).toBe('reset');
    expect((await api(hub.url, second, '/api/me')).status).toBe(401);
    const accepted = await api(hub.url, null, '/api/auth/accept-invite', {
      method: 'POST',
      body: { token: link.body.setup.token, password: 'my own new password' },
    });
    expect(accepted.status).toBe(200);
    await login(hub.url, { email: 'cleo@shop.example', password: 'my own new password' });
  });

  it('lets every user set their own availability', async () => {
    await createUser(hub.url, admin, {
      email: 'dan@shop.example',
      name: 'Dan',
      role: 'agent',
      password: PASSWORD,
    });
    const dan = await login(hub.url, { email: 'dan@shop.example', password: PASSWORD });
    const set = await api(hub.url, dan, '/api/me/availability', {
      method: 'PUT',
      body: { availability: 'away' },
    });
    expect(set.status).toBe(200);
    expect((await api(hub.url, dan, '/api/me/availability')).body).toEqual({
      availability: 'away',
    });
    const bad = await api(hub.url, dan, '/api/me/availability', {
      method: 'PUT',
      body: { availability: 'asleep' },
    });
    expect(bad.status).toBe(400);
  });

  it('publishes teammate changes to connected apps so their teammate lists update', async () => {
    const { user } = await createUser(hub.url, admin, {
      email: 'eve@shop.example',
      name: 'Eve',
      role: 'agent',
      password: PASSWORD,
    });
    const client = await connectClient(hub.url, admin);
    await client.waitFor((frame) => frame.type === 'hello');
    await api(hub.url, admin, `/api/admin/users/${user.id}`, {
      method: 'PUT',
      body: { name: 'Eve Adams', role: 'lead' },
    });
    const frame = await client.waitFor(
      (f) =>
        f.type === 'events' &&
        f.events.some((e) => e.event.type === 'user.updated' && e.event.user.id === user.id),
    );
    const event = frame.type === 'events' ? frame.events.at(-1)?.event : undefined;
    expect(event).toEqual({
      type: 'user.updated',
      user: { id: user.id, name: 'Eve Adams', role: 'lead', disabled: false },
    });
    await client.close();
  });

  it('creates, renames and deletes teams; a channel maps to one team; names are unique', async () => {
    const { users } = (await api<{ users: AdminUser[] }>(hub.url, admin, '/api/admin/users')).body;
    const ana = users.find((u) => u.name === 'Ana') as AdminUser;
    const created = await api<{ team: Team }>(hub.url, admin, '/api/admin/teams', {
      method: 'POST',
      body: { name: 'Sales', assignment: 'manual', channels: ['instagram'], memberIds: [ana.id] },
    });
    expect(created.status).toBe(201);
    expect(created.body.team).toMatchObject({
      name: 'Sales',
      assignment: 'manual',
      channels: ['instagram'],
      memberIds: [ana.id],
    });
    const id = created.body.team.id;
    const listed = await api<{ users: AdminUser[] }>(hub.url, admin, '/api/admin/users');
    expect(listed.body.users.find((u) => u.id === ana.id)?.teamIds).toEqual([id]);

    const taken = await api<{ message: string }>(hub.url, admin, '/api/admin/teams', {
      method: 'POST',
      body: { name: 'Other', assignment: 'round_robin', channels: ['instagram'], memberIds: [] },
    });
    expect(taken.status).toBe(409);
    expect(taken.body.message).toMatch(/instagram channel belongs to the team Sales/);
    const sameName = await api(hub.url, admin, '/api/admin/teams', {
      method: 'POST',
      body: { name: 'sales', assignment: 'manual', channels: [], memberIds: [] },
    });
    expect(sameName.status).toBe(409);
    const unknownMember = await api(hub.url, admin, '/api/admin/teams', {
      method: 'POST',
      body: { name: 'Ghosts', assignment: 'manual', channels: [], memberIds: ['usr_nobody'] },
    });
    expect(unknownMember.status).toBe(400);

    const renamed = await api<{ team: Team }>(hub.url, admin, `/api/admin/teams/${id}`, {
      method: 'PUT',
      body: { name: 'Sales EU', assignment: 'round_robin', channels: ['instagram'], memberIds: [] },
    });
    expect(renamed.body.team).toMatchObject({
      name: 'Sales EU',
      assignment: 'round_robin',
      memberIds: [],
    });
    expect((await api(hub.url, admin, `/api/admin/teams/${id}`, { method: 'DELETE' })).status).toBe(
      200,
    );
    expect((await api(hub.url, admin, `/api/admin/teams/${id}`, { method: 'DELETE' })).status).toBe(
      404,
    );
    const teams = await api<{ teams: Team[] }>(hub.url, admin, '/api/admin/teams');
    expect(teams.body.teams.map((t) => t.name)).not.toContain('Sales EU');
  });
});

describe('round-robin assignment and what survives a restart', () => {
  let dir: string;
  let hub: RunningHub | undefined;

  beforeAll(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'replydesk-admin-'));
  });
  afterAll(async () => {
    await hub?.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('assigns new conversations in turn among available, enabled members, durably across a restart', async () => {
    let h = await startTestHub({ dataDir: dir, now: () => clock });
    hub = h;
    let admin = await login(h.url);
    const member = async (name: string): Promise<string> =>
      (
        await createUser(h.url, admin, {
          email: `${name.toLowerCase()}@shop.example`,
          name,
          role: 'agent',
          password: PASSWORD,
        })
      ).user.id;
    const [a, b, away, off] = [
      await member('A'),
      await member('B'),
      await member('Away'),
      await member('Off'),
    ];
    const awayToken = await login(h.url, { email: 'away@shop.example', password: PASSWORD });
    await api(h.url, awayToken, '/api/me/availability', {
      method: 'PUT',
      body: { availability: 'away' },
    });
    await api(h.url, admin, `/api/admin/users/${off}`, {
      method: 'PUT',
      body: { disabled: true },
    });
    const team = await api<{ team: Team }>(h.url, admin, '/api/admin/teams', {
      method: 'POST',
      body: {
        name: 'WhatsApp desk',
        assignment: 'round_robin',
        channels: ['whatsapp'],
        memberIds: [a, b, away, off],
      },
    });
    expect(team.status).toBe(201);
    const order = [a, b].sort();

    const client: TestClient = await connectClient(h.url, admin);
    await client.waitFor((frame) => frame.type === 'hello');
    await h.ingestor.ingest(inbound('whatsapp', 'customer-1'));
    await h.ingestor.ingest(inbound('whatsapp', 'customer-2'));
    await h.ingestor.ingest(inbound('whatsapp', 'customer-3'));
    // A second message in an existing conversation does not move the rotation.
    await h.ingestor.ingest(inbound('whatsapp', 'customer-1'));
    // Another channel, no round-robin team: unassigned.
    await h.ingestor.ingest(inbound('telegram', 'customer-tg'));
    expect(await assigneeOf(h.url, admin, 'customer-1')).toBe(order[0]);
    expect(await assigneeOf(h.url, admin, 'customer-2')).toBe(order[1]);
    expect(await assigneeOf(h.url, admin, 'customer-3')).toBe(order[0]);
    expect(await assigneeOf(h.url, admin, 'customer-tg')).toBeNull();
    // Apps learn the assignment from the usual event.
    const events = await client.waitForEvents(1);
    expect(
      events.some(
        (e) =>
          e.event.type === 'conversation.updated' &&
          e.event.conversation.customer.name === 'customer-1' &&
          e.event.conversation.assigneeId === order[0],
      ),
    ).toBe(true);
    await client.close();

    // Channel settings and the rate card, also expected back after the restart.
    await api(h.url, admin, '/api/admin/channels/whatsapp', {
      method: 'PUT',
      body: { verifyToken: 'saved-verify-token-1', appSecret: 'saved-app-secret-1' },
    });
    await api(h.url, admin, '/api/admin/rate-card/rule-sets/meta-2026-10-01-reported', {
      method: 'PUT',
      body: { enabled: true },
    });

    await h.close();
    h = await startTestHub({ dataDir: dir, now: () => clock });
    hub = h;
    admin = await login(h.url);
    await h.ingestor.ingest(inbound('whatsapp', 'customer-4'));
    await h.ingestor.ingest(inbound('whatsapp', 'customer-5'));
    expect(await assigneeOf(h.url, admin, 'customer-4')).toBe(order[1]);
    expect(await assigneeOf(h.url, admin, 'customer-5')).toBe(order[0]);

    // Back from away, the member joins the rotation at their place.
    const awayAgain = await login(h.url, { email: 'away@shop.example', password: PASSWORD });
    await api(h.url, awayAgain, '/api/me/availability', {
      method: 'PUT',
      body: { availability: 'available' },
    });
    const withAway = [a, b, away].sort();
    const after = withAway[(withAway.indexOf(order[0] as string) + 1) % 3];
    await h.ingestor.ingest(inbound('whatsapp', 'customer-6'));
    expect(await assigneeOf(h.url, admin, 'customer-6')).toBe(after);

    const card = await api<{ rateCard: RateCard }>(h.url, admin, '/api/rate-card');
    expect(card.body.rateCard.ruleSets[0]?.enabled).toBe(true);
    const verify = await fetch(
      `${h.url}/webhooks/whatsapp?hub.mode=subscribe&hub.verify_token=saved-verify-token-1&hub.challenge=42`,
    );
    expect(verify.status).toBe(200);
  }, 180_000);
});

describe('channels and the rate card', () => {
  let hub: RunningHub;
  let admin: string;
  const SECRETS = {
    appSecret: 'new-app-secret-value-123',
    verifyToken: 'new-verify-token-value-456',
    accessToken: 'EAAG-new-access-token-value-789',
  };

  beforeAll(async () => {
    hub = await startTestHub({ graphUrl: 'http://127.0.0.1:9', now: () => clock });
    admin = await login(hub.url);
  });
  afterAll(async () => {
    await hub.close();
  });

  it('lists the WhatsApp connection with its status and which secrets are set, never their values', async () => {
    const res = await api<{ channels: ChannelConnection[] }>(hub.url, admin, '/api/admin/channels');
    expect(res.status).toBe(200);
    const whatsapp = res.body.channels.find((c) => c.id === 'whatsapp');
    expect(whatsapp).toMatchObject({
      configured: true,
      webhookVerifiedAt: null,
      lastEventAt: null,
      lastError: null,
      webhookPath: '/webhooks/whatsapp',
      webhookUrl: `${hub.url}/webhooks/whatsapp`,
      secrets: {
        appSecret: { set: true, source: 'environment' },
        verifyToken: { set: true, source: 'environment' },
        accessToken: { set: true, source: 'environment' },
      },
    });
    // The phone number id is not secret: its value in force is shown.
    expect(whatsapp?.settings?.find((s) => s.name === 'phoneNumberId')).toMatchObject({
      value: WHATSAPP.phoneNumberId,
      state: { set: true, source: 'environment', updatedAt: null },
    });
    const text = JSON.stringify(res.body);
    for (const secret of [WHATSAPP.appSecret, WHATSAPP.verifyToken, WHATSAPP.accessToken])
      expect(text).not.toContain(secret);
  });

  it('records webhook verification, the last event and the last error', async () => {
    const refused = await fetch(
      `${hub.url}/webhooks/whatsapp?hub.mode=subscribe&hub.verify_token=wrong&hub.challenge=7`,
    );
    expect(refused.status).toBe(403);
    clock = START + 60_000;
    const verified = await fetch(
      `${hub.url}/webhooks/whatsapp?hub.mode=subscribe&hub.verify_token=${WHATSAPP.verifyToken}&hub.challenge=7`,
    );
    expect(verified.status).toBe(200);
    const signed = signedWebhook(messagesWebhook([textMessage('Hi')]), WHATSAPP.appSecret);
    const delivered = await fetch(`${hub.url}/webhooks/whatsapp`, {
      method: 'POST',
      headers: signed.headers,
      body: signed.body,
    });
    expect(delivered.status).toBe(200);
    const forged = await fetch(`${hub.url}/webhooks/whatsapp`, {
      method: 'POST',
      headers: { ...signed.headers, 'x-hub-signature-256': `sha256=${'0'.repeat(64)}` },
      body: signed.body,
    });
    expect(forged.status).toBe(401);
    const { body } = await api<{ channels: ChannelConnection[] }>(
      hub.url,
      admin,
      '/api/admin/channels',
    );
    const whatsapp = body.channels.find((c) => c.id === 'whatsapp');
    expect(whatsapp?.webhookVerifiedAt).toBe(START + 60_000);
    expect(whatsapp?.lastEventAt).toBe(START + 60_000);
    expect(whatsapp?.lastError?.message).toMatch(/X-Hub-Signature-256/);
    clock = START;
  });

  it('stores written secrets, uses them for the webhook at once, and never sends them back (API or events)', async () => {
    const client = await connectClient(hub.url, admin);
    await client.waitFor((frame) => frame.type === 'hello');
    const written = await api<{ channel: ChannelConnection }>(
      hub.url,
      admin,
      '/api/admin/channels/whatsapp',
      { method: 'PUT', body: SECRETS },
    );
    expect(written.status).toBe(200);
    expect(written.body.channel.secrets).toMatchObject({
      appSecret: { set: true, source: 'settings' },
      verifyToken: { set: true, source: 'settings' },
      accessToken: { set: true, source: 'settings' },
    });
    const tooShort = await api(hub.url, admin, '/api/admin/channels/whatsapp', {
      method: 'PUT',
      body: { appSecret: 'short' },
    });
    expect(tooShort.status).toBe(400);
    expect(JSON.stringify(tooShort.body)).not.toContain('short"');

    // The new verify token and app secret are in force; the old ones are not.
    const old = await fetch(
      `${hub.url}/webhooks/whatsapp?hub.mode=subscribe&hub.verify_token=${WHATSAPP.verifyToken}&hub.challenge=1`,
    );
    expect(old.status).toBe(403);
    const fresh = await fetch(
      `${hub.url}/webhooks/whatsapp?hub.mode=subscribe&hub.verify_token=${SECRETS.verifyToken}&hub.challenge=1`,
    );
    expect(fresh.status).toBe(200);
    const signed = signedWebhook(messagesWebhook([textMessage('Hello again')]), SECRETS.appSecret);
    const delivered = await fetch(`${hub.url}/webhooks/whatsapp`, {
      method: 'POST',
      headers: signed.headers,
      body: signed.body,
    });
    expect(delivered.status).toBe(200);

    // Nothing any client can read carries a secret: every API answer and every event.
    await api(hub.url, admin, '/api/admin/rate-card/rule-sets/meta-2026-10-01-reported', {
      method: 'PUT',
      body: { enabled: false },
    });
    const answers = await Promise.all(
      [
        '/api/admin/channels',
        '/api/admin/users',
        '/api/admin/teams',
        '/api/users',
        '/api/me',
        '/api/rate-card',
        '/api/conversations',
        '/api/templates',
      ].map(async (p) => JSON.stringify((await api(hub.url, admin, p)).body)),
    );
    const { rows } = await hub.db.query<{ payload: unknown }>('select payload from events');
    const everything = [
      ...answers,
      JSON.stringify(written.body),
      JSON.stringify(client.frames),
      JSON.stringify(rows),
    ].join('\n');
    for (const secret of Object.values(SECRETS)) expect(everything).not.toContain(secret);
    await client.close();
  });

  it('replaces the rate card after validating it, keeps it in the database and tells the apps', async () => {
    const current = (await api<{ rateCard: RateCard }>(hub.url, admin, '/api/rate-card')).body
      .rateCard;
    const bad = await api<{ message: string; details: { issues: { path: string }[] } }>(
      hub.url,
      admin,
      '/api/admin/rate-card',
      {
        method: 'PUT',
        body: { rateCard: { ...current, currency: 'usd', periods: [{ channel: 'sms' }] } },
      },
    );
    expect(bad.status).toBe(400);
    expect(bad.body.details.issues.map((i) => i.path)).toContain('currency');
    expect((await api(hub.url, admin, '/api/rate-card')).body).toEqual({ rateCard: current });

    const client = await connectClient(hub.url, admin);
    await client.waitFor((frame) => frame.type === 'hello');
    const edited: RateCard = {
      ...current,
      example: false,
      // The first SMS period (the card has two): moved to a new date with one price.
      periods: current.periods.map((period, i) =>
        period.channel === 'sms' && i === current.periods.findIndex((p) => p.channel === 'sms')
          ? { ...period, effectiveFrom: '2026-12-01', rates: { default: { segment: 0.07 } } }
          : period,
      ),
    };
    const saved = await api<{ rateCard: RateCard }>(hub.url, admin, '/api/admin/rate-card', {
      method: 'PUT',
      body: { rateCard: edited },
    });
    expect(saved.status).toBe(200);
    expect((await api(hub.url, admin, '/api/rate-card')).body).toEqual({ rateCard: edited });
    const frame = await client.waitFor(
      (f) => f.type === 'events' && f.events.some((e) => e.event.type === 'rate_card.updated'),
    );
    expect(frame.type === 'events' && frame.events.at(-1)?.event).toEqual({
      type: 'rate_card.updated',
      rateCard: edited,
    });
    const { rows } = await hub.db.query<{ card: RateCard }>('select card from rate_card');
    expect(rows[0]?.card).toEqual(edited);

    const unknown = await api(hub.url, admin, '/api/admin/rate-card/rule-sets/nope', {
      method: 'PUT',
      body: { enabled: true },
    });
    expect(unknown.status).toBe(404);
    await client.close();
  });
});
