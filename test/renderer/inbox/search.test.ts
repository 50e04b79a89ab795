import { describe, expect, it } from 'vitest';
import {
  classify,
  DEFAULT_QUERY,
  matchesSearch,
  normalizeText,
  parseSearch,
  selectInbox,
  type InboxQuery,
} from '../../../src/renderer/src/features/inbox/inbox-view';
import { conversation, T0 } from '../fixtures';

const customer = (id: string, name: string, phone: string | null, email: string | null) => ({
  id: `cus-${id}`,
  name,
  phone,
  email,
  country: null,
  language: null,
});

const zoe = conversation('zoe', {
  customer: customer('zoe', 'Zoë Álvarez', '+31 6 1234 5678', 'zoe@example.nl'),
  lastMessagePreview: 'Waar blijft mijn pakket?',
  lastMessageAt: T0 - 1,
});
const francois = conversation('francois', {
  customer: customer('francois', 'François Dupont', null, 'f.dupont@example.fr'),
  lastMessagePreview: 'Merci beaucoup',
  lastMessageAt: T0 - 2,
});
const anon = conversation('anon', {
  customer: customer('anon', '', '+44 20 7946 0018', null),
  lastMessagePreview: 'Crème brûlée order #4711',
  lastMessageAt: T0 - 3,
});
const items = classify([zoe, francois, anon], T0);

const matches = (text: string) => {
  const terms = parseSearch(text);
  if (terms === null) throw new Error('empty search');
  return [zoe, francois, anon].filter((c) => matchesSearch(c, terms)).map((c) => c.id);
};

describe('inbox search', () => {
  it('normalises case, diacritics and spaces', () => {
    expect(normalizeText('  Zoë   ÁLVAREZ ')).toBe('zoe alvarez');
    expect(normalizeText('Crème brûlée')).toBe('creme brulee');
    expect(parseSearch('   ')).toBeNull();
  });

  it('matches names without caring for accents, either way round', () => {
    expect(matches('zoe')).toEqual(['zoe']);
    expect(matches('ZOË')).toEqual(['zoe']);
    expect(matches('francois')).toEqual(['francois']);
    expect(matches('François')).toEqual(['francois']);
  });

  it('matches every word, in any field and any order', () => {
    expect(matches('alvarez zoe')).toEqual(['zoe']);
    expect(matches('dupont merci')).toEqual(['francois']);
    expect(matches('dupont pakket')).toEqual([]);
  });

  it('matches e-mail addresses and the last message preview', () => {
    expect(matches('example.fr')).toEqual(['francois']);
    expect(matches('creme brulee')).toEqual(['anon']);
    expect(matches('#4711')).toEqual(['anon']);
  });

  it('matches phone numbers whatever their spacing and punctuation', () => {
    expect(matches('+31612345678')).toEqual(['zoe']);
    expect(matches('06 1234')).toEqual(['zoe']);
    expect(matches('0031 6 1234')).toEqual(['zoe']);
    expect(matches('1234 5678')).toEqual(['zoe']);
    expect(matches('(020) 7946-0018')).toEqual(['anon']);
    expect(matches('7946')).toEqual(['anon']);
  });

  it('adds the conversations the message search found, and marks them as such', () => {
    const query: InboxQuery = { ...DEFAULT_QUERY, view: 'all', text: 'tracking number' };
    const local = selectInbox(items, query, { meId: 'me', messageMatches: null });
    expect(local.rows).toEqual([]);

    const merged = selectInbox(items, query, {
      meId: 'me',
      messageMatches: new Set(['francois', 'not-cached']),
    });
    expect(merged.rows.map((row) => row.conversation.id)).toEqual(['francois']);
    expect([...merged.matchedInMessages]).toEqual(['francois']);
  });

  it('does not mark a conversation found in messages when its customer matches too', () => {
    const query: InboxQuery = { ...DEFAULT_QUERY, view: 'all', text: 'zoe' };
    const merged = selectInbox(items, query, { meId: 'me', messageMatches: new Set(['zoe']) });
    expect(merged.rows.map((row) => row.conversation.id)).toEqual(['zoe']);
    expect(merged.matchedInMessages.size).toBe(0);
  });

  it('keeps the list order while searching', () => {
    const query: InboxQuery = { ...DEFAULT_QUERY, view: 'all', text: 'example' };
    const { rows } = selectInbox(items, query, { meId: 'me', messageMatches: new Set(['anon']) });
    expect(rows.map((row) => row.conversation.id)).toEqual(['zoe', 'francois', 'anon']);
  });
});
