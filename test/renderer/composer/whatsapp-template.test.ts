import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  approvedTemplatesFor,
  normalizeParameter,
  parameterNumbers,
  parameterProblem,
  parameterSnippet,
  previewSegments,
  renderWhatsAppBody,
  searchTemplates,
  suggestParameters,
  templateContent,
} from '../../../src/renderer/src/features/composer/whatsapp-template';
import { outgoingContentSchema } from '../../../src/shared/protocol/commands';
import { positionalNames, sanitizeValue } from '../../../src/shared/templates';
import { template } from './fixtures';

/**
 * The hub's rendering of a template message, as written in src/server/core/commands.ts
 * (`send_message` with template content). Kept verbatim so a change there fails here.
 */
function hubRender(body: string, raw: readonly string[]): string | null {
  const check = positionalNames(body);
  const expected = check.numbers.length;
  const parameters = raw.map((value) => sanitizeValue(value).trim());
  if (parameters.length !== expected || parameters.some((value) => value === '')) return null;
  return body.replace(/\{\{(\d+)\}\}/g, (_, n: string) => parameters[Number(n) - 1] ?? '');
}

const ORDER_UPDATE =
  'Hello {{1}}, there is an update on your order {{2}}: it is now {{3}}. Reply to this message if you have any questions.';

const orderUpdate = template({
  id: 'tpl_order_update',
  kind: 'whatsapp',
  name: 'order_update',
  body: ORDER_UPDATE,
  category: 'utility',
  channels: ['whatsapp'],
});

describe('which templates are offered', () => {
  const followUp = template({
    id: 'b',
    kind: 'whatsapp',
    name: 'follow_up',
    category: 'utility',
    channels: ['whatsapp'],
  });
  const promoPt = template({
    id: 'c',
    kind: 'whatsapp',
    name: 'promo',
    language: 'pt_BR',
    category: 'marketing',
    channels: ['whatsapp'],
  });
  const pending = template({
    id: 'd',
    kind: 'whatsapp',
    name: 'pending_one',
    status: 'pending',
    channels: ['whatsapp'],
  });
  const paused = template({
    id: 'e',
    kind: 'whatsapp',
    name: 'paused_one',
    status: 'paused',
    channels: ['whatsapp'],
  });
  const quick = template({ id: 'f', kind: 'quick_reply', name: 'quick' });
  const all = [promoPt, followUp, orderUpdate, pending, paused, quick];

  it('offers approved WhatsApp templates for the channel, the customer language first', () => {
    expect(approvedTemplatesFor(all, 'whatsapp', 'pt-BR').map((t) => t.name)).toEqual([
      'promo',
      'follow_up',
      'order_update',
    ]);
    expect(approvedTemplatesFor(all, 'whatsapp', null).map((t) => t.name)).toEqual([
      'follow_up',
      'order_update',
      'promo',
    ]);
    expect(approvedTemplatesFor(all, 'messenger', 'en')).toEqual([]);
  });

  it('searches by name and body', () => {
    expect(searchTemplates([followUp, orderUpdate], 'update').map((t) => t.name)).toEqual([
      'order_update',
    ]);
    expect(searchTemplates([followUp, orderUpdate], '').map((t) => t.name)).toEqual([
      'follow_up',
      'order_update',
    ]);
  });
});

describe('rendering exactly what the hub sends', () => {
  it('fills {{n}} with the n-th parameter', () => {
    expect(renderWhatsAppBody(ORDER_UPDATE, ['Ana', '#100482', 'shipped'])).toBe(
      'Hello Ana, there is an update on your order #100482: it is now shipped. Reply to this message if you have any questions.',
    );
  });

  it('trims parameters and removes control characters, as the hub does', () => {
    expect(renderWhatsAppBody('Hi {{1}}!', ['  Ana\u0007 '])).toBe('Hi Ana!');
    expect(normalizeParameter(' a\r\nb ')).toBe('a\nb');
  });

  it('never interprets a parameter: no $ patterns, no nested placeholders', () => {
    expect(renderWhatsAppBody('{{1}} / {{2}}', ['$& $1 $$', '{{1}}'])).toBe('$& $1 $$ / {{1}}');
  });

  it('repeats a parameter used twice', () => {
    expect(renderWhatsAppBody('{{1}} and {{1}} again, {{2}}', ['x', 'y'])).toBe('x and x again, y');
  });

  it('matches the hub for any parameters (property)', () => {
    const value = fc
      .string({ minLength: 1, maxLength: 30 })
      .filter((s) => normalizeParameter(s) !== '');
    fc.assert(
      fc.property(fc.array(value, { minLength: 3, maxLength: 3 }), (params) => {
        expect(renderWhatsAppBody(ORDER_UPDATE, params)).toBe(hubRender(ORDER_UPDATE, params));
      }),
    );
  });

  it('shows the same text in the preview, with empty parameters marked', () => {
    const params = ['Ana', '#1', 'shipped'];
    const segments = previewSegments(ORDER_UPDATE, params);
    expect(segments.map((s) => s.text).join('')).toBe(hubRender(ORDER_UPDATE, params));
    expect(
      segments.filter((s) => s.kind === 'parameter').map((s) => s.kind === 'parameter' && s.number),
    ).toEqual([1, 2, 3]);
    const partial = previewSegments(ORDER_UPDATE, ['Ana']);
    expect(partial.filter((s) => s.kind === 'parameter' && s.text === '').length).toBe(2);
  });
});

describe('parameters', () => {
  it('lists the parameter numbers of a body', () => {
    expect(parameterNumbers(ORDER_UPDATE)).toEqual([1, 2, 3]);
    expect(parameterNumbers('No variables')).toEqual([]);
    expect(parameterNumbers('{{2}} then {{1}} then {{2}}')).toEqual([1, 2]);
  });

  it('says what is wrong with a value before the hub or WhatsApp refuses it', () => {
    expect(parameterProblem('')).toBe('Needs a value');
    expect(parameterProblem('   ')).toBe('Needs a value');
    expect(parameterProblem('a'.repeat(1025))).toMatch(/At most 1,024/);
    expect(parameterProblem('two\nlines')).toMatch(/line breaks/);
    expect(parameterProblem('a     b')).toMatch(/4 spaces/);
    expect(parameterProblem('Ana')).toBeNull();
  });

  it('builds the content the hub accepts, once every parameter is valid', () => {
    expect(templateContent(orderUpdate, ['Ana', '#1'])).toBeNull();
    expect(templateContent(orderUpdate, ['Ana', '', 'x'])).toBeNull();
    const content = templateContent(orderUpdate, [' Ana ', '#1', 'shipped', 'extra']);
    expect(content).toEqual({
      type: 'template',
      templateId: 'tpl_order_update',
      parameters: ['Ana', '#1', 'shipped'],
    });
    expect(outgoingContentSchema.parse(content)).toEqual(content);
    const sent = content?.parameters ?? [];
    expect(hubRender(ORDER_UPDATE, sent)).toBe(renderWhatsAppBody(ORDER_UPDATE, sent));
    expect(templateContent({ id: 't', body: 'No variables' }, [])).toEqual({
      type: 'template',
      templateId: 't',
      parameters: [],
    });
  });

  it('shows the words around each parameter', () => {
    expect(parameterSnippet(ORDER_UPDATE, 1)).toBe('Hello {{1}}, there is an update on…');
    expect(parameterSnippet(ORDER_UPDATE, 2)).toBe('…is an update on your order {{2}}: it is now…');
    expect(parameterSnippet(ORDER_UPDATE, 3)).toBe(': it is now {{3}}. Reply to this message if…');
    expect(parameterSnippet('Hi {{1}}', 1)).toBe('Hi {{1}}');
    expect(parameterSnippet('Hi', 3)).toBe('{{3}}');
  });

  it('suggests values from the context where the words before make the meaning clear', () => {
    const context = {
      customer: { first_name: 'Ana' },
      order: { number: '100482', status: 'shipped' },
    };
    expect(suggestParameters(ORDER_UPDATE, context)).toEqual([
      { value: 'Ana', variable: 'customer.first_name' },
      { value: '100482', variable: 'order.number' },
      { value: 'shipped', variable: 'order.status' },
    ]);
    expect(suggestParameters(ORDER_UPDATE, { customer: { first_name: 'Ana' } })).toEqual([
      { value: 'Ana', variable: 'customer.first_name' },
      null,
      null,
    ]);
    expect(suggestParameters('Your code is {{1}}', context)).toEqual([null]);
    expect(
      suggestParameters('Track it: tracking number {{1}}', { order: { tracking_number: '1Z9' } }),
    ).toEqual([{ value: '1Z9', variable: 'order.tracking_number' }]);
  });
});
