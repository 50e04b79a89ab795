import type { ChildProcess } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Conversation, Message } from '../../src/shared/domain/model';
import { startFakeGraphApi, type FakeGraphApi } from '../support/fake-graph-api';
import { api, login, WHATSAPP } from '../support/hub';
import { startHubProcess as startHub } from '../support/spawn-hub';
import {
  messagesWebhook,
  signedWebhook,
  statusesWebhook,
  statusUpdate,
  textMessage,
} from '../support/whatsapp-webhooks';
import { until } from '../support/until';

/**
 * Issue #13 item 2: a hub killed after the Graph API accepted a reply but before it recorded the
 * answer must not send it again when it starts; the status webhook settles it.
 */
let graph: FakeGraphApi;
let dataDir: string;
const children = new Set<ChildProcess>();

beforeAll(async () => {
  graph = await startFakeGraphApi({ accessToken: WHATSAPP.accessToken });
  dataDir = await mkdtemp(path.join(os.tmpdir(), 'replydesk-crash-'));
});
afterAll(async () => {
  for (const child of children) child.kill('SIGKILL');
  await graph.close();
  await rm(dataDir, { recursive: true, force: true });
});

const startHubProcess = (): Promise<{ url: string; child: ChildProcess }> =>
  startHub(dataDir, graph.url, children);

async function post(url: string, payload: unknown): Promise<void> {
  const signed = signedWebhook(payload, WHATSAPP.appSecret);
  const res = await fetch(`${url}/webhooks/whatsapp`, {
    method: 'POST',
    headers: signed.headers,
    body: signed.body,
  });
  expect(res.status).toBe(200);
}

describe('a hub killed between the accepted send and its record', () => {
  it(
    'does not send the reply again after restart; the status webhook settles it',
    { timeout: 90_000 },
    async () => {
      const first = await startHubProcess();
      const token = await login(first.url);
      await post(
        first.url,
        messagesWebhook(textMessage('Where is my refund?', { from: '31630000001' })),
      );
      const list = await api<{ conversations: Conversation[] }>(
        first.url,
        token,
        '/api/conversations',
      );
      const conversation = list.body.conversations[0] as Conversation;
      graph.acceptAndHang();
      const sent = await api<{ message: Message }>(
        first.url,
        token,
        `/api/conversations/${conversation.id}/messages`,
        { method: 'POST', body: { content: { type: 'text', body: 'It was paid out today.' } } },
      );
      expect(sent.status).toBe(202);
      const id = sent.body.message.id;
      await untilWithin(
        async () => graph.accepted.filter((a) => a.ourId === id).length,
        (n) => n === 1,
      );
      const exited = new Promise((resolve) => first.child.once('exit', resolve));
      first.child.kill('SIGKILL');
      await exited;

      const second = await startHubProcess();
      const again = await login(second.url);
      const messageOf = async () =>
        (
          await api<{ messages: Message[] }>(
            second.url,
            again,
            `/api/conversations/${conversation.id}/messages`,
          )
        ).body.messages.find((m) => m.id === id);
      expect((await messageOf())?.status).toBe('sending');

      const wamid = graph.accepted.find((a) => a.ourId === id)?.wamid ?? '';
      await post(
        second.url,
        statusesWebhook(
          statusUpdate('delivered', { id: wamid, callbackData: id, recipientId: '31630000001' }),
        ),
      );
      const settled = await untilWithin(messageOf, (m) => m?.status === 'delivered');
      expect(settled).toMatchObject({ status: 'delivered', externalId: wamid, failureCode: null });
      expect(graph.accepted.filter((a) => a.ourId === id)).toEqual([{ ourId: id, wamid }]);
      second.child.kill('SIGKILL');
    },
  );
});

/** This file's waits are longer than the helper's default (hubs, crashes). */
const untilWithin = <T>(read: () => Promise<T>, done: (value: T) => boolean): Promise<T> =>
  until(read, done, 15_000);
