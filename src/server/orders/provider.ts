import type { Order } from '../../shared/domain/model';

/**
 * Where the hub looks up a customer's orders (Shopify, WooCommerce, the demo store…). Agents see
 * them beside the conversation and fill reply variables from them.
 */
export interface OrderQuery {
  readonly phone?: string | null;
  readonly email?: string | null;
}

export interface OrderProvider {
  readonly id: string;
  /** Orders whose phone or email matches (either is enough), newest first. */
  findByCustomer(query: OrderQuery, limit?: number): Promise<Order[]>;
  /** Orders with this number (`#1043` and `1043` alike), newest first. */
  findByNumber(number: string): Promise<Order[]>;
}

export const DEFAULT_ORDER_LIMIT = 20;
export const MAX_ORDER_LIMIT = 100;

/** A sane page size from whatever the caller passed. */
export function clampOrderLimit(limit: number | undefined): number {
  if (limit === undefined || !Number.isFinite(limit)) return DEFAULT_ORDER_LIMIT;
  return Math.min(MAX_ORDER_LIMIT, Math.max(1, Math.floor(limit)));
}

// The hub and the app match orders to customers by the same rules (src/shared/domain/contact).
export { normaliseEmail, normalisePhone } from '../../shared/domain/contact';

/** Order numbers as people type them: `#1043`, ` # 1043 ` and `1043` are the same order. */
export function normaliseOrderNumber(raw: string | null | undefined): string | null {
  const number = raw?.trim().replace(/^#\s*/, '').trim() ?? '';
  return number === '' ? null : number;
}
