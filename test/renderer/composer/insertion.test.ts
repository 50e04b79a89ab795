import { describe, expect, it } from 'vitest';
import {
  checkText,
  MAX_TEXT_LENGTH,
  restoreAfterFailedSend,
} from '../../../src/renderer/src/features/composer/draft';
import {
  findSlashToken,
  insertAtToken,
  MAX_SLASH_QUERY,
  startSlashToken,
  type TextEdit,
} from '../../../src/renderer/src/features/composer/slash';
import { renderTemplate } from '../../../src/shared/templates';

/** Types `typed` at the end of `text` and picks `reply` for the token at the caret. */
function typeAndPick(text: string, typed: string, reply: string): TextEdit {
  const next = text + typed;
  const token = findSlashToken(next, next.length);
  if (!token) throw new Error(`no token in ${JSON.stringify(next)}`);
  return insertAtToken(next, token, reply);
}

describe('the /query token', () => {
  it('is found at the start of the text and after whitespace', () => {
    expect(findSlashToken('/sta', 4)).toEqual({ start: 0, end: 4, query: 'sta' });
    expect(findSlashToken('Hello /sta', 10)).toEqual({ start: 6, end: 10, query: 'sta' });
    expect(findSlashToken('Hello\n/sta', 10)).toEqual({ start: 6, end: 10, query: 'sta' });
    expect(findSlashToken('Hello\t/', 7)).toEqual({ start: 6, end: 7, query: '' });
  });

  it('is not found inside a word, a URL or a path', () => {
    expect(findSlashToken('and/or', 6)).toBeNull();
    expect(findSlashToken('see https://example.com', 23)).toBeNull();
    expect(findSlashToken('/usr/bin', 8)).toBeNull();
    expect(findSlashToken('(/sta', 5)).toBeNull();
  });

  it('needs the caret after the slash, in the same word', () => {
    expect(findSlashToken('/sta', 0)).toBeNull();
    expect(findSlashToken('/sta more', 9)).toBeNull();
    expect(findSlashToken('', 0)).toBeNull();
  });

  it('queries what is before the caret but spans the whole word', () => {
    expect(findSlashToken('Hi /status there', 6)).toEqual({ start: 3, end: 10, query: 'st' });
  });

  it('is not a search once the query is longer than a shortcut could be', () => {
    const long = `/${'a'.repeat(MAX_SLASH_QUERY + 1)}`;
    expect(findSlashToken(long, long.length)).toBeNull();
  });
});

describe('inserting a quick reply', () => {
  it('replaces the token and puts the caret after the reply and a space', () => {
    expect(
      insertAtToken('/sta', { start: 0, end: 4, query: 'sta' }, 'Your order shipped.'),
    ).toEqual({
      text: 'Your order shipped. ',
      cursor: 20,
    });
  });

  it('keeps the text around the token', () => {
    const text = 'Hello /st and bye';
    const token = findSlashToken(text, 9);
    expect(token).toEqual({ start: 6, end: 9, query: 'st' });
    expect(insertAtToken(text, { start: 6, end: 9, query: 'st' }, 'X')).toEqual({
      text: 'Hello X and bye',
      cursor: 7,
    });
  });

  it('replaces the rest of the word after the caret too', () => {
    const edit = insertAtToken('a /status b', { start: 2, end: 9, query: 'st' }, 'Done');
    expect(edit).toEqual({ text: 'a Done b', cursor: 6 });
  });

  it('adds no space when the reply ends with whitespace', () => {
    expect(insertAtToken('/x', { start: 0, end: 2, query: 'x' }, 'Line\n')).toEqual({
      text: 'Line\n',
      cursor: 5,
    });
  });

  it('lets several replies be inserted one after another', () => {
    const first = typeAndPick('', '/hi', 'Hi Ana!');
    expect(first).toEqual({ text: 'Hi Ana! ', cursor: 8 });
    const second = typeAndPick(first.text, '/sta', 'Your order 100482 shipped.');
    expect(second).toEqual({ text: 'Hi Ana! Your order 100482 shipped. ', cursor: 35 });
    const third = typeAndPick(second.text, '/bye', 'Bye!');
    expect(third.text).toBe('Hi Ana! Your order 100482 shipped. Bye! ');
    expect(third.cursor).toBe(third.text.length);
  });

  it('inserts in the middle of a text at the caret', () => {
    const text = 'Hi Ana! \nThanks';
    const withSlash = `${text.slice(0, 8)}/sta${text.slice(8)}`;
    const token = findSlashToken(withSlash, 12);
    expect(token).toEqual({ start: 8, end: 12, query: 'sta' });
    const edit = insertAtToken(withSlash, { start: 8, end: 12, query: 'sta' }, 'Shipped.');
    expect(edit).toEqual({ text: 'Hi Ana! Shipped.\nThanks', cursor: 16 });
  });

  it('keeps unfilled variables of the reply as placeholders', () => {
    const reply = renderTemplate('Order {{order.number}} for {{customer.first_name}}', {
      customer: { first_name: 'Ana' },
    }).text;
    expect(insertAtToken('/s', { start: 0, end: 2, query: 's' }, reply).text).toBe(
      'Order {{order.number}} for Ana ',
    );
  });
});

describe('starting quick replies from the keyboard shortcut', () => {
  it('inserts a slash at the caret, after a space inside a word', () => {
    expect(startSlashToken('', 0, 0)).toEqual({ text: '/', cursor: 1 });
    expect(startSlashToken('Hello ', 6, 6)).toEqual({ text: 'Hello /', cursor: 7 });
    expect(startSlashToken('Hello', 5, 5)).toEqual({ text: 'Hello /', cursor: 7 });
    expect(startSlashToken('Hello world', 6, 6)).toEqual({ text: 'Hello /world', cursor: 7 });
  });

  it('replaces a selection and leaves an existing token alone', () => {
    expect(startSlashToken('Hello world', 6, 11)).toEqual({ text: 'Hello /', cursor: 7 });
    expect(startSlashToken('Hi /st', 6, 6)).toEqual({ text: 'Hi /st', cursor: 6 });
  });
});

describe('sending the text', () => {
  it('sends the trimmed text', () => {
    expect(checkText('  Hello\n', [])).toEqual({ ok: true, body: 'Hello' });
  });

  it('refuses empty text, unfilled placeholders and text over the limit', () => {
    expect(checkText(' \n ', [])).toEqual({ ok: false, reason: 'empty' });
    expect(
      checkText('Order {{order.number}}', [
        { name: 'order.number', offset: 6, length: 16, reason: 'missing' },
      ]),
    ).toEqual({ ok: false, reason: 'placeholders' });
    expect(checkText('a'.repeat(MAX_TEXT_LENGTH + 1), [])).toEqual({
      ok: false,
      reason: 'too_long',
    });
    expect(checkText(`${'a'.repeat(MAX_TEXT_LENGTH)}  `, []).ok).toBe(true);
  });

  it('brings unsent text back ahead of anything typed since', () => {
    expect(restoreAfterFailedSend('Hello', '')).toBe('Hello');
    expect(restoreAfterFailedSend('Hello', '  ')).toBe('Hello');
    expect(restoreAfterFailedSend('Hello ', 'And more')).toBe('Hello\nAnd more');
    expect(restoreAfterFailedSend('Hello', 'Hello again')).toBe('Hello again');
  });
});
