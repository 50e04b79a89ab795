import { describe, expect, it } from 'vitest';
import {
  checkQuickReply,
  checkWhatsAppTemplate,
  type WhatsAppTemplateParts,
} from '../../src/shared/templates/checks';
import { changedFields, templateInputSchema } from '../../src/shared/protocol/templates';

const valid: WhatsAppTemplateParts = {
  name: 'order_update',
  category: 'utility',
  header: 'Your order',
  body: 'Hello {{1}}, order {{2}} is on its way.',
  footer: 'Reply STOP to opt out',
  buttons: [
    { type: 'quick_reply', text: 'Thanks' },
    { type: 'url', text: 'Track', url: 'https://track.example.com/x' },
    { type: 'phone', text: 'Call us', phone: '+447700900123' },
  ],
  examples: ['Ana', '100482'],
  status: 'draft',
};

const codes = (parts: Partial<WhatsAppTemplateParts>) =>
  checkWhatsAppTemplate({ ...valid, ...parts }).map((p) => p.code);
const messages = (parts: Partial<WhatsAppTemplateParts>) =>
  checkWhatsAppTemplate({ ...valid, ...parts }).map((p) => p.message);

describe("WhatsApp's checks before submission", () => {
  it('passes a template that follows every rule', () => {
    expect(checkWhatsAppTemplate(valid)).toEqual([]);
  });

  it('allows a body of exactly 1,024 characters and refuses 1,025', () => {
    const body = (n: number) => `Hi {{1}} ${'x'.repeat(n - 10)}.`;
    expect(body(1024).length).toBe(1024);
    expect(codes({ body: body(1024), examples: ['Ana'] })).toEqual([]);
    expect(messages({ body: body(1025), examples: ['Ana'] })).toEqual([
      'The body is 1025 characters; WhatsApp allows 1024',
    ]);
  });

  it('refuses gaps in the numbering, naming the skipped number and its place', () => {
    expect(messages({ body: 'Hi {{1}}, see {{3}} now.', examples: ['a', 'b', 'c'] })).toEqual([
      'Placeholder {{3}} at line 1, column 15 skips {{2}}: WhatsApp needs numbers from {{1}} without gaps',
    ]);
  });

  it('refuses named variables in a WhatsApp body', () => {
    expect(codes({ body: 'Hi {{customer.name}}, thanks.', examples: [] })).toEqual([
      'variable_numbering',
    ]);
  });

  it('refuses a variable at the start or the end of the body, ignoring surrounding spaces', () => {
    const problems = checkWhatsAppTemplate({ ...valid, body: '  {{1}} is here, order {{2}}\n' });
    expect(problems.map((p) => [p.code, p.line, p.column])).toEqual([
      ['variable_at_start', 1, 3],
      ['variable_at_end', 1, 24],
    ]);
  });

  it('refuses variables side by side but allows them with text between', () => {
    expect(codes({ body: 'Hi {{1}}{{2}} there.' })).toEqual(['adjacent_variables']);
    expect(codes({ body: 'Hi {{1}} {{2}} there.' })).toEqual([]);
  });

  it('asks for an example of every variable of a template written for review', () => {
    expect(
      checkWhatsAppTemplate({ ...valid, examples: ['Ana', ' '] }).map((p) => [
        p.field,
        p.index,
        p.message,
      ]),
    ).toEqual([['examples', 1, "Variable {{2}} needs an example value for Meta's review"]]);
    expect(codes({ examples: [], status: 'pending' })).toEqual([
      'missing_example',
      'missing_example',
    ]);
    // Approved templates mirror Meta's: reviewed already, their samples may be unknown here.
    expect(codes({ examples: [], status: 'approved' })).toEqual([]);
  });

  it('limits header and footer to 60 characters on one line, without variables', () => {
    expect(codes({ header: 'h'.repeat(60), footer: 'f'.repeat(60) })).toEqual([]);
    expect(messages({ header: 'h'.repeat(61) })).toEqual([
      'The header is 61 characters; WhatsApp allows 60',
    ]);
    expect(messages({ footer: 'Hi {{1}}' })).toEqual([
      'The footer may not contain variables (found "{{" at column 4)',
    ]);
    expect(codes({ header: 'two\nlines' })).toEqual(['line_break']);
  });

  it('limits buttons: 10 in all, 2 URL, 1 phone, 25-character labels, valid targets', () => {
    const reply = (i: number) => ({ type: 'quick_reply' as const, text: `Option ${i}` });
    expect(codes({ buttons: Array.from({ length: 10 }, (_, i) => reply(i)) })).toEqual([]);
    expect(messages({ buttons: Array.from({ length: 11 }, (_, i) => reply(i)) })).toEqual([
      '11 buttons; WhatsApp allows at most 10',
    ]);
    const url = { type: 'url' as const, text: 'Open', url: 'https://example.com' };
    expect(messages({ buttons: [url, url, url] })).toEqual([
      '3 URL buttons; WhatsApp allows at most 2',
    ]);
    const phone = { type: 'phone' as const, text: 'Call', phone: '+447700900123' };
    expect(messages({ buttons: [phone, phone] })).toEqual([
      '2 phone buttons; WhatsApp allows at most 1',
    ]);
    expect(
      messages({
        buttons: [
          { type: 'quick_reply', text: 'x'.repeat(26) },
          { type: 'quick_reply', text: '  ' },
          { type: 'url', text: 'Bad', url: 'javascript:alert(1)' },
          { type: 'phone', text: 'Bad', phone: '0207 946 0000' },
        ],
      }),
    ).toEqual([
      "Button 1's label is 26 characters; WhatsApp allows 25",
      'Button 2 needs a label',
      'Button 3 needs a web address starting with https://',
      'Button 4 needs a phone number in international format, e.g. +447700900123',
    ]);
  });

  it('needs a lower-case name and a category', () => {
    expect(codes({ name: 'Order Update', category: null })).toEqual([
      'invalid_name',
      'missing_category',
    ]);
  });
});

describe('quick reply checks', () => {
  it('refuses unknown variables with their exact line, column and offset', () => {
    expect(checkQuickReply('Hi {{customer.first_name}},\n\nyour {{order.nubmer}}')).toEqual([
      {
        field: 'body',
        code: 'unknown_variable',
        offset: 34,
        line: 3,
        column: 6,
        message:
          'Unknown variable "order.nubmer" at line 3, column 6 (did you mean "order.number"?)',
      },
    ]);
  });

  it('the input schema drops WhatsApp parts from quick replies and blank folders', () => {
    const parsed = templateInputSchema.parse({
      kind: 'quick_reply',
      name: 'Hi',
      body: 'Hello',
      channels: ['telegram'],
      header: 'ignored',
      buttons: [{ type: 'quick_reply', text: 'x' }],
      folder: '  ',
      tags: ['a', 'a', 'b'],
    });
    expect(parsed).toMatchObject({ header: null, buttons: [], folder: null, tags: ['a', 'b'] });
  });

  it('lists the fields that changed between two versions', () => {
    const base = templateInputSchema.parse({
      kind: 'quick_reply',
      name: 'Hi',
      body: 'Hello',
      channels: ['telegram'],
    });
    expect(changedFields(base, { ...base, body: 'Hello!', tags: ['x'] })).toEqual(['body', 'tags']);
    expect(changedFields(null, base)).toEqual([]);
  });
});
