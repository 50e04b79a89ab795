import { formatPrice } from '../../../../shared/pricing';
import { formatDuration } from '../../../../shared/reply-window';

/** A median or p90 wait: `4m`, `1h 5m`; an em dash when nothing was answered. */
export const formatWait = (ms: number | null): string => (ms === null ? '—' : formatDuration(ms));

/** Amounts in one or more currencies: `$0.0125`, `$1.20 + €0.50`; `—` for none. */
export function formatMoney(
  amounts: readonly { readonly amount: number; readonly currency: string }[],
  empty = '—',
): string {
  if (amounts.length === 0) return empty;
  return amounts.map((m) => formatPrice(m.amount, m.currency)).join(' + ');
}

/** The browser's IANA time zone, which the hub buckets days and hours in. */
export function localTimeZone(): string {
  return Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC';
}
