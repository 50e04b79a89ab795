import { describe, expect, it } from 'vitest';
import {
  foldForSearch,
  fuzzyFilter,
  fuzzyMatch,
} from '../../../src/renderer/src/features/composer/fuzzy';
import {
  markedLanguage,
  quickRepliesFor,
  searchQuickReplies,
} from '../../../src/renderer/src/features/composer/quick-replies';
import { template } from './fixtures';

const rank = (items: readonly string[], query: string): string[] =>
  fuzzyFilter(items, query, [{ get: (s) => s, weight: 1 }]).map((r) => r.item);

describe('fuzzyMatch', () => {
  it('matches a subsequence and reports the matched positions', () => {
    expect(fuzzyMatch('ord', 'order')).toEqual({ score: expect.any(Number), positions: [0, 1, 2] });
    expect(fuzzyMatch('rtn', 'return')?.positions).toEqual([0, 2, 5]);
  });

  it('returns null when the characters are missing or out of order', () => {
    expect(fuzzyMatch('xyz', 'order status')).toBeNull();
    expect(fuzzyMatch('dro', 'order')).toBeNull();
    expect(fuzzyMatch('orders', 'order')).toBeNull();
  });

  it('matches everything with score 0 for an empty or blank query', () => {
    expect(fuzzyMatch('', 'anything')).toEqual({ score: 0, positions: [] });
    expect(fuzzyMatch('   ', 'anything')).toEqual({ score: 0, positions: [] });
  });

  it('ignores case in both directions', () => {
    expect(fuzzyMatch('ORD', 'order')?.positions).toEqual([0, 1, 2]);
    expect(fuzzyMatch('ord', 'ORDER')?.positions).toEqual([0, 1, 2]);
    expect(fuzzyMatch('Ord', 'order')?.score).toBe(fuzzyMatch('ord', 'order')?.score);
  });

  it('ignores diacritics in the query and in the text', () => {
    expect(fuzzyMatch('cafe', 'Café au lait')?.positions).toEqual([0, 1, 2, 3]);
    expect(fuzzyMatch('café', 'cafe')).not.toBeNull();
    expect(fuzzyMatch('devolucao', 'Devolução do pedido')).not.toBeNull();
    expect(fuzzyMatch('uber', 'Über')).not.toBeNull();
    expect(foldForSearch('Ｃafé ﬁ')).toBe('cafe fi');
  });

  it('reports positions in the original text when a character folds to several', () => {
    // "ﬁ" folds to "fi": both query letters land on index 0 of the original.
    expect(fuzzyMatch('fin', 'ﬁnal')?.positions).toEqual([0, 1]);
  });

  it('counts letters strewn across a long text as no match', () => {
    expect(fuzzyMatch('instr', 'Hi, how can I help? Your satisfaction matters')).toBeNull();
    expect(fuzzyMatch('instr', 'Return instructions')).not.toBeNull();
  });

  it('ignores spaces in the query', () => {
    expect(fuzzyMatch('order status', 'orderStatus')).not.toBeNull();
  });

  it('picks the best alignment, not the first one found', () => {
    // Greedy matching would take the "s" and "h" of "sorry his"; the word "ship" scores higher.
    expect(fuzzyMatch('ship', 'sorry his parcel: shipping')?.positions).toEqual([18, 19, 20, 21]);
  });
});

describe('fuzzy ranking', () => {
  it('ranks a prefix above a scattered match', () => {
    expect(rank(['sorry, his parcel', 'shipping delay'], 'ship')).toEqual([
      'shipping delay',
      'sorry, his parcel',
    ]);
  });

  it('ranks word starts above letters inside words', () => {
    expect(rank(['category', 'track and trace', 'ratatouille'], 'tt')).toEqual([
      'track and trace',
      'ratatouille',
    ]);
  });

  it('ranks consecutive runs above gaps', () => {
    expect(rank(['r-e-t-u-r-n', 'return'], 'ret')).toEqual(['return', 'r-e-t-u-r-n']);
  });

  it('counts camelCase humps as word starts', () => {
    expect(rank(['orderdetails', 'orderDetails'], 'od')).toEqual(['orderDetails', 'orderdetails']);
  });

  it('leaves out items without a match and keeps input order on ties', () => {
    expect(rank(['b', 'a', 'c'], '')).toEqual(['b', 'a', 'c']);
    expect(rank(['alpha', 'beta', 'gamma'], 'zz')).toEqual([]);
  });
});

describe('quick replies', () => {
  const status = template({
    id: 'status',
    name: 'Order status',
    shortcut: 'status',
    body: 'Your order {{order.number}} is {{order.status}}',
  });
  const returns = template({
    id: 'return',
    name: 'Return instructions',
    shortcut: 'return',
    body: 'You can return it within 30 days',
  });
  const hi = template({
    id: 'hi',
    name: 'Greeting',
    shortcut: 'hi',
    body: 'Hi, how can I help? Your satisfaction matters',
  });
  const pt = template({
    id: 'pt',
    name: 'Saudação',
    shortcut: 'ola',
    body: 'Olá!',
    language: 'pt-BR',
  });
  const telegramOnly = template({ id: 'tg', name: 'Telegram', channels: ['telegram'] });
  const draft = template({ id: 'draft', name: 'Draft', status: 'draft' });
  const wa = template({ id: 'wa', kind: 'whatsapp', name: 'order_update', status: 'approved' });

  it('offers every quick reply of the channel, in the customer’s language first', () => {
    const all = [status, returns, hi, pt, telegramOnly, draft, wa];
    expect(quickRepliesFor(all, 'whatsapp', 'en').map((t) => t.id)).toEqual([
      'hi',
      'return',
      'status',
      'pt',
    ]);
    // One reply in Portuguese no longer hides the other three (issue 12, item 4).
    expect(quickRepliesFor(all, 'whatsapp', 'pt').map((t) => t.id)).toEqual([
      'pt',
      'hi',
      'return',
      'status',
    ]);
    expect(quickRepliesFor(all, 'whatsapp', null).map((t) => t.id)).toEqual([
      'hi',
      'pt',
      'return',
      'status',
    ]);
    expect(quickRepliesFor(all, 'telegram', null).map((t) => t.id)).toEqual(['tg']);
  });

  it('marks the customer’s language only when the list mixes languages', () => {
    const all = quickRepliesFor([status, hi, pt], 'whatsapp', 'pt-PT');
    expect(markedLanguage(all, 'pt-PT')).toBe('pt');
    expect(markedLanguage(all, 'de')).toBeNull();
    expect(markedLanguage(all, null)).toBeNull();
    expect(markedLanguage([status, hi], 'en')).toBeNull();
  });

  it('lists the customer’s language first, then by shortcut, for an empty query', () => {
    const forPt = quickRepliesFor([status, returns, hi, pt], 'whatsapp', 'pt');
    expect(searchQuickReplies(forPt, '').map((r) => r.item.id)).toEqual([
      'pt',
      'hi',
      'return',
      'status',
    ]);
  });

  it('lists by shortcut for an empty query', () => {
    const forEn = quickRepliesFor([status, returns, hi], 'whatsapp', 'en');
    expect(searchQuickReplies(forEn, '').map((r) => r.item.id)).toEqual(['hi', 'return', 'status']);
  });

  it('ranks a shortcut match above a body match', () => {
    // "sta" is the start of /status and also hides in "satisfaction" of the greeting's body.
    expect(searchQuickReplies([hi, status], 'sta').map((r) => r.item.id)[0]).toBe('status');
  });

  it('finds replies by title and by body', () => {
    expect(searchQuickReplies([status, returns, hi], 'instr').map((r) => r.item.id)).toEqual([
      'return',
    ]);
    expect(searchQuickReplies([status, returns, hi], '30 days').map((r) => r.item.id)).toEqual([
      'return',
    ]);
  });
});
