import type { z } from 'zod';
import type { MessageContent } from '../../../shared/domain/model';
import { checkedContent, unsupported } from '../content';
import type { InboundCustomer, InboundStatus } from '../types';
import { e164 } from './phone';

/** What both providers' mappings share: the customer by number, text content, prices. */

export const issueText = (error: z.ZodError): string =>
  error.issues
    .slice(0, 3)
    .map((issue) => `${issue.path.join('.') || '(body)'}: ${issue.message}`)
    .join('; ');

/**
 * The customer behind a number: their E.164 number is their id (and their phone), so a customer
 * is the same through Vonage and Bird. A sender that is not a number (an alphanumeric sender id)
 * keeps its name as the id, with no phone: it cannot be answered by SMS.
 */
export function customerOf(from: string, problems: string[], path: string): InboundCustomer {
  const number = e164(from);
  if (number === null)
    problems.push(
      `${path}: "${from.slice(0, 30)}" is not a phone number; replies to it will fail.`,
    );
  return { externalId: number ?? from.trim(), name: null, phone: number };
}

/** An SMS's text as content (checked against the model's bounds). */
export const textContent = (text: string, path: string, problems: string[]): MessageContent =>
  checkedContent({ type: 'text', body: text }, path, problems);

/** Content the hub does not read from SMS (an MMS picture, another type): shown as such. */
export function unreadContent(type: string, path: string, problems: string[]): MessageContent {
  problems.push(
    `${path}: ${type.slice(0, 50)} messages are not read from SMS yet; kept as unsupported.`,
  );
  return unsupported(type);
}

/** A timestamp the provider wrote (ISO 8601), or the receipt time with a note when unreadable. */
export function instantOf(value: string | undefined, path: string, problems: string[]): number {
  const at = value === undefined ? Number.NaN : Date.parse(value);
  if (Number.isFinite(at)) return at;
  problems.push(`${path}: no readable timestamp; the time of receipt is used.`);
  return Date.now();
}

/** A decimal price and an ISO 4217 currency, as the status names them, or undefined. */
export function priceOf(
  amount: string | number | undefined,
  currency: string | undefined,
  path: string,
  problems: string[],
): InboundStatus['price'] {
  if (amount === undefined && currency === undefined) return undefined;
  const text = typeof amount === 'number' ? String(amount) : (amount ?? '').trim();
  const code = (currency ?? '').trim().toUpperCase();
  if (!/^\d{1,12}(\.\d{1,12})?$/.test(text) || !/^[A-Z]{3}$/.test(code)) {
    problems.push(
      `${path}: the price "${text.slice(0, 30)} ${code.slice(0, 10)}" is not readable; not recorded.`,
    );
    return undefined;
  }
  return { amount: text, currency: code };
}
