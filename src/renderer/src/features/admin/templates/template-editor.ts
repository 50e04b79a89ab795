import { HOUR_MS, type ChannelKind } from '../../../../../shared/domain/channels';
import type { QuickReplyFile, Template, TemplateButton } from '../../../../../shared/domain/model';
import type { RateCard, TemplateCategory } from '../../../../../shared/pricing';
import {
  inputOf,
  templateInputSchema,
  TEMPLATE_FIELD_LABELS,
  type TemplateInput,
  type TemplateInputDraft,
  type TemplateVersion,
} from '../../../../../shared/protocol/templates';
import { plainWords } from '../../../../../shared/protocol/field-errors';
import { checkUpload } from '../../../../../shared/media/limits';
import { computeReplyWindow } from '../../../../../shared/reply-window';
import {
  checkWhatsAppTemplate,
  type TemplateCheckCode,
  type TemplateCheckProblem,
} from '../../../../../shared/templates/checks';
import {
  positionalNames,
  renderTemplate,
  TEMPLATE_VARIABLES,
  type RenderSegment,
  type TemplateContext,
} from '../../../../../shared/templates';
import { costLine, type CostLine } from '../../composer/cost';

/**
 * The template editor's logic, kept out of the components so it is tested without a browser:
 * the form and its conversion to what the hub takes, the live problems per field (the very
 * checks the hub runs), the list's filters, the preview and the cost per category.
 */

export type TemplateKind = Template['kind'];

/** The form as the inputs hold it: text where the hub takes null for "none". */
export interface TemplateForm {
  readonly kind: TemplateKind;
  readonly name: string;
  readonly shortcut: string;
  readonly body: string;
  readonly language: string;
  readonly category: TemplateCategory | null;
  readonly channels: readonly ChannelKind[];
  readonly status: Template['status'];
  readonly folder: string;
  readonly tags: readonly string[];
  readonly header: string;
  readonly footer: string;
  readonly buttons: readonly TemplateButton[];
  readonly examples: readonly string[];
  readonly rejectionReason: string;
  /** A quick reply's file, uploaded to the hub (`POST /api/media`); null for none. */
  readonly attachment: QuickReplyFile | null;
}

const ALL_CHANNELS: readonly ChannelKind[] = [
  'whatsapp',
  'messenger',
  'instagram',
  'telegram',
  'wechat',
  'viber',
  'kakao',
];

export function emptyForm(kind: TemplateKind): TemplateForm {
  return {
    kind,
    name: '',
    shortcut: '',
    body: '',
    language: 'en',
    category: kind === 'whatsapp' ? 'utility' : null,
    channels: kind === 'whatsapp' ? ['whatsapp'] : ALL_CHANNELS,
    status: kind === 'whatsapp' ? 'draft' : 'approved',
    folder: '',
    tags: [],
    header: '',
    footer: '',
    buttons: [],
    examples: [],
    rejectionReason: '',
    attachment: null,
  };
}

export function formOf(template: Template | TemplateInput): TemplateForm {
  return {
    kind: template.kind,
    name: template.name,
    shortcut: template.shortcut ?? '',
    body: template.body,
    language: template.language,
    category: template.category,
    channels: template.channels,
    status: template.status,
    folder: template.folder ?? '',
    tags: template.tags,
    header: template.header ?? '',
    footer: template.footer ?? '',
    buttons: template.buttons,
    examples: template.examples,
    rejectionReason: template.rejectionReason ?? '',
    attachment: template.kind === 'quick_reply' ? (template.attachment ?? null) : null,
  };
}

const orNull = (text: string): string | null => (text.trim() === '' ? null : text);

/** What the hub is sent. */
export function inputOfForm(form: TemplateForm): TemplateInputDraft {
  const whatsapp = form.kind === 'whatsapp';
  return {
    kind: form.kind,
    name: form.name,
    shortcut: orNull(form.shortcut.trim()),
    body: form.body,
    language: form.language,
    category: whatsapp ? form.category : null,
    channels: [...form.channels],
    status: form.status,
    folder: orNull(form.folder),
    tags: [...form.tags],
    header: whatsapp ? orNull(form.header) : null,
    footer: whatsapp ? orNull(form.footer) : null,
    buttons: whatsapp ? [...form.buttons] : [],
    examples: whatsapp ? [...form.examples] : [],
    rejectionReason: whatsapp && form.status === 'rejected' ? orNull(form.rejectionReason) : null,
    attachment: whatsapp || form.attachment === null ? null : { ...form.attachment },
  };
}

/** Whether the form differs from the saved template (or is a new one with something typed). */
export function isDirty(form: TemplateForm, saved: Template | null): boolean {
  const base = saved ? formOf(saved) : emptyForm(form.kind);
  return JSON.stringify(base) !== JSON.stringify(form);
}

/** A problem of the form, keyed by the field path the inputs use (`body`, `buttons.1`, …). */
export interface FormProblem {
  readonly path: string;
  readonly message: string;
}

/**
 * Every reason the hub would refuse the form, computed with the same schema and checks the hub
 * uses. Keyed by field path, each message as the hub words it ("Required", never zod's "Too
 * small: expected string to have >=1 characters").
 */
export function formProblems(form: TemplateForm): FormProblem[] {
  const parsed = templateInputSchema.safeParse(inputOfForm(form), { error: plainWords });
  const problems = parsed.success
    ? []
    : parsed.error.issues.map((issue) => ({
        path: issue.path.map(String).join('.'),
        message: issue.message,
      }));
  return [...problems, ...attachmentProblems(form)];
}

/**
 * A quick reply's file against each of its channels' limits (the hub refuses the save
 * otherwise, 413/415): one reason per channel that would not take it.
 */
export function attachmentProblems(form: TemplateForm): FormProblem[] {
  const file = form.attachment;
  if (form.kind !== 'quick_reply' || file === null) return [];
  return form.channels.flatMap((channel) => {
    const check = checkUpload(channel, file.mimeType, file.size ?? 1);
    return check.ok ? [] : [{ path: 'attachment', message: check.reason }];
  });
}

/** The channel a quick reply's file is uploaded for: the hub checks the others on Save. */
export function uploadChannelOf(form: TemplateForm): ChannelKind | null {
  return form.channels[0] ?? null;
}

/** The messages for one field (`body`) or one item of a list field (`buttons.0`). */
export function problemsAt(problems: readonly FormProblem[], path: string): string[] {
  return problems.filter((p) => p.path === path).map((p) => p.message);
}

/** One of WhatsApp's rules with whether the form passes it, for the live checklist. */
export interface WhatsAppRule {
  readonly label: string;
  readonly ok: boolean;
  readonly reasons: readonly string[];
}

const RULES: readonly { label: string; codes: readonly TemplateCheckCode[] }[] = [
  { label: 'Name: lower-case letters, digits and _', codes: ['invalid_name'] },
  { label: 'Category chosen', codes: ['missing_category'] },
  { label: 'Body of at most 1,024 characters', codes: ['too_long', 'empty'] },
  {
    label: 'Variables numbered {{1}}…{{n}} without gaps',
    codes: ['variable_numbering', 'malformed_placeholder'],
  },
  {
    label: 'No variable at the start or end of the body',
    codes: ['variable_at_start', 'variable_at_end'],
  },
  { label: 'No variables side by side', codes: ['adjacent_variables'] },
  { label: 'An example value for every variable', codes: ['missing_example'] },
  {
    label: 'Header and footer: one line of at most 60 characters, no variables',
    codes: ['variable_not_allowed', 'line_break'],
  },
  {
    label: 'Buttons: at most 10, 2 URL, 1 phone; labels of at most 25 characters',
    codes: ['too_many_buttons', 'button_text', 'button_target'],
  },
];

/** WhatsApp's checks as a checklist: every rule, passed or with its reasons. */
export function whatsappChecklist(form: TemplateForm): WhatsAppRule[] {
  const input = inputOfForm(form);
  const problems: TemplateCheckProblem[] = checkWhatsAppTemplate({
    name: input.name,
    category: input.category ?? null,
    header: input.header ?? null,
    body: input.body,
    footer: input.footer ?? null,
    buttons: input.buttons ?? [],
    examples: input.examples ?? [],
    status: input.status ?? 'draft',
  });
  return RULES.map((rule) => {
    const reasons = problems
      .filter((p) => {
        // Length problems of the header and footer belong to their own rule, not the body's.
        if (p.code === 'too_long' && p.field !== 'body') return rule.codes.includes('line_break');
        return rule.codes.includes(p.code);
      })
      .map((p) => p.message);
    return { label: rule.label, ok: reasons.length === 0, reasons };
  });
}

// ---------------------------------------------------------------------------------------------
// List
// ---------------------------------------------------------------------------------------------

export interface ListFilter {
  readonly query: string;
  readonly kind: TemplateKind | 'all';
  /** A folder name, `''` for templates without one, or null for every folder. */
  readonly folder: string | null;
  readonly tag: string | null;
}

export function filterTemplates(templates: readonly Template[], filter: ListFilter): Template[] {
  const query = filter.query.trim().toLowerCase();
  return templates
    .filter((t) => filter.kind === 'all' || t.kind === filter.kind)
    .filter((t) => filter.folder === null || (t.folder ?? '') === filter.folder)
    .filter((t) => filter.tag === null || t.tags.includes(filter.tag))
    .filter(
      (t) =>
        query === '' ||
        t.name.toLowerCase().includes(query) ||
        (t.shortcut ?? '').toLowerCase().includes(query) ||
        t.body.toLowerCase().includes(query) ||
        t.tags.some((tag) => tag.toLowerCase().includes(query)),
    )
    .sort(
      (a, b) =>
        (a.folder ?? '\uffff').localeCompare(b.folder ?? '\uffff') || a.name.localeCompare(b.name),
    );
}

const distinctSorted = (values: Iterable<string>): string[] =>
  [...new Set(values)].sort((a, b) => a.localeCompare(b));

export const foldersOf = (templates: readonly Template[]): string[] =>
  distinctSorted(templates.flatMap((t) => (t.folder ? [t.folder] : [])));

export const tagsOf = (templates: readonly Template[]): string[] =>
  distinctSorted(templates.flatMap((t) => t.tags));

// ---------------------------------------------------------------------------------------------
// Preview
// ---------------------------------------------------------------------------------------------

/**
 * A sample customer, order, agent and business for the preview: the registry's own examples
 * (Ana Lima, order 100482), so the preview matches what the variable picker describes.
 */
export const SAMPLE_CONTEXT: TemplateContext = (() => {
  const context: Record<string, Record<string, string>> = {};
  for (const variable of TEMPLATE_VARIABLES) {
    const [group = '', field = ''] = variable.name.split('.');
    context[group] = { ...context[group], [field]: variable.example };
  }
  return context as TemplateContext;
})();

/** A quick reply filled from the sample, with the composer's renderer. */
export function quickReplyPreview(body: string): readonly RenderSegment[] {
  return renderTemplate(body, SAMPLE_CONTEXT).segments;
}

export type PreviewSegment =
  | { readonly kind: 'text'; readonly text: string }
  | { readonly kind: 'value'; readonly text: string; readonly number: number }
  | { readonly kind: 'missing'; readonly text: string; readonly number: number };

/** A WhatsApp body with each `{{n}}` replaced by its example value (left as written when none). */
export function whatsappPreview(body: string, examples: readonly string[]): PreviewSegment[] {
  const segments: PreviewSegment[] = [];
  let last = 0;
  for (const p of positionalNames(body).placeholders) {
    if (p.offset > last) segments.push({ kind: 'text', text: body.slice(last, p.offset) });
    const example = (examples[p.number - 1] ?? '').trim();
    segments.push(
      example === ''
        ? { kind: 'missing', text: body.slice(p.offset, p.offset + p.length), number: p.number }
        : { kind: 'value', text: example, number: p.number },
    );
    last = p.offset + p.length;
  }
  if (last < body.length) segments.push({ kind: 'text', text: body.slice(last) });
  return segments;
}

/** The highest `{{n}}` of a body: how many example values the form asks for. */
export function variableCount(body: string): number {
  const numbers = positionalNames(body).numbers;
  return numbers[numbers.length - 1] ?? 0;
}

// ---------------------------------------------------------------------------------------------
// Cost
// ---------------------------------------------------------------------------------------------

export const CATEGORIES: readonly TemplateCategory[] = ['marketing', 'utility', 'authentication'];

/** The countries the card prices WhatsApp for (its `default` row last), for the sample picker. */
export function whatsappCountries(card: RateCard | null): string[] {
  if (!card) return [];
  const codes = card.periods.flatMap((p) => (p.channel === 'whatsapp' ? Object.keys(p.rates) : []));
  const sorted = distinctSorted(codes.filter((c) => c !== 'default'));
  return codes.includes('default') ? [...sorted, 'default'] : sorted;
}

/**
 * What one template of each category costs sent outside the 24 h window (the customer wrote two
 * days ago) to `country`, at `at`: the quote the composer shows, from the same rate card.
 */
export function categoryCosts(
  card: RateCard | null,
  country: string,
  at: number,
): { category: TemplateCategory; cost: CostLine }[] {
  const window = computeReplyWindow('whatsapp', { lastInboundAt: at - 48 * HOUR_MS }, at);
  return CATEGORIES.map((category) => ({
    category,
    cost: costLine({
      window,
      kind: { type: 'template', category },
      rateCard: card,
      recipientCountry: country === 'default' ? null : country,
      at,
    }),
  }));
}

// ---------------------------------------------------------------------------------------------
// History
// ---------------------------------------------------------------------------------------------

/** "created", "changed body, tags", "restored version 2", "imported". */
export function describeVersion(version: TemplateVersion): string {
  const fields = version.changed
    .map((f) => TEMPLATE_FIELD_LABELS[f as keyof TemplateInput] ?? f)
    .join(', ');
  switch (version.action) {
    case 'created':
      return 'created';
    case 'restored':
      return `restored version ${version.restoredFrom ?? '?'}${fields ? ` (${fields})` : ''}`;
    case 'imported':
      return fields ? `imported: ${fields}` : 'imported';
    case 'updated':
      return fields ? `changed ${fields}` : 'saved without changes';
  }
}

/** The form of an old version, to compare with the current one. */
export const formOfVersion = (version: TemplateVersion): TemplateForm =>
  formOf(inputOf(version.template));
