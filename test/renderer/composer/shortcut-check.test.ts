import { describe, expect, it } from 'vitest';
import { checkShortcut } from '../../../src/renderer/src/features/composer/quick-replies';
import { findSlashToken } from '../../../src/renderer/src/features/composer/slash';
import { template } from './fixtures';

/** Issue 12, item 4: Send never delivers an unexpanded `/shortcut` to the customer. */
describe('a /shortcut left in the text when the agent sends', () => {
  const status = template({ id: 'status', shortcut: 'status', body: 'Your order is on its way' });
  const hi = template({ id: 'hi', shortcut: 'hi', body: 'Hello!' });
  const replies = [status, hi];

  it('is not sent when the message is a /word that names no quick reply', () => {
    expect(checkShortcut('/stauts', replies, null)).toEqual({ kind: 'unknown', word: 'stauts' });
    expect(checkShortcut('  /stauts', replies, null)).toEqual({ kind: 'unknown', word: 'stauts' });
    expect(checkShortcut('/stauts please check', replies, null)).toEqual({
      kind: 'unknown',
      word: 'stauts',
    });
    expect(checkShortcut('/', replies, null)).toEqual({ kind: 'unknown', word: '' });
  });

  it('is expanded instead of sent when it names a quick reply', () => {
    expect(checkShortcut('/status', replies, null)).toEqual({
      kind: 'expand',
      token: { start: 0, end: 7, query: 'status' },
      template: status,
    });
    expect(checkShortcut(' /Status more', replies, null)).toMatchObject({
      kind: 'expand',
      token: { start: 1, end: 8 },
      template: status,
    });
  });

  it('checks the word the caret is in while the list is open, wherever it is', () => {
    const text = 'Thanks! /stat';
    const open = findSlashToken(text, text.length);
    expect(checkShortcut(text, replies, open)).toEqual({ kind: 'unknown', word: 'stat' });
    const named = 'Thanks! /hi';
    expect(checkShortcut(named, replies, findSlashToken(named, named.length))).toMatchObject({
      kind: 'expand',
      template: hi,
    });
  });

  it('sends text that only contains a slash, or a /word later in the text with the list closed', () => {
    expect(checkShortcut('Hello', replies, null)).toEqual({ kind: 'send' });
    expect(checkShortcut('/usr/bin is the folder', replies, null)).toEqual({ kind: 'send' });
    expect(checkShortcut('/ 2 days, maybe 3', replies, null)).toEqual({ kind: 'send' });
    expect(checkShortcut('Type /start in our bot', replies, null)).toEqual({ kind: 'send' });
    expect(checkShortcut('and/or', replies, null)).toEqual({ kind: 'send' });
  });
});
