import type { IncomingMessage, ServerResponse } from 'node:http';
import type { z } from 'zod';
import { checkFields, describeFields } from '../../shared/protocol/field-errors';
import { readRawBody } from './body';
import { badRequest, HttpError } from './errors';
import { findNul, wellFormed } from './untrusted-text';

export function parseJson(raw: Buffer): unknown {
  if (raw.length === 0) throw badRequest('The request has no body; JSON was expected.');
  try {
    return JSON.parse(raw.toString('utf8')) as unknown;
  } catch {
    throw badRequest('The body is not valid JSON.');
  }
}

/**
 * Read and validate a JSON body against `schema`: otherwise 400 naming the bad fields, in
 * `message` and one by one in `details.fields` (`{path, message}`), for forms to place.
 */
export async function readJson<S extends z.ZodType>(
  req: IncomingMessage,
  schema: S,
  limit = 256 * 1024,
): Promise<z.infer<S>> {
  const type = req.headers['content-type'] ?? '';
  if (!/^application\/json\b/i.test(type)) {
    throw new HttpError(415 as number, 'bad_request', 'Send the body as application/json.');
  }
  const checked = checkFields(schema, storableInput(parseJson(await readRawBody(req, limit))));
  if (!checked.ok) throw badRequest(describeFields(checked.fields), { fields: checked.fields });
  return checked.data;
}

/**
 * Input from an API client, made storable: a NUL character anywhere is refused with 400 naming
 * the field (PostgreSQL cannot store it, and a client that sends one has a bug to see), lone
 * surrogates become U+FFFD.
 */
export function storableInput<T>(value: T): T {
  const nulAt = findNul(value);
  if (nulAt !== null)
    throw badRequest(`${nulAt}: contains a NUL character, which cannot be stored.`, {
      fields: [{ path: nulAt, message: 'contains a NUL character' }],
    });
  return wellFormed(value);
}

export function sendJson(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, {
    'Content-Type': 'application/json; charset=utf-8',
    'Content-Length': Buffer.byteLength(text),
    'Cache-Control': 'no-store',
    'X-Content-Type-Options': 'nosniff',
  });
  res.end(text);
}

export function sendError(res: ServerResponse, error: HttpError): void {
  sendJson(res, error.status, {
    error: error.code,
    message: error.message,
    ...(error.details === undefined ? {} : { details: error.details }),
  });
}

/** A request's query string, parsed with `schema`; 400 naming each bad parameter. */
export function readQuery<S extends z.ZodType>(url: URL, schema: S): z.infer<S> {
  const raw: Record<string, string> = {};
  for (const [key, value] of url.searchParams) raw[key] = value;
  const parsed = schema.safeParse(storableInput(raw));
  if (!parsed.success)
    throw badRequest(
      parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; '),
    );
  return parsed.data;
}
