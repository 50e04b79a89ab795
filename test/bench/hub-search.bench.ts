import { performance } from 'node:perf_hooks';
import { search } from '../../src/server/search/service';
import { openPglite } from '../../src/server/store/db';
import { migrate } from '../../src/server/store/migrations';
import type { User } from '../../src/shared/domain/model';
import { searchQuerySchema } from '../../src/shared/protocol/search';

/**
 * Hub search (issue #20 item 4) on 100,000 messages in PGlite, printed beside the baseline in the
 * same run: the `ILIKE` scan `GET /api/conversations?q=` does. Figures: the cost of the index at
 * insert, its size beside the table's, and query times (median of 9) for a rare word, a common
 * word and a stem. `npm run bench -- hub-search`.
 */

const MESSAGES = Number(process.env['SEARCH_BENCH_MESSAGES'] ?? 100_000);
const CONVERSATIONS = 2_000;
const USER: User = {
  id: 'usr_bench',
  email: 'bench@shop.example',
  name: 'Bench',
  role: 'agent',
} as User;

const SENTENCES = [
  'Where is my order, it has not arrived yet',
  'Die Lieferungen kamen nicht an, bitte prüfen',
  'De leveringen kwamen niet aan, kunt u kijken',
  'Les livraisons sont arrivées en retard',
  'Le consegne non sono arrivate in tempo',
  'Thanks, all sorted now',
  'Can I change the size of the linen shirt?',
  'Ich möchte die Rechnung für Bestellung 1043',
];

async function time(run: () => Promise<unknown>, rounds = 9): Promise<number> {
  const times: number[] = [];
  for (let i = 0; i < rounds; i++) {
    const start = performance.now();
    await run();
    times.push(performance.now() - start);
  }
  return times.sort((a, b) => a - b)[Math.floor(rounds / 2)] ?? 0;
}

const db = await openPglite(null);
await migrate(db);
await db.exec(`
insert into customers (id, name, created_at, updated_at)
  select 'cus_' || g, 'Customer ' || g, 0, 0 from generate_series(1, ${CONVERSATIONS}) g;
insert into conversations (id, channel, channel_account_id, customer_id, customer_external_id,
  last_message_at, created_at, updated_at)
  select 'con_' || g, 'whatsapp', 'acc', 'cus_' || g, 'ext' || g, 0, 0, 0
  from generate_series(1, ${CONVERSATIONS}) g;`);
const insert = (table: string) => `
insert into ${table} (id, conversation_id, channel, direction, content, status, sent_at, updated_at)
  select 'msg_' || g, 'con_' || (g % ${CONVERSATIONS} + 1), 'whatsapp', 'inbound',
    jsonb_build_object('type', 'text', 'body',
      (array[${SENTENCES.map((s) => `'${s}'`).join(', ')}])[g % ${SENTENCES.length} + 1]
      || ' #' || g || case when g % 5000 = 0 then ' Zahnbürstenhalter' else '' end),
    'delivered', g * 1000, g * 1000
  from generate_series(1, ${MESSAGES}) g`;

// Insert cost: the same rows into a copy of the table without the search index.
await db.exec('create table messages_plain (like messages including defaults)');
let start = performance.now();
await db.exec(insert('messages_plain'));
const plainInsert = performance.now() - start;
start = performance.now();
await db.exec(insert('messages'));
const indexedInsert = performance.now() - start;
await db.exec('analyze');

const size = async (relation: string): Promise<number> =>
  Number(
    (await db.query<{ n: number }>(`select pg_relation_size($1) as n`, [relation])).rows[0]?.n,
  ) /
  1024 /
  1024;
const [tableMb, indexMb] = [await size('messages'), await size('messages_search_idx')];

const ilike = (word: string) => () =>
  db.query(
    `select m.id from messages m where m.content->>'body' ilike $1
     order by m.sent_at desc limit 20`,
    [`%${word}%`],
  );
const fts = (q: string) => () =>
  search(db, USER, searchQuerySchema.parse({ q, limit: '20' }), null);

console.log(`hub search on ${MESSAGES.toLocaleString('en')} messages (PGlite)`);
console.log(
  `insert: ${(plainInsert / 1000).toFixed(1)} s without the index, ${(indexedInsert / 1000).toFixed(1)} s with it (${((indexedInsert / MESSAGES) * 1000).toFixed(0)} µs a message)`,
);
console.log(`size: table ${tableMb.toFixed(1)} MB, search index ${indexMb.toFixed(1)} MB`);
console.log('query (median of 9)              | ILIKE scan (baseline) | full-text search');
for (const [label, word, q] of [
  ['rare word (20 matches)', 'Zahnbürstenhalter', 'Zahnbürstenhalter'],
  ['stem, 1 in 8 messages', 'Lieferung', 'Lieferung'],
  ['common stem, 3 in 8 messages', 'arrive', 'arrive'],
] as const) {
  const [base, full] = [await time(ilike(word)), await time(fts(q))];
  console.log(
    `${label.padEnd(32)} | ${base.toFixed(0).padStart(18)} ms | ${full.toFixed(0).padStart(13)} ms`,
  );
}
await db.close();
