import { positionalNames, validateTemplate } from './variables';

/**
 * The checks a template must pass before it is saved: the editor runs them live (listing the
 * reasons beside the fields) and the hub runs the same function and answers 400 with them, so an
 * admin never learns of a problem only from Meta's review.
 *
 * WhatsApp's limits come from Meta's message-template guidelines (Cloud API, November 2026):
 * body ≤ 1,024 characters; variables `{{1}}`…`{{n}}` without gaps, not at the very start or end
 * of the body and never side by side; a sample value for each; text header and footer ≤ 60
 * characters; at most 10 buttons, of which at most 2 URL buttons and 1 phone button, each label
 * ≤ 25 characters.
 */

export const WHATSAPP_LIMITS = {
  bodyLength: 1024,
  headerLength: 60,
  footerLength: 60,
  buttons: 10,
  urlButtons: 2,
  phoneButtons: 1,
  buttonText: 25,
  urlLength: 2000,
} as const;

/** Quick replies are free text inside the window; 4,096 is the smallest channel text limit. */
export const QUICK_REPLY_MAX_LENGTH = 4096;

export type TemplateField =
  'name' | 'shortcut' | 'category' | 'header' | 'body' | 'footer' | 'buttons' | 'examples';

export type TemplateCheckCode =
  | 'too_long'
  | 'unknown_variable'
  | 'malformed_placeholder'
  | 'variable_numbering'
  | 'variable_at_start'
  | 'variable_at_end'
  | 'adjacent_variables'
  | 'missing_example'
  | 'variable_not_allowed'
  | 'line_break'
  | 'too_many_buttons'
  | 'button_text'
  | 'button_target'
  | 'invalid_name'
  | 'missing_category'
  | 'empty';

export interface TemplateCheckProblem {
  readonly field: TemplateField;
  /** The button or example concerned, 0-based. */
  readonly index?: number;
  readonly code: TemplateCheckCode;
  /** Where in the field's text, when the problem has a place (UTF-16 offset, 1-based line:column). */
  readonly offset?: number;
  readonly line?: number;
  readonly column?: number;
  /** One sentence that reads on its own, beside the field or in a 400. */
  readonly message: string;
}

export interface WhatsAppButtonInput {
  readonly type: 'quick_reply' | 'url' | 'phone';
  readonly text: string;
  readonly url?: string;
  readonly phone?: string;
}

export interface WhatsAppTemplateParts {
  readonly name: string;
  readonly category: string | null;
  readonly header: string | null;
  readonly body: string;
  readonly footer: string | null;
  readonly buttons: readonly WhatsAppButtonInput[];
  readonly examples: readonly string[];
  /**
   * Sample values are asked for when a template is written for review (`draft`, `pending`);
   * templates mirrored from Meta as approved, rejected or paused were reviewed already.
   */
  readonly status: string;
}

const PHONE = /^\+[1-9][0-9]{6,14}$/;
const WHATSAPP_NAME = /^[a-z0-9_]{1,512}$/;

/** An absolute http(s) address without spaces (shared code has no URL parser: no DOM, no Node). */
function isHttpUrl(text: string): boolean {
  return /^https?:\/\/[^\s/?#]+\.[^\s/?#]+(?:[/?#]\S*)?$/i.test(text);
}

/** Problems of a text header or footer: length, line breaks and variables. */
function checkShortText(
  field: 'header' | 'footer',
  text: string | null,
  problems: TemplateCheckProblem[],
): void {
  if (text === null) return;
  const label = field === 'header' ? 'The header' : 'The footer';
  const limit = field === 'header' ? WHATSAPP_LIMITS.headerLength : WHATSAPP_LIMITS.footerLength;
  if (text.length > limit) {
    problems.push({
      field,
      code: 'too_long',
      message: `${label} is ${text.length} characters; WhatsApp allows ${limit}`,
    });
  }
  if (/[\r\n]/.test(text)) {
    problems.push({ field, code: 'line_break', message: `${label} must be one line` });
  }
  const brace = text.indexOf('{{');
  if (brace >= 0) {
    // Footers cannot have variables at all; Replydesk sends headers without parameters, so a
    // header variable would make every send fail.
    problems.push({
      field,
      code: 'variable_not_allowed',
      offset: brace,
      line: 1,
      column: brace + 1,
      message: `${label} may not contain variables (found "{{" at column ${brace + 1})`,
    });
  }
}

function checkButtons(
  buttons: readonly WhatsAppButtonInput[],
  problems: TemplateCheckProblem[],
): void {
  if (buttons.length > WHATSAPP_LIMITS.buttons) {
    problems.push({
      field: 'buttons',
      code: 'too_many_buttons',
      message: `${buttons.length} buttons; WhatsApp allows at most ${WHATSAPP_LIMITS.buttons}`,
    });
  }
  const urls = buttons.filter((b) => b.type === 'url').length;
  if (urls > WHATSAPP_LIMITS.urlButtons) {
    problems.push({
      field: 'buttons',
      code: 'too_many_buttons',
      message: `${urls} URL buttons; WhatsApp allows at most ${WHATSAPP_LIMITS.urlButtons}`,
    });
  }
  const phones = buttons.filter((b) => b.type === 'phone').length;
  if (phones > WHATSAPP_LIMITS.phoneButtons) {
    problems.push({
      field: 'buttons',
      code: 'too_many_buttons',
      message: `${phones} phone buttons; WhatsApp allows at most ${WHATSAPP_LIMITS.phoneButtons}`,
    });
  }
  buttons.forEach((button, index) => {
    const which = `Button ${index + 1}`;
    const text = button.text.trim();
    if (text === '') {
      problems.push({
        field: 'buttons',
        index,
        code: 'button_text',
        message: `${which} needs a label`,
      });
    } else if (button.text.length > WHATSAPP_LIMITS.buttonText) {
      problems.push({
        field: 'buttons',
        index,
        code: 'button_text',
        message: `${which}'s label is ${button.text.length} characters; WhatsApp allows ${WHATSAPP_LIMITS.buttonText}`,
      });
    }
    if (button.type === 'url') {
      const url = (button.url ?? '').trim();
      if (!isHttpUrl(url) || url.length > WHATSAPP_LIMITS.urlLength) {
        problems.push({
          field: 'buttons',
          index,
          code: 'button_target',
          message: `${which} needs a web address starting with https://`,
        });
      }
    } else if (button.type === 'phone') {
      if (!PHONE.test((button.phone ?? '').trim())) {
        problems.push({
          field: 'buttons',
          index,
          code: 'button_target',
          message: `${which} needs a phone number in international format, e.g. +447700900123`,
        });
      }
    }
  });
}

/** Every reason WhatsApp would refuse this template, in field order; empty when it may be submitted. */
export function checkWhatsAppTemplate(parts: WhatsAppTemplateParts): TemplateCheckProblem[] {
  const problems: TemplateCheckProblem[] = [];
  if (!WHATSAPP_NAME.test(parts.name)) {
    problems.push({
      field: 'name',
      code: 'invalid_name',
      message: 'WhatsApp template names use lower-case letters, digits and _',
    });
  }
  if (parts.category === null) {
    problems.push({
      field: 'category',
      code: 'missing_category',
      message: 'WhatsApp templates need a category: marketing, utility or authentication',
    });
  }
  checkShortText('header', parts.header, problems);

  const { body } = parts;
  if (body.trim() === '') {
    problems.push({ field: 'body', code: 'empty', message: 'The body is empty' });
  }
  if (body.length > WHATSAPP_LIMITS.bodyLength) {
    problems.push({
      field: 'body',
      code: 'too_long',
      message: `The body is ${body.length} characters; WhatsApp allows ${WHATSAPP_LIMITS.bodyLength}`,
    });
  }
  const positional = positionalNames(body);
  for (const p of positional.problems) {
    problems.push({
      field: 'body',
      code: p.code === 'malformed_placeholder' ? 'malformed_placeholder' : 'variable_numbering',
      offset: p.offset,
      line: p.line,
      column: p.column,
      message: p.message,
    });
  }
  const placeholders = positional.placeholders;
  const first = placeholders[0];
  const last = placeholders[placeholders.length - 1];
  const start = body.length - body.trimStart().length;
  if (first && first.offset === start) {
    problems.push({
      field: 'body',
      code: 'variable_at_start',
      offset: first.offset,
      line: first.line,
      column: first.column,
      message: `The body may not start with a variable ({{${first.number}}} at line ${first.line}, column ${first.column})`,
    });
  }
  if (last && last.offset + last.length === body.trimEnd().length) {
    problems.push({
      field: 'body',
      code: 'variable_at_end',
      offset: last.offset,
      line: last.line,
      column: last.column,
      message: `The body may not end with a variable ({{${last.number}}} at line ${last.line}, column ${last.column})`,
    });
  }
  for (let i = 1; i < placeholders.length; i++) {
    const before = placeholders[i - 1];
    const after = placeholders[i];
    if (before && after && before.offset + before.length === after.offset) {
      problems.push({
        field: 'body',
        code: 'adjacent_variables',
        offset: before.offset,
        line: before.line,
        column: before.column,
        message: `Variables {{${before.number}}}{{${after.number}}} at line ${before.line}, column ${before.column} are side by side; put text between them`,
      });
    }
  }
  const highest = positional.numbers[positional.numbers.length - 1] ?? 0;
  const forReview = parts.status === 'draft' || parts.status === 'pending';
  for (let n = 1; forReview && n <= highest; n++) {
    if ((parts.examples[n - 1] ?? '').trim() === '') {
      problems.push({
        field: 'examples',
        index: n - 1,
        code: 'missing_example',
        message: `Variable {{${n}}} needs an example value for Meta's review`,
      });
    }
  }
  checkShortText('footer', parts.footer, problems);
  checkButtons(parts.buttons, problems);
  return problems;
}

/** Problems of a quick reply's body: unknown or malformed variables (with their place), length. */
export function checkQuickReply(body: string): TemplateCheckProblem[] {
  const problems: TemplateCheckProblem[] = [];
  if (body.trim() === '')
    problems.push({ field: 'body', code: 'empty', message: 'The body is empty' });
  if (body.length > QUICK_REPLY_MAX_LENGTH) {
    problems.push({
      field: 'body',
      code: 'too_long',
      message: `The body is ${body.length} characters; the limit is ${QUICK_REPLY_MAX_LENGTH}`,
    });
  }
  for (const p of validateTemplate(body)) {
    problems.push({
      field: 'body',
      code: p.code,
      offset: p.offset,
      line: p.line,
      column: p.column,
      message: p.message,
    });
  }
  return problems;
}
