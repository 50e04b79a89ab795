import { describe, expect, it } from 'vitest';
import {
  groupOrders,
  linkedOrderTest,
  namesOf,
  nothingFound,
  worthAGroup,
} from '../../../src/renderer/src/features/orders/order-groups';
import { order, shopOrder, sourceState } from './fixtures';

const source = sourceState;

const builtIn = source('demo', 'Built-in store');
const eu = source('shop-eu', 'Acme EU');
const us = source('shop-us', 'Acme US', { state: 'loading' });

describe('groupOrders', () => {
  it('lists every source in the hub’s order, each with its orders newest first', () => {
    const groups = groupOrders(
      [
        shopOrder('eu-old', { createdAt: 1 }),
        order('demo-1', { provider: 'import-2025' }),
        shopOrder('eu-new', { createdAt: 2 }),
      ],
      [builtIn, eu, us],
    );
    expect(groups.map((g) => [g.id, g.name, g.orders.map((o) => o.id), g.source?.state])).toEqual([
      ['demo', 'Built-in store', ['demo-1'], 'ok'],
      ['shop-eu', 'Acme EU', ['eu-new', 'eu-old'], 'ok'],
      ['shop-us', 'Acme US', [], 'loading'],
    ]);
  });

  it('groups cached orders by their shop when the sources are unknown, the built-in store first', () => {
    const groups = groupOrders([shopOrder('eu-1'), order('demo-1')], null);
    expect(groups.map((g) => [g.id, g.name, g.source])).toEqual([
      ['demo', 'Built-in store', null],
      ['shop-eu', 'Acme EU', null],
    ]);
  });

  it('finds nothing only when every source answered without error and has no order', () => {
    expect(nothingFound(groupOrders([], [builtIn, eu]))).toBe(true);
    expect(nothingFound(groupOrders([], [builtIn, us]))).toBe(false);
    expect(nothingFound(groupOrders([], [builtIn, source('x', 'X', { state: 'error' })]))).toBe(
      false,
    );
    expect(nothingFound(groupOrders([order('demo-1')], [builtIn]))).toBe(false);
  });

  it('names the sources searched', () => {
    expect(namesOf(groupOrders([], [builtIn]))).toBe('Built-in store');
    expect(namesOf(groupOrders([], [builtIn, eu, us]))).toBe('Built-in store, Acme EU and Acme US');
  });
});

describe('linkedOrderTest', () => {
  it('knows the orders an agent linked, by source and number with or without #', () => {
    const isLinked = linkedOrderTest([
      sourceState('demo', 'Built-in store', { linkedNumbers: ['1043'] }),
      sourceState('shop-eu', 'Acme EU', { linkedNumbers: ['2001'] }),
    ]);
    expect(isLinked({ provider: 'shop-eu', number: '#2001' })).toBe(true);
    expect(isLinked({ provider: 'import-2025', number: '1043' })).toBe(true);
    expect(isLinked({ provider: 'shop-eu', number: '1043' })).toBe(false);
    expect(linkedOrderTest(null)({ provider: 'demo', number: '1043' })).toBe(false);
  });
});

describe('worthAGroup', () => {
  it('leaves out only an empty built-in store that answered', () => {
    const built = { id: 'demo', name: 'Built-in store', orders: [], source: null };
    expect(worthAGroup(built)).toBe(false);
    expect(worthAGroup({ ...built, orders: [order('o1')] })).toBe(true);
    expect(worthAGroup({ ...built, id: 'shop_1', name: 'Acme EU' })).toBe(true);
  });
});
