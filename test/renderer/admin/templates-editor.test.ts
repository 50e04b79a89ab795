import { describe, expect, it } from 'vitest';
import exampleJson from '../../../resources/pricing/rate-card.example.json';
import {
  categoryCosts,
  describeVersion,
  emptyForm,
  filterTemplates,
  foldersOf,
  formOf,
  formProblems,
  inputOfForm,
  isDirty,
  problemsAt,
  quickReplyPreview,
  tagsOf,
  whatsappChecklist,
  whatsappCountries,
  whatsappPreview,
  uploadChannelOf,
  type TemplateForm,
} from '../../../src/renderer/src/features/admin/templates/template-editor';
import { parseRateCard } from '../../../src/shared/pricing';
import type { TemplateVersion } from '../../../src/shared/protocol/templates';
import { template } from '../composer/fixtures';

const card = parseRateCard(exampleJson);
const AT = Date.parse('2026-11-21T12:00:00Z');

const quickReply = (patch: Partial<TemplateForm>): TemplateForm => ({
  ...emptyForm('quick_reply'),
  name: 'Status',
  body: 'Hi {{customer.first_name}}',
  ...patch,
});
const whatsapp = (patch: Partial<TemplateForm>): TemplateForm => ({
  ...emptyForm('whatsapp'),
  name: 'order_update',
  body: 'Hello {{1}}, order {{2}} is late.',
  examples: ['Ana', '100482'],
  ...patch,
});

describe('the editor form', () => {
  it('shows an unknown variable beside the body with its line and column, as the hub words it', () => {
    const problems = formProblems(quickReply({ body: 'Hello,\n{{order.nubmer}} left' }));
    expect(problemsAt(problems, 'body')).toEqual([
      'Unknown variable "order.nubmer" at line 2, column 1 (did you mean "order.number"?)',
    ]);
  });

  it('has no problems for a valid quick reply and sends blanks as null', () => {
    const form = quickReply({ shortcut: '  ', folder: '' });
    expect(formProblems(form)).toEqual([]);
    expect(inputOfForm(form)).toMatchObject({ shortcut: null, folder: null, header: null });
  });

  it('keys problems of buttons and examples by their index', () => {
    const problems = formProblems(
      whatsapp({
        examples: ['Ana', ''],
        buttons: [{ type: 'quick_reply', text: 'x'.repeat(26) }],
      }),
    );
    expect(problemsAt(problems, 'examples.1')).toEqual([
      "Variable {{2}} needs an example value for Meta's review",
    ]);
    expect(problemsAt(problems, 'buttons.0')).toEqual([
      "Button 1's label is 26 characters; WhatsApp allows 25",
    ]);
  });

  it('knows when the form differs from the saved template', () => {
    const saved = template({ id: 't1', body: 'Hello' });
    expect(isDirty(formOf(saved), saved)).toBe(false);
    expect(isDirty({ ...formOf(saved), body: 'Hello!' }, saved)).toBe(true);
    expect(isDirty(emptyForm('quick_reply'), null)).toBe(false);
  });
});

describe('the WhatsApp checklist', () => {
  it('ticks every rule of a valid template', () => {
    expect(whatsappChecklist(whatsapp({})).every((rule) => rule.ok)).toBe(true);
  });

  it('lists the reasons under the rule they break', () => {
    const rules = whatsappChecklist(
      whatsapp({ body: `{{1}} ${'x'.repeat(1030)}`, examples: ['Ana'], footer: 'f'.repeat(61) }),
    );
    const failing = rules.filter((r) => !r.ok).map((r) => [r.label, r.reasons]);
    expect(failing).toEqual([
      ['Body of at most 1,024 characters', ['The body is 1036 characters; WhatsApp allows 1024']],
      [
        'No variable at the start or end of the body',
        ['The body may not start with a variable ({{1}} at line 1, column 1)'],
      ],
      [
        'Header and footer: one line of at most 60 characters, no variables',
        ['The footer is 61 characters; WhatsApp allows 60'],
      ],
    ]);
  });
});

describe('the list', () => {
  const list = [
    template({ id: 'a', name: 'Returns', folder: 'Orders', tags: ['refund'] }),
    template({ id: 'b', name: 'Greeting', shortcut: 'hi' }),
    template({ id: 'c', name: 'order_update', kind: 'whatsapp', folder: 'Orders' }),
  ];
  const all = { query: '', kind: 'all', folder: null, tag: null } as const;

  it('filters by text, kind, folder and tag, folders first', () => {
    expect(filterTemplates(list, all).map((t) => t.id)).toEqual(['c', 'a', 'b']);
    expect(filterTemplates(list, { ...all, query: 'hi' }).map((t) => t.id)).toEqual(['b']);
    expect(filterTemplates(list, { ...all, kind: 'whatsapp' }).map((t) => t.id)).toEqual(['c']);
    expect(filterTemplates(list, { ...all, folder: '' }).map((t) => t.id)).toEqual(['b']);
    expect(filterTemplates(list, { ...all, tag: 'refund' }).map((t) => t.id)).toEqual(['a']);
    expect(foldersOf(list)).toEqual(['Orders']);
    expect(tagsOf(list)).toEqual(['refund']);
  });
});

describe('the preview', () => {
  it('fills a quick reply from the sample customer and order', () => {
    const text = quickReplyPreview('Hi {{customer.first_name}}, {{order.number}} {{order.nope}}')
      .map((s) => s.text)
      .join('');
    expect(text).toBe('Hi Ana, 100482 {{order.nope}}');
  });

  it('fills WhatsApp variables with their examples and marks those without', () => {
    expect(whatsappPreview('Hi {{1}}, {{2}}.', ['Ana'])).toEqual([
      { kind: 'text', text: 'Hi ' },
      { kind: 'value', text: 'Ana', number: 1 },
      { kind: 'text', text: ', ' },
      { kind: 'missing', text: '{{2}}', number: 2 },
      { kind: 'text', text: '.' },
    ]);
  });
});

describe('the cost per category', () => {
  it('prices each category outside the window from the example rate card, and says it is an example', () => {
    const costs = categoryCosts(card, 'GB', AT);
    expect(costs.map((c) => c.category)).toEqual(['marketing', 'utility', 'authentication']);
    expect(costs.every((c) => c.cost.tone === 'charged' && c.cost.example)).toBe(true);
    expect(whatsappCountries(card)).toContain('GB');
    expect(whatsappCountries(card).at(-1)).toBe('default');
    expect(categoryCosts(null, 'GB', AT)[0]?.cost.label).toBe('Price unknown');
  });
});

describe('the history', () => {
  const version = (patch: Partial<TemplateVersion>): TemplateVersion => ({
    version: 2,
    action: 'updated',
    restoredFrom: null,
    at: AT,
    by: { id: 'u1', name: 'Admin' },
    template: template({ id: 't1' }),
    changed: ['body', 'rejectionReason'],
    ...patch,
  });

  it('says what each version changed', () => {
    expect(describeVersion(version({}))).toBe('changed body, rejection reason');
    expect(describeVersion(version({ action: 'created', changed: [] }))).toBe('created');
    expect(
      describeVersion(version({ action: 'restored', restoredFrom: 1, changed: ['body'] })),
    ).toBe('restored version 1 (body)');
  });
});

describe("template editor: a quick reply's file", () => {
  const file = {
    sha256: 'b'.repeat(64),
    mimeType: 'application/pdf',
    filename: 'returns-label.pdf',
    size: 48_213,
  };

  it('is carried from the saved reply to the form and back to what the hub is sent', () => {
    const saved = template({ id: 'tpl_label', attachment: file });
    const form = formOf(saved);
    expect(form.attachment).toEqual(file);
    expect(inputOfForm(form).attachment).toEqual(file);
    expect(isDirty(form, saved)).toBe(false);
    // Removed: the hub is sent none, and the form differs from the saved reply.
    const removed = { ...form, attachment: null };
    expect([inputOfForm(removed).attachment, isDirty(removed, saved)]).toEqual([null, true]);
    // A WhatsApp template never carries one.
    expect(inputOfForm({ ...whatsapp({}), attachment: file }).attachment).toBe(null);
  });

  it("names each of the reply's channels that would refuse the file, before Save (Telegram takes it)", () => {
    expect(
      problemsAt(
        formProblems(quickReply({ channels: ['messenger'], attachment: file })),
        'attachment',
      ),
    ).toEqual([]);
    expect(
      problemsAt(
        formProblems(
          quickReply({
            channels: ['whatsapp', 'telegram', 'instagram'],
            attachment: {
              ...file,
              mimeType: 'image/png',
              filename: 'big.png',
              size: 9 * 1024 * 1024,
            },
          }),
        ),
        'attachment',
      ),
    ).toEqual([
      'WhatsApp accepts images up to 5 MB; this file is 9 MB.',
      'Instagram accepts images up to 8 MB; this file is 9 MB.',
    ]);
    expect(uploadChannelOf(quickReply({ channels: ['instagram', 'messenger'] }))).toBe('instagram');
    expect(uploadChannelOf(quickReply({ channels: [] }))).toBe(null);
  });
});
