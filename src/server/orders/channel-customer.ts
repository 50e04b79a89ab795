import type { Order } from '../../shared/domain/model';
import type { OrderLookup } from '../channels/connector';
import type { Queryable } from '../store/db';
import type { OrderProvider } from './provider';

/** How many of a customer's orders an automated answer looks at (it reads the newest). */
const AUTOMATED_LIMIT = 5;

/**
 * Orders for a connector's automated answer (`WebhookTools.ordersOf`): by the number the customer
 * gave, else the customer's own, found by the phone and e-mail the hub knows for the channel's
 * customer (a customer known only by a channel id has none).
 */
export async function ordersOfChannelCustomer(
  db: Queryable,
  orders: OrderProvider,
  lookup: OrderLookup,
): Promise<readonly Order[]> {
  if (lookup.number !== null) return orders.findByNumber(lookup.number);
  const { rows } = await db.query<{ phone: string | null; email: string | null }>(
    `select c.phone, c.email from conversations v join customers c on c.id = v.customer_id
     where v.channel = $1 and v.channel_account_id = $2 and v.customer_external_id = $3`,
    [lookup.channel, lookup.channelAccountId, lookup.customerExternalId],
  );
  const customer = rows[0];
  if (!customer || (!customer.phone && !customer.email)) return [];
  return orders.findByCustomer({ phone: customer.phone, email: customer.email }, AUTOMATED_LIMIT);
}
