import { AUDIT_MIGRATIONS } from '../audit/schema';
import { CUSTOMER_MIGRATIONS } from '../customers/schema';
import { ACTIVITY_MIGRATIONS } from '../activity/schema';
import { CSAT_MIGRATIONS } from '../csat/schema';
import { ADMIN_MIGRATIONS } from '../admin/schema';
import { DASHBOARD_MIGRATIONS } from '../dashboard/schema';
import { MEDIA_MIGRATIONS } from '../media/schema';
import { NOTE_MIGRATIONS } from '../notes/schema';
import { SHOP_MIGRATIONS } from '../orders/shops/schema';
import { SLA_MIGRATIONS } from '../sla/schema';
import { TEMPLATE_MIGRATIONS } from '../templates/schema';
import type { Db, Queryable } from './db';
import { SCALE_OUT_MIGRATIONS } from './scale-out-schema';
import { SEARCH_MIGRATIONS } from '../search/schema';

export interface Migration {
  readonly version: number;
  readonly name: string;
  readonly sql: string;
}

/**
 * The core schema. Features keep their migrations beside their code (`../sla/schema.ts`…);
 * `MIGRATIONS` puts them all in version order.
 */
const CORE_MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    name: 'initial schema',
    sql: `
create table users (
  id text primary key,
  email text not null,
  name text not null,
  role text not null check (role in ('agent', 'lead', 'admin')),
  password_hash text not null,
  disabled boolean not null default false,
  created_at bigint not null,
  updated_at bigint not null
);
create unique index users_email_key on users (lower(email));

create table sessions (
  token_hash text primary key,
  user_id text not null references users (id),
  created_at bigint not null,
  expires_at bigint not null
);
create index sessions_user_idx on sessions (user_id);

create table channels (
  id text primary key,
  kind text not null,
  account_id text not null,
  name text not null,
  created_at bigint not null,
  last_event_at bigint,
  unique (kind, account_id)
);

create table customers (
  id text primary key,
  name text not null,
  phone text,
  email text,
  country text,
  language text,
  created_at bigint not null,
  updated_at bigint not null
);
create index customers_phone_idx on customers (phone);
create index customers_email_idx on customers (lower(email));

create table customer_identities (
  channel text not null,
  external_id text not null,
  customer_id text not null references customers (id),
  primary key (channel, external_id)
);

create table conversations (
  id text primary key,
  channel text not null,
  channel_account_id text not null,
  customer_id text not null references customers (id),
  customer_external_id text not null,
  status text not null default 'open' check (status in ('open', 'pending', 'snoozed', 'resolved')),
  assignee_id text references users (id),
  priority text not null default 'normal' check (priority in ('low', 'normal', 'high', 'urgent')),
  labels text[] not null default '{}',
  snoozed_until bigint,
  last_inbound_at bigint,
  entry_point text not null default 'organic',
  entry_point_at bigint,
  first_reply_after_entry_at bigint,
  sent_since_inbound integer not null default 0,
  sent_since_entry_point integer not null default 0,
  last_payment_at bigint,
  last_message_at bigint not null,
  last_message_preview text not null default '',
  unread_count integer not null default 0,
  created_at bigint not null,
  updated_at bigint not null,
  unique (channel, channel_account_id, customer_external_id)
);
create index conversations_list_idx on conversations (last_message_at desc, id desc);
create index conversations_assignee_idx on conversations (assignee_id, last_message_at desc);

create table messages (
  id text primary key,
  conversation_id text not null references conversations (id),
  channel text not null,
  direction text not null check (direction in ('inbound', 'outbound')),
  content jsonb not null,
  external_id text,
  client_id text,
  author_id text references users (id),
  status text not null,
  failure_code text,
  failure_reason text,
  cost jsonb,
  tag text,
  sent_at bigint not null,
  updated_at bigint not null
);
-- Channels retry webhooks: one row per channel message id (DESIGN.md rule 4).
create unique index messages_external_key on messages (channel, external_id) where external_id is not null;
-- Apps retry commands: one row per client id (DESIGN.md rule 3).
create unique index messages_client_key on messages (client_id) where client_id is not null;
create index messages_conversation_idx on messages (conversation_id, sent_at, id);

-- Outgoing messages waiting for the channel; survives restarts.
create table outbound_queue (
  message_id text primary key references messages (id),
  attempts integer not null default 0,
  next_attempt_at bigint not null,
  last_error text
);
create index outbound_queue_due_idx on outbound_queue (next_attempt_at);

create table templates (
  id text primary key,
  kind text not null check (kind in ('quick_reply', 'whatsapp')),
  name text not null,
  shortcut text,
  body text not null,
  language text not null,
  category text,
  channels text[] not null default '{}',
  status text not null default 'approved',
  version integer not null default 1,
  deleted boolean not null default false,
  updated_at bigint not null,
  updated_by text references users (id)
);

create table orders (
  id text primary key,
  provider text not null,
  number text not null,
  status text not null,
  customer_name text,
  email text,
  phone text,
  items jsonb not null default '[]',
  total numeric(14, 2) not null,
  currency text not null,
  carrier text,
  tracking_number text,
  tracking_url text,
  created_at bigint not null,
  unique (provider, number)
);
create index orders_phone_idx on orders (phone);
create index orders_email_idx on orders (lower(email));

-- The append-only event log. seq comes from the counter row below, bumped inside the writing
-- transaction: gapless, and in commit order, so a client resuming from seq N misses nothing.
create table events (
  seq bigint primary key,
  type text not null,
  payload jsonb not null,
  created_at bigint not null
);
create table workspace (
  id integer primary key check (id = 1),
  seq bigint not null
);
insert into workspace (id, seq) values (1, 0);

-- Results of commands, by their client id, so a retried command gets the same answer once.
create table command_results (
  client_id text primary key,
  user_id text not null,
  command text not null,
  result jsonb not null,
  created_at bigint not null
);
`,
  },
  {
    version: 2,
    name: 'messages by time, for the first sync of the apps',
    // `GET /api/sync/messages` pages through every message newest first; without this index
    // each page would sort the whole table.
    sql: `create index messages_sent_idx on messages (sent_at, id);`,
  },
  {
    version: 3,
    name: 'the timestamp a channel claimed, when it was too far in the future to use',
    // Issue #13: such messages are stored at the hub's receipt time; this keeps the claim.
    sql: `alter table messages add column claimed_sent_at bigint;`,
  },
  {
    version: 4,
    name: 'dead letters: webhook deliveries that were signed but could not be stored',
    sql: `
create table dead_letters (
  id text primary key,
  channel text not null,
  received_at bigint not null,
  reasons text[] not null,
  raw bytea not null
);
create index dead_letters_received_idx on dead_letters (received_at);
`,
  },
  {
    version: 5,
    name: 'sends in flight and sends of unknown outcome',
    // Issue #13 item 2: a send is marked in flight before the call, so one cut off by a crash
    // is known at the next start; one whose outcome is unknown waits for a status webhook.
    sql: `
alter table outbound_queue add column sending_since bigint;
alter table outbound_queue add column uncertain_since bigint;
`,
  },
  {
    version: 6,
    name: 'edited messages, blocked conversations, reply tokens',
    // Issue #15: Telegram edits; a customer who blocked the business (Telegram, LINE, Viber);
    // LINE's single-use reply token, kept on the conversation (never sent to apps).
    sql: `
alter table messages add column edited_at bigint;
alter table conversations add column blocked_at bigint;
alter table conversations add column reply_token text;
alter table conversations add column reply_token_expires_at bigint;
`,
  },
  {
    version: 7,
    name: 'the message a message replies to',
    // Issue #15: a customer's reply to one of ours, an agent's reply quoting a customer's
    // message: `{messageId, preview}` (model.ts replyQuoteSchema), null for none.
    sql: `alter table messages add column reply_to jsonb;`,
  },
  {
    version: 15,
    name: 'group chat senders, block reasons',
    // Issue #15: LINE group and room chats: who wrote each message (the member's channel id and,
    // once looked up, display name); why a conversation is closed when it is not a block (the
    // account left the group).
    sql: `
alter table messages add column sender_external_id text;
alter table messages add column sender_name text;
alter table conversations add column blocked_reason text;
`,
  },
];

/**
 * Versioned migrations, applied in order, each in its own transaction. Never edit a released
 * migration: add a new one. Instants are epoch ms in `bigint` columns. Version ranges: core 1–99,
 * SLA 100–199, templates 200–299, users, teams, channels and rates 300–399, dashboard 400–499,
 * scale-out 500–599 (media 530–539, `../media/schema.ts`), shops 600–699, audit log 700–799, search 860–879,
 * so features add migrations without renumbering each other's.
 */
export const MIGRATIONS: readonly Migration[] = [
  ...CORE_MIGRATIONS,
  ...SLA_MIGRATIONS,
  ...TEMPLATE_MIGRATIONS,
  ...ADMIN_MIGRATIONS,
  ...DASHBOARD_MIGRATIONS,
  ...SCALE_OUT_MIGRATIONS,
  ...MEDIA_MIGRATIONS,
  ...SHOP_MIGRATIONS,
  ...AUDIT_MIGRATIONS,
  ...NOTE_MIGRATIONS,
  ...CUSTOMER_MIGRATIONS,
  ...ACTIVITY_MIGRATIONS,
  ...SEARCH_MIGRATIONS,
  ...CSAT_MIGRATIONS,
].sort((a, b) => a.version - b.version);
for (let i = 1; i < MIGRATIONS.length; i++) {
  if ((MIGRATIONS[i]?.version ?? 0) <= (MIGRATIONS[i - 1]?.version ?? 0))
    throw new Error(`Migration versions must increase: ${MIGRATIONS[i]?.version}.`);
}

/**
 * An advisory lock key of the hub's own (any 64-bit number other software on the server is
 * unlikely to use): several hubs starting together apply each migration once, one after another.
 */
export const MIGRATION_LOCK = 7_244_180_001;

export async function migrate(db: Db): Promise<number[]> {
  // Every step takes the lock first, in its own transaction: `create table if not exists` run by
  // two sessions at once can still fail on the catalog's unique index, and a migration another
  // hub applied while this one waited must not run twice.
  await db.transaction(async (tx) => {
    await tx.query('select pg_advisory_xact_lock($1)', [MIGRATION_LOCK]);
    await tx.query(
      'create table if not exists schema_migrations (version integer primary key, name text not null, applied_at bigint not null)',
    );
  });
  const applied = async (q: Queryable): Promise<Set<number>> => {
    const { rows } = await q.query<{ version: number }>('select version from schema_migrations');
    return new Set(rows.map((row) => Number(row.version)));
  };
  const before = await applied(db);
  const ran: number[] = [];
  for (const migration of MIGRATIONS) {
    if (before.has(migration.version)) continue;
    const done = await db.transaction(async (tx) => {
      await tx.query('select pg_advisory_xact_lock($1)', [MIGRATION_LOCK]);
      if ((await applied(tx)).has(migration.version)) return false;
      await tx.exec(migration.sql);
      await tx.query(
        'insert into schema_migrations (version, name, applied_at) values ($1, $2, $3)',
        [migration.version, migration.name, Date.now()],
      );
      return true;
    });
    if (done) ran.push(migration.version);
  }
  return ran;
}
