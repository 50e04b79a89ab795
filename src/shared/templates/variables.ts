/**
 * Template variables for agents' quick replies and admins' WhatsApp message templates.
 *
 * Placeholder syntax (shown to admins in the template editor):
 *
 *   {{customer.first_name}}        a variable from TEMPLATE_VARIABLES (case-sensitive)
 *   {{ customer.first_name }}      spaces and tabs inside the braces are ignored
 *   {{customer.first_name|there}}  fallback: "there" is used when the value is missing or blank.
 *                                  The fallback is everything after the first "|" up to "}}",
 *                                  trimmed; `{{order.carrier|}}` renders nothing when missing.
 *   {{1}}, {{2}}                   WhatsApp positional parameters (see positionalNames)
 *
 * A placeholder must close on the line where it opens, and there is no escape for a literal
 * "{{": anything that starts like a placeholder but is not one is reported as malformed and
 * kept as literal text. In a run of braces (`{{{name}}}`) the placeholder is the innermost
 * `{{name}}`; the extra braces are literal.
 *
 * Offsets, lengths and columns count UTF-16 code units (JavaScript string indices), as text
 * editors do. Lines and columns are 1-based; "\n", "\r\n" and "\r" each end a line.
 */

// ---------------------------------------------------------------------------------------------
// Registry
// ---------------------------------------------------------------------------------------------

export interface TemplateVariableInfo {
  /** What goes between the braces, e.g. `customer.first_name`. */
  readonly name: string;
  /** One line for the template editor's variable picker. */
  readonly description: string;
  /** A realistic value for previews; every example is fictitious. */
  readonly example: string;
}

/** Every variable a template may use, in the order the template editor lists them. */
export const TEMPLATE_VARIABLES = [
  {
    name: 'customer.name',
    description: "Customer's full name as known to the channel or the shop",
    example: 'Ana Lima',
  },
  { name: 'customer.first_name', description: "Customer's first name", example: 'Ana' },
  { name: 'customer.last_name', description: "Customer's last name", example: 'Lima' },
  {
    name: 'customer.phone',
    description: "Customer's phone number, international format",
    example: '+44 7700 900123',
  },
  { name: 'customer.email', description: "Customer's email address", example: 'ana@example.com' },
  { name: 'conversation.id', description: 'Conversation reference', example: 'C-20417' },
  {
    name: 'conversation.channel',
    description: 'Channel the conversation is on',
    example: 'WhatsApp',
  },
  { name: 'agent.name', description: "Answering agent's full name", example: 'Sam Carter' },
  { name: 'agent.first_name', description: "Answering agent's first name", example: 'Sam' },
  {
    name: 'agent.email',
    description: "Answering agent's email address",
    example: 'sam@northwind.example',
  },
  { name: 'order.number', description: 'Order number shown to the customer', example: '100482' },
  { name: 'order.status', description: 'Order status in words', example: 'shipped' },
  {
    name: 'order.total',
    description: 'Order total, formatted by the shop (without currency)',
    example: '49.90',
  },
  { name: 'order.currency', description: 'Currency of the order total', example: 'EUR' },
  {
    name: 'order.tracking_number',
    description: "Carrier's tracking number",
    example: '1Z999AA10123456784',
  },
  {
    name: 'order.tracking_url',
    description: 'Link where the customer can track the parcel',
    example: 'https://track.example.com/1Z999AA10123456784',
  },
  { name: 'order.carrier', description: 'Carrier delivering the order', example: 'UPS' },
  {
    name: 'order.items',
    description: 'Short summary of the ordered items',
    example: '2 × Linen shirt (M), 1 × Canvas tote',
  },
  {
    name: 'business.name',
    description: "Business's display name",
    example: 'Northwind Outfitters',
  },
] as const satisfies readonly TemplateVariableInfo[];

export type TemplateVariableName = (typeof TEMPLATE_VARIABLES)[number]['name'];

type GroupOf<N> = N extends `${infer G}.${string}` ? G : never;
type FieldOf<N, G extends string> = N extends `${G}.${infer F}` ? F : never;

/** `customer`, `conversation`, `agent`, `order`, `business`. */
export type TemplateVariableGroup = GroupOf<TemplateVariableName>;

/** Numbers are written with `String(n)`; format money and dates before passing them in. */
export type TemplateValue = string | number | null | undefined;

/**
 * Values for rendering, shaped like the variable names: `{ order: { number: '100482' } }`.
 * Derived from the registry so a new variable cannot be forgotten here.
 */
export type TemplateContext = {
  readonly [G in TemplateVariableGroup]?: {
    readonly [F in FieldOf<TemplateVariableName, G>]?: TemplateValue;
  };
};

const KNOWN_NAMES: ReadonlySet<string> = new Set(TEMPLATE_VARIABLES.map((v) => v.name));

export function isKnownVariable(name: string): name is TemplateVariableName {
  return KNOWN_NAMES.has(name);
}

// ---------------------------------------------------------------------------------------------
// Parsing
// ---------------------------------------------------------------------------------------------

export interface SourceSpan {
  /** Index in the text (UTF-16 code units). */
  readonly offset: number;
  readonly length: number;
  /** 1-based. */
  readonly line: number;
  /** 1-based, in UTF-16 code units from the start of the line. */
  readonly column: number;
}

export type TemplateProblemCode = 'unknown_variable' | 'malformed_placeholder';

/** A problem located at a whole placeholder, braces included. */
export interface TemplateProblem extends SourceSpan {
  readonly code: TemplateProblemCode;
  /** The variable name, for `unknown_variable`. */
  readonly name?: string;
  /** The closest known name, when one is close enough to be a likely typo. */
  readonly suggestion?: string;
  readonly message: string;
}

export interface TemplateTextToken extends SourceSpan {
  readonly kind: 'text';
  readonly text: string;
}

export interface TemplateVariableToken extends SourceSpan {
  readonly kind: 'variable';
  /** Known or not; `1`, `2`… for positional placeholders. */
  readonly name: string;
  /** Present only when the placeholder has a `|`; may be the empty string. */
  readonly fallback?: string;
  /** The placeholder exactly as written, braces included. */
  readonly raw: string;
  /** Where the name itself starts, for editors that underline just the name. */
  readonly nameOffset: number;
}

export type TemplateToken = TemplateTextToken | TemplateVariableToken;

export interface ParsedTemplate {
  /** Text and variables in order; malformed placeholders stay inside text tokens. */
  readonly tokens: readonly TemplateToken[];
  readonly variables: readonly TemplateVariableToken[];
  /** Only `malformed_placeholder` problems: parsing does not know which names exist. */
  readonly errors: readonly TemplateProblem[];
}

// Dotted identifiers, or a bare number for WhatsApp's positional `{{1}}`.
const NAME_PATTERN = /^(?:[A-Za-z_][A-Za-z0-9_]*(?:\.[A-Za-z_][A-Za-z0-9_]*)*|[0-9]+)$/;
const NAME_CHAR = /[A-Za-z0-9_.]/;

type Locate = (offset: number) => { line: number; column: number };

function lineLocator(text: string): Locate {
  const lineStarts = [0];
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    // "\r\n" is one break: the "\r" is skipped and the "\n" records the start of the next line.
    if (c === 10 || (c === 13 && text.charCodeAt(i + 1) !== 10)) lineStarts.push(i + 1);
  }
  return (offset) => {
    let lo = 0;
    let hi = lineStarts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if ((lineStarts[mid] ?? 0) <= offset) lo = mid;
      else hi = mid - 1;
    }
    return { line: lo + 1, column: offset - (lineStarts[lo] ?? 0) + 1 };
  };
}

function span(locate: Locate, offset: number, length: number): SourceSpan {
  return { offset, length, ...locate(offset) };
}

function at(s: SourceSpan): string {
  return `at line ${s.line}, column ${s.column}`;
}

/** Quotes user text for a message, shortened so one long line cannot flood the UI. */
function quote(s: string): string {
  return JSON.stringify(s.length > 40 ? `${s.slice(0, 39)}…` : s);
}

function describeChar(c: string): string {
  return c === ' ' ? 'a space' : quote(c);
}

/** Why a placeholder's inside is not a valid name, or undefined when it is valid. */
function nameError(name: string): string | undefined {
  if (NAME_PATTERN.test(name)) return undefined;
  const bad = [...name].find((c) => !NAME_CHAR.test(c));
  if (bad !== undefined) return `Invalid character ${describeChar(bad)} in placeholder`;
  return `Invalid variable name ${quote(name)} in placeholder`;
}

/**
 * Splits a template into literal text and variables. Never throws: malformed placeholders are
 * reported in `errors` (with their position) and left in the text as written.
 */
export function parseTemplate(text: string): ParsedTemplate {
  const locate = lineLocator(text);
  const tokens: TemplateToken[] = [];
  const variables: TemplateVariableToken[] = [];
  const errors: TemplateProblem[] = [];
  let textStart = 0; // start of the literal text not yet emitted
  let i = 0;

  const malformed = (offset: number, end: number, detail: string): void => {
    const where = span(locate, offset, end - offset);
    errors.push({
      code: 'malformed_placeholder',
      ...where,
      message: `${detail} ${quote(text.slice(offset, end))} ${at(where)}`,
    });
  };

  for (;;) {
    let open = text.indexOf('{{', i);
    if (open < 0) break;
    // `{{{x}}}`: the placeholder is the innermost `{{`, the extra braces are literal.
    while (text[open + 2] === '{') open++;

    // Find "}}" on the same line. Another "{{" first means this one was never closed; stopping
    // there keeps one typo from swallowing the next, valid placeholder.
    let close = -1;
    let j = open + 2;
    for (; j < text.length; j++) {
      const c = text[j];
      if (c === '\n' || c === '\r') break;
      if (c === '}' && text[j + 1] === '}') {
        close = j;
        break;
      }
      if (c === '{' && text[j + 1] === '{') break;
    }

    if (close < 0) {
      let end = j;
      while (end > open + 2 && /\s/.test(text[end - 1] ?? '')) end--;
      const where = span(locate, open, end - open);
      errors.push({
        code: 'malformed_placeholder',
        ...where,
        message: `Unclosed placeholder ${quote(text.slice(open, end))} ${at(where)}: "}}" is missing`,
      });
      i = j;
      continue;
    }

    const end = close + 2;
    const inner = text.slice(open + 2, close);
    const pipe = inner.indexOf('|');
    const namePart = pipe < 0 ? inner : inner.slice(0, pipe);
    const name = namePart.trim();
    i = end;

    if (name === '') {
      malformed(
        open,
        end,
        pipe < 0 && inner.trim() === '' ? 'Empty placeholder' : 'Missing variable name in',
      );
      continue;
    }
    const invalid = nameError(name);
    if (invalid !== undefined) {
      malformed(open, end, invalid);
      continue;
    }

    if (open > textStart) {
      tokens.push({
        kind: 'text',
        text: text.slice(textStart, open),
        ...span(locate, textStart, open - textStart),
      });
    }
    const token: TemplateVariableToken = {
      kind: 'variable',
      name,
      ...(pipe < 0 ? {} : { fallback: inner.slice(pipe + 1).trim() }),
      raw: text.slice(open, end),
      nameOffset: open + 2 + namePart.indexOf(name),
      ...span(locate, open, end - open),
    };
    tokens.push(token);
    variables.push(token);
    textStart = end;
  }

  if (textStart < text.length) {
    tokens.push({
      kind: 'text',
      text: text.slice(textStart),
      ...span(locate, textStart, text.length - textStart),
    });
  }
  return { tokens, variables, errors };
}

// ---------------------------------------------------------------------------------------------
// Validation
// ---------------------------------------------------------------------------------------------

function editDistance(a: string, b: string): number {
  let prev = Array.from({ length: b.length + 1 }, (_, k) => k);
  for (let x = 1; x <= a.length; x++) {
    const row = [x];
    for (let y = 1; y <= b.length; y++) {
      const substitution = (prev[y - 1] ?? 0) + (a[x - 1] === b[y - 1] ? 0 : 1);
      row.push(Math.min((prev[y] ?? 0) + 1, (row[y - 1] ?? 0) + 1, substitution));
    }
    prev = row;
  }
  return prev[b.length] ?? 0;
}

/** The known name within two edits (a swapped pair of letters is two), if any. */
function closestName(name: string, known: readonly string[]): string | undefined {
  let best: string | undefined;
  let bestDistance = 3;
  for (const candidate of known) {
    const d = editDistance(name, candidate);
    if (d < bestDistance) {
      best = candidate;
      bestDistance = d;
    }
  }
  return best;
}

/**
 * Every problem in a template, in text order: malformed placeholders and names not in
 * `knownNames` (the registry by default; pass strings or registry-like entries).
 */
export function validateTemplate(
  text: string,
  knownNames: Iterable<string | { readonly name: string }> = TEMPLATE_VARIABLES,
): TemplateProblem[] {
  const known = [...knownNames].map((k) => (typeof k === 'string' ? k : k.name));
  const knownSet = new Set(known);
  const parsed = parseTemplate(text);
  const problems: TemplateProblem[] = [...parsed.errors];
  for (const v of parsed.variables) {
    if (knownSet.has(v.name)) continue;
    const suggestion = closestName(v.name, known);
    problems.push({
      code: 'unknown_variable',
      name: v.name,
      ...(suggestion === undefined ? {} : { suggestion }),
      offset: v.offset,
      length: v.length,
      line: v.line,
      column: v.column,
      message:
        `Unknown variable ${quote(v.name)} ${at(v)}` +
        (suggestion === undefined ? '' : ` (did you mean ${quote(suggestion)}?)`),
    });
  }
  return problems.sort((a, b) => a.offset - b.offset);
}

// ---------------------------------------------------------------------------------------------
// Rendering
// ---------------------------------------------------------------------------------------------

/** A placeholder left in the output, located in the OUTPUT text. */
export interface OutputSpan {
  readonly name: string;
  readonly offset: number;
  readonly length: number;
}

export type RenderSegment =
  | { readonly kind: 'text'; readonly text: string }
  | {
      readonly kind: 'value';
      readonly text: string;
      readonly name: string;
      /** True when the text is the placeholder's fallback, not a real value. */
      readonly fallback: boolean;
    }
  | {
      readonly kind: 'unfilled';
      readonly text: string;
      readonly name: string;
      /** `missing`: known variable without a value; `unknown`: not a known variable. */
      readonly reason: 'missing' | 'unknown';
    };

export interface RenderResult {
  readonly text: string;
  /** True only when the text is ready to send: nothing unfilled, unknown or malformed. */
  readonly complete: boolean;
  /** Known variables without a value, left as written; positions in `text`. */
  readonly unfilled: readonly OutputSpan[];
  /** Names not in the registry, left as written; positions in `text`. */
  readonly unknown: readonly OutputSpan[];
  /** Malformed placeholders, left as written; positions in the TEMPLATE. */
  readonly malformed: readonly TemplateProblem[];
  /** Non-empty pieces whose texts joined equal `text`, for highlighting without HTML. */
  readonly segments: readonly RenderSegment[];
}

// C0 and C1 controls and DEL, except tab and newline (carriage returns are normalised first).
// eslint-disable-next-line no-control-regex -- matching control characters is the point
const CONTROL_CHARS = /[\u0000-\u0008\u000B-\u001F\u007F-\u009F]/g;

/**
 * What a value becomes in a message: line breaks normalised to "\n", other control characters
 * removed. Nothing else changes — values are plain text, never markup.
 */
export function sanitizeValue(value: string): string {
  return value.replace(/\r\n?/g, '\n').replace(CONTROL_CHARS, '');
}

function readOwn(source: unknown, key: string): unknown {
  // Own properties only, so `{{customer.constructor}}`-style names can never reach the prototype.
  return typeof source === 'object' && source !== null && Object.hasOwn(source, key)
    ? (source as Record<string, unknown>)[key]
    : undefined;
}

/** The sanitised value of a known variable, or undefined when it is missing or blank. */
function resolveValue(context: TemplateContext, name: string): string | undefined {
  if (!KNOWN_NAMES.has(name)) return undefined;
  const dot = name.indexOf('.');
  const raw = readOwn(readOwn(context, name.slice(0, dot)), name.slice(dot + 1));
  let value: string;
  if (typeof raw === 'string') value = raw;
  else if (typeof raw === 'number' && Number.isFinite(raw)) value = String(raw);
  else return undefined; // also guards untyped callers passing objects, NaN, booleans…
  value = sanitizeValue(value);
  // A blank name would send "Hi  ," — treat it like a missing one.
  return value.trim() === '' ? undefined : value;
}

/**
 * Fills a template with values as plain text. The output is built in one pass over the parsed
 * TEMPLATE, so a value containing `{{…}}` or markup is copied verbatim and never interpreted.
 * Render from the template, never from a previous output: re-rendering output would expand
 * placeholders that came from values.
 */
export function renderTemplate(text: string, context: TemplateContext): RenderResult {
  const parsed = parseTemplate(text);
  const segments: RenderSegment[] = [];
  const unfilled: OutputSpan[] = [];
  const unknown: OutputSpan[] = [];
  let out = '';

  const push = (segment: RenderSegment): void => {
    if (segment.text === '') return;
    segments.push(segment);
    out += segment.text;
  };

  for (const token of parsed.tokens) {
    if (token.kind === 'text') {
      push({ kind: 'text', text: token.text });
      continue;
    }
    const { name, raw, fallback } = token;
    // An unknown name stays visible even with a fallback, or a typo would silently always
    // send the fallback.
    if (!KNOWN_NAMES.has(name)) {
      unknown.push({ name, offset: out.length, length: raw.length });
      push({ kind: 'unfilled', text: raw, name, reason: 'unknown' });
      continue;
    }
    const value = resolveValue(context, name);
    if (value !== undefined) {
      push({ kind: 'value', text: value, name, fallback: false });
    } else if (fallback !== undefined) {
      push({ kind: 'value', text: sanitizeValue(fallback), name, fallback: true });
    } else {
      unfilled.push({ name, offset: out.length, length: raw.length });
      push({ kind: 'unfilled', text: raw, name, reason: 'missing' });
    }
  }

  return {
    text: out,
    complete: unfilled.length === 0 && unknown.length === 0 && parsed.errors.length === 0,
    unfilled,
    unknown,
    malformed: parsed.errors,
    segments,
  };
}

// ---------------------------------------------------------------------------------------------
// WhatsApp positional parameters
// ---------------------------------------------------------------------------------------------

/** One entry of `template.components[{ type: 'body', parameters }]` in the Cloud API. */
export interface WhatsAppTextParameter {
  readonly type: 'text';
  readonly text: string;
}

export interface WhatsAppParameters {
  /** The template with each variable replaced by `{{1}}`, `{{2}}`… */
  readonly body: string;
  /** `parameters[i]` fills `{{i + 1}}`; unfilled ones have empty text (the API rejects it). */
  readonly parameters: readonly WhatsAppTextParameter[];
  /** `names[i]` is the variable behind `{{i + 1}}`. */
  readonly names: readonly string[];
  /** Names without a value or fallback, unknown names included. */
  readonly unfilled: readonly string[];
  /** Names not in the registry (they still get a number so the body stays well-formed). */
  readonly unknown: readonly string[];
  /** Malformed placeholders, left as written in `body`; positions in the template. */
  readonly malformed: readonly TemplateProblem[];
  /** True only when every parameter has a value and nothing is malformed. */
  readonly complete: boolean;
}

/**
 * WhatsApp rejects parameter text with a newline, a tab or more than four consecutive spaces
 * (Cloud API error 132018), so multi-line values such as an items summary are flattened.
 */
function toParameterText(value: string): string {
  return sanitizeValue(value)
    .replace(/ *[\n\t][\n\t ]*/g, ' ')
    .replace(/ {5,}/g, '    ');
}

/**
 * Maps a named template to WhatsApp's positional form. Numbers follow first appearance and a
 * repeated name reuses its number. When a value is missing, the first fallback written for
 * that name is used (one number carries one value).
 */
export function toWhatsAppParameters(text: string, context: TemplateContext): WhatsAppParameters {
  const parsed = parseTemplate(text);
  const numbers = new Map<string, number>();
  const names: string[] = [];
  const fallbacks = new Map<string, string>();
  let body = '';

  for (const token of parsed.tokens) {
    if (token.kind === 'text') {
      body += token.text;
      continue;
    }
    let n = numbers.get(token.name);
    if (n === undefined) {
      names.push(token.name);
      n = names.length;
      numbers.set(token.name, n);
    }
    if (token.fallback !== undefined && !fallbacks.has(token.name)) {
      fallbacks.set(token.name, token.fallback);
    }
    body += `{{${n}}}`;
  }

  const unfilled: string[] = [];
  const parameters = names.map((name): WhatsAppTextParameter => {
    const value = resolveValue(context, name);
    const fallback = KNOWN_NAMES.has(name) ? fallbacks.get(name) : undefined;
    const chosen = toParameterText(value ?? fallback ?? '');
    if (chosen.trim() === '') unfilled.push(name);
    return { type: 'text', text: chosen };
  });

  return {
    body,
    parameters,
    names,
    unfilled,
    unknown: names.filter((name) => !KNOWN_NAMES.has(name)),
    malformed: parsed.errors,
    complete: unfilled.length === 0 && parsed.errors.length === 0,
  };
}

export type PositionalProblemCode =
  'missing_number' | 'invalid_number' | 'named_placeholder' | 'malformed_placeholder';

export interface PositionalProblem extends SourceSpan {
  readonly code: PositionalProblemCode;
  /** For `missing_number`: the numbers skipped before this placeholder. */
  readonly missing?: readonly number[];
  readonly message: string;
}

export interface PositionalPlaceholder extends SourceSpan {
  readonly number: number;
}

export interface PositionalCheck {
  /** Distinct valid numbers, ascending. */
  readonly numbers: readonly number[];
  /** Every valid `{{n}}` occurrence, in text order. */
  readonly placeholders: readonly PositionalPlaceholder[];
  readonly problems: readonly PositionalProblem[];
  /** True when numbering is `{{1}}`…`{{k}}` without gaps and nothing else is wrong. */
  readonly ok: boolean;
}

/**
 * Lists the `{{n}}` of a WhatsApp template body and checks what Meta requires: numbers from 1
 * without gaps, written exactly `{{n}}` (no spaces, no fallback, no leading zero).
 */
export function positionalNames(body: string): PositionalCheck {
  const parsed = parseTemplate(body);
  const problems: PositionalProblem[] = parsed.errors.map((e) => ({
    code: 'malformed_placeholder',
    offset: e.offset,
    length: e.length,
    line: e.line,
    column: e.column,
    message: e.message,
  }));
  const placeholders: PositionalPlaceholder[] = [];

  for (const v of parsed.variables) {
    const where = { offset: v.offset, length: v.length, line: v.line, column: v.column };
    if (!/^[0-9]+$/.test(v.name)) {
      problems.push({
        code: 'named_placeholder',
        ...where,
        message: `Named variable ${quote(v.raw)} ${at(v)}: WhatsApp template bodies use {{1}}, {{2}}…`,
      });
    } else if (v.name.startsWith('0')) {
      problems.push({
        code: 'invalid_number',
        ...where,
        message: `Placeholder ${quote(v.raw)} ${at(v)}: numbers start at {{1}} and have no leading zero`,
      });
    } else if (v.raw !== `{{${v.name}}}`) {
      // Conservative: Meta documents only the bare form, and a rejected template costs a review.
      problems.push({
        code: 'malformed_placeholder',
        ...where,
        message: `Placeholder ${quote(v.raw)} ${at(v)}: write it as {{${v.name}}}, without spaces or fallback`,
      });
    } else {
      placeholders.push({ number: Number(v.name), ...where });
    }
  }

  const numbers = [...new Set(placeholders.map((p) => p.number))].sort((a, b) => a - b);
  let expected = 1;
  for (const n of numbers) {
    if (n > expected) {
      const first = placeholders.find((p) => p.number === n);
      if (first !== undefined) {
        const missing = Array.from({ length: n - expected }, (_, k) => expected + k);
        const skipped =
          missing.length === 1 ? `{{${expected}}}` : `{{${expected}}} to {{${n - 1}}}`;
        problems.push({
          code: 'missing_number',
          missing,
          offset: first.offset,
          length: first.length,
          line: first.line,
          column: first.column,
          message: `Placeholder {{${n}}} ${at(first)} skips ${skipped}: WhatsApp needs numbers from {{1}} without gaps`,
        });
      }
    }
    expected = n + 1;
  }

  problems.sort((a, b) => a.offset - b.offset);
  return { numbers, placeholders, problems, ok: problems.length === 0 };
}
