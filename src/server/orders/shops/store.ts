import type { ChannelKind } from '../../../shared/domain/channels';
import { orderSchema, type Order } from '../../../shared/domain/model';
import type { ShopKindName, ShopView } from '../../../shared/protocol/shops';
import type { SecretBox } from '../../secrets/secret-box';
import type { Queryable } from '../../store/db';

/**
 * Connected shops, their cached lookups and the orders agents linked to customers, in the hub's
 * database. Credentials are sealed one by one and opened only to build a provider; a shop as
 * listed (`ShopView`) says which are set, never what they are.
 */

interface ShopRow {
  id: string;
  kind: ShopKindName;
  name: string;
  url: string;
  credentials: Record<string, string> | string;
  channels: ChannelKind[];
  enabled: boolean;
  shop_name: string | null;
  last_ok_at: string | number | null;
  last_error: string | null;
  last_error_at: string | number | null;
  created_at: string | number;
  updated_at: string | number;
}

/** A shop as stored, credentials sealed. */
export interface StoredShop {
  readonly id: string;
  readonly kind: ShopKindName;
  readonly name: string;
  readonly url: string;
  readonly sealed: Readonly<Record<string, string>>;
  readonly channels: readonly ChannelKind[];
  readonly enabled: boolean;
  readonly shopName: string | null;
  readonly lastOkAt: number | null;
  readonly lastError: { readonly message: string; readonly at: number } | null;
  readonly createdAt: number;
  readonly updatedAt: number;
}

const num = (value: string | number | null): number | null =>
  value === null ? null : Number(value);

function toShop(row: ShopRow): StoredShop {
  const sealed =
    typeof row.credentials === 'string'
      ? (JSON.parse(row.credentials) as Record<string, string>)
      : row.credentials;
  const lastErrorAt = num(row.last_error_at);
  return {
    id: row.id,
    kind: row.kind,
    name: row.name,
    url: row.url,
    sealed,
    channels: row.channels,
    enabled: row.enabled,
    shopName: row.shop_name,
    lastOkAt: num(row.last_ok_at),
    lastError:
      row.last_error !== null && lastErrorAt !== null
        ? { message: row.last_error, at: lastErrorAt }
        : null,
    createdAt: Number(row.created_at),
    updatedAt: Number(row.updated_at),
  };
}

/** What admins see: credential keys of the kind, each set or not. */
export function shopView(shop: StoredShop, credentialKeys: readonly string[]): ShopView {
  return {
    id: shop.id,
    kind: shop.kind,
    name: shop.name,
    url: shop.url,
    channels: [...shop.channels],
    enabled: shop.enabled,
    credentials: Object.fromEntries(
      credentialKeys.map((key) => [key, { set: (shop.sealed[key] ?? '') !== '' }]),
    ),
    shopName: shop.shopName,
    lastOkAt: shop.lastOkAt,
    lastError: shop.lastError,
    createdAt: shop.createdAt,
    updatedAt: shop.updatedAt,
  };
}

/** The plain credentials (for the provider only); stale seals are resealed by the caller. */
export function openCredentials(shop: StoredShop, secrets: SecretBox): Record<string, string> {
  return Object.fromEntries(
    Object.entries(shop.sealed).map(([key, value]) => [key, secrets.open(value)]),
  );
}

export function sealCredentials(
  plain: Readonly<Record<string, string>>,
  secrets: SecretBox,
): Record<string, string> {
  return Object.fromEntries(
    Object.entries(plain).map(([key, value]) => [key, secrets.seal(value)]),
  );
}

const SHOP_COLUMNS = `id, kind, name, url, credentials, channels, enabled, shop_name, last_ok_at,
  last_error, last_error_at, created_at, updated_at`;

export async function listShops(q: Queryable): Promise<StoredShop[]> {
  const { rows } = await q.query<ShopRow>(
    `select ${SHOP_COLUMNS} from shops order by created_at, id`,
  );
  return rows.map(toShop);
}

export async function getShop(q: Queryable, id: string): Promise<StoredShop | null> {
  const { rows } = await q.query<ShopRow>(`select ${SHOP_COLUMNS} from shops where id = $1`, [id]);
  return rows[0] ? toShop(rows[0]) : null;
}

export async function insertShop(q: Queryable, shop: StoredShop): Promise<void> {
  await q.query(
    `insert into shops (id, kind, name, url, credentials, channels, enabled, created_at, updated_at)
     values ($1, $2, $3, $4, $5, $6, $7, $8, $8)`,
    [
      shop.id,
      shop.kind,
      shop.name,
      shop.url,
      JSON.stringify(shop.sealed),
      shop.channels,
      shop.enabled,
      shop.createdAt,
    ],
  );
}

export async function updateShop(
  q: Queryable,
  id: string,
  change: {
    readonly name: string;
    readonly url: string;
    readonly sealed: Readonly<Record<string, string>>;
    readonly channels: readonly ChannelKind[];
    readonly enabled: boolean;
    /** The address or credentials changed: the last test's name and error no longer hold. */
    readonly connectionChanged: boolean;
  },
  at: number,
): Promise<void> {
  await q.query(
    `update shops set name = $2, url = $3, credentials = $4, channels = $5, enabled = $6,
       updated_at = $7,
       shop_name = case when $8 then null else shop_name end,
       last_ok_at = case when $8 then null else last_ok_at end,
       last_error = case when $8 then null else last_error end,
       last_error_at = case when $8 then null else last_error_at end
     where id = $1`,
    [
      id,
      change.name,
      change.url,
      JSON.stringify(change.sealed),
      change.channels,
      change.enabled,
      at,
      change.connectionChanged,
    ],
  );
}

export async function deleteShop(q: Queryable, id: string): Promise<boolean> {
  const { rows } = await q.query<{ id: string }>('delete from shops where id = $1 returning id', [
    id,
  ]);
  if (rows.length === 0) return false;
  await forgetLookups(q, id);
  await q.query('delete from order_links where source_id = $1', [id]);
  return true;
}

/** A good answer from the shop: its name (from a test) and when. */
export async function recordShopOk(
  q: Queryable,
  id: string,
  at: number,
  shopName?: string,
): Promise<void> {
  await q.query(
    `update shops set last_ok_at = $2, last_error = null, last_error_at = null,
       shop_name = coalesce($3, shop_name)
     where id = $1`,
    [id, at, shopName ?? null],
  );
}

export async function recordShopError(
  q: Queryable,
  id: string,
  message: string,
  at: number,
): Promise<void> {
  await q.query('update shops set last_error = $2, last_error_at = $3 where id = $1', [
    id,
    message,
    at,
  ]);
}

export interface CachedLookup {
  readonly orders: Order[];
  readonly fetchedAt: number;
}

export async function readLookup(
  q: Queryable,
  sourceId: string,
  customerKey: string,
): Promise<CachedLookup | null> {
  const { rows } = await q.query<{ orders: unknown; fetched_at: string | number }>(
    'select orders, fetched_at from shop_lookups where source_id = $1 and customer_key = $2',
    [sourceId, customerKey],
  );
  const row = rows[0];
  if (!row) return null;
  const raw = typeof row.orders === 'string' ? (JSON.parse(row.orders) as unknown) : row.orders;
  const parsed = orderSchema.array().safeParse(raw);
  // A cache written by another version of the hub that no longer parses is as good as none.
  return parsed.success ? { orders: parsed.data, fetchedAt: Number(row.fetched_at) } : null;
}

export async function writeLookup(
  q: Queryable,
  sourceId: string,
  customerKey: string,
  orders: readonly Order[],
  at: number,
): Promise<void> {
  await q.query(
    `insert into shop_lookups (source_id, customer_key, orders, fetched_at) values ($1, $2, $3, $4)
     on conflict (source_id, customer_key) do update set orders = excluded.orders,
       fetched_at = excluded.fetched_at
     where shop_lookups.fetched_at <= excluded.fetched_at`,
    [sourceId, customerKey, JSON.stringify(orders), at],
  );
}

/** A source's cached answers (for one customer, or all): the next look asks the shop. */
export async function forgetLookups(
  q: Queryable,
  sourceId: string,
  customerKey?: string,
): Promise<void> {
  await q.query(
    customerKey === undefined
      ? 'delete from shop_lookups where source_id = $1'
      : 'delete from shop_lookups where source_id = $1 and customer_key = $2',
    customerKey === undefined ? [sourceId] : [sourceId, customerKey],
  );
}

/** Cached lookups older than `before` are dropped (the hub's maintenance, daily). */
export async function pruneLookups(q: Queryable, before: number): Promise<number> {
  const { rows } = await q.query<{ n: string | number }>(
    `with gone as (delete from shop_lookups where fetched_at < $1 returning 1)
     select count(*) as n from gone`,
    [before],
  );
  return Number(rows[0]?.n ?? 0);
}

export async function linkedNumbers(
  q: Queryable,
  customerId: string,
  sourceId: string,
): Promise<string[]> {
  const { rows } = await q.query<{ order_number: string }>(
    `select order_number from order_links where customer_id = $1 and source_id = $2
     order by linked_at, order_number`,
    [customerId, sourceId],
  );
  return rows.map((row) => row.order_number);
}

export async function insertLink(
  q: Queryable,
  link: { customerId: string; sourceId: string; number: string; userId: string; at: number },
): Promise<void> {
  await q.query(
    `insert into order_links (customer_id, source_id, order_number, linked_by, linked_at)
     values ($1, $2, $3, $4, $5) on conflict do nothing`,
    [link.customerId, link.sourceId, link.number, link.userId, link.at],
  );
}

export async function deleteLink(
  q: Queryable,
  link: { customerId: string; sourceId: string; number: string },
): Promise<boolean> {
  const { rows } = await q.query<{ n: string }>(
    `delete from order_links where customer_id = $1 and source_id = $2 and order_number = $3
     returning order_number as n`,
    [link.customerId, link.sourceId, link.number],
  );
  return rows.length > 0;
}
