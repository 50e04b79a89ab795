import { spawn, type ChildProcess } from 'node:child_process';
import { createHmac } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { Agent, request } from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { Worker } from 'node:worker_threads';
import { startTestCluster } from '../support/postgres';

/**
 * `npm run bench:hub`: signed WhatsApp webhooks at rising rates into a hub with 50 connected app
 * sockets. For each rate: messages per second acknowledged, webhook-to-app latency p50/p99 (at
 * one socket; all 50 receive every event) and, at the end, the hub's peak memory. The baseline,
 * measured in the same run, is a bare `ws` server broadcasting the same frames without
 * verification, storage or ordering.
 */
const SOCKETS = 50;
const RATES = (process.env['BENCH_RATES'] ?? '250,500,1000,2000,3000,4000').split(',').map(Number);
const BATCHED_RATES = (process.env['BENCH_BATCHED_RATES'] ?? '2000,4000')
  .split(',')
  .filter((rate) => rate !== '')
  .map(Number);
const STAGE_MS = Number(process.env['BENCH_STAGE_MS'] ?? 3000);
const APP_SECRET = 'bench-app-secret';
const ADMIN = { email: 'bench@replydesk.example', password: 'bench password 1' };
const CUSTOMERS = 1000;

interface Target {
  readonly name: string;
  readonly child: ChildProcess;
  readonly url: string;
  readonly dataDir: string | null;
}

const children = new Set<ChildProcess>();
// Never leave a hub running when the benchmark stops, however it stops.
process.on('exit', () => children.forEach((child) => child.kill('SIGKILL')));

async function spawnTarget(
  name: string,
  args: readonly string[],
  env: Record<string, string>,
): Promise<Target> {
  const dataDir = env['REPLYDESK_DATA_DIR'] ?? null;
  // BENCH_PROFILE=<dir> writes a CPU profile of each target process there.
  const profile = process.env['BENCH_PROFILE']
    ? ['--cpu-prof', `--cpu-prof-dir=${process.env['BENCH_PROFILE']}`]
    : [];
  const child = spawn(process.execPath, [...profile, ...args], {
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  children.add(child);
  const lines = createInterface({ input: child.stdout as NodeJS.ReadableStream });
  const url = await new Promise<string>((resolve, reject) => {
    lines.on('line', (line) => {
      const url = /(?:listening on |"url":")(http:\/\/[\d.:]+)/.exec(line)?.[1];
      if (url) resolve(url);
    });
    child.once('exit', (code) => reject(new Error(`${name} exited with ${code}`)));
  });
  return { name, child, url, dataDir };
}

function peakRssMb(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const match = /VmHWM:\s+(\d+) kB/.exec(status);
  return match ? Number(match[1]) / 1024 : Number.NaN;
}

/** One webhook carrying `count` text messages (Meta batches deliveries under load). */
function webhookBody(ids: readonly string[], customer: number, sentAtNs: bigint): string {
  const waId = `3161${String(customer).padStart(7, '0')}`;
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
              metadata: { display_phone_number: '15550783881', phone_number_id: '106540352242922' },
              contacts: [{ profile: { name: `Bench Customer ${customer}` }, wa_id: waId }],
              messages: ids.map((id) => ({
                from: waId,
                id,
                timestamp: String(Math.floor(Date.now() / 1000)),
                type: 'text',
                text: { body: `Where is my order? bench:${sentAtNs}` },
              })),
            },
          },
        ],
      },
    ],
  });
}

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

interface SocketsHandle {
  /** Messages received at socket 0 so far, and the latencies measured since the last call. */
  take(): Promise<{ received: number; latencies: number[] }>;
  close(): Promise<void>;
}

async function connectSockets(
  target: Target,
  token: string | null,
  count = SOCKETS,
): Promise<SocketsHandle> {
  const worker = new Worker(new URL('./app-sockets.mjs', import.meta.url), {
    workerData: { url: target.url, token, sockets: count },
  });
  await new Promise<void>((resolve, reject) => {
    worker.once('message', () => resolve());
    worker.once('error', reject);
  });
  const ask = <T>(request: string): Promise<T> =>
    new Promise((resolve) => {
      worker.once('message', (answer: T) => resolve(answer));
      worker.postMessage(request);
    });
  return {
    take: () => ask('take'),
    close: async () => {
      await ask('close');
      await worker.terminate();
    },
  };
}

const percentile = (values: number[], p: number): number => {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? Number.NaN;
};

interface StageResult {
  rate: number;
  acked: number;
  ackedPerSecond: number;
  failed: number;
  /** Why webhooks failed: HTTP status (0: no answer) → messages. */
  failures: Map<number, number>;
  p50: number;
  p99: number;
  deliveredToApp: number;
}

async function runStage(
  target: Target,
  sockets: SocketsHandle,
  rate: number,
  durationMs: number,
  counter: { n: number },
  perWebhook = 1,
  /** Where the webhooks go, in turn (several hubs); the latency is measured at `sockets`. */
  postTo: readonly string[] = [target.url],
): Promise<StageResult> {
  const { received: receivedStart } = await sockets.take();
  let acked = 0;
  let failed = 0;
  const failures = new Map<number, number>();
  const pending: Promise<void>[] = [];
  const start = performance.now();
  let sent = 0;
  // Open loop: requests go out on schedule whether or not earlier ones were answered.
  while (performance.now() - start < durationMs) {
    const due = Math.floor(((performance.now() - start) / 1000) * rate);
    while (sent < due) {
      const ids = Array.from({ length: perWebhook }, () => {
        counter.n += 1;
        return `wamid.bench.${target.name}.${counter.n}`;
      });
      sent += perWebhook;
      const body = webhookBody(ids, counter.n % CUSTOMERS, process.hrtime.bigint());
      pending.push(
        post(postTo[Math.floor(sent / perWebhook) % postTo.length] ?? target.url, body).then(
          (status) => {
            if (status === 200) acked += perWebhook;
            else {
              failed += perWebhook;
              failures.set(status, (failures.get(status) ?? 0) + perWebhook);
            }
          },
        ),
      );
    }
    await new Promise((resolve) => setTimeout(resolve, 1));
  }
  await Promise.all(pending);
  const elapsed = (performance.now() - start) / 1000;
  const latencies: number[] = [];
  let delivered: number;
  const deadline = Date.now() + 15_000;
  do {
    await new Promise((resolve) => setTimeout(resolve, 100));
    const taken = await sockets.take();
    latencies.push(...taken.latencies);
    delivered = taken.received - receivedStart;
  } while (delivered < acked && Date.now() < deadline);
  return {
    rate,
    acked,
    ackedPerSecond: acked / elapsed,
    failed,
    failures,
    p50: percentile(latencies, 50),
    p99: percentile(latencies, 99),
    deliveredToApp: delivered,
  };
}

async function runStages(
  target: Target,
  token: string | null,
  several: { readonly sockets: SocketsHandle; readonly postTo: readonly string[] } | null = null,
): Promise<{ single: StageResult[]; batched: StageResult[] }> {
  const sockets = several?.sockets ?? (await connectSockets(target, token));
  const postTo = several?.postTo ?? [target.url];
  const counter = { n: 0 };
  // Warm-up (not reported): JIT, PGlite's caches and keep-alive connections.
  await runStage(target, sockets, 200, 2_000, counter, 1, postTo);
  const single: StageResult[] = [];
  for (const rate of RATES) {
    single.push(await runStage(target, sockets, rate, STAGE_MS, counter, 1, postTo));
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
  // Meta puts several messages in one delivery when traffic is high: the same rates with
  // 10 messages per webhook show the hub's own limit once HTTP overhead is shared.
  const batched: StageResult[] = [];
  for (const rate of BATCHED_RATES) {
    batched.push(await runStage(target, sockets, rate, STAGE_MS, counter, 10, postTo));
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
  if (!several) await sockets.close();
  return { single, batched };
}

async function login(url: string): Promise<string> {
  const res = await fetch(`${url}/api/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(ADMIN),
  });
  return ((await res.json()) as { token: string }).token;
}

function print(title: string, rows: StageResult[], peak: number): void {
  console.log(`\n${title} — peak RSS ${peak.toFixed(0)} MB`);
  console.log('  target msg/s   acked msg/s   failed   delivered   latency p50   latency p99');
  for (const r of rows) {
    console.log(
      `  ${String(r.rate).padStart(12)}   ${r.ackedPerSecond.toFixed(0).padStart(11)}   ${String(r.failed).padStart(6)}   ${String(r.deliveredToApp).padStart(9)}   ${r.p50.toFixed(1).padStart(8)} ms   ${r.p99.toFixed(1).padStart(8)} ms`,
    );
    if (r.failures.size > 0) {
      const why = [...r.failures].map(
        ([status, n]) => `${n} × ${status === 0 ? 'no answer' : `HTTP ${status}`}`,
      );
      console.log(`                 failed: ${why.join(', ')}`);
    }
  }
}

// The machine is often shared: read the figures with the load beside them.
const load = (): string =>
  os
    .loadavg()
    .map((n) => n.toFixed(1))
    .join(' ');
console.log(`${os.cpus().length} cores, load average ${load()} at the start`);
const dataDir = mkdtempSync(path.join(os.tmpdir(), 'replydesk-bench-'));
try {
  const baseline = await spawnTarget(
    'baseline',
    ['--import', 'tsx', 'test/bench/baseline-process.ts'],
    {},
  );
  const baselineRows = await runStages(baseline, null);
  const baselinePeak = peakRssMb(baseline.child.pid ?? 0);
  baseline.child.kill('SIGTERM');

  // The built hub (`npm run build`), as `npm run hub` runs it: plain Node, no TypeScript loader.
  const hubArgs = (process.env['BENCH_HUB_NODE_ARGS'] ?? '').split(' ').filter((a) => a !== '');
  const hubEnv = {
    PORT: '0',
    REPLYDESK_ADMIN_EMAIL: ADMIN.email,
    REPLYDESK_ADMIN_PASSWORD: ADMIN.password,
    WHATSAPP_APP_SECRET: APP_SECRET,
    WHATSAPP_VERIFY_TOKEN: 'bench-verify',
    WHATSAPP_ACCESS_TOKEN: 'bench-token',
    WHATSAPP_PHONE_NUMBER_ID: '106540352242922',
    WHATSAPP_GRAPH_URL: 'http://127.0.0.1:9',
  };
  const hub = await spawnTarget('hub', [...hubArgs, 'out/main/hub.js'], {
    ...hubEnv,
    REPLYDESK_DATA_DIR: dataDir,
  });
  const hubRows = await runStages(hub, await login(hub.url));
  const hubPeak = peakRssMb(hub.child.pid ?? 0);
  hub.child.kill('SIGTERM');

  // Issue #18: the same stages on a PostgreSQL server (a throwaway cluster on this machine, fsync
  // and synchronous_commit off as in the tests): one hub, then two hubs sharing it, with the
  // webhooks alternately to both and the sockets split, latency measured at hub B's sockets.
  const postgresFigures = await (async () => {
    const cluster = await startTestCluster();
    try {
      const onPg = (name: string, url: string): Promise<Target> =>
        spawnTarget(name, [...hubArgs, 'out/main/hub.js'], {
          ...hubEnv,
          DATABASE_URL: url,
          REPLYDESK_DATA_DIR: path.join(dataDir, `${name}-keys`),
          REPLYDESK_SECRETS_KEY: 'MDEyMzQ1Njc4OWFiY2RlZjAxMjM0NTY3ODlhYmNkZWY=',
        });
      const pgOne = await onPg('pg1', await cluster.createDatabase('bench_one'));
      const pgOneRows = await runStages(pgOne, await login(pgOne.url));
      const pgOnePeak = peakRssMb(pgOne.child.pid ?? 0);
      pgOne.child.kill('SIGTERM');

      const shared = await cluster.createDatabase('bench_two');
      const hubA = await onPg('pgA', shared);
      const hubB = await onPg('pgB', shared);
      const token = await login(hubA.url);
      const socketsA = await connectSockets(hubA, token, SOCKETS / 2);
      const socketsB = await connectSockets(hubB, token, SOCKETS / 2);
      const twoRows = await runStages(hubA, token, {
        sockets: socketsB,
        postTo: [hubA.url, hubB.url],
      });
      // Cross-hub: every webhook at hub A, the latency at a socket on hub B.
      const cross = await runStage(hubA, socketsB, 500, STAGE_MS, { n: 10_000_000 }, 1, [hubA.url]);
      const twoPeak = Math.max(peakRssMb(hubA.child.pid ?? 0), peakRssMb(hubB.child.pid ?? 0));
      await socketsA.close();
      await socketsB.close();
      hubA.child.kill('SIGTERM');
      hubB.child.kill('SIGTERM');
      return { pgOneRows, pgOnePeak, twoRows, twoPeak, cross };
    } finally {
      await cluster.stop();
    }
  })();

  print(
    `Baseline: bare ws broadcast, ${SOCKETS} sockets, 1 message per webhook`,
    baselineRows.single,
    baselinePeak,
  );
  print(
    `Hub: signed webhooks → PGlite → ${SOCKETS} app sockets, 1 message per webhook`,
    hubRows.single,
    hubPeak,
  );
  print(`Baseline, 10 messages per webhook`, baselineRows.batched, baselinePeak);
  print(`Hub, 10 messages per webhook`, hubRows.batched, hubPeak);
  const sustainedOf = (rows: StageResult[]): string => {
    const ok = rows.filter(
      (r) => r.failed === 0 && r.ackedPerSecond >= r.rate * 0.95 && r.deliveredToApp === r.acked,
    );
    const best = ok[ok.length - 1];
    return best ? best.ackedPerSecond.toFixed(0) : 'none';
  };
  const at500 = hubRows.single.find((r) => r.rate === 500);
  console.log(
    `\nHub sustained: ${sustainedOf(hubRows.single)} msg/s with 1 message per webhook (baseline ${sustainedOf(baselineRows.single)}), ${sustainedOf(hubRows.batched)} msg/s with 10 (baseline ${sustainedOf(baselineRows.batched)}); target ≥ 2000`,
  );
  console.log(
    `p99 at 500 msg/s: ${at500 ? at500.p99.toFixed(1) : '—'} ms (target ≤ 100); peak memory ${hubPeak.toFixed(0)} MB (target ≤ 300; baseline ${baselinePeak.toFixed(0)} MB)`,
  );
  {
    const { pgOneRows, pgOnePeak, twoRows, twoPeak, cross } = postgresFigures;
    print(`Hub on PostgreSQL (one hub), 1 message per webhook`, pgOneRows.single, pgOnePeak);
    print(`Hub on PostgreSQL (one hub), 10 messages per webhook`, pgOneRows.batched, pgOnePeak);
    print(
      `Two hubs on PostgreSQL, webhooks alternately to A and B, latency at B (${SOCKETS / 2} sockets on each)`,
      twoRows.single,
      twoPeak,
    );
    print(`Two hubs on PostgreSQL, 10 messages per webhook`, twoRows.batched, twoPeak);
    print(`Cross-hub: webhooks at hub A → sockets on hub B`, [cross], twoPeak);
    console.log(
      `\nPostgreSQL sustained: one hub ${sustainedOf(pgOneRows.single)} msg/s (1 per webhook), ${sustainedOf(pgOneRows.batched)} (10 per webhook); two hubs ${sustainedOf(twoRows.single)} and ${sustainedOf(twoRows.batched)}; PGlite hub batched ${sustainedOf(hubRows.batched)} (target: two hubs ≥ that)`,
    );
    console.log(
      `Cross-hub p99 at 500 msg/s: ${cross.p99.toFixed(1)} ms, p50 ${cross.p50.toFixed(1)} ms, ${cross.deliveredToApp}/${cross.acked} delivered (target ≤ 50 ms)`,
    );
  }
  console.log(`load average ${load()} at the end`);
} finally {
  agent.destroy();
  rmSync(dataDir, { recursive: true, force: true });
}
