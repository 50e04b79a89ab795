import type { z } from 'zod';

/**
 * Naming where in a webhook body something was wrong (`entry[0].messaging[1].message.mid`), for
 * the problems a connector reports and the dead letters an admin reads. Shared by the Meta
 * channels (WhatsApp, Messenger, Instagram).
 */

export function joinPath(base: string, path: ReadonlyArray<PropertyKey>): string {
  let out = base;
  for (const key of path) {
    if (typeof key === 'number') out += `[${key}]`;
    else out += out === '' ? String(key) : `.${String(key)}`;
  }
  return out === '' ? '(root)' : out;
}

/** The first (up to three) issues of a zod error, each with its path under `base`. */
export function describe(error: z.ZodError, base: string): { path: string; text: string } {
  const issues = error.issues.slice(0, 3);
  const first = issues[0];
  const path = joinPath(base, first ? first.path : []);
  const text = issues.map((issue) => `${joinPath(base, issue.path)}: ${issue.message}`).join('; ');
  return { path, text };
}

/** Drops keys whose value is undefined, so mapped objects carry only what the payload had. */
export function compact<T extends object>(value: T): T {
  const out: Record<string, unknown> = {};
  for (const [key, v] of Object.entries(value)) if (v !== undefined) out[key] = v;
  return out as T;
}
