import { spawn, type ChildProcess } from 'node:child_process';
import { createHash, createHmac, randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { Agent, request } from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { Worker } from 'node:worker_threads';
import { WebSocket } from 'ws';
import { demoImage } from '../../src/server/demo/demo-files';

/**
 * `npm run bench:hub`, media stage (issue #14): text webhooks at 500 msg/s into the built hub
 * with 50 app sockets, first alone, then with 50 inbound images of 1 MB each arriving during
 * the same stage (the hub downloads each from a local fake of the Graph API: GET /{media-id},
 * then the file). Prints the text p99 of both stages side by side (target: media costs text at
 * most 1.5×) and, for the images, webhook → `message.updated` with the attachment `ready` (the
 * thumbnail can be fetched from then on) p50/p95 (target ≤ 1 s p95 on loopback).
 */
const RATE = Number(process.env['BENCH_MEDIA_RATE'] ?? 500);
const STAGE_MS = Number(process.env['BENCH_MEDIA_STAGE_MS'] ?? 5000);
const IMAGES = 50;
const IMAGE_BYTES = 1024 * 1024;
const SOCKETS = 50;
const APP_SECRET = 'bench-app-secret';
const TOKEN = 'bench-token';
const PHONE_NUMBER_ID = '106540352242922';
const ADMIN = { email: 'bench@replydesk.example', password: 'bench password 1' };

const children = new Set<ChildProcess>();
process.on('exit', () => children.forEach((child) => child.kill('SIGKILL')));

const agent = new Agent({ keepAlive: true, maxSockets: 128 });

function post(url: string, body: string): Promise<number> {
  const signature = `sha256=${createHmac('sha256', APP_SECRET).update(body).digest('hex')}`;
  return new Promise((resolve) => {
    const req = request(
      `${url}/webhooks/whatsapp`,
      {
        method: 'POST',
        agent,
        headers: {
          'content-type': 'application/json',
          'content-length': Buffer.byteLength(body),
          'x-hub-signature-256': signature,
        },
      },
      (res) => {
        res.resume();
        res.on('end', () => resolve(res.statusCode ?? 0));
      },
    );
    req.on('error', () => resolve(0));
    req.end(body);
  });
}

function webhook(customer: number, message: Record<string, unknown>): string {
  const waId = `3162${String(customer).padStart(7, '0')}`;
  return JSON.stringify({
    object: 'whatsapp_business_account',
    entry: [
      {
        id: '102290129340398',
        changes: [
          {
            field: 'messages',
            value: {
              messaging_product: 'whatsapp',
              metadata: { display_phone_number: '15550783881', phone_number_id: PHONE_NUMBER_ID },
              contacts: [{ profile: { name: `Bench Customer ${customer}` }, wa_id: waId }],
              messages: [
                { from: waId, timestamp: String(Math.floor(Date.now() / 1000)), ...message },
              ],
            },
          },
        ],
      },
    ],
  });
}

const percentile = (values: number[], p: number): number => {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? Number.NaN;
};

async function spawnHub(
  env: Record<string, string>,
): Promise<{ child: ChildProcess; url: string }> {
  // BENCH_PROFILE=<dir> writes a CPU profile of the hub there.
  const profile = process.env['BENCH_PROFILE']
    ? ['--cpu-prof', `--cpu-prof-dir=${process.env['BENCH_PROFILE']}`]
    : [];
  const child = spawn(process.execPath, [...profile, 'out/main/hub.js'], {
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  children.add(child);
  const lines = createInterface({ input: child.stdout as NodeJS.ReadableStream });
  const url = await new Promise<string>((resolve, reject) => {
    lines.on('line', (line) => {
      const found = /listening on (http:\/\/[\d.:]+)/.exec(line)?.[1];
      if (found) resolve(found);
    });
    child.once('exit', (code) => reject(new Error(`hub exited with ${code}`)));
  });
  return { child, url };
}

console.log(
  `${os.cpus().length} cores, load average ${os
    .loadavg()
    .map((n) => n.toFixed(1))
    .join(' ')}`,
);
const files = Array.from({ length: IMAGES }, () => {
  const png = demoImage('parcel').bytes;
  return Buffer.concat([png, randomBytes(IMAGE_BYTES - png.length)]);
});
// The fake Graph API runs in a thread of its own (serving files must not stall the sending).
const graphWorker = new Worker(new URL('./fake-graph-worker.mjs', import.meta.url), {
  workerData: { token: TOKEN, files: files.map((bytes) => ({ bytes, mimeType: 'image/png' })) },
});
const graph = await new Promise<{ url: string; ids: string[] }>((resolve) =>
  graphWorker.once('message', resolve),
);
const askGraph = <T>(request: string): Promise<T> =>
  new Promise((resolve) => {
    graphWorker.once('message', resolve);
    graphWorker.postMessage(request);
  });
const images = files.map((bytes, i) => ({ bytes, id: graph.ids[i] as string }));
const dataDir = mkdtempSync(path.join(os.tmpdir(), 'replydesk-bench-media-'));
try {
  const hub = await spawnHub({
    PORT: '0',
    REPLYDESK_DATA_DIR: dataDir,
    REPLYDESK_ADMIN_EMAIL: ADMIN.email,
    REPLYDESK_ADMIN_PASSWORD: ADMIN.password,
    WHATSAPP_APP_SECRET: APP_SECRET,
    WHATSAPP_VERIFY_TOKEN: 'bench-verify',
    WHATSAPP_ACCESS_TOKEN: TOKEN,
    WHATSAPP_PHONE_NUMBER_ID: PHONE_NUMBER_ID,
    WHATSAPP_GRAPH_URL: graph.url,
  });
  const login = await fetch(`${hub.url}/api/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(ADMIN),
  });
  const { token } = (await login.json()) as { token: string };

  // The 50 app sockets (a worker times text bodies) and one more socket here for the images.
  const worker = new Worker(new URL('./app-sockets.mjs', import.meta.url), {
    workerData: { url: hub.url, token, sockets: SOCKETS },
  });
  await new Promise((resolve) => worker.once('message', resolve));
  const take = (): Promise<{ received: number; latencies: number[] }> =>
    new Promise((resolve) => {
      worker.once('message', resolve);
      worker.postMessage('take');
    });
  const imageSocket = new WebSocket(`${hub.url.replace('http', 'ws')}/ws`, [
    'replydesk.v1',
    `auth.${token}`,
  ]);
  await new Promise((resolve) => imageSocket.once('open', resolve));
  const ready: number[] = [];
  const seen = new Set<string>();
  /** Every message in a frame whose image is ready, timed from the `benchimg:<ns>` caption. */
  const visit = (value: unknown, at: bigint): void => {
    if (typeof value !== 'object' || value === null) return;
    const message = value as {
      id?: string;
      content?: { media?: { caption?: string } };
      attachment?: { state?: string } | null;
    };
    const caption = message.content?.media?.caption;
    if (message.attachment?.state === 'ready' && caption?.startsWith('benchimg:') && message.id) {
      if (!seen.has(message.id)) {
        seen.add(message.id);
        ready.push(Number(at - BigInt(caption.slice('benchimg:'.length))) / 1e6);
      }
      return;
    }
    for (const child of Object.values(value)) visit(child, at);
  };
  imageSocket.on('message', (data: Buffer) => {
    const at = process.hrtime.bigint();
    const text = data.toString();
    if (text.includes('benchimg:') && text.includes('"state":"ready"')) visit(JSON.parse(text), at);
  });

  let counter = 0;
  async function stage(
    withImages: boolean,
  ): Promise<{ acked: number; failed: number; p50: number; p99: number }> {
    await take();
    const pending: Promise<number>[] = [];
    const start = performance.now();
    let sent = 0;
    let imagesSent = 0;
    while (performance.now() - start < STAGE_MS) {
      const elapsed = performance.now() - start;
      const due = Math.floor((elapsed / 1000) * RATE);
      while (sent < due) {
        sent += 1;
        counter += 1;
        pending.push(
          post(
            hub.url,
            webhook(counter % 1000, {
              id: `wamid.bench.media.${counter}`,
              type: 'text',
              text: { body: `Where is my order? bench:${process.hrtime.bigint()}` },
            }),
          ),
        );
      }
      // The images spread over the first 80 % of the stage.
      const imagesDue = withImages
        ? Math.min(IMAGES, Math.floor((elapsed / (STAGE_MS * 0.8)) * IMAGES))
        : 0;
      while (imagesSent < imagesDue) {
        const image = images[imagesSent] as { bytes: Buffer; id: string };
        imagesSent += 1;
        pending.push(
          post(
            hub.url,
            webhook(2000 + imagesSent, {
              id: `wamid.bench.image.${imagesSent}`,
              type: 'image',
              image: {
                id: image.id,
                mime_type: 'image/png',
                sha256: createHash('sha256').update(image.bytes).digest('base64'),
                caption: `benchimg:${process.hrtime.bigint()}`,
              },
            }),
          ),
        );
      }
      await new Promise((resolve) => setTimeout(resolve, 1));
    }
    const statuses = await Promise.all(pending);
    const latencies: number[] = [];
    const deadline = Date.now() + 20_000;
    let received = 0;
    do {
      await new Promise((resolve) => setTimeout(resolve, 100));
      const taken = await take();
      latencies.push(...taken.latencies);
      received += taken.received;
    } while ((received < sent || (withImages && ready.length < IMAGES)) && Date.now() < deadline);
    return {
      acked: statuses.filter((s) => s === 200).length,
      failed: statuses.filter((s) => s !== 200).length,
      p50: percentile(latencies, 50),
      p99: percentile(latencies, 99),
    };
  }

  await stage(false); // warm-up, not reported
  const textOnly = await stage(false);
  const withMedia = await stage(true);
  const downloads = await askGraph<number>('count');
  imageSocket.terminate();
  worker.postMessage('close');
  await new Promise((resolve) => worker.once('message', resolve));
  await worker.terminate();
  hub.child.kill('SIGTERM');

  console.log(`\nMedia stage: ${RATE} text msg/s for ${STAGE_MS / 1000} s, ${SOCKETS} app sockets`);
  console.log('  stage                          acked   failed   text p50     text p99');
  for (const [name, r] of [
    ['text only', textOnly],
    [`text + ${IMAGES} images of 1 MB`, withMedia],
  ] as const) {
    console.log(
      `  ${name.padEnd(30)} ${String(r.acked).padStart(5)}   ${String(r.failed).padStart(6)}   ${r.p50.toFixed(1).padStart(6)} ms   ${r.p99.toFixed(1).padStart(7)} ms`,
    );
  }
  console.log(
    `  text p99 with media / without: ${(withMedia.p99 / textOnly.p99).toFixed(2)}× (target ≤ 1.5×)`,
  );
  console.log(
    `  images: ${ready.length}/${IMAGES} ready, ${downloads} file downloads; webhook → attachment ready p50 ${percentile(ready, 50).toFixed(0)} ms, p95 ${percentile(ready, 95).toFixed(0)} ms (target ≤ 1000 ms)`,
  );
} finally {
  agent.destroy();
  await askGraph('close');
  await graphWorker.terminate();
  rmSync(dataDir, { recursive: true, force: true });
}
