import type { Migration } from '../../store/migrations';

/** Migrations of connected shops and order links (issue #17): versions 600–699. */
export const SHOP_MIGRATIONS: readonly Migration[] = [
  {
    version: 600,
    name: 'connected shops, their cached lookups, orders linked to customers',
    // A shop's credentials are sealed (SecretBox) one by one in `credentials` ({ key: sealed });
    // they never leave the hub. `channels` empty: the shop serves every channel's customers.
    // The lookup cache is in the database so every hub (and a restarted one) can show a
    // customer's orders from a shop that is down; `customer_key` is the customer's id, or the
    // phone/email asked for.
    sql: `
create table shops (
  id text primary key,
  kind text not null,
  name text not null,
  url text not null,
  credentials jsonb not null default '{}',
  channels text[] not null default '{}',
  enabled boolean not null default true,
  shop_name text,
  last_ok_at bigint,
  last_error text,
  last_error_at bigint,
  created_at bigint not null,
  updated_at bigint not null
);
create table shop_lookups (
  source_id text not null,
  customer_key text not null,
  orders jsonb not null,
  fetched_at bigint not null,
  primary key (source_id, customer_key)
);
create table order_links (
  customer_id text not null references customers (id) on delete cascade,
  source_id text not null,
  order_number text not null,
  linked_by text references users (id),
  linked_at bigint not null,
  primary key (customer_id, source_id, order_number)
);
`,
  },
  {
    version: 601,
    name: 'pictures shops named, which the hub may fetch for the app',
    // The app's pages load pictures from the hub only (its Content-Security-Policy): a product
    // picture is fetched by the hub, and only a URL a connected shop itself sent.
    sql: `
create table shop_images (
  url_hash text primary key,
  url text not null,
  source_id text not null,
  seen_at bigint not null
);
create index shop_images_source_idx on shop_images (source_id);
`,
  },
];
