import { describe, expect, it } from 'vitest';
import { orderSchema, type Conversation, type Order } from '../../../src/shared/domain/model';
import type { TextPart } from '../../../src/renderer/src/components/text-match';
import { paletteFilter } from '../../../src/renderer/src/features/shortcuts/CommandPalette';
import {
  conversationOfOrder,
  looksLikeOrderNumber,
  orderKey,
  searchPalette,
} from '../../../src/renderer/src/features/shortcuts/palette-search';
import { conversation, T0 } from '../fixtures';

const shown = (parts: readonly TextPart[] | null): string | null =>
  parts && parts.map((part) => (part.match ? `[${part.text}]` : part.text)).join('');

const customer = (id: string, name: string, phone: string | null, email: string | null = null) => ({
  id,
  name,
  phone,
  email,
  country: null,
  language: null,
});

// Newest first, as the palette is given them.
const pietWhatsApp = conversation('piet-wa', {
  customer: customer('cus-piet', 'Piet de Vries', '+31612345678', 'piet@example.nl'),
  lastMessageAt: T0,
});
const anaInstagram = conversation('ana-ig', {
  channel: 'instagram',
  customer: customer('cus-ana', 'Ana Ruiz', null, 'ana@example.es'),
  status: 'resolved',
  lastMessageAt: T0 - 1,
});
const pietMessenger = conversation('piet-fb', {
  channel: 'messenger',
  customer: customer('cus-piet', 'Piet de Vries', '+31612345678', 'piet@example.nl'),
  status: 'snoozed',
  lastMessageAt: T0 - 2,
});
const zoe = conversation('zoe', {
  customer: customer('cus-zoe', 'Zoë Álvarez', '+34 612 34 56 78'),
  lastMessageAt: T0 - 3,
});
const newestFirst: Conversation[] = [pietWhatsApp, anaInstagram, pietMessenger, zoe];

function order(number: string, overrides: Partial<Order> = {}): Order {
  return orderSchema.parse({
    id: `ord-${number}`,
    provider: 'demo',
    number,
    status: 'shipped',
    customerName: 'Ana Ruiz',
    email: null,
    phone: null,
    items: [],
    total: 10,
    currency: 'EUR',
    carrier: null,
    trackingNumber: null,
    trackingUrl: null,
    createdAt: T0,
    ...overrides,
  });
}

const summary = (query: string, orders: Parameters<typeof searchPalette>[2] = []) => {
  const results = searchPalette(query, newestFirst, orders);
  return {
    customers: results.customers.map((hit) => ({
      name: shown(hit.name),
      contact: shown(hit.contact),
      opens: hit.conversation.id,
      conversations: hit.conversationCount,
      channels: hit.channels,
    })),
    conversations: results.conversations.map((hit) => `${hit.conversation.id} ${hit.status}`),
    orders: results.orders.map((hit) => `${shown(hit.number)} → ${hit.conversation.id}`),
  };
};

describe('the command palette search', () => {
  it('finds a customer by phone however it is typed, opening the newest conversation', () => {
    const expected = {
      customers: [
        {
          name: 'Piet de Vries',
          contact: '+[31612345]678',
          opens: 'piet-wa',
          conversations: 2,
          channels: ['whatsapp', 'messenger'],
        },
      ],
      conversations: ['piet-fb snoozed'],
      orders: [],
    };
    expect(summary('+31 6 1234 5')).toEqual(expected);
    expect(summary('0031-6-12345')).toEqual(expected);
    // A national number ("06 …") matches on its digits after the leading zero, wherever they are.
    expect(summary('06 12345').customers.map((c) => c.contact)).toEqual([
      '+31[612345]678',
      '+34 [612 34 5]6 78',
    ]);
  });

  it('finds customers by name without accents or case, and by e-mail', () => {
    expect(summary('zoe alv').customers).toEqual([
      {
        name: '[Zoë] [Álv]arez',
        contact: null,
        opens: 'zoe',
        conversations: 1,
        channels: ['whatsapp'],
      },
    ]);
    expect(summary('example.es').customers.map((c) => [c.name, c.contact])).toEqual([
      ['Ana Ruiz', 'ana@[example.es]'],
    ]);
    expect(summary('nobody')).toEqual({ customers: [], conversations: [], orders: [] });
    expect(summary('  ')).toEqual({ customers: [], conversations: [], orders: [] });
  });

  it('finds orders by number and opens the conversation of their customer', () => {
    const cached = [
      { ...order('#1043'), customerKeys: ['customer:cus-ana'] },
      order('1044', { phone: '+31 6 1234 5678', customerName: 'Piet de Vries' }),
      order('10450', { email: 'ANA@example.es' }),
      order('1046', { phone: '+44 7700 900123' }),
    ];
    expect(summary('#104', cached).orders).toEqual([
      '#[104]3 → ana-ig',
      '[104]4 → piet-wa',
      '[104]50 → ana-ig',
    ]);
    expect(summary('1044', cached).orders).toEqual(['[1044] → piet-wa']);
  });

  it('links an order to a conversation by the customer it was found for, else by contact', () => {
    expect(
      conversationOfOrder(
        { ...order('1'), phone: '+31612345678', customerKeys: ['customer:cus-zoe'] },
        newestFirst,
      )?.id,
    ).toBe('zoe');
    expect(conversationOfOrder(order('2', { phone: '0031612345678' }), newestFirst)).toBeNull();
    expect(conversationOfOrder(order('3', { phone: '+31 (6) 1234-5678' }), newestFirst)?.id).toBe(
      'piet-wa',
    );
    expect(conversationOfOrder(order('4'), newestFirst)).toBeNull();
  });

  it('tells an order number from a name', () => {
    expect(orderKey(' #A-1043 ')).toBe('a-1043');
    expect(looksLikeOrderNumber('#1043')).toBe(true);
    expect(looksLikeOrderNumber('SO-77')).toBe(true);
    expect(looksLikeOrderNumber('piet')).toBe(false);
    expect(looksLikeOrderNumber('+31 6 1234')).toBe(false);
    expect(looksLikeOrderNumber('#')).toBe(false);
  });
});

describe("the palette's filter", () => {
  const actions = [
    { group: 'Customers', actions: [{ id: 'found:customer:1', label: 'Piet de Vries' }] },
    {
      group: 'General',
      actions: [
        { id: 'shortcut:settings', label: 'Settings', keywords: ['preferences'] },
        { id: 'extra:sign-out', label: 'Sign out' },
      ],
    },
  ];
  const ids = (query: string) =>
    paletteFilter(query, actions).flatMap((item) =>
      'actions' in item ? item.actions.map((action) => action.id) : [item.id],
    );

  it('keeps what the search found, first, and filters the actions by the text', () => {
    expect(ids('+31 6 1234')).toEqual(['found:customer:1']);
    expect(ids('PREF')).toEqual(['found:customer:1', 'shortcut:settings']);
    expect(ids('')).toEqual(['found:customer:1', 'shortcut:settings', 'extra:sign-out']);
  });
});
