import { CHANNEL_KINDS, HOUR_MS, MINUTE_MS } from '../../../src/shared/domain/channels';
import type {
  Conversation,
  ConversationStatus,
  Message,
  MessageContent,
} from '../../../src/shared/domain/model';

/**
 * A deterministic, realistic-looking cache for the app benchmark: conversations on every
 * channel with reply windows in every state (open, closing soon, closed, never opened), labels,
 * assignees and statuses, and their messages (mostly text, some media, locations, catalog
 * orders, reactions and templates). One conversation is the "big" one: the newest, assigned to
 * the signed-in agent, with its own long history. Pure and DOM-free: it runs in the page.
 */
export interface CacheShape {
  readonly conversations: number;
  readonly messages: number;
  readonly bigConversationMessages: number;
  /** The signed-in user: a large share of conversations is theirs (the default "mine" view). */
  readonly meId: string;
  readonly teammateIds: readonly string[];
  readonly now: number;
}

export interface GeneratedCache {
  readonly conversations: Conversation[];
  /**
   * In the hub's first-sync order (`GET /api/sync/messages`): by conversation, highest id first,
   * newest first within one.
   */
  readonly messages: Message[];
  readonly big: { readonly id: string; readonly customerName: string; readonly marker: string };
}

export const BIG_CUSTOMER_NAME = 'Ingrid Vasquez-Holloway';
/** Every text message of the big conversation carries it: how the bench knows it is on screen. */
export const BIG_MARKER = 'HX-';

const FIRST = [
  'Amara', 'Bruno', 'Chen', 'Dalia', 'Emeka', 'Fatima', 'Giulia', 'Hiro', 'Isak', 'Jana',
  'Kofi', 'Lucía', 'Mateo', 'Nadia', 'Oskar', 'Priya', 'Quentin', 'Rosa', 'Sven', 'Tariq',
  'Uma', 'Vera', 'Wei', 'Ximena', 'Yusuf', 'Zofia',
]; // prettier-ignore
const LAST = [
  'Achebe', 'Bakker', 'Costa', 'Dubois', 'Eriksen', 'Fischer', 'García', 'Haddad', 'Ivanova',
  'Jansen', 'Kowalski', 'Laine', 'Moreau', 'Nakamura', 'Okafor', 'Petrov', 'Rossi', 'Silva',
  'Tanaka', 'Visser', 'Wójcik', 'Yilmaz', 'Zhang',
]; // prettier-ignore
const COUNTRIES = ['NL', 'DE', 'BR', 'IN', 'NG', 'US', 'ES', 'ID', 'GB', 'MX'];
const LABELS = ['vip', 'refund', 'shipping', 'complaint', 'wholesale', 'returns', 'new-customer'];
const INBOUND = [
  'Hi, where is my order? It was supposed to arrive yesterday.',
  'Can I change the delivery address for my order please?',
  'The package arrived but one item is missing.',
  'Do you have this in a size M?',
  'Thanks, that was quick!',
  'I would like to return the shoes, they are too small.',
  'Is there a discount for ordering 20 pieces?',
  'My payment failed twice, can you check?',
  'What are your opening hours on Sunday?',
  'The tracking link does not work for me.',
];
const OUTBOUND = [
  'Hello! Let me check that for you right away.',
  'Your order has shipped and should arrive within 2 working days.',
  'I have updated the address, you will get a confirmation by e-mail.',
  'Sorry about that! I have sent the missing item today.',
  'Yes, size M is in stock. Shall I reserve one for you?',
  'Here is your return label; drop it at any post office.',
  'For 20 pieces we can offer 12% off. I will send a quote.',
];

/** A small LCG: the same cache on every run, fast enough for 200,000 messages. */
function rng(seed: number): () => number {
  let state = seed;
  return () => {
    state = (state * 1_103_515_245 + 12_345) % 2 ** 31;
    return state / 2 ** 31;
  };
}

export function generateCache(shape: CacheShape): GeneratedCache {
  const random = rng(20_261_121);
  const pick = <T>(list: readonly T[]): T => list[Math.floor(random() * list.length)] as T;
  const { now } = shape;
  const conversations: Conversation[] = [];
  const messages: Message[] = [];
  let messageSeq = 0;

  const makeContent = (
    direction: 'inbound' | 'outbound',
    big: boolean,
    index: number,
    last: boolean,
  ): MessageContent => {
    const roll = last ? 0 : random();
    const ref = big ? ` (${BIG_MARKER}${10_000 + index})` : '';
    if (roll < 0.84 || big) {
      if (big && roll >= 0.95 && !last) {
        return {
          type: 'image',
          media: { mediaId: `media-${index}`, mimeType: 'image/jpeg', caption: `Photo${ref}` },
        };
      }
      return { type: 'text', body: `${pick(direction === 'inbound' ? INBOUND : OUTBOUND)}${ref}` };
    }
    if (direction === 'outbound' && roll < 0.88) {
      return {
        type: 'template',
        name: 'order_update',
        language: 'en',
        category: 'utility',
        parameters: ['#10492', 'shipped'],
        renderedBody: 'Your order #10492 is now shipped. Reply to this message with any question.',
      };
    }
    if (roll < 0.9) {
      return {
        type: 'image',
        media: { mediaId: `media-${index}`, mimeType: 'image/jpeg', caption: 'This one' },
      };
    }
    if (roll < 0.92) {
      return {
        type: 'document',
        media: { mediaId: `media-${index}`, mimeType: 'application/pdf', filename: 'invoice.pdf' },
      };
    }
    if (roll < 0.94) {
      return {
        type: 'order',
        catalogId: 'catalog-1',
        items: [
          { productRetailerId: 'sku-shoe-42', quantity: 1, itemPrice: 89.95, currency: 'EUR' },
          { productRetailerId: 'sku-sock-3p', quantity: 2, itemPrice: 9.5, currency: 'EUR' },
        ],
        note: 'Gift wrap please',
      };
    }
    if (roll < 0.96) {
      return {
        type: 'location',
        latitude: 52.37,
        longitude: 4.89,
        name: 'Home',
        address: 'Keizersgracht 1, Amsterdam',
      };
    }
    if (roll < 0.98) return { type: 'reaction', emoji: '👍', targetExternalId: 'wamid.prev' };
    return { type: 'button_reply', payload: 'TRACK', text: 'Track my order' };
  };

  const addConversation = (index: number, count: number, big: boolean): void => {
    const id = `bench-c-${String(index).padStart(5, '0')}`;
    const channel = big ? 'whatsapp' : (CHANNEL_KINDS[index % CHANNEL_KINDS.length] ?? 'sms');
    // When the customer last wrote: spread over 72 h so every window state occurs (open,
    // closing soon, closed); a few never wrote (an outbound-first conversation).
    // The big conversation is the newest of all: the first row of the default view.
    const lastInboundAgo = big
      ? MINUTE_MS / 2
      : 2 * MINUTE_MS + Math.floor(random() * 72 * HOUR_MS);
    const neverWrote = !big && random() < 0.03;
    const span = big ? 60 * 24 * HOUR_MS : Math.floor(random() * 20 * 24 * HOUR_MS) + HOUR_MS;
    const start = now - lastInboundAgo - span;
    const step = span / count;
    let lastInboundAt: number | null = null;
    let sentSinceInbound = 0;
    let lastMessage: Message | null = null;
    for (let i = 0; i < count; i++) {
      const last = i === count - 1;
      // The last message is the customer's (their window counts from it) except sometimes.
      const direction =
        neverWrote || (last ? !big && random() < 0.2 : random() < 0.45) ? 'outbound' : 'inbound';
      const sentAt = last ? now - lastInboundAgo : Math.floor(start + i * step);
      messageSeq += 1;
      const mid = `bench-m-${String(messageSeq).padStart(6, '0')}`;
      const message: Message = {
        id: mid,
        conversationId: id,
        direction,
        content: makeContent(direction, big, i, big && i >= count - 40),
        externalId: `wamid.${mid}`,
        clientId: direction === 'outbound' ? `client-${mid}` : null,
        authorId: direction === 'outbound' ? shape.meId : null,
        status: direction === 'inbound' ? 'received' : random() < 0.02 ? 'failed' : 'read',
        failureCode: null,
        failureReason: null,
        cost: null,
        tag: null,
        sentAt,
        updatedAt: sentAt,
      };
      if (message.status === 'failed') {
        Object.assign(message, {
          failureCode: '131047',
          failureReason: 'More than 24 hours have passed since the customer last replied.',
        });
      }
      messages.push(message);
      if (direction === 'inbound') {
        lastInboundAt = sentAt;
        sentSinceInbound = 0;
      } else sentSinceInbound += 1;
      lastMessage = message;
    }
    const first = FIRST[index % FIRST.length] ?? 'Alex';
    const lastName = LAST[Math.floor(index / FIRST.length) % LAST.length] ?? 'Smith';
    const name = big ? BIG_CUSTOMER_NAME : `${first} ${lastName}`;
    const assigneeRoll = random();
    const statusRoll = random();
    const status: ConversationStatus = big
      ? 'open'
      : statusRoll < 0.6
        ? 'open'
        : statusRoll < 0.8
          ? 'pending'
          : statusRoll < 0.9
            ? 'snoozed'
            : 'resolved';
    const labels = LABELS.filter(() => random() < 0.12);
    const preview =
      lastMessage?.content.type === 'text'
        ? lastMessage.content.body
        : `[${lastMessage?.content.type}]`;
    const lastMessageAt = lastMessage?.sentAt ?? now;
    conversations.push({
      id,
      channel,
      channelAccountId: `${channel}-account-1`,
      customer: {
        id: `bench-cu-${index}`,
        name,
        phone: `+31 6 ${String(10_000_000 + index).slice(-8)}`,
        email: random() < 0.5 ? `${first.toLowerCase()}.${index}@mail.example` : null,
        country: pick(COUNTRIES),
        language: 'en',
      },
      status,
      assigneeId: big
        ? shape.meId
        : assigneeRoll < 0.4
          ? shape.meId
          : assigneeRoll < 0.7
            ? pick(shape.teammateIds)
            : null,
      priority: random() < 0.05 ? 'urgent' : random() < 0.15 ? 'high' : 'normal',
      labels,
      snoozedUntil: status === 'snoozed' ? now + Math.floor(random() * 48) * HOUR_MS : null,
      lastInboundAt,
      entryPoint: random() < 0.08 ? 'ad_referral' : 'organic',
      entryPointAt: null,
      firstReplyAfterEntryAt: null,
      sentSinceInbound,
      sentSinceEntryPoint: 0,
      lastPaymentAt: null,
      awaitingReplySince: null,
      firstReplyAt: null,
      openedAt: null,
      resolvedAt: null,
      lastMessageAt,
      lastMessagePreview: preview.slice(0, 200),
      unreadCount: lastMessage?.direction === 'inbound' ? 1 + Math.floor(random() * 3) : 0,
      createdAt: start,
      updatedAt: lastMessageAt,
    });
  };

  // The big conversation first; the others share the remaining messages (1 to ~19 each).
  addConversation(0, shape.bigConversationMessages, true);
  const others = shape.conversations - 1;
  let remaining = shape.messages - shape.bigConversationMessages;
  for (let i = 1; i <= others; i++) {
    const left = others - i + 1;
    const average = remaining / left;
    const count =
      i === others
        ? remaining
        : Math.max(
            1,
            Math.min(remaining - (left - 1), Math.round(average * (0.1 + random() * 1.8))),
          );
    addConversation(i, count, false);
    remaining -= count;
  }
  // Generated oldest first per conversation, in ascending ids: the hub sends the reverse.
  messages.reverse();
  return {
    conversations,
    messages,
    big: { id: conversations[0]?.id ?? '', customerName: BIG_CUSTOMER_NAME, marker: BIG_MARKER },
  };
}
