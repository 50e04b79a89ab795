import { describe, expect, it } from 'vitest';
import {
  insertMention,
  mentionMatches,
  mentionQueryAt,
  mentionsInText,
  noteParts,
  notifiesUser,
} from '../../src/shared/notes/mentions';

const ana = { id: 'usr_ana', name: 'Ana Lima' };
const ben = { id: 'usr_ben', name: 'Ben Okafor' };
const benny = { id: 'usr_benny', name: 'Benny' };

describe('the @ picker', () => {
  it('finds the query typed after an @ at the start or after a space, and none in an address', () => {
    expect(mentionQueryAt('@be', 3)).toEqual({ start: 0, query: 'be' });
    expect(mentionQueryAt('ask @Ben O', 10)).toEqual({ start: 4, query: 'Ben O' });
    expect(mentionQueryAt('mail ana@shop.example', 21)).toBeNull();
    expect(mentionQueryAt('@ben\nthen', 9)).toBeNull();
    expect(mentionQueryAt('no mention', 10)).toBeNull();
  });

  it('offers names that start with the query first, then any word that does', () => {
    expect(mentionMatches([ana, ben, benny], 'ben').map((c) => c.id)).toEqual([
      'usr_ben',
      'usr_benny',
    ]);
    expect(mentionMatches([ana, ben, benny], 'ok').map((c) => c.id)).toEqual(['usr_ben']);
    expect(mentionMatches([ben, ana], '').map((c) => c.id)).toEqual(['usr_ana', 'usr_ben']);
  });

  it('replaces the query with the whole name and a space, caret after it', () => {
    expect(insertMention('ask @be now', 4, 7, ben)).toEqual({
      text: 'ask @Ben Okafor now',
      caret: 16,
    });
  });
});

describe('a note', () => {
  it('mentions the chosen teammates whose @Name is still in the text', () => {
    expect(mentionsInText('@Ben Okafor and @Ana Lima', [ben, ana])).toEqual(['usr_ben', 'usr_ana']);
    expect(mentionsInText('@Ben Okafor only', [ben, ana])).toEqual(['usr_ben']);
    // "@Benny" is not a mention of "Ben".
    expect(mentionsInText('@Benny look', [{ id: 'usr_b', name: 'Ben' }])).toEqual([]);
  });

  it('marks each mention in the text, the longest name winning', () => {
    expect(noteParts('hi @Ben Okafor, see @Benny', [ben, benny])).toEqual([
      { text: 'hi ', mentionId: null },
      { text: '@Ben Okafor', mentionId: 'usr_ben' },
      { text: ', see ', mentionId: null },
      { text: '@Benny', mentionId: 'usr_benny' },
    ]);
  });

  it('notifies the mentioned users but never its author', () => {
    const note = { authorId: 'usr_ana', mentions: ['usr_ana', 'usr_ben'] };
    expect(notifiesUser(note, 'usr_ben')).toBe(true);
    expect(notifiesUser(note, 'usr_ana')).toBe(false);
    expect(notifiesUser(note, 'usr_cleo')).toBe(false);
  });
});
