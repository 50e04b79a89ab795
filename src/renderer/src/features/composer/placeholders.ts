import {
  isKnownVariable,
  parseTemplate,
  renderTemplate,
  type TemplateContext,
  type TemplateVariableGroup,
} from '../../../../shared/templates';

/**
 * Variables left in the composer's text. A quick reply is rendered with the context when it is
 * inserted; what has no value stays as `{{order.number}}`, is highlighted, blocks sending, and
 * is filled in as soon as the context gains a value (the agent picks an order).
 *
 * The composer's text is the one source of truth (the caller persists it as a plain draft), so
 * a placeholder is any `{{name}}` in that text, whether it came from a quick reply or was typed.
 */

export interface Placeholder {
  readonly name: string;
  /** Index of the opening braces in the text (UTF-16). */
  readonly offset: number;
  /** Length of the placeholder as written, braces included. */
  readonly length: number;
  /** `missing`: a known variable without a value; `unknown`: not a variable Replydesk knows. */
  readonly reason: 'missing' | 'unknown';
}

/** Renders one placeholder alone: its value (or fallback), or null when it has neither. */
function valueOf(raw: string, context: TemplateContext): string | null {
  const rendered = renderTemplate(raw, context);
  return rendered.complete ? rendered.text : null;
}

/** The placeholders in `text` that cannot be filled from `context`, in text order. */
export function findPlaceholders(text: string, context: TemplateContext): Placeholder[] {
  const found: Placeholder[] = [];
  for (const v of parseTemplate(text).variables) {
    const base = { name: v.name, offset: v.offset, length: v.length };
    if (!isKnownVariable(v.name)) found.push({ ...base, reason: 'unknown' });
    else if (valueOf(v.raw, context) === null) found.push({ ...base, reason: 'missing' });
  }
  return found;
}

export interface Selection {
  readonly start: number;
  readonly end: number;
}

export interface FillResult {
  readonly text: string;
  /** The selection moved with the text: kept in place, or after a value it was inside. */
  readonly selection: Selection;
  /** How many placeholders were replaced. */
  readonly filled: number;
}

interface Replacement {
  readonly offset: number;
  readonly length: number;
  readonly text: string;
}

/**
 * Replaces every placeholder that `context` (or its fallback) can fill. Others are left as
 * written. Values are copied verbatim (`renderTemplate` never interprets a value).
 */
export function fillPlaceholders(
  text: string,
  context: TemplateContext,
  selection: Selection = { start: text.length, end: text.length },
): FillResult {
  const edits: Replacement[] = [];
  for (const v of parseTemplate(text).variables) {
    if (!isKnownVariable(v.name)) continue;
    const value = valueOf(v.raw, context);
    if (value !== null) edits.push({ offset: v.offset, length: v.length, text: value });
  }
  if (edits.length === 0) return { text, selection, filled: 0 };

  let out = '';
  let last = 0;
  for (const edit of edits) {
    out += text.slice(last, edit.offset) + edit.text;
    last = edit.offset + edit.length;
  }
  out += text.slice(last);
  const map = (offset: number): number => mapOffset(offset, edits);
  return {
    text: out,
    selection: { start: map(selection.start), end: map(selection.end) },
    filled: edits.length,
  };
}

function mapOffset(offset: number, edits: readonly Replacement[]): number {
  let delta = 0;
  for (const edit of edits) {
    if (offset <= edit.offset) break;
    if (offset < edit.offset + edit.length) return edit.offset + delta + edit.text.length;
    delta += edit.text.length - edit.length;
  }
  return offset + delta;
}

/** A run of the composer's text, for drawing the highlight layer. */
export type TextRun =
  | { readonly kind: 'text'; readonly text: string }
  | { readonly kind: 'placeholder'; readonly text: string; readonly placeholder: Placeholder };

/** Splits `text` around `placeholders` (as `findPlaceholders` returns them, in order). */
export function splitRuns(text: string, placeholders: readonly Placeholder[]): TextRun[] {
  const runs: TextRun[] = [];
  let last = 0;
  for (const p of placeholders) {
    if (p.offset > last) runs.push({ kind: 'text', text: text.slice(last, p.offset) });
    runs.push({
      kind: 'placeholder',
      text: text.slice(p.offset, p.offset + p.length),
      placeholder: p,
    });
    last = p.offset + p.length;
  }
  if (last < text.length) runs.push({ kind: 'text', text: text.slice(last) });
  return runs;
}

export interface PlaceholderGroup {
  readonly name: string;
  readonly reason: Placeholder['reason'];
  /** Occurrences in the text, in order. */
  readonly occurrences: readonly Placeholder[];
}

/** Placeholders grouped by name, in order of first appearance: one chip per variable. */
export function groupPlaceholders(placeholders: readonly Placeholder[]): PlaceholderGroup[] {
  const groups = new Map<
    string,
    { name: string; reason: Placeholder['reason']; occurrences: Placeholder[] }
  >();
  for (const p of placeholders) {
    const group = groups.get(p.name);
    if (group) group.occurrences.push(p);
    else groups.set(p.name, { name: p.name, reason: p.reason, occurrences: [p] });
  }
  return [...groups.values()];
}

/** Where a variable's value comes from, so the agent knows where to fill it. */
export type PlaceholderSource = TemplateVariableGroup | 'unknown';

const HOW_TO_FILL: Readonly<Record<PlaceholderSource, { one: string; many: string }>> = {
  order: {
    one: 'pick an order in the panel or type it',
    many: 'pick an order in the panel or type them',
  },
  customer: {
    one: "the customer's profile has no value — type it",
    many: "the customer's profile has no values — type them",
  },
  agent: {
    one: 'your profile has no value — type it',
    many: 'your profile has no values — type them',
  },
  business: {
    one: 'the workspace has no value — type it',
    many: 'the workspace has no values — type them',
  },
  conversation: { one: 'type it', many: 'type them' },
  unknown: { one: 'edit or remove it', many: 'edit or remove them' },
};

export function sourceOf(group: Pick<PlaceholderGroup, 'name' | 'reason'>): PlaceholderSource {
  if (group.reason === 'unknown') return 'unknown';
  return group.name.slice(0, group.name.indexOf('.')) as TemplateVariableGroup;
}

/** One line telling the agent what a placeholder needs. */
export function describePlaceholder(group: Pick<PlaceholderGroup, 'name' | 'reason'>): string {
  if (group.reason === 'unknown') {
    return `{{${group.name}}} is not a known variable — ${HOW_TO_FILL.unknown.one}`;
  }
  return `${group.name} needs a value — ${HOW_TO_FILL[sourceOf(group)].one}`;
}

export interface PlaceholderNotice {
  readonly source: PlaceholderSource;
  /** The variables, one chip each. */
  readonly groups: readonly PlaceholderGroup[];
  /** What to do, after the chips: `needs a value — pick an order in the panel or type it`. */
  readonly message: string;
}

/**
 * The lines under the box: one per source (order, customer…), so four order variables read as
 * one instruction with four chips rather than the same sentence four times.
 */
export function placeholderNotices(groups: readonly PlaceholderGroup[]): PlaceholderNotice[] {
  const bySource = new Map<PlaceholderSource, PlaceholderGroup[]>();
  for (const group of groups) {
    const source = sourceOf(group);
    const list = bySource.get(source);
    if (list) list.push(group);
    else bySource.set(source, [group]);
  }
  return [...bySource].map(([source, list]) => {
    const how = HOW_TO_FILL[source];
    const message =
      source === 'unknown'
        ? list.length === 1
          ? `is not a known variable — ${how.one}`
          : `are not known variables — ${how.many}`
        : list.length === 1
          ? `needs a value — ${how.one}`
          : `need values — ${how.many}`;
    return { source, groups: list, message };
  });
}
