import { describe, expect, it } from 'vitest';
import { orderReplyText } from '../../../src/renderer/src/features/orders/order-format';
import {
  mentionsOrder,
  orderForReply,
  orderOwner,
  ownerNotice,
} from '../../../src/renderer/src/features/orders/order-owner';
import { order, shopOrder } from './fixtures';

/** Issue 12, item 5: an order found by number may be someone else's. */
describe('whose order it is', () => {
  const anna = order('o-anna');
  const none = new Set<string>();

  it('is the customer’s when the hub found it for them', () => {
    const customer = { phone: '+447700900123', email: null };
    expect(orderOwner(anna, customer, new Set(['o-anna']))).toEqual({ kind: 'own' });
  });

  it('is the customer’s when its phone or e-mail is theirs, however it is spelled', () => {
    expect(orderOwner(anna, { phone: '0031 6 1234 5678', email: null }, none)).toEqual({
      kind: 'own',
    });
    expect(orderOwner(anna, { phone: null, email: ' Anna@Example.com ' }, none)).toEqual({
      kind: 'own',
    });
  });

  it('is another customer’s otherwise, named by name, else e-mail, else phone', () => {
    const sheena = { phone: '+16505551234', email: 'sheena@example.com' };
    expect(orderOwner(anna, sheena, none)).toEqual({ kind: 'other', who: 'Anna de Vries' });
    expect(orderOwner(order('x', { customerName: ' ' }), sheena, none)).toEqual({
      kind: 'other',
      who: 'anna@example.com',
    });
    expect(orderOwner(order('x', { customerName: null, email: null }), sheena, none)).toEqual({
      kind: 'other',
      who: '+31612345678',
    });
    expect(ownerNotice(orderOwner(anna, sheena, none))).toBe(
      'Another customer’s order — Anna de Vries',
    );
  });

  it('cannot be tied to a customer known by neither phone nor e-mail', () => {
    const telegramUser = { phone: null, email: null };
    expect(orderOwner(anna, telegramUser, none)).toEqual({ kind: 'unknown', who: 'Anna de Vries' });
    expect(ownerNotice(orderOwner(anna, telegramUser, none))).toBe(
      'Not linked to this customer — Anna de Vries',
    );
    expect(ownerNotice({ kind: 'own' })).toBeNull();
  });
});

describe('whose order it is, by a national phone', () => {
  it('reads a national phone of the order in the customer’s country', () => {
    const national = order('o-nl', { phone: '06 1234 5678', email: null });
    expect(
      orderOwner(national, { phone: '+31612345678', email: null, country: 'NL' }, new Set()),
    ).toEqual({ kind: 'own' });
  });
});

describe('the order written into an empty reply', () => {
  it('gives the number, the stage and the tracking link', () => {
    expect(orderReplyText(order('o'))).toBe(
      'Your order #1043 has shipped. Track it with PostNL: https://jouw.postnl.nl/track-and-trace/3SAAAA123456789',
    );
  });

  it('gives the tracking number when there is no safe link', () => {
    expect(orderReplyText(order('o', { trackingUrl: 'javascript:alert(1)' }))).toBe(
      'Your order #1043 has shipped. PostNL tracking number: 3SAAAA123456789',
    );
  });

  it('says only the stage when nothing is on its way', () => {
    const bare = { carrier: null, trackingNumber: null, trackingUrl: null };
    expect(orderReplyText(order('o', { status: 'processing', ...bare }))).toBe(
      'Your order #1043 is being prepared.',
    );
    expect(orderReplyText(order('o', { status: 'cancelled' }))).toBe(
      'Your order #1043 was cancelled.',
    );
    expect(orderReplyText(order('o', { status: 'on_hold', number: 'SO-77', ...bare }))).toBe(
      'Your order SO-77 is waiting for payment.',
    );
    expect(orderReplyText(order('o', { status: 'lost_in_space', ...bare }))).toBe(
      'Your order #1043 is lost in space.',
    );
  });
});

describe('the order written into an empty reply, from a shop', () => {
  it('tracks the first shipment when the order has no tracking of its own', () => {
    const twoShipments = shopOrder('s', { carrier: null, trackingNumber: null, trackingUrl: null });
    expect(orderReplyText(twoShipments)).toBe(
      'Your order #2001 has shipped. Track it with DHL: https://dhl.example/track/JD0001',
    );
  });
});

describe('the order a reply’s variables come from', () => {
  const one = order('o-1');
  const two = order('o-2', { number: '1044' });

  it('is the customer’s only order until the agent picks one', () => {
    expect(orderForReply(undefined, [one])).toBe(one);
    expect(orderForReply(two, [one])).toBe(two);
  });

  it('is none while the customer has several (or none) and the agent picked none', () => {
    expect(orderForReply(undefined, [one, two])).toBeNull();
    expect(orderForReply(undefined, [])).toBeNull();
  });

  it('is the one of several the customer named, when they named exactly one', () => {
    expect(orderForReply(undefined, [one, two], ['Hi', 'Where is #1044?'])).toBe(two);
    expect(orderForReply(undefined, [one, two], ['1043 or 1044?'])).toBeNull();
    expect(orderForReply(undefined, [one, two], ['Call me on 010443322'])).toBeNull();
  });

  it('finds an order number however the customer writes it, never inside another number', () => {
    expect(mentionsOrder('where is #1043?', '1043')).toBe(true);
    expect(mentionsOrder('order 1043 please', '#1043')).toBe(true);
    expect(mentionsOrder('# 1043', '1043')).toBe(true);
    expect(mentionsOrder('my order so-2291.', 'SO-2291')).toBe(true);
    expect(mentionsOrder('ref 110432', '1043')).toBe(false);
    expect(mentionsOrder('A1043', '1043')).toBe(false);
    expect(mentionsOrder('anything', ' ')).toBe(false);
  });
});
