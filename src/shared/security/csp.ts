/**
 * The Content-Security-Policy of the app, whether the Electron window shows it (src/main) or the
 * hub serves it to a browser (src/server). It starts from `default-src 'none'` and allows only
 * the app's own scripts and styles and connections to the hub (VS Code's workbench does the
 * same). Mantine writes its CSS variables into a <style> element, hence `'unsafe-inline'` for
 * styles only; scripts never get it.
 */
export function buildContentSecurityPolicy(options: { hubOrigins: readonly string[] }): string {
  const connect = new Set<string>(["'self'"]);
  // Images and media from the app and its hubs only, never any `https:` host: a message's media
  // is a card naming the file (the hub keeps the channel's media ids, not files), and nothing in
  // the app shows a picture from elsewhere. An `https:` source would let a crafted message or a
  // compromised hub make the page ping any server (read receipts, the agent's IP address).
  const media = new Set<string>(["'self'"]);
  for (const origin of options.hubOrigins) {
    const match = /^(https?):\/\/([^/?#]+)/i.exec(origin.trim());
    if (!match) throw new Error(`Not an http(s) hub origin: ${origin}`);
    const [, scheme = 'http', host = ''] = match;
    const secure = scheme.toLowerCase() === 'https';
    connect.add(`${secure ? 'https' : 'http'}://${host}`);
    media.add(`${secure ? 'https' : 'http'}://${host}`);
    // The realtime channel is a WebSocket on the same host and port.
    connect.add(`${secure ? 'wss' : 'ws'}://${host}`);
  }
  return [
    "default-src 'none'",
    "script-src 'self'",
    "style-src 'self' 'unsafe-inline'",
    `img-src ${[...media].join(' ')} data: blob:`,
    `media-src ${[...media].join(' ')} blob:`,
    "font-src 'self' data:",
    `connect-src ${[...connect].join(' ')}`,
    "worker-src 'self'",
    "manifest-src 'self'",
    "base-uri 'none'",
    "form-action 'none'",
    "frame-ancestors 'none'",
    "object-src 'none'",
  ].join('; ');
}
