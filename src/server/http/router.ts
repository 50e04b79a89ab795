import type { IncomingMessage, ServerResponse } from 'node:http';
import { badRequest } from './errors';
import { storableInput } from './io';

export interface RouteContext {
  readonly req: IncomingMessage;
  readonly res: ServerResponse;
  readonly url: URL;
  readonly params: Readonly<Record<string, string>>;
}

export type Handler = (ctx: RouteContext) => Promise<void>;

interface Route {
  readonly method: string;
  readonly path: string;
  readonly pattern: RegExp;
  readonly keys: readonly string[];
  readonly handler: Handler;
}

/** A path parameter, decoded: a malformed `%` escape or a NUL character is the client's error. */
function decodeParam(key: string, raw: string): string {
  let value: string;
  try {
    value = decodeURIComponent(raw);
  } catch {
    throw badRequest(`The path's ${key} has a malformed % escape.`);
  }
  return storableInput({ [key]: value })[key] ?? '';
}

/** A small method + path router: `/api/conversations/:id/messages`. */
export function createRouter() {
  const routes: Route[] = [];
  const add = (method: string, path: string, handler: Handler): void => {
    const keys: string[] = [];
    const pattern = new RegExp(
      `^${path.replace(/:([a-zA-Z]+)/g, (_, key: string) => {
        keys.push(key);
        return '([^/]+)';
      })}$`,
    );
    routes.push({ method, path, pattern, keys, handler });
  };
  return {
    get: (path: string, handler: Handler) => add('GET', path, handler),
    post: (path: string, handler: Handler) => add('POST', path, handler),
    put: (path: string, handler: Handler) => add('PUT', path, handler),
    patch: (path: string, handler: Handler) => add('PATCH', path, handler),
    delete: (path: string, handler: Handler) => add('DELETE', path, handler),
    /** Every route, as registered (`GET /api/conversations/:id`): for tests that walk them. */
    list: (): { method: string; path: string }[] =>
      routes.map(({ method, path }) => ({ method, path })),
    /** The handler for a request, `'method'` when only the method is wrong, or null. */
    match(
      method: string,
      pathname: string,
    ): { handler: Handler; params: Record<string, string> } | 'method' | null {
      let wrongMethod = false;
      for (const route of routes) {
        const found = route.pattern.exec(pathname);
        if (!found) continue;
        if (route.method !== method && !(method === 'HEAD' && route.method === 'GET')) {
          wrongMethod = true;
          continue;
        }
        const params: Record<string, string> = {};
        route.keys.forEach((key, i) => {
          params[key] = decodeParam(key, found[i + 1] ?? '');
        });
        return { handler: route.handler, params };
      }
      return wrongMethod ? 'method' : null;
    },
  };
}
export type Router = ReturnType<typeof createRouter>;
