// Its own module: the deep-link parser (src/shared/desktop) and the IPC contract both use it.

export type HubUrlCheck =
  { readonly ok: true; readonly url: string } | { readonly ok: false; readonly message: string };

/**
 * The WHATWG URL parser exists wherever this code runs (browser, Node, Electron), but src/shared
 * compiles without DOM or Node types: declare the slice used here rather than re-implement it.
 */
declare const URL: new (input: string) => {
  readonly protocol: string;
  readonly username: string;
  readonly password: string;
  readonly hostname: string;
  readonly pathname: string;
  readonly search: string;
  readonly origin: string;
};

const LOOPBACK_HOST = /^(localhost|127(?:\.\d{1,3}){3}|\[::1\])(?::\d+)?$/i;

/**
 * A team hub's address as typed by an agent, checked and reduced to its origin
 * (`https://hub.example.com`, `http://127.0.0.1:4477`): the hub serves its API and the app at
 * the root, and the window's CSP names hubs by origin. A missing scheme means https, or http on
 * loopback. Only http(s) passes; user names and passwords in the address are refused (they hide
 * the real host, and the password belongs in the sign-in form); a path or query is refused rather
 * than silently dropped. A `#fragment` (pasted from the browser's address bar) is ignored.
 */
export function normaliseHubUrl(raw: string): HubUrlCheck {
  const text = raw.trim();
  if (text === '') {
    return {
      ok: false,
      message: "Enter the address of your team's hub, e.g. https://hub.example.com.",
    };
  }
  if (text.length > 2048) return { ok: false, message: 'That address is too long.' };
  let withScheme = text;
  if (!/^[a-z][a-z0-9+.-]*:\/\//i.test(text)) {
    // `javascript:…`, `file:…`, `mailto:…` (but not `localhost:4477`, a host and a port).
    const scheme = /^([a-z][a-z0-9+.-]*):(?!\d)/i.exec(text)?.[1];
    if (scheme !== undefined) {
      return {
        ok: false,
        message: `Only http and https hub addresses are allowed, not ${scheme.toLowerCase()}:.`,
      };
    }
    withScheme = `${LOOPBACK_HOST.test(text.split(/[/?#]/, 1)[0] ?? '') ? 'http' : 'https'}://${text}`;
  }
  let url: InstanceType<typeof URL>;
  try {
    url = new URL(withScheme);
  } catch {
    return {
      ok: false,
      message: 'That is not a valid address. Use the form https://hub.example.com.',
    };
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    return {
      ok: false,
      message: `Only http and https hub addresses are allowed, not ${url.protocol}.`,
    };
  }
  if (url.username !== '' || url.password !== '') {
    return {
      ok: false,
      message: 'Remove the user name and password from the address; sign in with the form instead.',
    };
  }
  if (url.hostname === '') return { ok: false, message: 'The address has no host name.' };
  if ((url.pathname !== '/' && url.pathname !== '') || url.search !== '') {
    return {
      ok: false,
      message: `A hub's address has no path or query: use ${url.origin}.`,
    };
  }
  return { ok: true, url: url.origin };
}
