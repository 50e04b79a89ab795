import type { ChannelKind } from '../../../../shared/domain/channels';
import type { Template } from '../../../../shared/domain/model';
import type { OutgoingContent } from '../../../../shared/protocol/commands';
import {
  positionalNames,
  renderTemplate,
  sanitizeValue,
  type TemplateContext,
  type TemplateVariableName,
} from '../../../../shared/templates';
import { fuzzyFilter } from './fuzzy';
import { primaryLanguage } from './quick-replies';

/**
 * WhatsApp message templates in the composer: which may be sent, their `{{1}}`, `{{2}}`…
 * parameters, and the text the customer will see — rendered exactly as the hub renders it
 * before sending (src/server/core/commands.ts, `send_message` with template content).
 */

/** Approved WhatsApp templates for the channel; the customer's language first, then by name. */
export function approvedTemplatesFor(
  templates: readonly Template[],
  channel: ChannelKind,
  language: string | null,
): Template[] {
  const wanted = language ? primaryLanguage(language) : null;
  const rank = (t: Template): number =>
    wanted !== null && primaryLanguage(t.language) === wanted ? 0 : 1;
  return templates
    .filter((t) => t.kind === 'whatsapp' && t.status === 'approved' && t.channels.includes(channel))
    .sort(
      (a, b) =>
        rank(a) - rank(b) || a.name.localeCompare(b.name) || a.language.localeCompare(b.language),
    );
}

/** Templates matching a search on name and body, best first; all of them for an empty query. */
export function searchTemplates(templates: readonly Template[], query: string): Template[] {
  return fuzzyFilter(templates, query, [
    { get: (t) => t.name, weight: 1.5 },
    { get: (t) => t.body, weight: 1 },
  ]).map((r) => r.item);
}

/**
 * The parameter numbers of a body, ascending (`[1, 2, 3]`). The hub expects exactly this many
 * parameters, `parameters[n - 1]` filling `{{n}}`.
 */
export function parameterNumbers(body: string): readonly number[] {
  return positionalNames(body).numbers;
}

/** A parameter as the hub stores and sends it: control characters removed, trimmed. */
export function normalizeParameter(value: string): string {
  return sanitizeValue(value).trim();
}

const POSITIONAL = /\{\{(\d+)\}\}/g;

/** The text the customer receives: the hub's rendering, character for character. */
export function renderWhatsAppBody(body: string, parameters: readonly string[]): string {
  const values = parameters.map(normalizeParameter);
  return body.replace(POSITIONAL, (_, n: string) => values[Number(n) - 1] ?? '');
}

export type PreviewSegment =
  | { readonly kind: 'text'; readonly text: string }
  /** A parameter's value; `text` is empty when the agent has not filled it yet. */
  | { readonly kind: 'parameter'; readonly number: number; readonly text: string };

/**
 * The rendered body in pieces, so the preview can mark the parameters and show empty ones.
 * Joined, the texts equal `renderWhatsAppBody(body, parameters)`.
 */
export function previewSegments(body: string, parameters: readonly string[]): PreviewSegment[] {
  const values = parameters.map(normalizeParameter);
  const segments: PreviewSegment[] = [];
  let last = 0;
  for (const match of body.matchAll(POSITIONAL)) {
    const index = match.index;
    if (index > last) segments.push({ kind: 'text', text: body.slice(last, index) });
    const number = Number(match[1]);
    segments.push({ kind: 'parameter', number, text: values[number - 1] ?? '' });
    last = index + match[0].length;
  }
  if (last < body.length) segments.push({ kind: 'text', text: body.slice(last) });
  return segments;
}

/** Cloud API limits on one body parameter. */
export const MAX_PARAMETER_LENGTH = 1024;

/**
 * Why a parameter cannot be sent, or null when it can. The hub refuses empty ones; the Cloud API
 * refuses newlines, tabs and more than four spaces in a row (error 132018).
 */
export function parameterProblem(value: string): string | null {
  const normalized = normalizeParameter(value);
  if (normalized === '') return 'Needs a value';
  if (normalized.length > MAX_PARAMETER_LENGTH) {
    return `At most ${MAX_PARAMETER_LENGTH.toLocaleString('en-US')} characters`;
  }
  if (/[\n\t]/.test(normalized)) return 'WhatsApp does not accept line breaks or tabs here';
  if (/ {5,}/.test(normalized)) return 'WhatsApp does not accept more than 4 spaces in a row';
  return null;
}

/** The content to send, or null while a parameter is missing or invalid. */
export function templateContent(
  template: Pick<Template, 'id' | 'body'>,
  parameters: readonly string[],
): Extract<OutgoingContent, { type: 'template' }> | null {
  const count = parameterNumbers(template.body).length;
  const values = Array.from({ length: count }, (_, i) => parameters[i] ?? '');
  if (values.some((v) => parameterProblem(v) !== null)) return null;
  return { type: 'template', templateId: template.id, parameters: values.map(normalizeParameter) };
}

/**
 * A few words of the body around `{{n}}`'s first use, so each input says what it is for:
 * `…update on your order {{2}}: it is now…`.
 */
export function parameterSnippet(body: string, n: number, radius = 28): string {
  const marker = `{{${n}}}`;
  const at = body.indexOf(marker);
  if (at < 0) return marker;
  const flat = (s: string) => s.replace(/\s+/g, ' ');
  // Stop at a neighbouring placeholder: each input describes its own.
  const previousClose = body.lastIndexOf('}}', at);
  const from = Math.max(0, at - radius, previousClose < 0 ? 0 : previousClose + 2);
  const nextOpen = body.indexOf('{{', at + marker.length);
  const to = Math.min(
    body.length,
    at + marker.length + radius,
    nextOpen < 0 ? body.length : nextOpen,
  );
  let before = flat(body.slice(from, at));
  let after = flat(body.slice(at + marker.length, to));
  // Cut at word boundaries, and say when something was cut.
  if (from > 0 && from === at - radius) before = `…${before.replace(/^\S*\s/, '')}`;
  if (to < body.length) after = `${after.replace(/\s+\S*$/, '')}…`;
  return `${before}${marker}${after}`;
}

/**
 * What usually goes in a parameter, judged by the words right before it. Templates carry no
 * mapping from `{{n}}` to a variable, so this is a suggestion the agent sees (and can change)
 * in the input and the preview before sending; it never fills a parameter whose meaning is
 * unclear.
 */
const SUGGESTIONS: readonly { readonly before: RegExp; readonly variable: TemplateVariableName }[] =
  [
    {
      before: /\b(?:hi|hello|hey|dear|hola|olá|ola|bonjour|hallo|ciao)[ \t]*$/iu,
      variable: 'customer.first_name',
    },
    {
      before: /\btracking (?:number|no\.?|code)[ \t]*:?[ \t]*$/i,
      variable: 'order.tracking_number',
    },
    { before: /\btrack(?:ing)? (?:link|url)[ \t]*:?[ \t]*$/i, variable: 'order.tracking_url' },
    { before: /\border(?: number| no\.?| nr\.?)?[ \t]*#?[ \t]*$/i, variable: 'order.number' },
    { before: /\b(?:it is now|status is|status:)[ \t]*$/i, variable: 'order.status' },
  ];

export interface ParameterSuggestion {
  readonly value: string;
  readonly variable: TemplateVariableName;
}

/** One entry per parameter number (index n - 1): a value from `context`, or null. */
export function suggestParameters(
  body: string,
  context: TemplateContext,
): (ParameterSuggestion | null)[] {
  return parameterNumbers(body).map((n) => {
    const at = body.indexOf(`{{${n}}}`);
    const before = body.slice(Math.max(0, at - 40), at);
    const rule = SUGGESTIONS.find((s) => s.before.test(before));
    if (!rule) return null;
    const rendered = renderTemplate(`{{${rule.variable}}}`, context);
    if (!rendered.complete) return null;
    const value = normalizeParameter(rendered.text);
    return value === '' || parameterProblem(value) !== null
      ? null
      : { value, variable: rule.variable };
  });
}
