import type { Order } from '../../../../shared/domain/model';
import { BUILT_IN_SOURCE_ID } from '../../../../shared/protocol/shops';
import { orderSourceOf, type OrderSourceState } from '../../data/data-layer';
import { searchTermOf, sortNewestFirst } from './order-format';

/** The customer's orders from one source (a shop, or the built-in store), for the panel. */
export interface OrderGroup {
  /** The source's id (`Order.provider` of a shop's orders, `demo` for the built-in store). */
  readonly id: string;
  readonly name: string;
  /** Newest first. */
  readonly orders: readonly Order[];
  /** What the source answered; `null` when only the cache knows it (offline, an older hub). */
  readonly source: OrderSourceState | null;
}

const BUILT_IN_NAME = 'Built-in store';

/**
 * The orders by source, in the hub's order of sources (the built-in store first) and every
 * source listed even when it has none, so its loading or its error shows. Without sources
 * (offline, an older hub): by the orders' own shop, the built-in store first.
 */
export function groupOrders(
  orders: readonly Order[],
  sources: readonly OrderSourceState[] | null,
): OrderGroup[] {
  const sourceIds = new Set((sources ?? []).map((s) => s.id));
  const byId = new Map<
    string,
    { name: string; orders: Order[]; source: OrderSourceState | null }
  >();
  for (const source of sources ?? [])
    byId.set(source.id, { name: source.name, orders: [], source });
  for (const order of sortNewestFirst(orders)) {
    const id = sources
      ? orderSourceOf(order, sourceIds)
      : order.shopName
        ? order.provider
        : BUILT_IN_SOURCE_ID;
    let group = byId.get(id);
    if (!group) {
      group = {
        name: id === BUILT_IN_SOURCE_ID ? BUILT_IN_NAME : (order.shopName ?? id),
        orders: [],
        source: null,
      };
      byId.set(id, group);
    }
    group.orders.push(order);
  }
  const groups = [...byId].map(([id, group]) => ({ id, ...group }));
  // Only the cache's groups need ordering; the hub's come in its order.
  if (!sources)
    groups.sort(
      (a, b) => Number(b.id === BUILT_IN_SOURCE_ID) - Number(a.id === BUILT_IN_SOURCE_ID),
    );
  return groups;
}

/**
 * Whether a group earns its place in the list beside others: the built-in store (demo data,
 * imports) that answered with nothing is no news beside the shops that did.
 */
export function worthAGroup(group: OrderGroup): boolean {
  return !(
    group.id === BUILT_IN_SOURCE_ID &&
    group.orders.length === 0 &&
    (group.source === null || group.source.state === 'ok')
  );
}

/** Every source answered, without error, and none has an order: one empty state says it all. */
export function nothingFound(groups: readonly OrderGroup[]): boolean {
  return groups.every(
    (g) => g.orders.length === 0 && (g.source === null || g.source.state === 'ok'),
  );
}

/** `Acme EU`, `Acme EU and Acme US`, `Acme EU, Acme US and Built-in store`. */
export function namesOf(groups: readonly OrderGroup[]): string {
  const names = groups.map((g) => g.name);
  if (names.length <= 1) return names.join('');
  return `${names.slice(0, -1).join(', ')} and ${names[names.length - 1]}`;
}

const bareNumber = (number: string): string => searchTermOf(number).toLowerCase();

/**
 * Whether an agent linked `order` to the customer (the source's `linkedNumbers`, `#1043` and
 * `1043` alike): such an order can be unlinked. Unknown without the sources' answers.
 */
export function linkedOrderTest(
  sources: readonly OrderSourceState[] | null,
): (order: Pick<Order, 'provider' | 'number'>) => boolean {
  if (!sources) return () => false;
  const sourceIds = new Set(sources.map((s) => s.id));
  const linked = new Set(
    sources.flatMap((s) => s.linkedNumbers.map((number) => `${s.id}\n${bareNumber(number)}`)),
  );
  return (order) => linked.has(`${orderSourceOf(order, sourceIds)}\n${bareNumber(order.number)}`);
}
