import { describe, expect, it } from 'vitest';
import exampleJson from '../../../resources/pricing/rate-card.example.json';
import {
  buildTemplateContext,
  formatOrderTotal,
  summarizeItems,
} from '../../../src/renderer/src/features/composer/context';
import { costLine } from '../../../src/renderer/src/features/composer/cost';
import {
  formatAgo,
  formatUntil,
  noneNotice,
  tagNotice,
  templateOnlyNotice,
} from '../../../src/renderer/src/features/composer/notices';
import { orderSchema, type Order } from '../../../src/shared/domain/model';
import { parseRateCard, priceNextMessage } from '../../../src/shared/pricing';
import { renderTemplate } from '../../../src/shared/templates';
import { conversation, HOUR, NOW, whatsappWindow } from './fixtures';

const card = parseRateCard(exampleJson);

describe('the cost line', () => {
  const closed = whatsappWindow('closed');
  const open = whatsappWindow('open');

  it('shows the price of a template outside the window, from the rate card', () => {
    const line = costLine({
      window: closed,
      kind: { type: 'template', category: 'marketing' },
      rateCard: card,
      recipientCountry: 'GB',
      at: NOW,
      locale: 'en-US',
    });
    const quote = priceNextMessage(
      {
        window: closed,
        kind: { type: 'template', category: 'marketing' },
        recipientCountry: 'GB',
        at: NOW,
      },
      card,
    );
    expect(quote.amount).toBeGreaterThan(0);
    expect(line).toEqual({
      tone: 'charged',
      label: `$${quote.amount}`,
      detail: quote.reason,
      example: true,
    });
  });

  it('says a utility template inside the open window is free', () => {
    const line = costLine({
      window: open,
      kind: { type: 'template', category: 'utility' },
      rateCard: card,
      recipientCountry: 'GB',
      at: NOW,
    });
    expect(line.tone).toBe('free');
    expect(line.label).toBe('Free');
    expect(line.detail).toMatch(/utility template inside the open 24 h/);
  });

  it('prices an unknown country at the default rate, like the hub', () => {
    const unknown = costLine({
      window: closed,
      kind: { type: 'template', category: 'utility' },
      rateCard: card,
      recipientCountry: null,
      at: NOW,
      locale: 'en-US',
    });
    expect(unknown.tone).toBe('charged');
    expect(unknown.detail).toMatch(/default rate/);
  });

  it('says "price unknown" without a rate card, or when the card has no period in force', () => {
    const input = {
      window: closed,
      kind: { type: 'template', category: 'utility' } as const,
      recipientCountry: 'GB',
      at: NOW,
    };
    expect(costLine({ ...input, rateCard: null })).toMatchObject({
      tone: 'unknown',
      label: 'Price unknown',
    });
    const early = costLine({ ...input, rateCard: card, at: Date.parse('2019-01-01T00:00:00Z') });
    expect(early.tone).toBe('unknown');
    expect(early.detail).toMatch(/no WhatsApp rates in force/);
  });

  it('says when the window forbids the message', () => {
    const line = costLine({
      window: closed,
      kind: { type: 'free_form' },
      rateCard: card,
      recipientCountry: 'GB',
      at: NOW,
    });
    expect(line.tone).toBe('blocked');
    expect(line.detail).toMatch(/131047/);
  });
});

describe('the cost line on WeChat and KakaoTalk (the card’s dated example rows)', () => {
  const DEC = Date.parse('2026-12-04T10:00:00Z');
  const kakao = whatsappWindow('open', {
    channel: 'kakao',
    closesAt: DEC + 29 * 24 * HOUR,
    remainingMs: 29 * 24 * HOUR,
    allowed: { kind: 'free_form', billable: true },
    basis: 'kakao.consultation_session_30d',
  });
  const wechat = whatsappWindow('open', {
    channel: 'wechat',
    closesAt: DEC + 41 * HOUR,
    remainingMs: 41 * HOUR,
    messagesRemaining: 3,
    basis: 'wechat.customer_service_48h',
  });

  it('shows a KakaoTalk reply at the dealer’s example price in won, marked as an example', () => {
    expect(
      costLine({
        window: kakao,
        kind: { type: 'free_form' },
        rateCard: card,
        recipientCountry: 'KR',
        at: DEC,
        locale: 'en-US',
      }),
    ).toEqual({
      tone: 'charged',
      label: '₩10',
      detail: 'Charged by your dealer: KakaoTalk consultation-talk message at the KR rate',
      example: true,
    });
  });

  it('shows a WeChat reply inside the window as free, with the 5-message limit said', () => {
    expect(
      costLine({
        window: wechat,
        kind: { type: 'free_form' },
        rateCard: card,
        recipientCountry: 'CN',
        at: DEC,
      }),
    ).toEqual({
      tone: 'free',
      label: 'Free',
      detail:
        'Free: WeChat customer-service message inside the 48 h window (at most 5 per customer message)',
      example: true,
    });
  });
});

describe('the notices', () => {
  it('explains a closed WhatsApp window', () => {
    expect(templateOnlyNotice(whatsappWindow('closed'), NOW)).toBe(
      'The 24-hour window closed 2 h ago — WhatsApp allows only approved templates.',
    );
    expect(templateOnlyNotice(whatsappWindow('closed', { closesAt: NOW - 20_000 }), NOW)).toBe(
      'The 24-hour window closed just now — WhatsApp allows only approved templates.',
    );
    expect(templateOnlyNotice(whatsappWindow('closed', { closesAt: null }), NOW)).toMatch(
      /customer has not written yet — WhatsApp allows only approved templates/,
    );
  });

  it('says how long ago in words', () => {
    expect(formatAgo(30_000)).toBe('just now');
    expect(formatAgo(41 * 60_000)).toBe('41 min ago');
    expect(formatAgo(2 * HOUR + 59 * 60_000)).toBe('2 h ago');
    expect(formatAgo(24 * HOUR)).toBe('1 day ago');
    expect(formatAgo(80 * HOUR)).toBe('3 days ago');
  });

  it('dates the human-agent tag', () => {
    const until = Date.parse('2025-11-14T16:05:00Z');
    const window = whatsappWindow('closed', {
      channel: 'messenger',
      allowed: { kind: 'tag_only', tag: 'HUMAN_AGENT', until },
    });
    expect(formatUntil(until, 'en-GB', 'UTC')).toBe('Fri 14 Nov, 16:05');
    const note = tagNotice(window, until, 'en-GB', 'UTC');
    expect(note.title).toBe('Human agent tag, until Fri 14 Nov, 16:05');
    expect(note.detail).toMatch(/Messenger accepts replies written by a person/);
  });

  it('turns a channel reason into a sentence', () => {
    expect(noneNotice('WeChat allows no message after 48 h')).toBe(
      'WeChat allows no message after 48 h.',
    );
    expect(noneNotice('closed.')).toBe('Closed.');
  });
});

describe('buildTemplateContext', () => {
  const order: Order = orderSchema.parse({
    id: 'ord_1',
    provider: 'demo',
    number: '100482',
    status: 'on_hold',
    customerName: 'Ana Lima',
    email: null,
    phone: null,
    items: [
      { title: 'Linen shirt (M)', quantity: 2, sku: null, price: 20 },
      { title: 'Canvas tote', quantity: 1, sku: null, price: 9.9 },
    ],
    total: 49.9,
    currency: 'EUR',
    carrier: 'UPS',
    trackingNumber: '1Z999',
    trackingUrl: 'https://track.example.com/1Z999',
    createdAt: NOW,
  });
  const me = {
    id: 'u1',
    name: 'Sam Carter',
    role: 'agent' as const,
    email: 'sam@northwind.example',
  };

  it('fills the customer, the order, the agent and the business', () => {
    const context = buildTemplateContext({
      conversation: conversation(),
      order,
      me,
      businessName: 'Northwind',
    });
    expect(context).toEqual({
      customer: {
        name: 'Ana Lima',
        first_name: 'Ana',
        last_name: 'Lima',
        phone: '+447700900123',
        email: 'ana@example.com',
      },
      conversation: { id: 'conv_1', channel: 'WhatsApp' },
      agent: { name: 'Sam Carter', first_name: 'Sam', email: 'sam@northwind.example' },
      order: {
        number: '100482',
        status: 'on hold',
        total: '49.90',
        currency: 'EUR',
        tracking_number: '1Z999',
        tracking_url: 'https://track.example.com/1Z999',
        carrier: 'UPS',
        items: '2 × Linen shirt (M), 1 × Canvas tote',
      },
      business: { name: 'Northwind' },
    });
    expect(
      renderTemplate(
        'Hi {{customer.first_name}}, order {{order.number}} is {{order.status}}. {{agent.first_name}}',
        context,
      ).text,
    ).toBe('Hi Ana, order 100482 is on hold. Sam');
  });

  it('leaves out what is not known, so its placeholders stay visible', () => {
    const phoneOnly = conversation({
      customer: {
        id: 'c',
        name: '+44 7700 900123',
        phone: '+447700900123',
        email: null,
        country: null,
        language: null,
      },
    });
    const context = buildTemplateContext({
      conversation: phoneOnly,
      order: null,
      me: null,
      businessName: '',
    });
    const rendered = renderTemplate(
      '{{customer.first_name}} {{order.number}} {{business.name}} {{customer.phone}}',
      context,
    );
    expect(rendered.unfilled.map((u) => u.name)).toEqual([
      'customer.first_name',
      'order.number',
      'business.name',
    ]);
    expect(rendered.text.endsWith('+447700900123')).toBe(true);
  });

  it('formats totals with the currency decimals and summarises long carts', () => {
    expect(formatOrderTotal(1200, 'JPY')).toBe('1200');
    expect(formatOrderTotal(5, 'USD')).toBe('5.00');
    expect(formatOrderTotal(5, 'XXZ')).toBe('5.00');
    const items = ['a', 'b', 'c', 'd', 'e'].map((title) => ({
      title,
      quantity: 1,
      sku: null,
      price: 1,
    }));
    expect(summarizeItems(items)).toBe('1 × a, 1 × b, 1 × c, +2 more');
  });

  it('names a shop’s variant unless the title does, and tracks the first shipment', () => {
    expect(
      summarizeItems([
        { title: 'Linen shirt', quantity: 2, variant: 'Blue / M' },
        { title: 'Canvas tote (Red)', quantity: 1, variant: 'Red' },
      ]),
    ).toBe('2 × Linen shirt (Blue / M), 1 × Canvas tote (Red)');
    const shipped = orderSchema.parse({
      ...order,
      carrier: null,
      trackingNumber: null,
      trackingUrl: null,
      fulfillments: [
        { status: null, carrier: 'DPD', trackingNumber: null, trackingUrl: null, shippedAt: null },
        {
          status: null,
          carrier: 'DHL',
          trackingNumber: 'JD0001',
          trackingUrl: 'https://dhl.example/track/JD0001',
          shippedAt: null,
        },
      ],
    });
    const context = buildTemplateContext({
      conversation: null,
      order: shipped,
      me,
      businessName: null,
    });
    expect(context.order).toMatchObject({
      tracking_number: 'JD0001',
      tracking_url: 'https://dhl.example/track/JD0001',
      carrier: 'DHL',
    });
  });
});
