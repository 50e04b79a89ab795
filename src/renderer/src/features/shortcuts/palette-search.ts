import type { ChannelKind } from '../../../../shared/domain/channels';
import type { Conversation, ConversationStatus, Order } from '../../../../shared/domain/model';
import {
  hasMatch,
  highlightDigits,
  highlightParts,
  normalizeText,
  parseSearch,
  phoneDigits,
  type SearchTerms,
  type TextPart,
} from '../../components/text-match';

/**
 * What the command palette finds besides its actions (issue 12, item 7): customers by name,
 * phone (its digits: "+31 6 1234" finds "+31612345678") or e-mail; their other conversations;
 * and orders by number, each opening the conversation of the order's customer. Pure: the
 * caller passes the cached conversations (newest first) and the cached orders whose number
 * starts with the query.
 */

/** Each group is short: the palette is for jumping, the inbox search for browsing. */
export const PALETTE_LIMITS = { customers: 5, conversations: 5, orders: 5 } as const;

/**
 * Matching conversations looked at, at most: a query as short as "a" matches most of 20,000,
 * and the palette shows only a few customers.
 */
const MAX_SCANNED_MATCHES = 200;

export interface CustomerHit {
  readonly customerId: string;
  readonly name: readonly TextPart[];
  /** The phone or e-mail, marked where it matched; null when only the name did. */
  readonly contact: readonly TextPart[] | null;
  /** The customer's newest conversation: what choosing the customer opens. */
  readonly conversation: Conversation;
  /** Their conversations found, newest first (the first is `conversation`). */
  readonly conversationCount: number;
  readonly channels: readonly ChannelKind[];
}

export interface ConversationHit {
  readonly conversation: Conversation;
  readonly name: readonly TextPart[];
  readonly status: ConversationStatus;
}

export interface OrderHit {
  readonly order: Order;
  readonly number: readonly TextPart[];
  /** The conversation of the order's customer: what choosing the order opens. */
  readonly conversation: Conversation;
}

export interface PaletteResults {
  readonly customers: readonly CustomerHit[];
  /** Other conversations of the customers found (another channel, an older one). */
  readonly conversations: readonly ConversationHit[];
  readonly orders: readonly OrderHit[];
}

export const NO_RESULTS: PaletteResults = { customers: [], conversations: [], orders: [] };

interface CustomerHaystack {
  readonly text: string;
  readonly phoneDigits: string;
}

// Per conversation object: typing in the palette does not normalise 20,000 names again.
const haystacks = new WeakMap<Conversation, CustomerHaystack>();

function haystackOf(conversation: Conversation): CustomerHaystack {
  let haystack = haystacks.get(conversation);
  if (haystack === undefined) {
    const { name, phone, email } = conversation.customer;
    haystack = {
      text: normalizeText([name, phone ?? '', email ?? ''].join(' ')),
      phoneDigits: (phone ?? '').replace(/\D/g, ''),
    };
    haystacks.set(conversation, haystack);
  }
  return haystack;
}

/** The customer's name, phone or e-mail contain every word, or the phone the digits typed. */
export function customerMatches(conversation: Conversation, terms: SearchTerms): boolean {
  const haystack = haystackOf(conversation);
  if (terms.digits !== null && haystack.phoneDigits.includes(terms.digits)) return true;
  return terms.words.every((word) => haystack.text.includes(word));
}

export const displayName = (conversation: Conversation): string =>
  conversation.customer.name ||
  conversation.customer.phone ||
  conversation.customer.email ||
  'Unknown customer';

function contactParts(conversation: Conversation, terms: SearchTerms): TextPart[] | null {
  const { phone, email } = conversation.customer;
  if (phone && terms.digits !== null && phoneDigits(phone).includes(terms.digits)) {
    return highlightDigits(phone, terms.digits);
  }
  for (const value of [phone, email]) {
    if (!value) continue;
    const parts = highlightParts(value, terms.words);
    if (hasMatch(parts)) return parts;
  }
  return null;
}

/** An order number as typed or stored: without "#", spaces and case ("#A-1043 " → "a-1043"). */
export function orderKey(number: string): string {
  return number.trim().replace(/^#/, '').replace(/\s+/g, '').toLowerCase();
}

/** Whether the query could be (the start of) an order number: one word with a digit. */
export function looksLikeOrderNumber(query: string): boolean {
  const key = orderKey(query);
  return key.length >= 2 && /\d/.test(key) && /^[\w-]+$/.test(key);
}

/**
 * The conversation an order belongs to: the newest of the customer it was found for (the order
 * panel caches that), else the newest whose customer has the order's phone or e-mail.
 */
export function conversationOfOrder(
  order: Order & { readonly customerKeys?: readonly string[] },
  newestFirst: readonly Conversation[],
): Conversation | null {
  const customerIds = new Set(
    (order.customerKeys ?? []).map((key) => key.replace(/^customer:/, '')),
  );
  const digits = order.phone ? order.phone.replace(/\D/g, '') : '';
  const email = order.email?.trim().toLowerCase() ?? '';
  let byContact: Conversation | null = null;
  for (const conversation of newestFirst) {
    if (customerIds.has(conversation.customer.id)) return conversation;
    if (byContact !== null) continue;
    const { phone, email: customerEmail } = conversation.customer;
    if (digits.length >= 6 && phone && phone.replace(/\D/g, '') === digits)
      byContact = conversation;
    else if (email !== '' && customerEmail?.trim().toLowerCase() === email)
      byContact = conversation;
  }
  return byContact;
}

/**
 * The palette's finds for `query`: customers (newest conversation first), their other
 * conversations, and the given orders that belong to a cached conversation.
 */
export function searchPalette(
  query: string,
  newestFirst: readonly Conversation[],
  orders: readonly (Order & { readonly customerKeys?: readonly string[] })[],
): PaletteResults {
  const terms = parseSearch(query);
  if (terms === null) return NO_RESULTS;

  const byCustomer = new Map<string, Conversation[]>();
  let scanned = 0;
  for (const conversation of newestFirst) {
    if (!customerMatches(conversation, terms)) continue;
    const list = byCustomer.get(conversation.customer.id);
    if (list) list.push(conversation);
    else byCustomer.set(conversation.customer.id, [conversation]);
    scanned += 1;
    if (scanned >= MAX_SCANNED_MATCHES) break;
  }

  const customers: CustomerHit[] = [];
  const conversations: ConversationHit[] = [];
  for (const [customerId, list] of byCustomer) {
    if (customers.length >= PALETTE_LIMITS.customers) break;
    const newest = list[0] as Conversation;
    customers.push({
      customerId,
      name: highlightParts(displayName(newest), terms.words),
      contact: contactParts(newest, terms),
      conversation: newest,
      conversationCount: list.length,
      channels: [...new Set(list.map((c) => c.channel))],
    });
    for (const other of list.slice(1)) {
      if (conversations.length >= PALETTE_LIMITS.conversations) break;
      conversations.push({
        conversation: other,
        name: highlightParts(displayName(other), terms.words),
        status: other.status,
      });
    }
  }

  const wanted = orderKey(query);
  const orderHits: OrderHit[] = [];
  const seen = new Set<string>();
  for (const order of orders) {
    if (orderHits.length >= PALETTE_LIMITS.orders) break;
    if (seen.has(order.id) || !orderKey(order.number).startsWith(wanted)) continue;
    seen.add(order.id);
    const conversation = conversationOfOrder(order, newestFirst);
    if (conversation === null) continue;
    orderHits.push({ order, number: highlightParts(order.number, [wanted]), conversation });
  }
  return { customers, conversations, orders: orderHits };
}
