import type { ChildProcess } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Conversation, Message } from '../../src/shared/domain/model';
import { demoImage } from '../../src/server/demo/demo-files';
import { startFakeGraphApi, type FakeGraphApi } from '../support/fake-graph-api';
import { api, login, WHATSAPP } from '../support/hub';
import { startHubProcess as startHub } from '../support/spawn-hub';
import { until } from '../support/until';
import { imageMessage, messagesWebhook, postSignedWebhook } from '../support/whatsapp-webhooks';

/**
 * Issue #14 item 4: a download in progress when the hub is killed (`kill -9`) is not lost: the
 * next hub on the same data folder takes the job over and stores the file.
 */
let graph: FakeGraphApi;
let dataDir: string;
const children = new Set<ChildProcess>();

beforeAll(async () => {
  graph = await startFakeGraphApi({ accessToken: WHATSAPP.accessToken });
  dataDir = await mkdtemp(path.join(os.tmpdir(), 'replydesk-media-restart-'));
});
afterAll(async () => {
  for (const child of children) child.kill('SIGKILL');
  await graph.close();
  await rm(dataDir, { recursive: true, force: true });
});

const startHubProcess = (): Promise<{ url: string; child: ChildProcess }> =>
  startHub(dataDir, graph.url, children);

describe('a hub killed during a download', () => {
  it('leaves the job to the next hub, which stores the file', { timeout: 90_000 }, async () => {
    const bytes = demoImage('wrongItem').bytes;
    const id = graph.addMedia({ bytes, mimeType: 'image/png' });
    // The first lookup is answered only after the hub is gone.
    graph.failNextMedia({ status: 503, delayMs: 60_000 });
    const first = await startHubProcess();
    const photo = imageMessage({ mediaId: id, mimeType: 'image/png', from: '31640000001' });
    expect(await postSignedWebhook(first.url, messagesWebhook(photo), WHATSAPP.appSecret)).toBe(
      200,
    );
    await until(
      async () => graph.requests.filter((r) => r.path.startsWith(`/v23.0/${id}`)).length,
      (n) => n === 1,
      20_000,
    );
    const exited = new Promise((resolve) => first.child.once('exit', resolve));
    first.child.kill('SIGKILL');
    await exited;

    const second = await startHubProcess();
    const token = await login(second.url);
    const conversations = await api<{ conversations: Conversation[] }>(
      second.url,
      token,
      '/api/conversations',
    );
    const conversation = conversations.body.conversations[0] as Conversation;
    const photoMessage = async (): Promise<Message | undefined> =>
      (
        await api<{ messages: Message[] }>(
          second.url,
          token,
          `/api/conversations/${conversation.id}/messages`,
        )
      ).body.messages.find((m) => m.externalId === photo.message.id);
    const message = await until(photoMessage, (m) => m?.attachment?.state === 'ready', 30_000);
    const sha256 = createHash('sha256').update(bytes).digest('hex');
    // The next hub made the photo's thumbnail too (media/thumbnails.ts).
    const thumb = await fetch(`${second.url}/api/media/${sha256}?size=thumb`, {
      headers: { authorization: `Bearer ${token}` },
    });
    const thumbBytes = Buffer.from(await thumb.arrayBuffer());
    expect(message?.attachment).toEqual({
      state: 'ready',
      sha256,
      mimeType: 'image/png',
      size: bytes.length,
      filename: null,
      error: null,
      thumbnail: {
        sha256: createHash('sha256').update(thumbBytes).digest('hex'),
        mimeType: 'image/webp',
        width: 480,
        height: 360,
      },
    });
    const res = await fetch(`${second.url}/api/media/${sha256}`, {
      headers: { authorization: `Bearer ${token}` },
    });
    expect(Buffer.from(await res.arrayBuffer()).equals(bytes)).toBe(true);
    expect(graph.requests.filter((r) => r.path === `/cdn/${id}`)).toHaveLength(1);
  });
});
