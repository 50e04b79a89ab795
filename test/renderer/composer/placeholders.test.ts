import { describe, expect, it } from 'vitest';
import {
  describePlaceholder,
  fillPlaceholders,
  findPlaceholders,
  groupPlaceholders,
  placeholderNotices,
  splitRuns,
} from '../../../src/renderer/src/features/composer/placeholders';
import type { TemplateContext } from '../../../src/shared/templates';

const customerOnly: TemplateContext = { customer: { first_name: 'Ana' } };
const withOrder: TemplateContext = {
  customer: { first_name: 'Ana' },
  order: { number: '100482', status: 'shipped' },
};

describe('finding unfilled placeholders', () => {
  it('finds known variables without a value, with their position', () => {
    const text = 'Hi Ana, order {{order.number}} is {{ order.status }}.';
    expect(findPlaceholders(text, customerOnly)).toEqual([
      { name: 'order.number', offset: 14, length: 16, reason: 'missing' },
      { name: 'order.status', offset: 34, length: 18, reason: 'missing' },
    ]);
  });

  it('does not report variables the context or a fallback can fill', () => {
    expect(
      findPlaceholders(
        '{{customer.first_name}} {{order.carrier|}} {{agent.name|us}}',
        customerOnly,
      ),
    ).toEqual([]);
  });

  it('reports names that are not variables as unknown', () => {
    expect(findPlaceholders('Code {{promo}} and {{1}}', {})).toEqual([
      { name: 'promo', offset: 5, length: 9, reason: 'unknown' },
      { name: '1', offset: 19, length: 5, reason: 'unknown' },
    ]);
  });

  it('ignores text that only looks like a placeholder', () => {
    expect(findPlaceholders('{{order.number', {})).toEqual([]);
    expect(findPlaceholders('{{ }} and {order.number}', {})).toEqual([]);
  });
});

describe('filling placeholders from the context', () => {
  it('fills what the context now knows and leaves the rest', () => {
    const text = 'Hi Ana, order {{order.number}} ({{order.tracking_url}}) is {{order.status}}.';
    const result = fillPlaceholders(text, withOrder);
    expect(result.text).toBe('Hi Ana, order 100482 ({{order.tracking_url}}) is shipped.');
    expect(result.filled).toBe(2);
    expect(findPlaceholders(result.text, withOrder).map((p) => p.name)).toEqual([
      'order.tracking_url',
    ]);
  });

  it('changes nothing when nothing can be filled', () => {
    const text = 'Order {{order.number}}';
    expect(fillPlaceholders(text, customerOnly, { start: 3, end: 3 })).toEqual({
      text,
      selection: { start: 3, end: 3 },
      filled: 0,
    });
  });

  it('uses a fallback when there is no value', () => {
    expect(fillPlaceholders('Hi {{customer.first_name|there}}!', {}).text).toBe('Hi there!');
  });

  it('copies values verbatim, never expanding braces inside a value', () => {
    const context: TemplateContext = {
      customer: { first_name: '{{order.number}}' },
      order: { number: '1' },
    };
    expect(fillPlaceholders('Hi {{customer.first_name}}', context).text).toBe(
      'Hi {{order.number}}',
    );
  });

  it('keeps the caret in place before, after and inside a filled placeholder', () => {
    const text = 'ab {{order.number}} cd';
    //            0123              19 20 21
    const at = (offset: number) =>
      fillPlaceholders(text, withOrder, { start: offset, end: offset }).selection.start;
    expect(at(2)).toBe(2);
    expect(at(3)).toBe(3);
    expect(at(10)).toBe(9); // inside: moves after the value
    expect(at(19)).toBe(9);
    expect(at(22)).toBe(12);
  });

  it('moves a selection across several fills', () => {
    const text = '{{order.number}} x {{order.status}} y';
    const result = fillPlaceholders(text, withOrder, { start: 17, end: text.length });
    expect(result.text).toBe('100482 x shipped y');
    expect(result.text.slice(result.selection.start, result.selection.end)).toBe('x shipped y');
  });
});

describe('showing placeholders', () => {
  it('splits the text into runs that join back to it', () => {
    const text = 'A {{order.number}} b {{x}}';
    const placeholders = findPlaceholders(text, {});
    const runs = splitRuns(text, placeholders);
    expect(runs.map((r) => r.kind)).toEqual(['text', 'placeholder', 'text', 'placeholder']);
    expect(runs.map((r) => r.text).join('')).toBe(text);
  });

  it('groups repeated placeholders into one chip per variable', () => {
    const text = '{{order.number}} {{order.status}} {{order.number}}';
    const groups = groupPlaceholders(findPlaceholders(text, {}));
    expect(groups.map((g) => [g.name, g.occurrences.length])).toEqual([
      ['order.number', 2],
      ['order.status', 1],
    ]);
  });

  it('tells the agent how to fill each kind of variable', () => {
    expect(describePlaceholder({ name: 'order.number', reason: 'missing' })).toBe(
      'order.number needs a value — pick an order in the panel or type it',
    );
    expect(describePlaceholder({ name: 'customer.email', reason: 'missing' })).toMatch(
      /customer's profile/,
    );
    expect(describePlaceholder({ name: 'promo', reason: 'unknown' })).toBe(
      '{{promo}} is not a known variable — edit or remove it',
    );
  });

  it('gathers the variables of one source under one instruction', () => {
    const text = '{{order.number}} {{customer.email}} {{order.status}} {{promo}}';
    const notices = placeholderNotices(groupPlaceholders(findPlaceholders(text, {})));
    expect(notices.map((n) => [n.source, n.groups.map((g) => g.name), n.message])).toEqual([
      [
        'order',
        ['order.number', 'order.status'],
        'need values — pick an order in the panel or type them',
      ],
      [
        'customer',
        ['customer.email'],
        "needs a value — the customer's profile has no value — type it",
      ],
      ['unknown', ['promo'], 'is not a known variable — edit or remove it'],
    ]);
  });
});
