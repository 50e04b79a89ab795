import type { ChannelConnector } from '../channels/connector';
import type { InboundEvent } from '../channels/types';

/**
 * A demo customer's message through its channel's connector, where the connector can say how the
 * platform would deliver it (`demoDelivery`): signed, verified and mapped exactly as a real
 * webhook is. The platform's webhook carries no profile, so the customer is then the one the
 * simulator knows (what a profile lookup would add). Anything else goes to ingestion as it is.
 */
export function throughConnector(
  connectors: readonly ChannelConnector[],
  event: InboundEvent,
): InboundEvent[] {
  if (event.kind !== 'message') return [event];
  const connector = connectors.find((c) => c.channel === event.channel);
  const delivery = connector?.demoDelivery?.(event);
  if (!connector || !delivery) return [event];
  // A platform that signs the URL (WeChat) gives its delivery's `url` with the signed query.
  const url = delivery.url ?? null;
  const received = {
    headers: delivery.headers,
    raw: delivery.raw,
    url: url ?? new URL('http://demo.invalid/'),
  };
  const verdict = connector.verify(received, delivery.settings);
  if (!verdict.ok) throw new Error(`demo: ${connector.name} refused its own delivery`);
  const body = connector.decode
    ? connector.decode(received, delivery.settings)
    : JSON.parse(delivery.raw.toString('utf8'));
  const parsed = connector.parse(body, delivery.settings);
  if (parsed.problems.length > 0)
    throw new Error(`demo: ${connector.name} could not map it: ${parsed.problems.join('; ')}`);
  return parsed.events.map((mapped) =>
    mapped.kind === 'message' && mapped.customer.externalId === event.customer.externalId
      ? { ...mapped, customer: event.customer }
      : mapped,
  );
}
