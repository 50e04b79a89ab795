import { parseDeepLink, type DeepLink } from '../shared/desktop/deep-link';

/**
 * Links into the app (`replydesk://…`, issue #21 item 2) as main receives them: `open-url` on
 * macOS, the command line of the first launch or of a second one on Windows and Linux. A valid
 * link waits in main until the page takes it (`deep-link:take`), so one that arrives while the
 * app starts is not lost; the page is told one is there (`deep-link:available`). A malformed or
 * foreign link is refused here, logged, and changes nothing: the page is only told why, to say so.
 */

export interface DeepLinkRouter {
  /** Returns what was done: the link kept for the page, or why it was refused. */
  handle(raw: string): { accepted: true; link: DeepLink } | { accepted: false; reason: string };
  /** The page takes the waiting link (once), or the reason the last link was refused (once). */
  take(): { link: DeepLink | null; refused?: string };
}

export function createDeepLinkRouter(options: {
  /** Bring the main window forward (and tell its page a link waits), if there is one yet. */
  readonly deliver: () => void;
  readonly log?: (message: string) => void;
}): DeepLinkRouter {
  let pending: DeepLink | null = null;
  let refused: string | null = null;
  const log = options.log ?? ((message: string) => console.warn(message));
  return {
    handle(raw) {
      const check = parseDeepLink(raw);
      if (!check.ok) {
        // The link itself is not logged whole: it came from outside and may be long.
        log(`Replydesk: refused a link (${raw.slice(0, 80)}): ${check.reason}`);
        refused = check.reason.slice(0, 300);
        options.deliver();
        return { accepted: false, reason: check.reason };
      }
      pending = check.link;
      refused = null;
      options.deliver();
      return { accepted: true, link: check.link };
    },
    take() {
      const taken = { link: pending, ...(refused !== null ? { refused } : {}) };
      pending = null;
      refused = null;
      return taken;
    },
  };
}
