import { z } from 'zod';

/**
 * Validation errors by field, the way forms place them: the hub answers a refused body with
 * `400 {error: "bad_request", message, details: {fields: [{path, message}]}}` (a conflict on one
 * field, such as a taken shortcut, with 409 and the same `details.fields`), and the app shows
 * each message beside the input at `path`. A path is the field's keys joined with dots
 * (`weeklyHours.mon.0`, `periods.1.rates.US.marketing`); `""` is the body as a whole. Messages
 * are sentences for a person, never zod's defaults ("Too small: expected string to have >=1
 * characters").
 */

export const fieldErrorSchema = z.object({ path: z.string(), message: z.string() });
export type FieldError = z.infer<typeof fieldErrorSchema>;

/** `details` of a hub error that names fields. */
export const fieldErrorDetailsSchema = z.object({ fields: z.array(fieldErrorSchema) });

export const pathOf = (path: readonly PropertyKey[]): string => path.map(String).join('.');

const plural = (n: number | bigint, one: string, many: string): string =>
  `${n} ${n === 1 || n === 1n ? one : many}`;

/**
 * Words for zod's built-in checks where a schema gave none (a schema's own message always wins:
 * zod ranks it above this per-parse map). Pass it as `safeParse(value, { error: plainWords })`.
 */
export const plainWords: z.core.$ZodErrorMap = (issue) => {
  switch (issue.code) {
    case 'invalid_type':
      return issue.input === undefined || issue.input === null || issue.input === ''
        ? 'Required'
        : undefined;
    case 'too_small':
      if (issue.origin === 'string')
        return Number(issue.minimum) <= 1
          ? 'Required'
          : `Use at least ${plural(issue.minimum, 'character', 'characters')}`;
      if (issue.origin === 'array' || issue.origin === 'set')
        return `Choose at least ${Number(issue.minimum)}`;
      if (issue.origin === 'number' || issue.origin === 'int')
        return issue.inclusive === false
          ? `Must be more than ${issue.minimum}`
          : `Must be at least ${issue.minimum}`;
      return undefined;
    case 'too_big':
      if (issue.origin === 'string')
        return `Use at most ${plural(issue.maximum, 'character', 'characters')}`;
      if (issue.origin === 'array' || issue.origin === 'set')
        return `At most ${Number(issue.maximum)}`;
      if (issue.origin === 'number' || issue.origin === 'int')
        return issue.inclusive === false
          ? `Must be less than ${issue.maximum}`
          : `Must be at most ${issue.maximum}`;
      return undefined;
    case 'invalid_value':
      return issue.input === undefined || issue.input === null
        ? 'Required'
        : 'Choose one of the options';
    case 'unrecognized_keys':
      return `Unknown ${issue.keys.length === 1 ? 'field' : 'fields'}: ${issue.keys.join(', ')}`;
    default:
      return undefined;
  }
};

/** A zod failure as field errors, in the order zod found them. */
export function fieldErrorsOf(error: z.ZodError): FieldError[] {
  return error.issues.map((issue) => ({ path: pathOf(issue.path), message: issue.message }));
}

/** Parse `value` with `schema`, its failures in plain words by field. */
export function checkFields<S extends z.ZodType>(
  schema: S,
  value: unknown,
): { ok: true; data: z.infer<S> } | { ok: false; fields: FieldError[] } {
  const parsed = schema.safeParse(value, { error: plainWords });
  return parsed.success
    ? { ok: true, data: parsed.data }
    : { ok: false, fields: fieldErrorsOf(parsed.error) };
}

/** One line naming each field's problem, for a `message` read by a person or a log. */
export function describeFields(fields: readonly FieldError[]): string {
  return fields
    .map((field) => (field.path === '' ? field.message : `${field.path}: ${field.message}`))
    .join('; ');
}
