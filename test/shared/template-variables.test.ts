import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  TEMPLATE_VARIABLES,
  parseTemplate,
  positionalNames,
  renderTemplate,
  sanitizeValue,
  toWhatsAppParameters,
  validateTemplate,
  type TemplateContext,
  type TemplateVariableToken,
} from '../../src/shared/templates';

const order: TemplateContext = {
  customer: { name: 'Ana Lima', first_name: 'Ana' },
  order: {
    number: '100482',
    status: 'shipped',
    tracking_number: '1Z999AA10123456784',
    tracking_url: 'https://track.example.com/1Z999AA10123456784',
    carrier: 'UPS',
  },
};

/** Builds a context from `name → value` pairs, the way the property tests need it. */
function contextOf(values: ReadonlyMap<string, string>): TemplateContext {
  const groups: Record<string, Record<string, string>> = {};
  for (const [name, value] of values) {
    const [group = '', field = ''] = name.split('.');
    (groups[group] ??= {})[field] = value;
  }
  return groups;
}

const exampleContext = contextOf(new Map(TEMPLATE_VARIABLES.map((v) => [v.name, v.example])));

describe('registry', () => {
  it('lists every documented variable once, with a description and an example', () => {
    const names = TEMPLATE_VARIABLES.map((v) => v.name);
    expect(new Set(names).size).toBe(names.length);
    expect(names).toEqual(
      expect.arrayContaining([
        'customer.name',
        'customer.first_name',
        'customer.last_name',
        'customer.phone',
        'customer.email',
        'conversation.id',
        'conversation.channel',
        'agent.name',
        'agent.first_name',
        'agent.email',
        'order.number',
        'order.status',
        'order.total',
        'order.currency',
        'order.tracking_number',
        'order.tracking_url',
        'order.carrier',
        'order.items',
        'business.name',
      ]),
    );
    for (const v of TEMPLATE_VARIABLES) {
      expect(v.description.length).toBeGreaterThan(0);
      expect(v.example.length).toBeGreaterThan(0);
      expect(validateTemplate(`{{${v.name}}}`)).toEqual([]);
    }
  });

  it('renders every variable from the examples (the editor preview)', () => {
    const all = TEMPLATE_VARIABLES.map((v) => `{{${v.name}}}`).join(' ');
    const result = renderTemplate(all, exampleContext);
    expect(result.complete).toBe(true);
    expect(result.text).toBe(TEMPLATE_VARIABLES.map((v) => v.example).join(' '));
  });

  it('types the context from the registry', () => {
    const ok: TemplateContext = { order: { number: 100482, total: '49.90' }, business: {} };
    // @ts-expect-error -- a misspelt field is a compile error, not a silent unfilled variable
    const typo: TemplateContext = { order: { nubmer: '1' } };
    expect([ok, typo]).toHaveLength(2);
  });
});

describe('parseTemplate', () => {
  it('splits text and variables with exact positions across lines', () => {
    const text = 'Hi {{customer.first_name}},\nyour order {{ order.number }} is {{order.status}}';
    const { tokens, variables, errors } = parseTemplate(text);
    expect(errors).toEqual([]);
    expect(tokens.map((t) => t.kind)).toEqual([
      'text',
      'variable',
      'text',
      'variable',
      'text',
      'variable',
    ]);
    expect(variables.map((v) => [v.name, v.offset, v.length, v.line, v.column])).toEqual([
      ['customer.first_name', 3, 23, 1, 4],
      ['order.number', 39, 18, 2, 12],
      ['order.status', 61, 16, 2, 34],
    ]);
    for (const v of variables) expect(text.slice(v.offset, v.offset + v.length)).toBe(v.raw);
    const spaced = variables[1] as TemplateVariableToken;
    expect(spaced.raw).toBe('{{ order.number }}');
    expect(text.slice(spaced.nameOffset, spaced.nameOffset + 12)).toBe('order.number');
  });

  it('counts "\\r\\n" and "\\r" as one line break each', () => {
    const { variables } = parseTemplate('a\r\nb\rc {{order.number}}\r\n  {{order.status}}');
    expect(variables.map((v) => [v.line, v.column])).toEqual([
      [3, 3],
      [4, 3],
    ]);
  });

  it('reads a fallback after "|", trimmed', () => {
    const [withFallback, spaced, empty, none] = parseTemplate(
      '{{customer.first_name|there}} {{ customer.first_name | dear customer }} {{order.carrier|}} {{order.number}}',
    ).variables;
    expect(withFallback).toMatchObject({ name: 'customer.first_name', fallback: 'there' });
    expect(spaced).toMatchObject({ name: 'customer.first_name', fallback: 'dear customer' });
    expect(empty).toMatchObject({ name: 'order.carrier', fallback: '' });
    expect(none).not.toHaveProperty('fallback');
  });

  it('treats extra braces as literal text around the innermost placeholder', () => {
    const { tokens } = parseTemplate('{{{order.number}}}');
    expect(tokens.map((t) => (t.kind === 'text' ? t.text : `<${t.name}>`))).toEqual([
      '{',
      '<order.number>',
      '}',
    ]);
  });

  it('reports malformed placeholders with positions instead of throwing', () => {
    const text =
      'A {{}} B {{  }} C\n{{customer name}} {{order-number}} {{|x}} {{.a}} {{order.number';
    const { errors, variables } = parseTemplate(text);
    expect(variables).toEqual([]);
    expect(
      errors.map((e) => [e.code, text.slice(e.offset, e.offset + e.length), e.line, e.column]),
    ).toEqual([
      ['malformed_placeholder', '{{}}', 1, 3],
      ['malformed_placeholder', '{{  }}', 1, 10],
      ['malformed_placeholder', '{{customer name}}', 2, 1],
      ['malformed_placeholder', '{{order-number}}', 2, 19],
      ['malformed_placeholder', '{{|x}}', 2, 36],
      ['malformed_placeholder', '{{.a}}', 2, 43],
      ['malformed_placeholder', '{{order.number', 2, 50],
    ]);
    expect(errors[0]?.message).toBe('Empty placeholder "{{}}" at line 1, column 3');
    expect(errors[2]?.message).toBe(
      'Invalid character a space in placeholder "{{customer name}}" at line 2, column 1',
    );
    expect(errors[3]?.message).toContain('Invalid character "-"');
    expect(errors[6]?.message).toBe(
      'Unclosed placeholder "{{order.number" at line 2, column 50: "}}" is missing',
    );
  });

  it('keeps parsing after an unclosed placeholder (one typo does not swallow the next)', () => {
    const text = 'Hi {{customer.first_name, order {{order.number}}\n{{order.status\nbye';
    const { errors, variables } = parseTemplate(text);
    expect(variables.map((v) => v.name)).toEqual(['order.number']);
    expect(
      errors.map((e) => [text.slice(e.offset, e.offset + e.length), e.line, e.column]),
    ).toEqual([
      ['{{customer.first_name, order', 1, 4],
      ['{{order.status', 2, 1],
    ]);
  });

  it('keeps malformed text inside text tokens so the tokens rebuild the input', () => {
    const text = 'x {{ bad name }} y {{order.number}} {{';
    const { tokens } = parseTemplate(text);
    expect(tokens.map((t) => (t.kind === 'text' ? t.text : t.raw)).join('')).toBe(text);
  });
});

describe('validateTemplate', () => {
  it('reports an unknown variable with its exact position and a suggestion', () => {
    const problems = validateTemplate('Your order {{order.nubmer}} is on its way');
    expect(problems).toEqual([
      {
        code: 'unknown_variable',
        name: 'order.nubmer',
        suggestion: 'order.number',
        offset: 11,
        length: 16,
        line: 1,
        column: 12,
        message:
          'Unknown variable "order.nubmer" at line 1, column 12 (did you mean "order.number"?)',
      },
    ]);
  });

  it('locates problems on later lines and keeps text order', () => {
    const problems = validateTemplate('Hello {{customer.name}}\n\n  {{ vip.level }} and {{oops');
    expect(problems.map((p) => [p.code, p.name, p.line, p.column, p.offset])).toEqual([
      ['unknown_variable', 'vip.level', 3, 3, 27],
      ['malformed_placeholder', undefined, 3, 23, 47],
    ]);
    expect(problems[0]).not.toHaveProperty('suggestion');
    expect(problems[0]?.message).toBe('Unknown variable "vip.level" at line 3, column 3');
  });

  it('accepts a custom list of names, as strings or registry entries', () => {
    expect(validateTemplate('{{ticket.id}}', ['ticket.id'])).toEqual([]);
    expect(validateTemplate('{{ticket.id}}', [{ name: 'ticket.id' }])).toEqual([]);
    expect(validateTemplate('{{order.number}}', ['ticket.id'])[0]?.code).toBe('unknown_variable');
  });

  it('treats positional placeholders as unknown in a quick reply', () => {
    expect(validateTemplate('Hi {{1}}')[0]).toMatchObject({ code: 'unknown_variable', name: '1' });
  });
});

describe('renderTemplate', () => {
  it('fills variables as plain text', () => {
    const result = renderTemplate(
      'Hi {{customer.first_name}}, your order {{order.number}} is {{ order.status }}; track it at {{order.tracking_url}}',
      order,
    );
    expect(result.text).toBe(
      'Hi Ana, your order 100482 is shipped; track it at https://track.example.com/1Z999AA10123456784',
    );
    expect(result.complete).toBe(true);
    expect(result.unfilled).toEqual([]);
    expect(result.segments).toEqual([
      { kind: 'text', text: 'Hi ' },
      { kind: 'value', text: 'Ana', name: 'customer.first_name', fallback: false },
      { kind: 'text', text: ', your order ' },
      { kind: 'value', text: '100482', name: 'order.number', fallback: false },
      { kind: 'text', text: ' is ' },
      { kind: 'value', text: 'shipped', name: 'order.status', fallback: false },
      { kind: 'text', text: '; track it at ' },
      {
        kind: 'value',
        text: 'https://track.example.com/1Z999AA10123456784',
        name: 'order.tracking_url',
        fallback: false,
      },
    ]);
  });

  it('fills the order variables, numbers included', () => {
    const result = renderTemplate(
      '{{order.carrier}} {{order.tracking_number}} for {{order.total}} {{order.currency}} ({{order.items}})',
      { order: { ...order.order, total: 49.9, currency: 'EUR', items: '2 × Shirt' } },
    );
    expect(result.text).toBe('UPS 1Z999AA10123456784 for 49.9 EUR (2 × Shirt)');
    expect(result.complete).toBe(true);
  });

  it('keeps unfilled placeholders as written, positioned exactly in the output', () => {
    const result = renderTemplate(
      'Hi {{customer.first_name}},\norder {{ order.number }} via {{order.carrier}}: {{order.tracking_url}}',
      { customer: { first_name: 'Maximiliano' }, order: { carrier: 'DHL' } },
    );
    expect(result.text).toBe(
      'Hi Maximiliano,\norder {{ order.number }} via DHL: {{order.tracking_url}}',
    );
    expect(result.complete).toBe(false);
    expect(result.unfilled).toEqual([
      { name: 'order.number', offset: 22, length: 18 },
      { name: 'order.tracking_url', offset: 50, length: 22 },
    ]);
    for (const u of result.unfilled) {
      expect(result.text.slice(u.offset, u.offset + u.length)).toMatch(/^\{\{ ?order\.\w+ ?\}\}$/);
    }
    expect(result.segments.filter((s) => s.kind === 'unfilled').map((s) => s.text)).toEqual([
      '{{ order.number }}',
      '{{order.tracking_url}}',
    ]);
  });

  it('counts empty, blank and non-finite values as unfilled', () => {
    const result = renderTemplate(
      '{{order.number}}|{{order.status}}|{{order.total}}|{{order.carrier}}',
      {
        order: { number: '', status: ' \t', total: Number.NaN, carrier: null },
      },
    );
    expect(result.unfilled.map((u) => u.name)).toEqual([
      'order.number',
      'order.status',
      'order.total',
      'order.carrier',
    ]);
    expect(result.text).toBe('{{order.number}}|{{order.status}}|{{order.total}}|{{order.carrier}}');
  });

  it('uses the fallback when the value is missing or empty, and the value when present', () => {
    const template = 'Hi {{customer.first_name|there}}{{order.carrier|}}!';
    expect(renderTemplate(template, {}).text).toBe('Hi there!');
    expect(renderTemplate(template, { customer: { first_name: '' } }).text).toBe('Hi there!');
    expect(renderTemplate(template, { customer: { first_name: 'Ana' } }).text).toBe('Hi Ana!');
    const result = renderTemplate(template, {});
    expect(result.complete).toBe(true);
    expect(result.segments).toEqual([
      { kind: 'text', text: 'Hi ' },
      { kind: 'value', text: 'there', name: 'customer.first_name', fallback: true },
      { kind: 'text', text: '!' },
    ]);
  });

  it('never injects markup: HTML stays literal text', () => {
    const result = renderTemplate('Hi {{customer.name}}', {
      customer: { name: '<script>alert("x")</script><b>Ana</b>&amp;' },
    });
    expect(result.text).toBe('Hi <script>alert("x")</script><b>Ana</b>&amp;');
    expect(result.segments[1]).toEqual({
      kind: 'value',
      text: '<script>alert("x")</script><b>Ana</b>&amp;',
      name: 'customer.name',
      fallback: false,
    });
  });

  it('strips control characters from values but keeps newlines and tabs', () => {
    const result = renderTemplate('[{{order.items}}]', {
      order: { items: 'a\u0000b\u0007c\u001b[31md\u007f\u009be\r\nf\rg\th\n' },
    });
    expect(result.text).toBe('[abc[31mde\nf\ng\th\n]');
    expect(sanitizeValue('\u0000\u0008\t\n\u000b\u000c\u000e\u001f\u0080')).toBe('\t\n');
  });

  it('never re-expands placeholders that come from values', () => {
    const result = renderTemplate('{{customer.name}} / {{order.number}}', {
      customer: { name: '{{order.number}} {{customer.name}} {{1}} {{' },
      order: { number: '7' },
    });
    expect(result.text).toBe('{{order.number}} {{customer.name}} {{1}} {{ / 7');
    expect(result.complete).toBe(true);
    expect(result.unfilled).toEqual([]);
  });

  it('leaves unknown variables visible even with a fallback', () => {
    const result = renderTemplate('Hi {{customer.frist_name|there}} {{customer.constructor}}', {
      customer: { first_name: 'Ana' },
    });
    expect(result.text).toBe('Hi {{customer.frist_name|there}} {{customer.constructor}}');
    expect(result.unknown).toEqual([
      { name: 'customer.frist_name', offset: 3, length: 29 },
      { name: 'customer.constructor', offset: 33, length: 24 },
    ]);
    expect(result.complete).toBe(false);
  });

  it('keeps malformed placeholders literal and marks the result incomplete', () => {
    const result = renderTemplate('Hi {{customer.name} {{order.number}}', {
      customer: { name: 'Ana' },
      order: { number: '9' },
    });
    expect(result.text).toBe('Hi {{customer.name} 9');
    expect(result.malformed).toHaveLength(1);
    expect(result.malformed[0]).toMatchObject({ offset: 3, line: 1, column: 4 });
    expect(result.complete).toBe(false);
  });

  it('reads only own properties of the context', () => {
    const inherited = Object.create({ first_name: 'Inherited' }) as { first_name?: string };
    const result = renderTemplate('{{customer.first_name}}', { customer: inherited });
    expect(result.unfilled.map((u) => u.name)).toEqual(['customer.first_name']);
  });
});

describe('toWhatsAppParameters', () => {
  it('numbers variables by first appearance and reuses the number for a repeated name', () => {
    const result = toWhatsAppParameters(
      'Hi {{customer.first_name}}, order {{order.number}} is {{order.status}}. ' +
        'Order {{ order.number }} ships with {{order.carrier}}, {{customer.first_name}}.',
      order,
    );
    expect(result.body).toBe(
      'Hi {{1}}, order {{2}} is {{3}}. Order {{2}} ships with {{4}}, {{1}}.',
    );
    expect(result.names).toEqual([
      'customer.first_name',
      'order.number',
      'order.status',
      'order.carrier',
    ]);
    expect(result.parameters).toEqual([
      { type: 'text', text: 'Ana' },
      { type: 'text', text: '100482' },
      { type: 'text', text: 'shipped' },
      { type: 'text', text: 'UPS' },
    ]);
    expect(result.complete).toBe(true);
    expect(positionalNames(result.body).ok).toBe(true);
  });

  it('reports unfilled and unknown names, uses fallbacks, and numbers everything', () => {
    const result = toWhatsAppParameters(
      '{{customer.first_name|there}} {{order.tracking_url}} {{order.nubmer}} {{customer.first_name}}',
      {},
    );
    expect(result.body).toBe('{{1}} {{2}} {{3}} {{1}}');
    expect(result.parameters.map((p) => p.text)).toEqual(['there', '', '']);
    expect(result.unfilled).toEqual(['order.tracking_url', 'order.nubmer']);
    expect(result.unknown).toEqual(['order.nubmer']);
    expect(result.complete).toBe(false);
  });

  it('flattens newlines, tabs and long space runs, which WhatsApp rejects in parameters', () => {
    const result = toWhatsAppParameters('Items: {{order.items}}', {
      order: { items: '2 × Shirt\r\n1 × Tote\t(gift)       wrapped' },
    });
    expect(result.parameters).toEqual([
      { type: 'text', text: '2 × Shirt 1 × Tote (gift)    wrapped' },
    ]);
  });

  it('leaves malformed placeholders in the body and reports them', () => {
    const result = toWhatsAppParameters('Hi {{customer name}} {{order.number}}', order);
    expect(result.body).toBe('Hi {{customer name}} {{1}}');
    expect(result.malformed).toHaveLength(1);
    expect(result.complete).toBe(false);
  });
});

describe('positionalNames', () => {
  it('lists sequential numbers with positions', () => {
    const check = positionalNames('Hi {{1}},\nyour order {{2}} ships {{3}}. Thanks {{1}}');
    expect(check.ok).toBe(true);
    expect(check.problems).toEqual([]);
    expect(check.numbers).toEqual([1, 2, 3]);
    expect(check.placeholders.map((p) => [p.number, p.line, p.column])).toEqual([
      [1, 1, 4],
      [2, 2, 12],
      [3, 2, 24],
      [1, 2, 38],
    ]);
  });

  it('reports a gap at the placeholder after it', () => {
    const check = positionalNames('{{1}} {{3}}');
    expect(check.ok).toBe(false);
    expect(check.numbers).toEqual([1, 3]);
    expect(check.problems).toEqual([
      {
        code: 'missing_number',
        missing: [2],
        offset: 6,
        length: 5,
        line: 1,
        column: 7,
        message:
          'Placeholder {{3}} at line 1, column 7 skips {{2}}: WhatsApp needs numbers from {{1}} without gaps',
      },
    ]);
  });

  it('reports numbering that does not start at 1, and wider gaps', () => {
    const check = positionalNames('{{2}} and\n{{6}}');
    expect(check.problems.map((p) => [p.code, p.missing, p.line, p.column])).toEqual([
      ['missing_number', [1], 1, 1],
      ['missing_number', [3, 4, 5], 2, 1],
    ]);
    expect(check.problems[1]?.message).toContain('skips {{3}} to {{5}}');
  });

  it('accepts numbers out of order as long as none is missing', () => {
    expect(positionalNames('{{2}} then {{1}}').ok).toBe(true);
    expect(positionalNames('No variables at all').ok).toBe(true);
  });

  it('reports named, zero, padded, spaced and malformed placeholders', () => {
    const check = positionalNames('{{customer.name}} {{0}} {{01}} {{ 1 }} {{1|x}} {{2');
    expect(check.problems.map((p) => [p.code, p.column])).toEqual([
      ['named_placeholder', 1],
      ['invalid_number', 19],
      ['invalid_number', 25],
      ['malformed_placeholder', 32],
      ['malformed_placeholder', 40],
      ['malformed_placeholder', 48],
    ]);
    expect(check.numbers).toEqual([]);
  });
});

describe('properties', () => {
  const names = TEMPLATE_VARIABLES.map((v) => v.name);
  // Mostly hostile fragments: placeholders, markup, control characters, line breaks.
  const fragment = fc.oneof(
    fc.constantFrom(
      '{{',
      '}}',
      '{',
      '}',
      '|',
      '{{order.number}}',
      '{{ customer.name }}',
      '{{1}}',
      '<script>alert(1)</script>',
      '\u0000',
      '\u0007',
      '\u009b',
      '\r\n',
      '\r',
      '\n',
      '\t',
      ' ',
    ),
    fc.string({ unit: 'binary-ascii', maxLength: 3 }),
    fc.string({ unit: 'grapheme', maxLength: 3 }),
  );
  const value = fc.oneof(
    fc.array(fragment, { maxLength: 8 }).map((parts) => parts.join('')),
    fc.string({ unit: 'binary' }),
  );

  it('renders every value verbatim (after control-character stripping) and never expands it', () => {
    const template = names.map((name) => `<{{${name}}}>`).join('\n');
    fc.assert(
      fc.property(fc.array(value, { minLength: names.length, maxLength: names.length }), (vs) => {
        const values = new Map(names.map((name, k) => [name, vs[k] ?? '']));
        const result = renderTemplate(template, contextOf(values));

        const expected = names.map((name) => {
          const clean = sanitizeValue(values.get(name) ?? '');
          return clean.trim() === '' ? `<{{${name}}}>` : `<${clean}>`;
        });
        expect(result.text).toBe(expected.join('\n'));
        expect(result.segments.map((s) => s.text).join('')).toBe(result.text);
        for (const name of names) {
          const clean = sanitizeValue(values.get(name) ?? '');
          if (clean.trim() !== '') expect(result.text).toContain(clean);
        }
        for (const u of result.unfilled) {
          expect(result.text.slice(u.offset, u.offset + u.length)).toBe(`{{${u.name}}}`);
        }
        expect(result.unknown).toEqual([]);
      }),
      { numRuns: 300 },
    );
  });

  it('parses any text without throwing; tokens rebuild it and positions are exact', () => {
    fc.assert(
      fc.property(fc.array(fragment, { maxLength: 20 }), (parts) => {
        const text = parts.join('');
        const { tokens, errors } = parseTemplate(text);
        expect(tokens.map((t) => (t.kind === 'text' ? t.text : t.raw)).join('')).toBe(text);
        for (const item of [...tokens, ...errors]) {
          const before = text.slice(0, item.offset).split(/\r\n|\r|\n/);
          expect(item.line).toBe(before.length);
          expect(item.column).toBe((before.at(-1) ?? '').length + 1);
        }
      }),
      { numRuns: 300 },
    );
  });
});
