/**
 * The Content-Security-Policy of the app window. It starts from `default-src 'none'` and allows
 * only the app's own scripts and styles and connections to the hub (VS Code's workbench does
 * the same). Mantine writes its CSS variables into a <style> element, hence `'unsafe-inline'`
 * for styles only; scripts never get it.
 */
export function buildContentSecurityPolicy(options: { hubOrigins: readonly string[] }): string {
  const connect = new Set<string>(["'self'"]);
  for (const origin of options.hubOrigins) {
    const url = new URL(origin);
    connect.add(url.origin);
    // The realtime channel is a WebSocket on the same host and port.
    connect.add(`${url.protocol === 'https:' ? 'wss:' : 'ws:'}//${url.host}`);
  }
  return [
    "default-src 'none'",
    "script-src 'self'",
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data: blob: https:",
    "media-src 'self' blob: https:",
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
