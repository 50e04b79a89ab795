import { api, login, startTestHub } from '../support/hub';

/**
 * Issue #20 item 6: an export of 100,000 conversations streams with bounded memory. Inserts the
 * rows with set-based SQL (one customer, two messages each), then reads the whole CSV through
 * the hub's HTTP API slowly enough for backpressure to matter, sampling the process's RSS and
 * heap, and prints the peaks beside the idle hub's. Run: `npx tsx test/bench/exports.bench.ts`.
 */
const ROWS = Number(process.env['EXPORT_ROWS'] ?? 100_000);
const T0 = Date.parse('2026-11-01T00:00:00Z');

const mb = (bytes: number): string => `${(bytes / 1024 / 1024).toFixed(1)} MB`;

const hub = await startTestHub({ now: () => T0 + 40 * 86_400_000 });
try {
  const token = await login(hub.url);
  const started = performance.now();
  await hub.db.query(
    `insert into customers (id, name, phone, email, created_at, updated_at)
     select 'cus_' || lpad(n::text, 7, '0'), 'Customer ' || n, '+3161' || lpad(n::text, 7, '0'),
       null, $1::bigint + n * 1000, $1::bigint + n * 1000
     from generate_series(1, $2) as n`,
    [T0, ROWS],
  );
  await hub.db.query(
    `insert into conversations (id, channel, channel_account_id, customer_id, customer_external_id,
       status, labels, last_message_at, created_at, updated_at, last_inbound_at)
     select 'cnv_' || lpad(n::text, 7, '0'), 'telegram', 'bot', 'cus_' || lpad(n::text, 7, '0'),
       'tg-' || n, case when n % 3 = 0 then 'resolved' else 'open' end,
       case when n % 5 = 0 then array['refund'] else '{}' end,
       $1::bigint + n * 1000 + 60000, $1::bigint + n * 1000, $1::bigint + n * 1000, $1::bigint + n * 1000
     from generate_series(1, $2) as n`,
    [T0, ROWS],
  );
  await hub.db.query(
    `insert into messages (id, conversation_id, channel, direction, content, status, sent_at, updated_at)
     select 'msg_' || lpad(n::text, 7, '0') || d, 'cnv_' || lpad(n::text, 7, '0'), 'telegram',
       case when d = 'a' then 'inbound' else 'outbound' end,
       '{"type":"text","body":"Hello, where is my order?"}'::jsonb, 'delivered',
       $1::bigint + n * 1000 + case when d = 'a' then 0 else 45000 end, $1::bigint + n * 1000
     from generate_series(1, $2) as n, unnest(array['a', 'b']) as d`,
    [T0, ROWS],
  );
  console.log(
    `inserted ${ROWS.toLocaleString('en-US')} conversations in ${((performance.now() - started) / 1000).toFixed(1)} s`,
  );
  await api(hub.url, token, '/api/me');
  global.gc?.();
  const idle = process.memoryUsage();
  console.log(`idle hub:        rss ${mb(idle.rss)}  heap ${mb(idle.heapUsed)}`);

  let peakRss = 0;
  let peakHeap = 0;
  const sample = setInterval(() => {
    const m = process.memoryUsage();
    peakRss = Math.max(peakRss, m.rss);
    peakHeap = Math.max(peakHeap, m.heapUsed);
  }, 20);
  const exportStart = performance.now();
  const res = await fetch(
    `${hub.url}/api/exports/conversations.csv?from=${T0}&to=${T0 + 40 * 86_400_000}`,
    { headers: { authorization: `Bearer ${token}` } },
  );
  let lines = 0;
  let bytes = 0;
  const reader = res.body?.getReader();
  for (;;) {
    const chunk = await reader?.read();
    if (!chunk || chunk.done) break;
    bytes += chunk.value.length;
    for (const byte of chunk.value) if (byte === 10) lines += 1;
  }
  clearInterval(sample);
  console.log(
    `export:          ${res.status}, ${(lines - 1).toLocaleString('en-US')} rows, ${mb(bytes)} in ${((performance.now() - exportStart) / 1000).toFixed(1)} s`,
  );
  console.log(`during export:   peak rss ${mb(peakRss)}  peak heap ${mb(peakHeap)}`);
  console.log(
    `over idle:       rss +${mb(peakRss - idle.rss)}  heap +${mb(peakHeap - idle.heapUsed)} (the file is ${mb(bytes)})`,
  );
  if (lines - 1 !== ROWS) throw new Error(`expected ${ROWS} rows, got ${lines - 1}`);
} finally {
  await hub.close();
}
