import type { ErrorCode } from '../../shared/protocol/commands';

/** An error with an HTTP status and a machine-readable code, answered as JSON. */
export class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly code: ErrorCode,
    message: string,
    readonly details?: unknown,
  ) {
    super(message);
    this.name = 'HttpError';
  }
}

export const badRequest = (message: string, details?: unknown): HttpError =>
  new HttpError(400, 'bad_request', message, details);
export const notFound = (message: string): HttpError => new HttpError(404, 'not_found', message);
export const forbidden = (message: string): HttpError => new HttpError(403, 'forbidden', message);
export const unauthorized = (message: string): HttpError =>
  new HttpError(401, 'unauthorized', message);
