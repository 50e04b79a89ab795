import { describe, expect, it } from 'vitest';
import {
  deliveryView,
  formatCoordinates,
  linkify,
  mediaKindLabel,
  openStreetMapUrl,
  orderTotals,
  safeHttpUrl,
} from '../../../src/renderer/src/features/conversation/message-format';

describe('linkify', () => {
  it('keeps plain text, line breaks included, as one run', () => {
    expect(linkify('Hello\nsecond line')).toEqual([{ kind: 'text', text: 'Hello\nsecond line' }]);
  });

  it('links http and https URLs and leaves the sentence punctuation outside', () => {
    expect(linkify('Track it at https://track.example.com/a?b=1. Thanks!')).toEqual([
      { kind: 'text', text: 'Track it at ' },
      {
        kind: 'link',
        text: 'https://track.example.com/a?b=1',
        href: 'https://track.example.com/a?b=1',
      },
      { kind: 'text', text: '. Thanks!' },
    ]);
  });

  it('keeps balanced parentheses in a URL and drops an unbalanced closing one', () => {
    expect(linkify('(see https://en.wikipedia.org/wiki/Foo_(bar))')).toEqual([
      { kind: 'text', text: '(see ' },
      {
        kind: 'link',
        text: 'https://en.wikipedia.org/wiki/Foo_(bar)',
        href: 'https://en.wikipedia.org/wiki/Foo_(bar)',
      },
      { kind: 'text', text: ')' },
    ]);
  });

  it('links several URLs and nothing that is not http(s)', () => {
    const segments = linkify(
      'a http://x.test b javascript:alert(1) c ftp://y.test d https://z.test',
    );
    expect(segments.filter((s) => s.kind === 'link').map((s) => s.text)).toEqual([
      'http://x.test',
      'https://z.test',
    ]);
    expect(segments.map((s) => s.text).join('')).toBe(
      'a http://x.test b javascript:alert(1) c ftp://y.test d https://z.test',
    );
  });

  it('leaves URLs with credentials as text (a phishing trick)', () => {
    expect(linkify('https://bank.test@evil.test/login')).toEqual([
      { kind: 'text', text: 'https://bank.test@evil.test/login' },
    ]);
    expect(safeHttpUrl('https://bank.test@evil.test/')).toBeNull();
    expect(safeHttpUrl('javascript:alert(1)')).toBeNull();
    expect(safeHttpUrl('https://ok.test/path')).toBe('https://ok.test/path');
  });
});

describe('orders', () => {
  it('total each currency, quantity × price, without float noise', () => {
    expect(
      orderTotals([
        { productRetailerId: 'a', quantity: 3, itemPrice: 0.1, currency: 'EUR' },
        { productRetailerId: 'b', quantity: 1, itemPrice: 19.99, currency: 'EUR' },
        { productRetailerId: 'c', quantity: 2, itemPrice: 5, currency: 'USD' },
      ]),
    ).toEqual([
      { currency: 'EUR', amount: 20.29, quantity: 4 },
      { currency: 'USD', amount: 10, quantity: 2 },
    ]);
    expect(orderTotals([])).toEqual([]);
  });
});

describe('locations', () => {
  it('link to OpenStreetMap and read as degrees with hemispheres', () => {
    expect(openStreetMapUrl(52.520008, 13.404954)).toBe(
      'https://www.openstreetmap.org/?mlat=52.520008&mlon=13.404954#map=17/52.520008/13.404954',
    );
    expect(formatCoordinates(-33.8688, -151.2093)).toBe('33.868800° S, 151.209300° W');
  });
});

describe('media and delivery', () => {
  it('name voice notes and animated stickers', () => {
    expect(mediaKindLabel({ type: 'audio', media: { mediaId: 'm', voice: true } })).toBe(
      'Voice message',
    );
    expect(mediaKindLabel({ type: 'sticker', media: { mediaId: 'm', animated: true } })).toBe(
      'Animated sticker',
    );
  });

  it('draw ticks for outbound statuses only, read in blue and failed in red', () => {
    expect(deliveryView('received')).toBeNull();
    expect(deliveryView('queued')).toEqual({ label: 'Queued', tone: 'dimmed' });
    expect(deliveryView('delivered')).toEqual({ label: 'Delivered', tone: 'dimmed' });
    expect(deliveryView('read')).toEqual({ label: 'Read', tone: 'read' });
    expect(deliveryView('failed')).toEqual({ label: 'Failed', tone: 'failed' });
  });
});
