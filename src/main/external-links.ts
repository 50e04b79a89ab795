/** Schemes an agent may open outside the app: web pages and e-mail. Everything else is refused. */
const EXTERNAL_PROTOCOLS = new Set(['http:', 'https:', 'mailto:']);

export type ExternalUrlCheck = { ok: true; url: string } | { ok: false; reason: string };

/**
 * Parse a link before handing it to the operating system. `javascript:`, `file:`, custom app
 * schemes and unparsable strings could run code or open local files, so only http(s) and mailto
 * pass, re-serialised by the URL parser (Element's `safeOpenURL` does the same).
 */
export function checkExternalUrl(raw: string): ExternalUrlCheck {
  let parsed: URL;
  try {
    parsed = new URL(raw.trim());
  } catch {
    return { ok: false, reason: 'Not a valid link.' };
  }
  if (!EXTERNAL_PROTOCOLS.has(parsed.protocol)) {
    return {
      ok: false,
      reason: `Links with ${parsed.protocol} are not opened; only http, https and mailto are allowed.`,
    };
  }
  if (parsed.protocol !== 'mailto:' && parsed.hostname === '') {
    return { ok: false, reason: 'The link has no host.' };
  }
  if (parsed.username !== '' || parsed.password !== '') {
    // `https://bank.example@evil.example` style links hide their real destination.
    return { ok: false, reason: 'Links with embedded credentials are not opened.' };
  }
  return { ok: true, url: parsed.toString() };
}
