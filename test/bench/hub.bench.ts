import { spawn, type ChildProcess } from 'node:child_process';
import { createHmac } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { Agent, request } from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { WebSocket } from 'ws';

/**
 * `npm run bench:hub`: signed WhatsApp webhooks at rising rates into a hub with 50 connected app
 * sockets. For each rate: messages per second acknowledged, webhook-to-app latency p50/p99 (at
 * one socket; all 50 receive every event) and, at the end, the hub's peak memory. The baseline,
 * measured in the same run, is a bare `ws` server broadcasting the same frames without
 * verification, storage or ordering.
 */
const SOCKETS = 50;
const RATES = (process.env['BENCH_RATES'] ?? '250,500,1000,2000,3000,4000').split(',').map(Number);
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

async function spawnTarget(
  name: string,
  script: string,
  env: Record<string, string>,
): Promise<Target> {
  const dataDir = env['REPLYDESK_DATA_DIR'] ?? null;
  // BENCH_PROFILE=<dir> writes a CPU profile of each target process there.
  const profile = process.env['BENCH_PROFILE'] ? ['--cpu-prof', `--cpu-prof-dir=${process.env['BENCH_PROFILE']}`] : [];
  const child = spawn(process.execPath, [...profile, '--import', 'tsx', script], {
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const lines = createInterface({ input: child.stdout as NodeJS.ReadableStream });
  const url = await new Promise<string>((resolve, reject) => {
    lines.once('line', (line) => resolve((JSON.parse(line) as { url: string }).url));
    child.once('exit', (code) => reject(new Error(`${name} exited with ${code}`)));
  });
  return { name, child, url, dataDir };
}

function peakRssMb(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const match = /VmHWM:\s+(\d+) kB/.exec(status);
  return match ? Number(match[1]) / 1024 : Number.NaN;
}

function webhookBody(id: string, customer: number, sentAtNs: bigint): string {
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
              messages: [
                {
                  from: waId,
                  id,
                  timestamp: String(Math.floor(Date.now() / 1000)),
                  type: 'text',
                  text: { body: `Where is my order? bench:${sentAtNs}` },
                },
              ],
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

async function connectSockets(
  target: Target,
  token: string | null,
): Promise<{ latencies: number[]; received: () => number; close: () => void }> {
  const latencies: number[] = [];
  let received = 0;
  const sockets: WebSocket[] = [];
  for (let i = 0; i < SOCKETS; i++) {
    const socket = new WebSocket(
      `${target.url.replace('http', 'ws')}/ws`,
      token ? ['replydesk.v1', `auth.${token}`] : [],
    );
    await new Promise<void>((resolve, reject) => {
      socket.once('open', () => resolve());
      socket.once('error', reject);
    });
    if (i === 0) {
      // Only the first socket parses frames (to time them); parsing 50× would load this process.
      socket.on('message', (data: Buffer) => {
        const now = process.hrtime.bigint();
        const text = data.toString();
        // Count message bodies only: conversation previews repeat the text.
        for (const match of text.matchAll(/"body":"[^"]*bench:(\d+)"/g)) {
          latencies.push(Number(now - BigInt(match[1] ?? '0')) / 1e6);
          received += 1;
        }
      });
    }
    sockets.push(socket);
  }
  return {
    latencies,
    received: () => received,
    close: () => sockets.forEach((s) => s.terminate()),
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
  p50: number;
  p99: number;
  deliveredToApp: number;
}

async function runStages(target: Target, token: string | null): Promise<StageResult[]> {
  const sockets = await connectSockets(target, token);
  const results: StageResult[] = [];
  let n = 0;
  for (const rate of RATES) {
    const latencyStart = sockets.latencies.length;
    const receivedStart = sockets.received();
    let acked = 0;
    let failed = 0;
    const pending: Promise<void>[] = [];
    const start = performance.now();
    let sent = 0;
    // Open loop: requests go out on schedule whether or not earlier ones were answered.
    while (performance.now() - start < STAGE_MS) {
      const due = Math.floor(((performance.now() - start) / 1000) * rate);
      while (sent < due) {
        n += 1;
        sent += 1;
        const body = webhookBody(
          `wamid.bench.${target.name}.${n}`,
          n % CUSTOMERS,
          process.hrtime.bigint(),
        );
        pending.push(
          post(target.url, body).then((status) => {
            if (status === 200) acked += 1;
            else failed += 1;
          }),
        );
      }
      await new Promise((resolve) => setImmediate(resolve));
    }
    await Promise.all(pending);
    const elapsed = (performance.now() - start) / 1000;
    const deadline = Date.now() + 10_000;
    while (sockets.received() - receivedStart < acked && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    const stageLatencies = sockets.latencies.slice(latencyStart);
    results.push({
      rate,
      acked,
      ackedPerSecond: acked / elapsed,
      failed,
      p50: percentile(stageLatencies, 50),
      p99: percentile(stageLatencies, 99),
      deliveredToApp: sockets.received() - receivedStart,
    });
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
  sockets.close();
  return results;
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
  }
}

const dataDir = mkdtempSync(path.join(os.tmpdir(), 'replydesk-bench-'));
try {
  const baseline = await spawnTarget('baseline', 'test/bench/baseline-process.ts', {});
  const baselineRows = await runStages(baseline, null);
  const baselinePeak = peakRssMb(baseline.child.pid ?? 0);
  baseline.child.kill('SIGTERM');

  const hub = await spawnTarget('hub', 'test/bench/hub-process.ts', {
    PORT: '0',
    REPLYDESK_DATA_DIR: dataDir,
    REPLYDESK_ADMIN_EMAIL: ADMIN.email,
    REPLYDESK_ADMIN_PASSWORD: ADMIN.password,
    WHATSAPP_APP_SECRET: APP_SECRET,
    WHATSAPP_VERIFY_TOKEN: 'bench-verify',
    WHATSAPP_ACCESS_TOKEN: 'bench-token',
    WHATSAPP_PHONE_NUMBER_ID: '106540352242922',
    WHATSAPP_GRAPH_URL: 'http://127.0.0.1:9',
  });
  const hubRows = await runStages(hub, await login(hub.url));
  const hubPeak = peakRssMb(hub.child.pid ?? 0);
  hub.child.kill('SIGTERM');

  print(`Baseline: bare ws broadcast, ${SOCKETS} sockets`, baselineRows, baselinePeak);
  print(`Hub: signed webhooks → PGlite → ${SOCKETS} app sockets`, hubRows, hubPeak);
  const sustained = hubRows.filter(
    (r) => r.failed === 0 && r.ackedPerSecond >= r.rate * 0.95 && r.deliveredToApp === r.acked,
  );
  const best = sustained[sustained.length - 1];
  const at500 = hubRows.find((r) => r.rate === 500);
  console.log(
    `\nHub sustained: ${best ? best.ackedPerSecond.toFixed(0) : 'none'} msg/s (target ≥ 2000); p99 at 500 msg/s: ${at500 ? at500.p99.toFixed(1) : '—'} ms (target ≤ 100); peak memory ${hubPeak.toFixed(0)} MB (target ≤ 300)`,
  );
} finally {
  agent.destroy();
  rmSync(dataDir, { recursive: true, force: true });
}
