import { createElement, type ReactNode } from 'react';
import { renderToStaticMarkup } from 'react-dom/server';
import { MantineProvider } from '@mantine/core';
import { describe, expect, it } from 'vitest';
import {
  emptyForm,
  formProblems,
  type TemplateForm,
} from '../../../src/renderer/src/features/admin/templates/template-editor';
import { TemplateFormFields } from '../../../src/renderer/src/features/admin/templates/TemplateFormFields';
import {
  TemplatePreview,
  WhatsAppChecklist,
} from '../../../src/renderer/src/features/admin/templates/TemplatePreview';
import { VersionHistory } from '../../../src/renderer/src/features/admin/templates/VersionHistory';
import { template } from '../composer/fixtures';

/** Server-rendered markup: enough to pin what the editor shows for a given form. */
const render = (node: ReactNode): string =>
  renderToStaticMarkup(createElement(MantineProvider, null, node));

const fields = (form: TemplateForm) =>
  render(
    createElement(TemplateFormFields, {
      form,
      problems: formProblems(form),
      folders: [],
      tags: [],
      onChange: () => undefined,
    }),
  );

describe('the template editor views', () => {
  it('shows an unknown variable beside the body with its line and column', () => {
    const html = fields({
      ...emptyForm('quick_reply'),
      name: 'Order',
      body: 'Your order {{order.nubmer}}',
    });
    expect(html).toContain('data-testid="field-error"');
    expect(html).toContain(
      'Unknown variable &quot;order.nubmer&quot; at line 1, column 12 (did you mean &quot;order.number&quot;?)',
    );
  });

  it('asks for one example per WhatsApp variable and counts the body against 1,024', () => {
    const html = fields({ ...emptyForm('whatsapp'), name: 'x', body: 'Hi {{1}} and {{2}}.' });
    expect(html).toContain('aria-label="Example for {{1}}"');
    expect(html).toContain('aria-label="Example for {{2}}"');
    expect(html).not.toContain('aria-label="Example for {{3}}"');
    expect(html).toContain('19 / 1024');
  });

  it('previews a quick reply with the sample customer and marks unknown variables', () => {
    const html = render(
      createElement(TemplatePreview, {
        form: { ...emptyForm('quick_reply'), body: 'Hi {{customer.first_name}} {{x.y}}' },
      }),
    );
    expect(html).toContain('>Ana</mark>');
    expect(html).toContain('>{{x.y}}</mark>');
  });

  it('lists the failing WhatsApp rule with its reason', () => {
    const html = render(
      createElement(WhatsAppChecklist, {
        form: { ...emptyForm('whatsapp'), name: 'x', body: `Hi ${'x'.repeat(1030)}` },
      }),
    );
    expect(html).toContain('1 to fix');
    expect(html).toContain('The body is 1033 characters; WhatsApp allows 1024');
  });

  it('shows who changed which fields, and offers to restore older versions only', () => {
    const html = render(
      createElement(VersionHistory, {
        versions: [
          {
            version: 2,
            action: 'updated',
            restoredFrom: null,
            at: Date.parse('2026-11-21T12:00:00Z'),
            by: { id: 'u1', name: 'Dana Admin' },
            template: template({ id: 't1' }),
            changed: ['body', 'tags'],
          },
          {
            version: 1,
            action: 'created',
            restoredFrom: null,
            at: Date.parse('2026-11-20T12:00:00Z'),
            by: null,
            template: template({ id: 't1' }),
            changed: [],
          },
        ],
        error: null,
        currentVersion: 2,
        restoring: null,
        onRestore: () => undefined,
        locale: 'en-GB',
      }),
    );
    expect(html).toContain('changed body, tags');
    expect(html).toContain('Dana Admin');
    expect(html).toContain('Replydesk');
    expect(html).toContain('aria-label="Restore version 1"');
    expect(html).not.toContain('aria-label="Restore version 2"');
  });
});
